# The classic example: two processes print a greeting. Under spawn and
# forkserver the target f is pickled by reference (__main__.f).
import multiprocessing as mp


def f(I):
    print('hello world!', I)


if __name__ == '__main__':
    for I in range(2):
        mp.Process(target=f, args=(I,)).start()
