"""Measure how multiprocessing differs between CPython versions, for
docs/python-versions.md. Facts come from running things, never from reading.

    python3 tests/probe/measure_versions.py PYTHON [PYTHON...]
For each interpreter prints: ForkingPickler's protocol, the start-up payload
sizes (via the probe), how spawn creates processes (strace), which audit
events fire in the parent and the children, whether forkserver preloads
__main__, what a spawn child has imported, and the fork-with-threads warning.
"""
import collections
import os
import re
import subprocess
import sys
import tempfile

import receiver

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
CHILD = os.path.join(PROGRAMS, "measure_child.py")


def run(python, args, env=None, **kwargs):
    return subprocess.run([python] + args, env=env, cwd=PROGRAMS, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=60, **kwargs)


def protocol(python):
    code = ("from multiprocessing.reduction import ForkingPickler as F; "
            "import pickle; b = bytes(F.dumps(0)); print(b[1], pickle.DEFAULT_PROTOCOL)")
    return run(python, ["-c", code]).stdout.decode().split()


def payload_sizes(python, method):
    _, rec = receiver.run_traced([os.path.join(PROGRAMS, "classic.py")], method, python=python)
    return {d["what"]: d["size"] for d in rec.events("pickle.dump") if d["what"] in ("preparation", "process")}


def process_syscalls(python):
    """Syscalls that create processes during a spawn start, in the parent."""
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as out:
        subprocess.run(["strace", "-f", "-qq", "-o", out.name, "-e", "trace=fork,vfork,clone,clone3",
                        python, CHILD, "spawn"], cwd=PROGRAMS, capture_output=True, timeout=60)
        calls = collections.Counter()
        for line in out.read().splitlines():
            match = re.search(r"\b(fork|vfork|clone3?)\((.*)", line)
            if not match:
                continue
            name = match.group(1)
            if "CLONE_THREAD" in match.group(2):
                name += "(thread)"
            elif "CLONE_VFORK" in match.group(2):
                name += "(CLONE_VFORK)"
            calls[name] += 1
        return dict(calls)


def audit_events(python, method):
    with tempfile.NamedTemporaryFile("r", suffix=".audit") as log:
        env = dict(os.environ, PYTHONPATH=os.path.join(PROGRAMS, "audit_site"),
                   MEASURE_AUDIT_LOG=log.name)
        completed = run(python, [CHILD, method], env=env)
        main_pid = None
        per_role = collections.defaultdict(set)
        lines = log.read().splitlines()
        if lines:
            main_pid = lines[0].split()[0]
        for line in lines:
            pid, event, detail = (line.split(" ", 2) + [""])[:3]
            role = "parent" if pid == main_pid else "children"
            label = event if event not in ("import", "pickle.find_class") else "%s %s" % (event, detail)
            per_role[role].add(label.strip())
        return {role: sorted(events) for role, events in per_role.items()}, completed


def top_level_runs(python, method):
    out = run(python, [CHILD, method]).stdout.decode()
    return out.count("top-level ran as __main__"), out.count("top-level ran as __mp_main__"), \
        re.findall(r"child modules (\d+) (\w+)", out)


def fork_warning(python):
    err = run(python, [CHILD, "fork", "threads"]).stderr.decode()
    err_w = run(python, ["-W", "always", CHILD, "fork", "threads"]).stderr.decode()
    return ("DeprecationWarning" in err, "DeprecationWarning" in err_w,
            (re.findall(r"DeprecationWarning: (.*)", err_w) or [""])[0][:90])


def main(pythons):
    for python in pythons:
        version = run(python, ["-c", "import platform; print(platform.python_version())"]).stdout.decode().strip()
        print("=" * 8, python, version)
        print("ForkingPickler protocol, pickle.DEFAULT_PROTOCOL:", protocol(python))
        for method in ("spawn", "forkserver"):
            print("start-up pickle sizes (%s):" % method, payload_sizes(python, method))
        print("process-creating syscalls for one spawn start:", process_syscalls(python))
        for method in ("spawn", "forkserver", "fork"):
            events, _ = audit_events(python, method)
            print("audit events (%s):" % method, events)
            print("top-level runs as __main__ / __mp_main__, child modules (%s):" % method,
                  top_level_runs(python, method))
        print("fork with a thread: warning shown by default, with -W always, text:", fork_warning(python))
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:] or [sys.executable])
