"""Measure the probe's cost per pickle event, and how many packets carry them.

    python3 tests/probe/bench_events.py [--probe DIR] [RUNS] [TASKS]
Runs tests/probe/programs/pickle_loop.py (per task: 2 dumps, 2 loads, 2
find_class = 6 events) untraced, under the probe, and under the probe in
pure Python (MPSCOPE_PURE_PROBE=1, without its C fast path), RUNS times each
in turn (default 7), and prints the fastest mean per task: the minimum is the
figure least disturbed by a shared machine. Run it under `nice -n 19` there.
MPSCOPE_KEEP_PAYLOADS=all in the environment measures every pickle sent.
--probe DIR measures another copy of src/probe (e.g. an older one, to
compare).

The other end is a bare drain in its own process (recv and count), not the
test receiver: that one parses every message in Python, falls behind, and
the probe then waits on a full socket, which measures the receiver.
"""
import os
import selectors
import socket
import subprocess
import sys
import tempfile
import time

import receiver

PROGRAM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs", "pickle_loop.py")


def _drain(listener, report):
    """Child process: receive until the program's connection closes, then
    write "packets events" to report. Like the tracer's reader thread it
    naps 1 ms after each round, so it is not woken for every packet."""
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    packets = events = opened = 0
    while opened == 0 or len(selector.get_map()) > 1:
        for key, _ in selector.select():
            if key.fileobj is listener:
                selector.register(listener.accept()[0], selectors.EVENT_READ)
                opened += 1
                continue
            while True:  # everything queued: after a nap there is a lot
                try:
                    data = key.fileobj.recv(receiver.MAX_MESSAGE, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    break
                if not data:
                    selector.unregister(key.fileobj)
                    key.fileobj.close()
                    break
                packets += 1
                events += data.count(b"\n") + 1
        time.sleep(0.001)
    os.write(report, b"%d %d" % (packets, events))


def run_probed(tasks, probe_dir, pure=False):
    """(mean us per task, packets, events) of one run under the probe."""
    with tempfile.TemporaryDirectory(prefix="mpscope-bench-") as folder:
        path = os.path.join(folder, "probe.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        listener.bind(path)
        listener.listen(8)
        report_r, report_w = os.pipe()
        child = os.fork()
        if child == 0:
            try:
                _drain(listener, report_w)
            finally:
                os._exit(0)
        listener.close()
        os.close(report_w)
        env = receiver.probe_env(path)
        env["PYTHONPATH"] = probe_dir
        env["MPSCOPE_PURE_PROBE"] = "1" if pure else ""
        completed = subprocess.run([sys.executable, PROGRAM, str(tasks)], stdout=subprocess.PIPE,
                                   env=env, check=True)
        counts = os.read(report_r, 64).split()
        os.close(report_r)
        os.waitpid(child, 0)
    return float(completed.stdout), int(counts[0]), int(counts[1])


def main(probe_dir, runs, tasks):
    untraced, traced, pure = [], [], []
    for _ in range(runs):
        untraced.append(float(receiver.run_untraced([PROGRAM, str(tasks)]).stdout))
        mean, packets, events = run_probed(tasks, probe_dir)
        traced.append(mean)
        pure.append(run_probed(tasks, probe_dir, pure=True)[0])
    base = min(untraced)
    print("per task (6 events), best of %d: untraced %.2f us, probe %.2f us (+%.2f us), "
          "pure-Python probe %.2f us (+%.2f us)"
          % (runs, base, min(traced), min(traced) - base, min(pure), min(pure) - base))
    print("last run: %d events in %d packets" % (events, packets))


if __name__ == "__main__":
    args = sys.argv[1:]
    probe = receiver.PROBE_DIR
    if args[:1] == ["--probe"]:
        probe, args = os.path.abspath(args[1]), args[2:]
    numbers = [int(arg) for arg in args]
    main(probe, *(numbers + [7, 20000][len(numbers):]))
