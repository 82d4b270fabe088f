"""Print PYTHONPATH, sys.path and whether a variable meant for the probe
(MPSCOPE_SENTINEL_FD) is left, as the main process and a spawned child see them."""
import multiprocessing
import os
import sys


def show(who):
    paths = [p for p in sys.path if "probe" in p]
    left = os.environ.get("MPSCOPE_SENTINEL_FD")
    sys.stdout.write("%s %s %s %s\n" % (who, os.environ.get("PYTHONPATH"), paths, left))
    sys.stdout.flush()


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    show("main")
    p = multiprocessing.Process(target=show, args=("child",))
    p.start()
    p.join()
