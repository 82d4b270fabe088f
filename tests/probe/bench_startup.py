"""Measure the probe's start-up cost: `PYTHON -c pass` with and without it.

    python3 tests/probe/bench_startup.py [PYTHON...]
Needs hyperfine. Prints hyperfine's summary for each interpreter, then the
probe's own modules from -X importtime (microseconds, cumulative).
"""
import os
import subprocess
import sys

import receiver


def main(pythons):
    with receiver.Receiver() as rec:
        traced_env = receiver.probe_env(rec.path, "spawn")
        for python in pythons:
            print("==", python, flush=True)
            subprocess.run(["hyperfine", "-N", "--warmup", "10", "--runs", "60", "--style", "basic",
                            "-n", "untraced", "%s -c pass" % python,
                            "-n", "probe", "env PYTHONPATH=%s MPSCOPE_SOCK=%s MPSCOPE_METHOD=spawn %s -c pass"
                            % (traced_env["PYTHONPATH"], rec.path, python)], check=False)
            importtime = subprocess.run([python, "-X", "importtime", "-c", "pass"], env=traced_env,
                                        stderr=subprocess.PIPE, check=False).stderr.decode()
            for line in importtime.splitlines():
                if "mpscope_probe" in line or "sitecustomize" in line:
                    print("  " + line.strip())


if __name__ == "__main__":
    main(sys.argv[1:] or [sys.executable])
