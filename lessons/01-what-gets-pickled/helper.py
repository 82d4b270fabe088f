# A function the target calls, defined in its own module. Nothing of it is
# ever pickled: a spawned child gets it by importing this file again.
import os


def randomfunction():
    print('randomfunction runs in', os.getpid())
