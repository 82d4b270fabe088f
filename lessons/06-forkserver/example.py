# forkserver: the first start() launches one server, a fresh Python with a
# single thread; from then on the server forks every child. The parent
# hands the server each child's descriptors over a Unix socket.
import multiprocessing
import os


def f(task):
    # os.getppid(): the process that forked this one. Under forkserver it is
    # the server, not the program that called start().
    print(f'child {os.getpid()} was forked by {os.getppid()}, task {task}')


if __name__ == '__main__':
    ctx = multiprocessing.get_context('forkserver')
    for task in range(2):
        # One child at a time, so the story is easy to follow: the second
        # start() finds the server already running.
        child = ctx.Process(target=f, args=(task,))
        child.start()
        child.join()
