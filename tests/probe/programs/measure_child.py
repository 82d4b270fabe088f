"""Version measurements (tests/probe/measure_versions.py): top-level code runs,
what a child has imported, and the 3.12+ warning on fork with threads.

argv: METHOD [threads]"""
import multiprocessing
import os
import sys
import threading
import time

print("top-level ran as", __name__, flush=True)


def child():
    print("child modules", len(sys.modules), "threading" in sys.modules, flush=True)


if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    if sys.argv[2:] == ["threads"]:
        threading.Thread(target=time.sleep, args=(0.5,), daemon=True).start()
    p = ctx.Process(target=child)
    p.start()
    p.join()
