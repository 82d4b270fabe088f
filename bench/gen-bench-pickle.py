#!/usr/bin/python3
"""Writes the `mpscope dis` benchmark input: one pickle of about 17 MB, a
list of 120,000 realistic records and Pool-style task tuples, at protocol 4
as multiprocessing sends them.  Deterministic (fixed seed).
Usage: /usr/bin/python3 bench/gen-bench-pickle.py OUT.pickle"""
import datetime
import pickle
import random
import sys


def task(i, rng):
    # What Pool.map sends for a chunk: (job, index, (mapstar, ((func, chunk),)), {})
    return (i // 100, i % 100, ("mapstar", (("process_row", [rng.randrange(10**6) for _ in range(4)]),)), {})


def record(i, rng):
    return {
        "id": i,
        "user": "user%05d@example.org" % rng.randrange(100000),
        "name": rng.choice(["Ada", "Grace", "Linus", "Guido", "Barbara", "Ken"]) + " " + "x" * rng.randrange(0, 12),
        "score": rng.random() * 100,
        "tags": [rng.choice(["red", "green", "blue", "urgent", "done"]) for _ in range(rng.randrange(0, 4))],
        "created": datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=rng.randrange(10**7)),
        "payload": bytes(rng.randrange(256) for _ in range(rng.randrange(0, 112))),
        "path": "/srv/data/%04d/%06d.csv" % (rng.randrange(10000), i),
        "active": rng.random() < 0.5,
        "parent": None if i % 7 else i - 1,
    }


def main():
    rng = random.Random(17)
    rows = [record(i, rng) if i % 3 else task(i, rng) for i in range(120000)]
    data = pickle.dumps(rows, protocol=4)
    with open(sys.argv[1], "wb") as fh:
        fh.write(data)
    print("%s: %d bytes" % (sys.argv[1], len(data)))


if __name__ == "__main__":
    main()
