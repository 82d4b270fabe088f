"""pickle.find_class events from CPython's audit hook (3.8+).

Every unpickled global (`GLOBAL '__main__ f'` / STACK_GLOBAL) raises the
audit event "pickle.find_class" with (module, name) just before the lookup.
The hook is added only once multiprocessing.reduction is imported, because an
audit hook is called for every audited operation of the process and cannot
be removed; the first comparison makes the other events cheap.
"""
import sys

from . import guard, notes, transport, wire

_is_installed = False
_FIND_CLASS = b'{"kind":"pickle.find_class","t":%d,"pid":%d,%b}'
# (module, name) -> its '"module":...,"name":...' JSON. A Pool worker looks up
# the same two or three globals for every task.
_named = {}
_NAMED_LIMIT = 4096


def _report(module, name):
    noted = notes.note_global(module, name)
    fields = _named.get((module, name))
    if fields is None:
        if len(_named) >= _NAMED_LIMIT:
            _named.clear()
        fields = _named[module, name] = b'"module":%b,"name":%b' % (
            wire.encode(module), wire.encode(name))
    event = _FIND_CLASS % (transport.clock(), transport.pid, fields)
    if noted is None:
        # The program's own pickle.loads: no enclosing event to ride with.
        transport.send_encoded(event)
        return
    # Inside a probed load: the event leaves in the same packet as the load
    # (pickles.send_with_held), one send instead of one per global. A load
    # that looks up thousands of globals sends them in packets of ~32 KiB.
    noted.held.append(event)
    noted.held_size += len(event) + 1
    if noted.held_size > transport.BATCH_SIZE:
        transport.send_encoded(b"\n".join(noted.held), len(noted.held))
        noted.held.clear()
        noted.held_size = 0


def _hook(event, args):
    # Called for every audit event of the process (open, exec, import,
    # socket.*, ...): the one string comparison is all the others pay.
    if event != "pickle.find_class" or guard.busy():
        return
    guard.quietly(_report, str(args[0]), str(args[1]))


def install():
    global _is_installed
    if not _is_installed:
        sys.addaudithook(_hook)
        _is_installed = True
