# One program, two start methods: the platform's default, and spawn
# chosen with get_context(). spawn is what Windows and macOS use, so
# get_context('spawn') lets you see their behaviour on Linux.
import multiprocessing
import os


def f(label):
    print(f'{label} child {os.getpid()} runs f')


if __name__ == '__main__':
    # No start method chosen: the default (fork on Linux, up to 3.13).
    first = multiprocessing.Process(target=f, args=('default',))
    first.start()
    first.join()
    # A context is multiprocessing with one start method fixed.
    ctx = multiprocessing.get_context('spawn')
    second = ctx.Process(target=f, args=('spawn',))
    second.start()
    second.join()
