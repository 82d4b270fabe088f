"""pickle.dump / pickle.load events from multiprocessing's own pickling.

Wraps multiprocessing.reduction.ForkingPickler.dumps (Queue, SimpleQueue,
Pipe/Connection, Pool), ForkingPickler.loads (which is pickle.loads), and
reduction.dump (the spawn/forkserver start-up pickles: preparation data, then
the process object). Errors are recorded with their message and re-raised
unchanged; the program sees the same exception it would see untraced (its
traceback shows one more frame, this wrapper's).
"""
import sys

from . import (audit, classify, fastpath, fdpass, guard, launch, notes, payload, tally,
               transport, wire)

# The events of a Pool or a Queue, filled in directly as bytes: the generic
# encoder (wire.encode) costs ~10 us a message, about as much as the pickling
# it reports. Field for field the same JSON as make_event() + wire.encode();
# the unit tests compare the two.
_DUMP = (b'{"kind":"pickle.dump","t":%d,"pid":%d,"what":%b,"type":%b,'
         b'"size":%d,"bytes":"%b","truncated":%b,"redacted":%b%b}')
_LOAD = (b'{"kind":"pickle.load","t":%d,"pid":%d,"what":%b%b,'
         b'"size":%d,"bytes":"%b","truncated":%b,"redacted":%b%b}')
_JSON_BOOL = {True: b"true", False: b"false"}
# The guard's per-thread state, read directly on the hot path: one attribute
# instead of a call to guard.busy().
_guard = guard.local


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
        if noted.lookups:
            parts.append(b',"globals":[' + b",".join(map(wire.json_bytes, noted.global_names()))
                         + b"]")
        if noted.refs:
            parts.append(b',"pickle_refs":' + wire.encode(noted.refs))
    return b"".join(parts)


def _send_lookups(held, event=None):
    """Send the encoded find_class events held (and then event, if any) in
    as few packets as fit."""
    batch, size = [], 0
    for message in held:
        if batch and size + len(message) + 1 > transport.MAX_PACKET:
            transport.send_encoded(b"\n".join(batch), len(batch))
            batch, size = [], 0
        batch.append(message)
        size += len(message) + 1
    if event is not None and size + len(event) <= transport.MAX_PACKET:
        batch.append(event)
        event = None
    if batch:
        transport.send_encoded(b"\n".join(batch), len(batch))
    if event is not None:
        transport.send_encoded(event)


def send_with_held(noted, event):
    """Send event (encoded) after the find_class events noted during its
    call: one packet, newline-separated, when it fits."""
    if noted is None or not noted.lookups:
        transport.send_encoded(event)
        return
    held = audit.encoded_lookups(noted)
    noted.lookups.clear()
    _send_lookups(held, event)


def _report_dump(started, obj, data, exc, caller, noted, what=None):
    if what is None:
        what = classify.what_of(obj, caller)
    if launch.is_holding():
        # A spawn/forkserver start-up pickle: held as a dict until the
        # child's pid is known, then sent with "to" (launch.py). Globals
        # looked up meanwhile (a __reduce__ that unpickles) go now.
        fields = {"what": what, "type": classify.type_name(obj)}
        fields.update(payload.describe(data))
        if exc is not None:
            fields["error"] = _error_text(exc)
        fields.update(notes.fields(noted))
        if noted is not None and noted.lookups:
            held = audit.encoded_lookups(noted)
            noted.lookups.clear()
            _send_lookups(held)
        launch.deliver(transport.make_event("pickle.dump", fields, started))
        return
    size, encoded, is_truncated, is_redacted = payload.capture(data)
    send_with_held(noted, _DUMP % (
        started, transport.pid, wire.json_bytes(what), wire.json_bytes(classify.type_name(obj)),
        size, encoded, _JSON_BOOL[is_truncated], _JSON_BOOL[is_redacted],
        _optional_fields(exc, noted)))


