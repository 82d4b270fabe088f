"""What one Pool task costs in pickling, in one process: dump and load the
task (two globals looked up), dump and load the result, N times. Prints the
mean per task. No worker processes, so the probe's own cost is not hidden in
scheduling noise (tests/probe/bench_events.py)."""
import multiprocessing.pool
import sys
import time
from multiprocessing.reduction import ForkingPickler


def square(x):
    return x * x


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    started = time.perf_counter()
    for i in range(count):
        task = ForkingPickler.dumps((0, i, multiprocessing.pool.mapstar, ((square, (i,)),), {}))
        ForkingPickler.loads(bytes(task))
        result = ForkingPickler.dumps((0, i, (True, [i * i])))
        ForkingPickler.loads(bytes(result))
    print("%.2f" % ((time.perf_counter() - started) / count * 1e6))
