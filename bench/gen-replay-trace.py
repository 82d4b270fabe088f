#!/usr/bin/env python3
"""Writes a big synthetic trace for bench-replay.sh: PROCS processes (a main
that spawns PROCS-1 children) and about EVENTS events, shaped like a real
spawn run - fork, exec, descriptor tables, re-import, pickles, lookups,
joined output writes, memory samples - so every step kind and every kind
of noise is exercised.   usage: gen-replay-trace.py OUT [PROCS] [EVENTS]
"""
import base64
import json
import sys

out, procs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000
events_wanted = int(sys.argv[3]) if len(sys.argv) > 3 else 200000
per_child = max(12, events_wanted // max(1, procs - 1))
PAYLOAD_BYTES = b"\x80\x04\x95\x0f\x00\x00\x00\x00\x00\x00\x00\x8c\x08__main__\x8c\x01f\x93."
PAYLOAD = base64.b64encode(PAYLOAD_BYTES).decode()
TTY = [{"fd": n, "type": "tty", "target": "/dev/pts/0", "cloexec": False} for n in range(3)]
SPAWN = ["python3", "-c", "from multiprocessing.spawn import spawn_main; spawn_main()"]

events, processes = [], []
t = 0


def ev(pid, kind, **kw):
    global t
    t += 1000
    e = {"seq": len(events), "t": t, "pid": pid, "kind": kind}
    e.update(kw)
    events.append(e)


main = 10000
processes.append({"pid": main, "ppid": 1, "role": "main", "argv": ["python3", "big.py"], "start": 0})
ev(main, "proc.start")
ev(main, "start_method", method="spawn", explicit=True)
for c in range(1, procs):
    pid = main + c
    processes.append({"pid": pid, "ppid": main, "role": "child", "argv": SPAWN, "start": t})
    pickled = {"size": len(PAYLOAD_BYTES), "what": "process", "type": "Process", "bytes": PAYLOAD,
               "globals": [["__main__", "f"]]}
    ev(main, "pickle.dump", to=pid, **pickled)
    ev(main, "fork", child=pid, via="vfork")
    ev(pid, "exec", path="/usr/bin/python3", argv=SPAWN)
    fds = TTY + [{"fd": 5 + i, "type": "pipe", "target": "pipe:[%d]" % (pid * 10 + i), "cloexec": False}
                 for i in range(6)]
    ev(pid, "fds", at="exec", fds=fds)
    ev(pid, "fds.pass", via="exec", to=pid, fds=fds, closed=[{"fd": 20, "type": "file", "cloexec": True}])
    ev(pid, "import", module="__mp_main__", file="big.py")
    ev(pid, "pickle.load", **{"from": main}, **{k: v for k, v in pickled.items()})
    ev(pid, "pickle.find_class", module="__main__", name="f")
    for i in range(per_child - 11):
        r = i % 6
        if r == 0:
            ev(pid, "memory", rss=9000000 + i, shared=1000)
        elif r == 1:
            ev(pid, "threads", count=1 + i % 3)
        elif r in (2, 3):
            ev(pid, "output", stream="stdout", text="line %d\n" % i)
        else:
            ev(pid, "pickle.dump", to=main, size=len(PAYLOAD_BYTES), what="queue_item", bytes=PAYLOAD,
               globals=[["__main__", "f"]])
    ev(pid, "exit", code=0)
    processes[-1]["end"] = t
    processes[-1]["exit"] = {"code": 0}
ev(main, "exit", code=0)
processes[0]["end"] = t
processes[0]["exit"] = {"code": 0}
doc = {"format": "mpscope-trace", "version": 1,
       "meta": {"program": "big.py", "argv": ["big.py"], "method": "spawn", "python": "3.11.7",
                "platform": "linux", "recorded_at": "2026-11-27T12:00:00Z",
                "capture": {"ptrace": True, "probe": True}, "payload_cap": 65536, "redacted": []},
       "processes": processes, "events": events}
with open(out, "w") as f:
    json.dump(doc, f, separators=(",", ":"))
print("%s: %d processes, %d events" % (out, len(processes), len(events)))
