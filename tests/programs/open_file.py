# A file opened in the parent before start(): inherited under fork, not under
# spawn (its descriptor is not inheritable and spawn execs).
import multiprocessing as mp
import sys


def child():
    print('child running')


if __name__ == '__main__':
    held = open(sys.argv[0], 'rb')
    p = mp.Process(target=child)
    p.start()
    p.join()
    held.close()
