# The sibling module of example.py: f calls randomfunction(), defined here.
# A child can call it only if the child has this module: a fork child
# inherits it, a spawn or forkserver child imports it again when it
# re-imports example.py as __mp_main__. Nothing of it is pickled.
import random


def randomfunction(seed):
    return random.Random(seed).randint(1, 6)
