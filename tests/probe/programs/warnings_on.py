# A program that turns every warning on (as lessons about 3.12's fork
# warning do): the probe's own connection must not add a ResourceWarning
# to its output when the interpreter exits.
import multiprocessing
import warnings

warnings.simplefilter('default')


def f():
    print('child')


if __name__ == '__main__':
    child = multiprocessing.Process(target=f)
    child.start()
    child.join()
