"""Patch multiprocessing modules right after they are imported, not before.

A plain script that never imports multiprocessing must pay nothing but one
dict lookup per import: the probe does not import multiprocessing itself. A
meta path finder notices the modules listed in PATCHERS, lets the normal
finder load them, and runs the patcher once the module's code has run. The
module's __loader__ and __spec__.loader are restored afterwards, so the
program sees the same module attributes as untraced.
"""
import sys

from . import guard

# module name -> the "probe_module:function"s that patch it, in order
# (imported on demand)
PATCHERS = {
    "multiprocessing.context": ("startmethod:patch_context",),
    "multiprocessing.process": ("roles:patch_process", "fdlabels:patch_process"),
    "multiprocessing.reduction": ("pickles:patch_reduction",),
    "multiprocessing.spawn": ("spawnchild:patch_spawn", "fdlabels:patch_spawn"),
    "multiprocessing.util": ("spawnv:patch_util",),
    "multiprocessing.popen_fork": ("launch:patch_popen",),
    "multiprocessing.popen_spawn_posix": ("launch:patch_popen",),
    "multiprocessing.popen_forkserver": ("launch:patch_popen",),
    "multiprocessing.forkserver": ("roles:patch_forkserver", "fdlabels:patch_forkserver"),
    "multiprocessing.resource_tracker": ("roles:patch_resource_tracker",
                                         "fdlabels:patch_resource_tracker"),
    "multiprocessing.managers": ("roles:patch_managers",),
    "multiprocessing.resource_sharer": ("fdpass:patch_resource_sharer",),
    "multiprocessing.connection": ("fdlabels:patch_connection",),
}


def _run_patcher(module, target):
    probe_module, function = target.split(":")
    # __import__, not importlib.import_module: importing importlib costs a
    # plain script 0.2 ms.
    name = __package__ + "." + probe_module
    __import__(name)
    getattr(sys.modules[name], function)(module)


def _run_patchers(module):
    # One failing patcher leaves the others to run.
    for target in PATCHERS[module.__name__]:
        guard.quietly(_run_patcher, module, target)


class _PatchingLoader:
    def __init__(self, loader):
        self._loader = loader

    def __getattr__(self, name):
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        try:
            self._loader.exec_module(module)
        finally:
            module.__loader__ = self._loader
            if getattr(module, "__spec__", None) is not None:
                module.__spec__.loader = self._loader
        _run_patchers(module)


class PatchAfterImport:
    """Meta path finder: delegates the search, wraps the loader."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in PATCHERS or guard.busy():
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _PatchingLoader(spec.loader)
                return spec
        return None


def install():
    """Start watching imports; patch what is already imported now."""
    for name in PATCHERS:
        module = sys.modules.get(name)
        if module is not None:
            _run_patchers(module)
    sys.meta_path.insert(0, PatchAfterImport())
