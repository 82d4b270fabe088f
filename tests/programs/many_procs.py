# Starts N processes (64 by default), then joins them all. Benchmark workload; argv: [N [METHOD]].
import multiprocessing as mp
import sys


def nothing():
    pass


if __name__ == '__main__':
    if len(sys.argv) > 2:
        mp.set_start_method(sys.argv[2])
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    procs = [mp.Process(target=nothing) for _ in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
