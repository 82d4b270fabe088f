"""A stand-in for the C tracer's probe socket, for the probe's own tests.

Binds a SOCK_SEQPACKET socket in a private 0700 folder, runs a program with
the probe injected exactly as src/tracer does (PYTHONPATH, MPSCOPE_*), and
collects every message with the sender's SO_PEERCRED pid. Stdlib only.
"""
import json
import os
import selectors
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PROBE_DIR = os.path.join(ROOT, "src", "probe")
MAX_MESSAGE = 200 * 1024 + 1


class Receiver:
    """Collects probe messages. Use as a context manager."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="mpscope-probe-test-")
        os.chmod(self.folder, 0o700)
        self.path = os.path.join(self.folder, "probe.sock")
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.listener.bind(self.path)
        self.listener.listen(64)
        self.messages = []       # (peer pid, message dict) in arrival order
        self.problems = []       # protocol violations seen
        self.open_count = 0
        self.packet_count = 0    # packets received (an event count is len(messages))
        self.connection_count = 0
        self.counted = {}        # (what, "dump"|"load") -> [count, bytes] from the tally files
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _serve(self):
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ, None)
        while not self._stop.is_set():
            for key, _ in selector.select(timeout=0.05):
                if key.data is None:
                    conn, _ = self.listener.accept()
                    cred = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                           struct.calcsize("3i"))
                    peer = struct.unpack("3i", cred)[0]
                    self.open_count += 1
                    self.connection_count += 1
                    selector.register(conn, selectors.EVENT_READ, peer)
                    continue
                data = key.fileobj.recv(MAX_MESSAGE)
                if not data:
                    selector.unregister(key.fileobj)
                    key.fileobj.close()
                    self.open_count -= 1
                    continue
                self._accept_message(key.data, data)
        selector.close()

    def _accept_message(self, peer, data):
        if len(data) >= MAX_MESSAGE:
            self.problems.append("message over 200 KiB from %d" % peer)
        self.packet_count += 1
        # Several events may share a packet, one JSON object a line
        # (docs/probe-protocol.md, "Transport"); JSON text has no raw newline.
        for line in data.split(b"\n"):
            self._accept_event(peer, line)

    def _accept_event(self, peer, data):
        try:
            message = json.loads(data.decode("utf-8"))
        except ValueError as exc:
            self.problems.append("bad JSON from %d: %s" % (peer, exc))
            return
        if message.get("pid") != peer:
            self.problems.append("pid %r sent over %d's connection" % (message.get("pid"), peer))
        for field in ("kind", "t", "pid"):
            if field not in message:
                self.problems.append("message without %r: %r" % (field, message))
        self.messages.append((peer, message))

    def wait_quiet(self, timeout=10.0):
        """Wait until every probe connection is closed (all processes gone)."""
        deadline = time.monotonic() + timeout
        while self.open_count and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.05)

    def close(self):
        self._stop.set()
        self._thread.join()
        self.listener.close()
        self._read_tallies()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _read_tallies(self):
        """Sum the tally files the processes announced into self.counted, as
        src/tracer/tally.c does (layout: src/probe/mpscope_probe/tally.py)."""
        import array
        sys.path.insert(0, PROBE_DIR)
        from mpscope_probe import tally
        for message in self.events("probe.tally"):
            words = array.array("Q")
            with open(os.path.join(self.folder, message["file"]), "rb") as f:
                words.frombytes(f.read())
            if words[0] != tally.MAGIC or words[2] != message["pid"]:
                self.problems.append("tally file %s is not %d's" % (message["file"], message["pid"]))
                continue
            for row in range(words[3]):
                start = tally.HEADER_WORDS + row * tally.ROW_WORDS
                for index in range(tally.SLOTS):
                    key = (tally.WHATS[index // 2], ("dump", "load")[index % 2])
                    total = self.counted.setdefault(key, [0, 0])
                    total[0] += words[start + 2 * index]
                    total[1] += words[start + 2 * index + 1]

    def events(self, kind=None, **match):
        """Messages of kind whose fields equal match, in arrival order."""
        out = []
        for _, message in self.messages:
            if kind is not None and message.get("kind") != kind:
                continue
            if all(message.get(k) == v for k, v in match.items()):
                out.append(message)
        return out


def probe_env(sock_path, method="", extra=None):
    """The environment src/tracer gives a traced program (extra: the user's)."""
    env = dict(os.environ)
    env.update(extra or {})
    original = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = PROBE_DIR + (os.pathsep + original if original else "")
    env["MPSCOPE_SOCK"] = sock_path
    env["MPSCOPE_METHOD"] = method
    env["MPSCOPE_CHAIN_PYTHONPATH"] = original  # "" when there was none, as src/tracer does
    return env


def run_traced(argv, method="", extra_env=None, timeout=120, python=None):
    """Run [python] + argv under the probe; returns (completed, receiver)."""
    argv = [os.path.abspath(argv[0])] + list(argv[1:])
    receiver = Receiver()
    env = probe_env(receiver.path, method, extra=extra_env)
    try:
        completed = subprocess.run([python or sys.executable] + list(argv), env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   timeout=timeout, cwd=os.path.dirname(os.path.abspath(argv[0])))
        receiver.wait_quiet()
    finally:
        receiver.close()
    return completed, receiver


def run_untraced(argv, extra_env=None, timeout=120, python=None):
    argv = [os.path.abspath(argv[0])] + list(argv[1:])
    env = dict(os.environ)
    env.update(extra_env or {})
    return subprocess.run([python or sys.executable] + list(argv), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout, cwd=os.path.dirname(os.path.abspath(argv[0])))


if __name__ == "__main__":
    # python3 tests/probe/receiver.py [--method M] SCRIPT [ARGS...]: print messages as JSON lines.
    args = sys.argv[1:]
    method = ""
    if args[:1] == ["--method"]:
        method, args = args[1], args[2:]
    completed, receiver = run_traced(args, method)
    sys.stdout.write(completed.stdout.decode(errors="replace"))
    sys.stderr.write(completed.stderr.decode(errors="replace"))
    for peer, message in receiver.messages:
        if "bytes" in message:
            message["bytes"] = message["bytes"][:40] + ("..." if len(message["bytes"]) > 40 else "")
        print(json.dumps(message, sort_keys=True))
    for problem in receiver.problems:
        print("PROBLEM:", problem)
