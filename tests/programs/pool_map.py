# Pool(2).map over many small tasks with chunksize 1: a pickle per task and
# per result. Benchmark workload (bench/bench-run.sh); argv: [N [METHOD]].
import multiprocessing as mp
import sys


def square(x):
    return x * x


if __name__ == '__main__':
    if len(sys.argv) > 2:
        mp.set_start_method(sys.argv[2])
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    with mp.Pool(2) as pool:
        total = sum(pool.map(square, range(n), chunksize=1))
    print(total)
