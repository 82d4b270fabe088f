"""What happened while one pickle was being made or read, per thread.

While the program pickles or unpickles, other probe hooks run inside that
call: find_class lookups (audit hook) and resource_sharer registrations. They
note what they saw here, and the pickle event that encloses them carries it:
`globals` for the names looked up, `pickle_refs` for descriptors that will
travel separately (docs/probe-protocol.md, "Correlation keys").
"""
import _thread

_local = _thread._local()


class Notes:
    __slots__ = ("globals", "refs")

    def __init__(self):
        self.globals = []
        self.refs = []


def begin():
    """Start collecting for a pickle call; returns the previous collector."""
    previous = getattr(_local, "current", None)
    _local.current = Notes()
    return previous


def end(previous):
    """Stop collecting; returns what was noted and restores previous."""
    notes = getattr(_local, "current", None)
    _local.current = previous
    return notes


def note_global(module, name):
    notes = getattr(_local, "current", None)
    if notes is not None:
        notes.globals.append([module, name])


def note_ref(ref):
    notes = getattr(_local, "current", None)
    if notes is not None and ref:
        notes.refs.append(ref)


def fields(notes):
    """Event fields for what was noted (may be empty)."""
    out = {}
    if notes is None:
        return out
    if notes.globals:
        out["globals"] = notes.globals
    if notes.refs:
        out["pickle_refs"] = notes.refs
    return out
