"""pickle.dump / pickle.load events from multiprocessing's own pickling.

Wraps multiprocessing.reduction.ForkingPickler.dumps (Queue, SimpleQueue,
Pipe/Connection, Pool), ForkingPickler.loads (which is pickle.loads), and
reduction.dump (the spawn/forkserver start-up pickles: preparation data, then
the process object). Errors are recorded with their message and re-raised
unchanged; the program sees the same exception it would see untraced (its
traceback shows one more frame, this wrapper's).
"""
import sys

from . import audit, classify, fdpass, guard, launch, notes, payload, transport


def _error_text(exc):
    return "%s: %s" % (type(exc).__name__, exc)


def _report_dump(started, obj, data, exc, caller, noted):
    fields = {"what": classify.what_of(obj, caller), "type": classify.type_name(obj)}
    fields.update(payload.describe(data))
    if exc is not None:
        fields["error"] = _error_text(exc)
    fields.update(notes.fields(noted))
    launch.deliver(transport.make_event("pickle.dump", fields, started))


def report_load(started, data, result, exc, caller, noted, sender=0, extra_keys=()):
    """Send a pickle.load event for data (the bytes the program unpickled)."""
    if exc is None:
        fields = {"what": classify.what_of(result, caller), "type": classify.type_name(result)}
    else:
        fields = {"what": "other", "error": _error_text(exc)}
    if sender:
        fields["from"] = sender
    fields.update(payload.describe(data, extra_keys))
    fields.update(notes.fields(noted))
    transport.send(transport.make_event("pickle.load", fields, started))


def _wrap_dumps(original):
    def dumps(cls, *args, **kwargs):
        if guard.busy():
            return original(cls, *args, **kwargs)
        obj = args[0] if args else kwargs.get("obj")
        caller = sys._getframe(1)
        started = transport.clock()
        previous = notes.begin()
        try:
            result = original(cls, *args, **kwargs)
        except Exception as exc:
            guard.quietly(_report_dump, started, obj, b"", exc, caller, notes.end(previous))
            raise
        guard.quietly(_report_dump, started, obj, result, None, caller, notes.end(previous))
        return result
    return dumps


def _wrap_loads(original):
    def loads(*args, **kwargs):
        if guard.busy():
            return original(*args, **kwargs)
        data = args[0] if args else kwargs.get("data")
        caller = sys._getframe(1)
        started = transport.clock()
        previous = notes.begin()
        try:
            result = original(*args, **kwargs)
        except Exception as exc:
            guard.quietly(report_load, started, data, None, exc, caller, notes.end(previous))
            raise
        guard.quietly(report_load, started, data, result, None, caller, notes.end(previous))
        return result
    return loads


class _RecordingWriter:
    """A file for the Pickler that keeps a copy of what is written."""

    def __init__(self, file):
        self._file = file
        self.chunks = []

    def write(self, data):
        self.chunks.append(bytes(data))
        return self._file.write(data)


def _wrap_dump(original):
    def dump(obj, file, *args, **kwargs):
        if guard.busy():
            return original(obj, file, *args, **kwargs)
        caller = sys._getframe(1)
        started = transport.clock()
        recorder = _RecordingWriter(file)
        previous = notes.begin()
        try:
            result = original(obj, recorder, *args, **kwargs)
        except Exception as exc:
            guard.quietly(_report_dump, started, obj, b"".join(recorder.chunks), exc,
                          caller, notes.end(previous))
            raise
        guard.quietly(_report_dump, started, obj, b"".join(recorder.chunks), None,
                      caller, notes.end(previous))
        return result
    return dump


def patch_reduction(reduction):
    from . import patching
    patching.wrap(reduction.ForkingPickler, "dumps", _wrap_dumps)
    patching.wrap(reduction.ForkingPickler, "loads", _wrap_loads)
    patching.wrap(reduction, "dump", _wrap_dump)
    fdpass.patch_reduction(reduction)
    audit.install()
