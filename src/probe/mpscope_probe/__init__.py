"""mpscope probe: reports what Python's multiprocessing does to the tracer.

Loaded by src/probe/sitecustomize.py in every process of a traced run
(CPython >= 3.8). install() connects to MPSCOPE_SOCK, says hello, and arranges
for multiprocessing to be observed when (and only if) the program imports it.
See docs/probe.md for the design and docs/probe-protocol.md for the messages.
"""
import os
import sys

from . import environ, guard, lazy, transport


def _hello(is_forked):
    transport.send(transport.make_event("probe.hello", {
        "python": "%d.%d.%d" % sys.version_info[:3],
        "executable": sys.executable,
        "argv": list(getattr(sys, "argv", [])),
        "ppid": os.getppid(),
        "forked": is_forked,
    }))


def _after_fork_in_child():
    transport.reopen_after_fork()
    launch = sys.modules.get(__name__ + ".launch")
    if launch is not None:
        launch.forget_pending()
    _hello(True)


def install(probe_dir):
    """Start the probe (probe_dir: the folder of sitecustomize.py, for the
    children's PYTHONPATH); does nothing when the tracer cannot be reached."""
    path = os.environ.get("MPSCOPE_SOCK")
    if not path or not transport.open_connection(path):
        return
    environ.PROBE_DIR = probe_dir
    _hello(False)
    if os.getppid() == transport.tracer_pid():
        transport.send(transport.make_event("probe.role", {"role": "main"}))
    os.register_at_fork(after_in_child=lambda: guard.quietly(_after_fork_in_child))
    lazy.install()
