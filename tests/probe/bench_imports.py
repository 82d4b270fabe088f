"""Measure what the probe's import watching (imports.py) costs per import.

    python3 tests/probe/bench_imports.py [--mpscope build/mpscope] [PYTHON...]
Makes N small modules twice: the program's own (next to the script, each
reported as an import event) and installed ones (under a site-packages
folder: searched once by the probe, not reported). A script imports one
set, timing the imports itself, with and without the probe; the best of
several runs is kept. Prints microseconds per import for each case and the
difference the probe makes. The probe's messages go to receiver.py, or with
--mpscope to the real tracer (`run --no-ptrace`): the Python receiver
shares the CPU with the program and overstates the cost of a message.
"""
import os
import shutil
import subprocess
import sys
import tempfile

import receiver

MODULES = 400
RUNS = 9

SCRIPT = """\
import sys, time
prefix = sys.argv[1]
names = [prefix + "%d" % i for i in range(int(sys.argv[2]))]
started = time.perf_counter()
for name in names:
    __import__(name)
print((time.perf_counter() - started) / len(names) * 1e6)
"""


def _make(folder, prefix):
    os.makedirs(folder, exist_ok=True)
    for i in range(MODULES):
        with open(os.path.join(folder, "%s%d.py" % (prefix, i)), "w") as f:
            f.write("VALUE = %d\n" % i)


def _best(python, script, prefix, env, cwd, mpscope=None):
    argv = [python, script, prefix, str(MODULES)]
    if mpscope:
        trace = os.path.join(cwd, "trace.json")
        argv = [mpscope, "run", "--no-ui", "--no-ptrace", "--python", python, "-o", trace,
                script, prefix, str(MODULES)]
    times = []
    for _ in range(RUNS):
        out = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, check=True).stdout
        times.append(float(out.split()[0]))
    return min(times)


def main(pythons, mpscope=None):
    folder = tempfile.mkdtemp(prefix="mpscope-bench-imports-")
    try:
        installed = os.path.join(folder, "lib", "site-packages")
        _make(folder, "own_")
        _make(installed, "pkg_")
        script = os.path.join(folder, "importer.py")
        with open(script, "w") as f:
            f.write(SCRIPT)
        for python in pythons:
            plain = dict(os.environ, PYTHONPATH=installed)
            with receiver.Receiver() as sink:
                traced = receiver.probe_env(sink.path, extra={"PYTHONPATH": installed})
                print("==", python)
                cases = (("own_", "own (reported)"), ("pkg_", "installed (searched, not reported)"))
                for prefix, what in cases:
                    # One run first, untimed: writes the modules' bytecode.
                    _best(python, script, prefix, plain, folder)
                    untraced = _best(python, script, prefix, plain, folder)
                    if mpscope:
                        probed = _best(python, script, prefix, plain, folder, mpscope)
                    else:
                        probed = _best(python, script, prefix, traced, folder)
                    print("  %-36s untraced %6.1f us  probe %6.1f us  (+%.1f us an import)"
                          % (what, untraced, probed, probed - untraced))
                sink.wait_quiet()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    tracer = None
    if args[:1] == ["--mpscope"]:
        tracer, args = os.path.abspath(args[1]), args[2:]
    main(args or [sys.executable], tracer)
