"""Pool.map over N numbers, one task per number: 2N+ pickles (tasks and results)."""
import multiprocessing
import sys


def square(x):
    return x * x


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with multiprocessing.Pool(2) as pool:
        total = sum(pool.map(square, range(count), chunksize=1))
    print("sum", total)
