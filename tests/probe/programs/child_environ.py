"""Print PYTHONPATH and sys.path as the main process and a spawned child see them."""
import multiprocessing
import os
import sys


def show(who):
    paths = [p for p in sys.path if "probe" in p]
    sys.stdout.write("%s %s %s\n" % (who, os.environ.get("PYTHONPATH"), paths))
    sys.stdout.flush()


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    show("main")
    p = multiprocessing.Process(target=show, args=("child",))
    p.start()
    p.join()
