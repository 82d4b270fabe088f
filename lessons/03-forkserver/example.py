# forkserver starts one single-threaded server; every child is forked from it.
# The parent hands the server the child's descriptors over a Unix socket.
import multiprocessing
import os


def f(I):
    print('hello from', os.getpid(), 'forked by', os.getppid(), 'for task', I)


if __name__ == '__main__':
    ctx = multiprocessing.get_context('forkserver')
    workers = [ctx.Process(target=f, args=(I,)) for I in range(2)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
