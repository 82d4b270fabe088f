# A lambda cannot be pickled: under spawn and forkserver start() fails.
import multiprocessing as mp

if __name__ == '__main__':
    mp.Process(target=lambda: print('never')).start()
