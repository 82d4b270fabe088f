# The classic example with the start method chosen by the program itself
# (argv[1]), so the same run can be made under strace and under mpscope.
import multiprocessing as mp
import sys


def f(I):
    print('hello world!', I)


if __name__ == '__main__':
    mp.set_start_method(sys.argv[1])
    for I in range(2):
        mp.Process(target=f, args=(I,)).start()
