# Pool(2).imap_unordered over N tasks, chunksize 1, where the worker that
# gets task K is killed by SIGKILL while it runs it: that task's result never
# comes, every other one does. Prints what the program saw. The tracer must
# count every pickle that really happened, the killed worker's included.
# argv: N K [METHOD]
import functools
import multiprocessing as mp
import os
import signal
import sys


def square_or_die(x, doomed):
    if x == doomed:
        os.kill(os.getpid(), signal.SIGKILL)
    return x * x


if __name__ == '__main__':
    count, doomed = int(sys.argv[1]), int(sys.argv[2])
    if len(sys.argv) > 3:
        mp.set_start_method(sys.argv[3])
    pool = mp.Pool(2)
    task = functools.partial(square_or_die, doomed=doomed)
    results = pool.imap_unordered(task, range(count), chunksize=1)
    # Every result but the killed task's comes; waiting for that one would
    # wait for ever, so the program stops at count - 1 (or gives up after
    # 30 s without a result, and says how many it got).
    got = 0
    while got < count - 1:
        try:
            results.next(timeout=30)
        except (StopIteration, mp.TimeoutError):
            break
        got += 1
    pool.terminate()
    pool.join()
    print("got %d of %d" % (got, count))
