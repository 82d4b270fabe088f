"""What happened while one pickle was being made or read, per thread.

While the program pickles or unpickles, other probe hooks run inside that
call: find_class lookups (audit hook) and resource_sharer registrations. They
note what they saw here, and the pickle event that encloses them carries it:
`globals` for the names looked up, `pickle_refs` for descriptors that will
travel separately (docs/probe-protocol.md, "Correlation keys").
"""
import _thread


class _Local(_thread._local):
    # Class-level defaults: a missing thread-local attribute makes getattr()
    # raise and catch AttributeError, ~0.3 us on every pickle call.
    current = None


_local = _Local()


class Notes:
    # held: encoded pickle.find_class events raised during this call, sent
    # in one packet with the call's own pickle event (audit.py, pickles.py).
    __slots__ = ("globals", "refs", "held", "held_size")

    def __init__(self):
        self.globals = []
        self.refs = []
        self.held = []
        self.held_size = 0


def begin():
    """Start collecting for a pickle call; returns the previous collector."""
    previous = _local.current
    _local.current = Notes()
    return previous


def end(previous):
    """Stop collecting; returns what was noted and restores previous."""
    notes = _local.current
    _local.current = previous
    return notes


def note_global(module, name):
    """Note a looked-up global; returns the enclosing call's Notes (or None
    outside a pickle call), where its find_class event may wait."""
    notes = _local.current
    if notes is not None:
        notes.globals.append((module, name))  # hashable: wire.json_bytes caches it
    return notes


def note_ref(ref):
    notes = _local.current
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
