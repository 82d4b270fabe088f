# Why do multiprocessing programs need `if __name__ == '__main__':`?
# This one has no guard: the lines that start a child run every time
# the file is run OR imported.
import multiprocessing


def f():
    print('f runs in the child')


# No guard here. Under spawn the child imports this file again (as
# __mp_main__), so these lines run again inside the child, and the child
# tries to start a child of its own before it has finished starting up.
# multiprocessing stops it with a RuntimeError. Under fork the child is a
# copy that never re-reads the file, so nothing goes wrong.
print(f'top level runs as {__name__}')
child = multiprocessing.Process(target=f)
child.start()
child.join()
print(f'{__name__}: the child ended with exit code {child.exitcode}')
