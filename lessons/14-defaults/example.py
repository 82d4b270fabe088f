# Which start method do you get when you choose none? It depends on the
# platform and on the Python version.
import multiprocessing
import sys


def f():
    print('the child runs f')


if __name__ == '__main__':
    print(f'Python {sys.version.split()[0]} on {sys.platform}: '
          f'the default start method is {multiprocessing.get_start_method()}')
    child = multiprocessing.Process(target=f)
    child.start()
    child.join()
