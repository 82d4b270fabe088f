"""The counted pickles in C (_fastpath.c), when this Python can load it.

load() returns the C module configured with the probe's own state (its
guard, the notes of the running load, the tally), or None: under
MPSCOPE_PURE_PROBE=1 (tests/probe sets it), in a Python that cannot load
a stable-ABI extension (a free-threaded or debug build), or when mpscope
was built without Python's headers. The probe then does the same work in Python: pickles.py,
tally.py and audit.py stay the reference, and the C code hands them every
case but the common one (docs/probe.md, "The fast path").
"""
import os

_module = None
_tried = False


def load():
    """The configured C fast path, or None; tried once per process."""
    global _module, _tried
    if not _tried:
        _tried = True
        _module = _configured()
    return _module


def _configured():
    if os.environ.get("MPSCOPE_PURE_PROBE"):
        return None
    try:
        from . import _fastpath
    except ImportError:
        return None
    from . import audit, guard, notes, tally
    _fastpath.configure(guard_local=guard.local, notes_local=notes._local,
                        notes_class=notes.Notes, report_alone=audit.report_alone,
                        open_tally=tally.open_for_fastpath, keep=tally.KEEP,
                        slots=tally.SLOTS)
    tally.use_fastpath(_fastpath)
    return _fastpath
