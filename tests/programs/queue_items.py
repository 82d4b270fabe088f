# One Process takes N small items from a Queue the main process fills: a
# pickle per item in the feeder thread, an unpickle per item in the child.
# Benchmark workload (bench/bench-pool.sh); argv: [N [METHOD]].
import multiprocessing as mp
import sys


def consume(queue, count):
    print(sum(queue.get() for _ in range(count)))


if __name__ == '__main__':
    if len(sys.argv) > 2:
        mp.set_start_method(sys.argv[2])
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    queue = mp.Queue()
    child = mp.Process(target=consume, args=(queue, n))
    child.start()
    for i in range(n):
        queue.put(i)
    child.join()
