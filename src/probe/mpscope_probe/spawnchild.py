"""The spawn/forkserver child: its start-up pickles and its re-import of main.

spawn._main reads the preparation data and the process object with
`reduction.pickle.load(from_parent)` (3.8-3.13), not through ForkingPickler,
so the probe gives spawn.py a view of `reduction` whose pickle.load records
the bytes it reads (without a peek method the Unpickler reads exactly one
pickle, and the next load gets the rest, as untraced).

The child's re-import of the main script as __mp_main__ raises no `import`
audit event in 3.11 (only open/exec of the file), so the probe reports it
around spawn._fixup_main_from_path / _fixup_main_from_name.
"""
import os
import sys

from . import fdpass, guard, imports, notes, patching, pickles, transport


class _ModuleView:
    """Every attribute of module, except the given replacements."""

    def __init__(self, module, **replacements):
        self.__dict__.update(replacements)
        self._module = module

    def __getattr__(self, name):
        return getattr(self._module, name)


class _RecordingReader:
    """A file for the Unpickler that keeps a copy of what is read."""

    def __init__(self, file):
        self._file = file
        self.chunks = []

    def read(self, *args):
        data = self._file.read(*args)
        self.chunks.append(bytes(data))
        return data

    def readline(self, *args):
        data = self._file.readline(*args)
        self.chunks.append(bytes(data))
        return data

    def readinto(self, buffer):
        count = self._file.readinto(buffer)
        if count:
            self.chunks.append(bytes(memoryview(buffer)[:count]))
        return count


def _sender():
    # A forkserver child's start-up pickles come from the client that asked
    # the server for it; a spawn child's from its parent.
    return fdpass.last_sender or os.getppid()


def _prep_authkey(result):
    # The preparation data carries the parent's authkey, which is not yet
    # this process's own authkey when it is read.
    if isinstance(result, dict) and isinstance(result.get("authkey"), (bytes, bytearray)):
        return (bytes(result["authkey"]),)
    return ()


def _make_recording_load(original):
    def load(file, *args, **kwargs):
        if guard.busy():
            return original(file, *args, **kwargs)
        started = transport.clock()
        reader = _RecordingReader(file)
        previous = notes.begin()
        try:
            result = original(reader, *args, **kwargs)
        except Exception as exc:
            guard.quietly(pickles.report_load, started, b"".join(reader.chunks), None, exc,
                          None, notes.end(previous), _sender())
            raise
        guard.quietly(pickles.report_load, started, b"".join(reader.chunks), result, None,
                      None, notes.end(previous), _sender(), _prep_authkey(result))
        return result
    return load


def _report_main_import(started, before, path, by):
    module = sys.modules.get("__mp_main__")
    if module is None or module is before:
        return
    transport.send(transport.make_event("import", {
        "module": "__mp_main__", "file": path or getattr(module, "__file__", None),
        "by": by}, started))


def _wrap_fixup(original):
    # The program's own modules the script imports meanwhile are reported
    # by imports.py, with by = "__mp_main__", and stamped after `started`.
    def fixup(*args, **kwargs):
        if guard.busy():
            return original(*args, **kwargs)
        started = transport.clock()
        before = sys.modules.get("__mp_main__")
        path = args[0] if args and original.__name__.endswith("_path") else None
        by = guard.quietly(imports.importer, sys._getframe(1))
        try:
            return original(*args, **kwargs)
        finally:
            guard.quietly(_report_main_import, started, before, path, by)
    return fixup


def patch_spawn(spawn):
    reduction = getattr(spawn, "reduction", None)
    if reduction is None or not hasattr(reduction, "pickle"):
        patching.report_missing("multiprocessing.spawn.reduction.pickle")
    else:
        pickle_view = _ModuleView(reduction.pickle,
                                  load=_make_recording_load(reduction.pickle.load))
        spawn.reduction = _ModuleView(reduction, pickle=pickle_view)
    patching.wrap(spawn, "_fixup_main_from_path", _wrap_fixup)
    patching.wrap(spawn, "_fixup_main_from_name", _wrap_fixup)
