"""pickle.find_class events from CPython's audit hook (3.8+).

Every unpickled global (`GLOBAL '__main__ f'` / STACK_GLOBAL) raises the
audit event "pickle.find_class" with (module, name) just before the lookup.
The hook is added only once multiprocessing.reduction is imported, because an
audit hook is called for every audited operation of the process and cannot
be removed; the first comparison makes the other events cheap.
"""
import sys

from . import guard, notes, transport

_is_installed = False


def _report(module, name):
    notes.note_global(module, name)
    transport.send(transport.make_event("pickle.find_class", {"module": module, "name": name}))


def _hook(event, args):
    if event != "pickle.find_class" or guard.busy():
        return
    guard.quietly(_report, str(args[0]), str(args[1]))


def install():
    global _is_installed
    if not _is_installed:
        sys.addaudithook(_hook)
        _is_installed = True
