# The classic question: what does multiprocessing send to a child?
# Run it under fork, spawn and forkserver and compare what gets pickled.
import multiprocessing


def f(I):
    print('hello world!', I)


if __name__ == '__main__':
    workers = [multiprocessing.Process(target=f, args=(I,)) for I in range(2)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