def report_load(started, data, result, exc, caller, noted, sender=0, extra_keys=(), what=None):
    """Send a pickle.load event for data (the bytes the program unpickled)."""
    if exc is None:
        if what is None:
            what = classify.what_of(result, caller)
        what = wire.json_bytes(what)
        type_field = b',"type":' + wire.json_bytes(classify.type_name(result))
    else:
        what = b'"other"'
        type_field = b""
    size, encoded, is_truncated, is_redacted = payload.capture(data, extra_keys)
    send_with_held(noted, _LOAD % (
        started, transport.pid, what, type_field,
        size, encoded, _JSON_BOOL[is_truncated], _JSON_BOOL[is_redacted],
        _optional_fields(exc, noted, sender)))


# What pickles are for, as slots of the tally (tally.py), by direction.
_DUMP_SLOT = {what: tally.slot(what, tally.DUMP) for what in tally.WHATS}
_LOAD_SLOT = {what: tally.slot(what, tally.LOAD) for what in tally.WHATS}


def _caller_what(depth):
    """What an object of no known shape is for, from the frame that called
    dumps/loads (depth frames above this one's caller). Fetched only then:
    sys._getframe raises an audit event, which runs the probe's hook."""
    return classify.by_caller(sys._getframe(depth + 1))


def _wrap_dumps(original):
    def dumps(cls, *args, **kwargs):
        if _guard.busy:
            return original(cls, *args, **kwargs)
        obj = args[0] if args else kwargs.get("obj")
        try:
            what = classify.shape(obj) or _caller_what(1)
            index = _DUMP_SLOT[what]
            counted = tally.take(index)
        except Exception:
            what, counted = None, False
        if counted:
            # Only counted: the pickling runs alone, and a failure (rare,
            # worth its event) is reported in full.
            try:
                result = original(cls, *args, **kwargs)
            except Exception as exc:
                guard.quietly(_report_dump, transport.clock(), obj, b"", exc, sys._getframe(1),
                              None, what)
                raise
            tally.add(index, len(result))
            return result
        started = transport.clock()
        caller = sys._getframe(1)
        previous = notes.begin()
        try:
            result = original(cls, *args, **kwargs)
        except Exception as exc:
            guard.quietly(_report_dump, started, obj, b"", exc, caller, notes.end(previous), what)
            raise
        guard.quietly(_report_dump, started, obj, result, None, caller, notes.end(previous), what)
        return result
    return _faster(original, dumps, _dump_failed)


def _dump_failed(started, obj, exc, what):
    """The C fast path's counted dump failed: reported in full, as above."""
    guard.quietly(_report_dump, started, obj, b"", exc, sys._getframe(1), None, tally.WHATS[what])


def _wrap_loads(original):
    def loads(*args, **kwargs):
        if _guard.busy:
            return original(*args, **kwargs)
        data = args[0] if args else kwargs.get("data")
        started = transport.clock()
        previous = notes.begin()
        try:
            result = original(*args, **kwargs)
        except Exception as exc:
            guard.quietly(report_load, started, data, None, exc, sys._getframe(1),
                          notes.end(previous))
            raise
        finish_load(started, data, result, notes.end(previous), 2)
        return result
    return _faster(original, loads, _load_failed, finish_load)


def finish_load(started, data, result, noted, depth=1):
    """After a load: count it, or send it in full with the lookups noted
    during it. What a load is for is known only once it is loaded, so its
    lookups were noted raw meanwhile, and are dropped when it is counted.
    depth: frames between this call and the program's call of loads."""
    try:
        what = classify.shape(result) or _caller_what(depth)
        index = _LOAD_SLOT[what]
        if tally.take(index):
            tally.add(index, payload.size_of(data))
            return
    except Exception:
        what = None
    guard.quietly(report_load, started, data, result, None, sys._getframe(depth), noted, 0, (),
                  what)


def _load_failed(started, data, exc, noted):
    """The C fast path's load failed: reported in full, as above."""
    guard.quietly(report_load, started, data, None, exc, sys._getframe(1), noted)


def _faster(original, wrapper, on_error, finish=None):
    """wrapper itself, or the C fast path in front of it when it is here."""
    fast = fastpath.load()
    if fast is None:
        return wrapper
    return fast.Wrapper(original, wrapper, on_error, finish)


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
