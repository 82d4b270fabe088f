# Two start methods in one program, as CPython's own concurrent.futures
# tests do: a child from get_context('spawn') first, then one from the
# default context (fork on Linux before 3.14, or mpscope's -m).
import multiprocessing as mp


def f(name):
    print(name, 'child ran')


if __name__ == '__main__':
    spawned = mp.get_context('spawn').Process(target=f, args=('spawn',))
    spawned.start()
    spawned.join()
    default = mp.Process(target=f, args=('default',))
    default.start()
    default.join()
