#!/usr/bin/env python3
"""Writes a realistic mpscope trace of about SIZE MB for benchmarks.

    bench/gen-trace.py OUT.json [SIZE_MB]     (default 50)

The shape is a Pool under forkserver: a main process, a forkserver, a
resource tracker and 8 workers. Most events are what such a run records in
bulk: pool tasks and results pickled and unpickled (with their bytes),
find_class lookups, worker output, and periodic fds/memory/threads
snapshots. Deterministic (fixed seed), so runs are comparable.
"""
import base64
import json
import os
import random
import sys

WORKERS = 8
MAIN, SERVER, TRACKER = 4211, 4212, 4213


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def payload(rng, size):
    # Pickle-looking bytes: a protocol-5 header, then noise. Never unpickled.
    body = bytes(rng.getrandbits(8) for _ in range(max(size - 3, 0)))
    return (b"\x80\x05\x95" + body)[:size]


def fd_table(rng):
    fds = [{"fd": n, "type": "tty", "target": "/dev/pts/3", "cloexec": False} for n in range(3)]
    for n in range(3, 3 + rng.randint(2, 9)):
        kind = rng.choice(["pipe", "socket", "file"])
        target = {"pipe": f"pipe:[{rng.randint(10000, 99999)}]",
                  "socket": f"socket:[{rng.randint(10000, 99999)}]",
                  "file": f"/home/ada/project/data/part-{n}.csv"}[kind]
        fds.append({"fd": n, "type": kind, "target": target, "cloexec": n % 2 == 0})
    return fds


def main():
    out = sys.argv[1]
    target = int(float(sys.argv[2]) * 1024 * 1024) if len(sys.argv) > 2 else 50 * 1024 * 1024
    rng = random.Random(1234)
    workers = list(range(4300, 4300 + WORKERS))
    worker_argv = ["/usr/bin/python3.11", "-c",
                   "from multiprocessing.forkserver import main; main(8, 9, ['__main__'])"]
    meta = {"program": "examples/pool_squares.py", "argv": ["pool_squares.py", "--n", "200000"],
            "method": "forkserver", "requested_method": "forkserver", "python": "3.11.2",
            "platform": "linux", "recorded_at": "2026-11-24T10:00:00Z",
            "capture": {"ptrace": True, "probe": True}, "payload_cap": 65536,
            "redacted": ["authkey"]}
    procs = [
        {"pid": MAIN, "ppid": 4100, "role": "main", "argv": ["python3", "pool_squares.py"],
         "exe": "/usr/bin/python3.11", "start": 0},
        {"pid": SERVER, "ppid": MAIN, "role": "forkserver", "argv": worker_argv,
         "exe": "/usr/bin/python3.11", "start": 2000000},
        {"pid": TRACKER, "ppid": MAIN, "role": "resource_tracker",
         "argv": ["/usr/bin/python3.11", "-c",
                  "from multiprocessing.resource_tracker import main;main(6)"],
         "exe": "/usr/bin/python3.11", "start": 1500000},
    ] + [{"pid": w, "ppid": SERVER, "role": "child", "argv": worker_argv,
          "exe": "/usr/bin/python3.11", "start": 3000000 + i * 100000}
         for i, w in enumerate(workers)]

    # Events are built first: the processes, written before them, need the
    # end times.
    events = []
    written = 0
    seq, t = 0, 0

    def emit(ev):
        nonlocal seq, written
        line = dumps({"seq": seq, "t": t, **ev})
        events.append(line)
        written += len(line.encode("utf-8")) + 6
        seq += 1

    emit({"pid": MAIN, "kind": "proc.start"})
    emit({"pid": MAIN, "kind": "start_method", "method": "forkserver", "explicit": True})
    for w in workers:
        t += 50000
        emit({"pid": SERVER, "kind": "fork", "child": w, "via": "fork"})
        emit({"pid": w, "kind": "fds.pass", "via": "scm_rights", "to": w,
              "socket": "socket:[88001]",
              "fds": [{"fd": 9, "type": "socket", "target": "socket:[88002]",
                       "cloexec": False, "as": 3}]})
    task = 0
    while written < target - 8192:
        t += rng.randint(2000, 40000)
        w = workers[task % WORKERS]
        size = rng.choice([96, 180, 420, 1500, 4200])
        b = payload(rng, size)
        emit({"pid": MAIN, "kind": "pickle.dump", "size": size, "what": "pool_task",
              "type": "tuple", "to": w, "bytes": base64.b64encode(b).decode(),
              "globals": [["__main__", "square"]]})
        t += rng.randint(500, 5000)
        emit({"pid": w, "kind": "pickle.load", "size": size, "what": "pool_task",
              "type": "tuple", "from": MAIN})
        emit({"pid": w, "kind": "pickle.find_class", "module": "__mp_main__",
              "name": "square"})
        emit({"pid": w, "kind": "output", "stream": "stdout",
              "text": f"worker {w}: task {task} -> {task * task}\n"})
        r = payload(rng, 40)
        emit({"pid": w, "kind": "pickle.dump", "size": 40, "what": "pool_result",
              "type": "tuple", "to": MAIN, "bytes": base64.b64encode(r).decode()})
        if task % 50 == 0:
            emit({"pid": w, "kind": "fds", "at": "fork", "fds": fd_table(rng)})
            emit({"pid": w, "kind": "memory", "rss": rng.randint(9, 40) << 20,
                  "shared": rng.randint(2, 8) << 20})
            emit({"pid": w, "kind": "threads", "count": rng.randint(1, 3)})
        task += 1
    ends = {}
    for pid in workers + [SERVER, TRACKER, MAIN]:
        t += 100000
        emit({"pid": pid, "kind": "exit", "code": 0})
        ends[pid] = t
    for p in procs:
        p["end"] = ends[p["pid"]]
        p["exit"] = {"code": 0}
    with open(out, "w", encoding="utf-8") as f:
        f.write('{\n  "format": "mpscope-trace",\n  "version": 1,\n  "meta": ')
        f.write(dumps(meta))
        f.write(',\n  "processes": [\n    ' + ',\n    '.join(dumps(p) for p in procs))
        f.write('\n  ],\n  "events": [\n    ' + ',\n    '.join(events) + '\n  ]\n}\n')
    print(f"{out}: {os.path.getsize(out) / 1e6:.1f} MB, {seq} events")


if __name__ == "__main__":
    main()
