# The classic question: what does multiprocessing send to a child?
# f calls randomfunction(), which lives in another file (helper.py).
# Is randomfunction pickled? Can the child call it? Run it under fork,
# spawn and forkserver and compare what gets pickled.
import multiprocessing

from helper import randomfunction


def f(I):
    print('hello world!', I)
    randomfunction()


if __name__ == '__main__':
    for I in range(1, 3):
        multiprocessing.Process(target=f, args=(I,)).start()
