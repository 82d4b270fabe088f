"""What happened while one pickle was being made or read, per thread.

While the program pickles or unpickles, other probe hooks run inside that
call: find_class lookups (audit hook) and resource_sharer registrations. They
note what they saw here, and the pickle event that encloses them carries it:
`globals` for the names looked up, `pickle_refs` for descriptors that will
travel separately (docs/probe-protocol.md, "Correlation keys").

A lookup is noted raw, as (time, module, name), and becomes a
pickle.find_class event only when its pickle is sent in full (audit.py):
the pickles that are only counted (tally.py) pay one list append a lookup.
"""
import _thread


class _Local(_thread._local):
    # Class-level defaults: a missing thread-local attribute makes getattr()
    # raise and catch AttributeError, ~0.3 us on every pickle call.
    current = None


_local = _Local()


class Notes:
    __slots__ = ("lookups", "refs")

    def __init__(self):
        self.lookups = []  # (time, module, name) of each find_class
        self.refs = []

    def global_names(self):
        """The (module, name) pairs looked up, in order; hashable, so
        wire.json_bytes caches their JSON."""
        return [(str(module), str(name)) for _, module, name in self.lookups]


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


def current():
    """The Notes of the pickle call running on this thread, or None."""
    return _local.current


def note_ref(ref):
    notes = _local.current
    if notes is not None and ref:
        notes.refs.append(ref)


def fields(notes):
    """Event fields for what was noted (may be empty)."""
    out = {}
    if notes is None:
        return out
    if notes.lookups:
        out["globals"] = notes.global_names()
    if notes.refs:
        out["pickle_refs"] = notes.refs
    return out
