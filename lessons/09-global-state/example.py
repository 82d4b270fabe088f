# The parent changes a global variable, then starts a child.
# Which value does the child see?
import multiprocessing

counter = 0  # set when the module runs, in every process that runs it


def show():
    print(f'the child sees counter = {counter}')


if __name__ == '__main__':
    counter = 42  # changed in the parent only, before the child starts
    child = multiprocessing.Process(target=show)
    child.start()
    child.join()
    # fork copies the parent's memory: 42.
    # spawn and forkserver re-import this file as __mp_main__: the guard is
    # False there, so counter keeps its module-level value, 0.
