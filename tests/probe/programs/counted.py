"""Pickles past the first kept ones, in one process: Pool-shaped tasks and
results, items through a Pipe and a Queue (its feeder thread pickles them),
a task that fails to pickle, bytes that fail to load, objects of no known
shape pickled by the program itself, and a lookup outside any probed load. Prints the true count and bytes of each purpose and direction, for the
test to compare with what the probe sent and counted. argv: [N]."""
import multiprocessing
import multiprocessing.pool
import pickle
import sys
from multiprocessing.reduction import ForkingPickler


def square(x):
    return x * x


def main(n):
    totals = {}

    def note(what, op, data):
        total = totals.setdefault("%s %s" % (what, op), [0, 0])
        total[0] += 1
        total[1] += len(data)

    for i in range(n):
        task = ForkingPickler.dumps((0, i, multiprocessing.pool.mapstar, ((square, (i,)),), {}))
        note("pool_task", "dump", task)
        ForkingPickler.loads(bytes(task))
        note("pool_task", "load", task)
        result = ForkingPickler.dumps((0, i, (True, [i * i])))
        note("pool_result", "dump", result)
        ForkingPickler.loads(result)  # a memoryview, as Connection.recv passes
        note("pool_result", "load", result)
        other = ForkingPickler.dumps({"item": i})
        note("other", "dump", other)
        ForkingPickler.loads(other)
        note("other", "load", other)
    reader, writer = multiprocessing.Pipe(duplex=False)
    queue = multiprocessing.Queue()
    for i in range(n):
        item = [i, "item"]
        writer.send(item)
        reader.recv()
        queue.put(item)
        queue.get()
        # The same bytes as ForkingPickler's for a list (pickle.dumps is not
        # probed: the truth must not add pickles of its own).
        for op in ("dump", "load"):
            for _ in range(2):  # the Pipe's and the Queue's
                note("queue_item", op, pickle.dumps(item))
    try:
        ForkingPickler.dumps((0, n, lambda: 0, (), {}))
    except Exception as exc:
        print("dump failed:", type(exc).__name__)
    try:
        ForkingPickler.loads(b"\x80\x04not a pickle")
    except Exception as exc:
        print("load failed:", type(exc).__name__)
    pickle.loads(pickle.dumps(square))
    for key in sorted(totals):
        print(key, *totals[key])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
