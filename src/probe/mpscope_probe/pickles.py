"""pickle.dump / pickle.load events from multiprocessing's own pickling.

Wraps multiprocessing.reduction.ForkingPickler.dumps (Queue, SimpleQueue,
Pipe/Connection, Pool), ForkingPickler.loads (which is pickle.loads), and
reduction.dump (the spawn/forkserver start-up pickles: preparation data, then
the process object). Errors are recorded with their message and re-raised
unchanged; the program sees the same exception it would see untraced (its
traceback shows one more frame, this wrapper's).
"""
import sys

from . import audit, classify, fdpass, guard, launch, notes, payload, transport, wire

# The events of a Pool or a Queue, filled in directly as bytes: the generic
# encoder (wire.encode) costs ~10 us a message, about as much as the pickling
# it reports. Field for field the same JSON as make_event() + wire.encode();
# the unit tests compare the two.
_DUMP = (b'{"kind":"pickle.dump","t":%d,"pid":%d,"what":%b,"type":%b,'
         b'"size":%d,"bytes":"%b","truncated":%b,"redacted":%b%b}')
_LOAD = (b'{"kind":"pickle.load","t":%d,"pid":%d,"what":%b%b,'
         b'"size":%d,"bytes":"%b","truncated":%b,"redacted":%b%b}')
_JSON_BOOL = {True: b"true", False: b"false"}


def _error_text(exc):
    return "%s: %s" % (type(exc).__name__, exc)


def _optional_fields(exc, noted, sender=0):
    """The JSON of the fields an event has only sometimes, each with its
    leading comma: error, from, globals, pickle_refs."""
    parts = []
    if exc is not None:
        parts.append(b',"error":' + wire.encode(_error_text(exc)))
    if sender:
        parts.append(b',"from":%d' % sender)
    if noted is not None:
        if noted.globals:
            parts.append(b',"globals":[' + b",".join(map(wire.json_bytes, noted.globals)) + b"]")
        if noted.refs:
            parts.append(b',"pickle_refs":' + wire.encode(noted.refs))
    return b"".join(parts)


def send_with_held(noted, event):
    """Send event (encoded) together with the find_class events held in
    noted: one packet, newline-separated, when it fits."""
    if noted is None or not noted.held:
        transport.send_encoded(event)
        return
    count = len(noted.held)
    held = b"\n".join(noted.held)
    noted.held.clear()
    noted.held_size = 0
    if len(held) + 1 + len(event) <= transport.MAX_PACKET:
        transport.send_encoded(held + b"\n" + event, count + 1)
    else:
        transport.send_encoded(held, count)
        transport.send_encoded(event)


def _report_dump(started, obj, data, exc, caller, noted):
    what = classify.what_of(obj, caller)
    if launch.is_holding():
        # A spawn/forkserver start-up pickle: held as a dict until the
        # child's pid is known, then sent with "to" (launch.py). Globals
        # looked up meanwhile (a __reduce__ that unpickles) go now.
        if noted is not None and noted.held:
            transport.send_encoded(b"\n".join(noted.held), len(noted.held))
            noted.held.clear()
            noted.held_size = 0
        fields = {"what": what, "type": classify.type_name(obj)}
        fields.update(payload.describe(data))
        if exc is not None:
            fields["error"] = _error_text(exc)
        fields.update(notes.fields(noted))
        launch.deliver(transport.make_event("pickle.dump", fields, started))
        return
    size, encoded, is_truncated, is_redacted = payload.capture(data)
    send_with_held(noted, _DUMP % (
        started, transport.pid, wire.json_bytes(what), wire.json_bytes(classify.type_name(obj)),
        size, encoded, _JSON_BOOL[is_truncated], _JSON_BOOL[is_redacted],
        _optional_fields(exc, noted)))


def report_load(started, data, result, exc, caller, noted, sender=0, extra_keys=()):
    """Send a pickle.load event for data (the bytes the program unpickled)."""
    if exc is None:
        what = wire.json_bytes(classify.what_of(result, caller))
        type_field = b',"type":' + wire.json_bytes(classify.type_name(result))
    else:
        what = b'"other"'
        type_field = b""
    size, encoded, is_truncated, is_redacted = payload.capture(data, extra_keys)
    send_with_held(noted, _LOAD % (
        started, transport.pid, what, type_field,
        size, encoded, _JSON_BOOL[is_truncated], _JSON_BOOL[is_redacted],
        _optional_fields(exc, noted, sender)))


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
