"""mpscope probe: reports what Python's multiprocessing does to the tracer.

Loaded by src/probe/sitecustomize.py in every process of a traced run
(CPython >= 3.8). install() connects to MPSCOPE_SOCK, says hello, watches the
program's own imports, and arranges for multiprocessing to be observed when
(and only if) the program imports it.
See docs/probe.md for the design and docs/probe-protocol.md for the messages.
"""
import os
import sys

from . import environ, guard, imports, lazy, transport


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
    tally = sys.modules.get(__name__ + ".tally")
    if tally is not None:
        tally.forget_after_fork()
    launch = sys.modules.get(__name__ + ".launch")
    if launch is not None:
        launch.forget_pending()
    _hello(True)


def _is_stale(folder, cache, name):
    """Whether importing name would compile it from source: its bytecode is
    missing, or records another source. The import system checks the
    source's time and size written in the bytecode's header, not the files'
    times, so a copied or installed probe (new times, old bytecode) would
    otherwise be compiled in every interpreter."""
    source = os.stat(os.path.join(folder, name))
    try:
        with open(os.path.join(cache, "%s.%s.pyc" % (name[:-3], sys.implementation.cache_tag)),
                  "rb") as cached:
            header = cached.read(16)
    except OSError:
        return True
    # PEP 552: magic, flags (0: checked by time), source mtime, source size.
    magic = sys.modules["_frozen_importlib_external"].MAGIC_NUMBER
    expected = magic + bytes(4) + b"".join(
        (int(value) & 0xFFFFFFFF).to_bytes(4, "little")
        for value in (source.st_mtime, source.st_size))
    return header != expected


def _cache_bytecode():
    """Compile, once, the modules imported only when the program imports
    multiprocessing. Called at start-up, where sitecustomize.py lets the
    probe write its bytecode even under -B; those later imports run inside
    the program, where its -B must hold, and would otherwise compile them
    from source in every process (~4 ms each time). A read-only probe
    folder is left alone: then they are compiled on each use, as before."""
    folder = os.path.dirname(os.path.abspath(__file__))
    cache = os.path.join(folder, "__pycache__")
    if not os.access(cache, os.W_OK):
        return
    for name in sorted(os.listdir(folder)):
        module = __name__ + "." + name[:-3]
        if name.endswith(".py") and name != "__init__.py" and module not in sys.modules \
                and _is_stale(folder, cache, name):
            __import__(module)


def install(probe_dir, dont_write_bytecode=False):
    """Start the probe (probe_dir: the folder of sitecustomize.py, for the
    children's PYTHONPATH); does nothing when the tracer cannot be reached.
    dont_write_bytecode: the program runs with -B (see _cache_bytecode)."""
    # First: the program must not see what a parent passed the probe.
    environ.take_inherited()
    path = os.environ.get("MPSCOPE_SOCK")
    if not path or not transport.open_connection(path):
        return
    if dont_write_bytecode:
        guard.quietly(_cache_bytecode)
    environ.PROBE_DIR = probe_dir
    _hello(False)
    if os.getppid() == transport.tracer_pid():
        transport.send(transport.make_event("probe.role", {"role": "main"}))
    os.register_at_fork(after_in_child=lambda: guard.quietly(_after_fork_in_child))
    lazy.install()
    imports.install()
