"""import events for the program's own modules, with the module that caused them.

The classic question "can the child call randomfunction() from helper.py?"
is answered by watching the child import helper. A meta path finder, placed
right after lazy.py's, asks the finders behind it for the module's spec (so
the search runs once, exactly as untraced, and its spec is what the import
system gets) and reports the module when its origin is a file outside the
standard library, site-packages/dist-packages and the probe. A package
judged foreign once makes its submodules cost one set lookup, no search.

Only real imports are reported: the finder's caller must be the import
system's _find_and_load_unlocked (importlib.util.find_spec and friends only
look). `by` is the module whose code ran the import statement: the first
frame up the stack that belongs neither to importlib nor to the probe
("__main__", "__mp_main__" in a child re-importing the script, "helper"
for an import inside helper.py).
"""
import os
import sys

from . import guard, lazy, transport

_STDLIB = getattr(sys, "_stdlib_dir", None) or os.path.dirname(os.__file__)
# The probe's folder (sitecustomize.py is there too), spelled as on
# sys.path; its absolute spelling is checked as well.
_PROBE = os.path.dirname(os.path.dirname(__file__))
# Origins under these are never the program's. Installed packages are
# recognised by a path part.
_FOREIGN_PREFIXES = (
    _STDLIB + os.sep,
    _PROBE + os.sep,
    os.path.abspath(_PROBE) + os.sep,
    os.path.join(sys.base_prefix, "lib", "python%d%d.zip" % sys.version_info[:2]),
)
_INSTALLED_PARTS = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep)

# Top-level names whose modules were found outside the program: their
# submodules are foreign too and are not searched again.
_foreign_tops = set()


def is_own_origin(origin):
    """True for a module file of the program, not of Python or a package."""
    if not origin or not os.path.isabs(origin) or origin.startswith(_FOREIGN_PREFIXES):
        return False
    return not any(part in origin for part in _INSTALLED_PARTS)


def _is_skipped(name):
    # The import system (frozen as importlib._bootstrap*), importlib's own
    # import_module, and the probe.
    return (name == "importlib" or name.startswith(("importlib.", "_frozen_importlib"))
            or name.startswith(__package__ + "."))


def importer(frame):
    """__name__ of the module whose code runs at frame or above it,
    skipping the import system's and the probe's frames; None if none."""
    while frame is not None:
        name = frame.f_globals.get("__name__")
        if not isinstance(name, str):
            return None
        if not _is_skipped(name):
            return name
        frame = frame.f_back
    return None


def _report(fullname, origin, started, search):
    """search: the frame of the import system's _find_spec."""
    # _find_spec <- _find_and_load_unlocked for an import (3.8-3.13);
    # importlib.util.find_spec, reload() and pkgutil only look.
    if search.f_back is None or search.f_back.f_code.co_name != "_find_and_load_unlocked":
        return
    transport.send(transport.make_event("import", {
        "module": fullname, "file": origin, "by": importer(search)}, started))


class ReportOwnImports:
    """Meta path finder: finds through the finders behind it, reports own modules."""

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition(".")[0]
        if top in _foreign_tops or guard.busy():
            return None
        meta_path = sys.meta_path
        try:
            behind = meta_path[meta_path.index(self) + 1:]
        except ValueError:
            return None
        # A finder without find_spec is handled by the import system's own
        # fallback (3.8-3.11): leave the whole search to it.
        for finder in behind:
            if not hasattr(finder, "find_spec"):
                return None
        started = transport.clock()
        for finder in behind:
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        # The search above is the program's own (its errors are the
        # program's); judging what it found is the probe's.
        guard.quietly(_judge, fullname, top, spec, started, sys._getframe(1))
        return spec


def _judge(fullname, top, spec, started, search):
    origin = spec.origin if spec.has_location else None
    if origin is not None and is_own_origin(origin):
        _report(fullname, origin, started, search)
    elif top == fullname and (origin is not None or spec.submodule_search_locations is None):
        # Judged by the top-level module only, and never by a namespace
        # package (its folders may be the program's).
        _foreign_tops.add(top)


def install():
    """Start reporting; after lazy.install(), so multiprocessing's modules
    reach lazy.py's finder first."""
    # What the interpreter imported before the program's first line.
    _foreign_tops.update(name.partition(".")[0] for name in sys.modules)
    position = next((index + 1 for index, finder in enumerate(sys.meta_path)
                     if isinstance(finder, lazy.PatchAfterImport)), 0)
    sys.meta_path.insert(position, ReportOwnImports())
