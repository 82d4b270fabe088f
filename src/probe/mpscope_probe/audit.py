"""pickle.find_class events from CPython's audit hook (3.8+).

Every unpickled global (`GLOBAL '__main__ f'` / STACK_GLOBAL) raises the
audit event "pickle.find_class" with (module, name) just before the lookup.
The hook is added only once multiprocessing.reduction is imported, because an
audit hook is called for every audited operation of the process and cannot
be removed; the first comparison makes the other events cheap.

Inside a probed load the lookup is only noted (notes.py); it is sent, in the
same packets as the load's own event, when that load is sent in full
(pickles.send_with_held). A lookup outside any probed load (the program's
own pickle.loads) is sent at once.
"""
import sys

from . import guard, notes, transport, wire

_is_installed = False
_FIND_CLASS = b'{"kind":"pickle.find_class","t":%d,"pid":%d,%b}'
# (module, name) -> its '"module":...,"name":...' JSON. A Pool worker looks up
# the same two or three globals for every task.
_named = {}
_NAMED_LIMIT = 4096


def _named_fields(module, name):
    fields = _named.get((module, name))
    if fields is None:
        if len(_named) >= _NAMED_LIMIT:
            _named.clear()
        fields = _named[module, name] = b'"module":%b,"name":%b' % (
            wire.encode(str(module)), wire.encode(str(name)))
    return fields


def encoded_lookups(noted):
    """The pickle.find_class events of the lookups noted, encoded."""
    pid = transport.pid
    return [_FIND_CLASS % (t, pid, _named_fields(module, name))
            for t, module, name in noted.lookups]


def _report_alone(module, name):
    transport.send_encoded(_FIND_CLASS % (transport.clock(), transport.pid,
                                          _named_fields(module, name)))


def report_alone(module, name):
    """Send a lookup made outside any probed load, at once."""
    guard.quietly(_report_alone, module, name)


def _hook(event, args):
    # Called for every audit event of the process (open, exec, import,
    # socket.*, ...): the one string comparison is all the others pay.
    # _fastpath.find_class_hook does the same in C.
    if event != "pickle.find_class" or guard.busy():
        return
    noted = notes.current()
    if noted is not None:
        noted.lookups.append((transport.clock(), args[0], args[1]))
        return
    report_alone(args[0], args[1])


def install():
    global _is_installed
    if not _is_installed:
        from . import fastpath
        fast = fastpath.load()
        sys.addaudithook(_hook if fast is None else fast.find_class_hook)
        _is_installed = True
