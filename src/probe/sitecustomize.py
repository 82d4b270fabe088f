# mpscope probe loader, injected into every traced Python process.
#
# The tracer puts src/probe first on PYTHONPATH, so `site` imports this file as
# `sitecustomize`. It starts the real probe (the mpscope_probe package) only on
# CPython >= 3.8 (audit hooks) and only when MPSCOPE_SOCK is set, then runs the
# user's own sitecustomize, if one exists further down sys.path, as if we were
# not here. It also gives the program back the PYTHONPATH it was started with
# (MPSCOPE_CHAIN_PYTHONPATH); the probe re-adds its folder only for the
# Python children multiprocessing starts. This file must stay parseable by
# Python 2.7 and import cleanly on 3.6/3.7, where it does nothing but the
# chaining and the restoring.
import os
import sys

_PROBE_DIR = os.path.dirname(os.path.abspath(__file__))


def _same_dir(entry):
    if not entry:
        return False  # '' is the script's folder, never ours
    try:
        return os.path.abspath(entry) == _PROBE_DIR
    except (OSError, ValueError):
        return False


def _start_probe():
    if sys.version_info < (3, 8) or not os.environ.get("MPSCOPE_SOCK"):
        return
    # Under -B or PYTHONDONTWRITEBYTECODE every start would compile the
    # probe from source again (~5 ms per interpreter, most of its start-up
    # cost). The probe's own bytecode goes to mpscope's folder, never the
    # program's; the flag is the program's again before its first line runs
    # (nothing else runs while site imports us).
    dont_write_bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = False
    try:
        import mpscope_probe
        mpscope_probe.install(_PROBE_DIR, dont_write_bytecode)
    except Exception:
        # A broken probe must never break the program it observes.
        pass
    finally:
        sys.dont_write_bytecode = dont_write_bytecode


def _forget_probe_dir():
    # The program must see the sys.path it would see untraced; the probe
    # package keeps working through its own __path__.
    sys.path[:] = [entry for entry in sys.path if not _same_dir(entry)]


def _restore_user_pythonpath():
    # The tracer passes the user's value ("" when there was none) because it
    # had to put our folder first.
    if "MPSCOPE_CHAIN_PYTHONPATH" not in os.environ:
        return
    user_path = os.environ["MPSCOPE_CHAIN_PYTHONPATH"]
    if user_path:
        os.environ["PYTHONPATH"] = user_path
    else:
        os.environ.pop("PYTHONPATH", None)


def _run_user_sitecustomize():
    # Exceptions propagate on purpose: `site` then reports them exactly as it
    # would without mpscope ("Error in sitecustomize; ...").
    if sys.version_info >= (3, 4):
        # The interpreter's own import system, already loaded: importlib's
        # public modules would import warnings, contextlib, collections and
        # functools first (3 ms of every traced interpreter's start).
        bootstrap = sys.modules.get("_frozen_importlib")
        external = sys.modules.get("_frozen_importlib_external")
        if bootstrap is None or external is None:
            import importlib.machinery as external
            import importlib.util as bootstrap
        spec = external.PathFinder.find_spec("sitecustomize", sys.path)
        if spec is None or spec.loader is None:
            return
        module = bootstrap.module_from_spec(spec)
        sys.modules["sitecustomize"] = module
        spec.loader.exec_module(module)
    else:
        import imp
        try:
            found = imp.find_module("sitecustomize", sys.path)
        except ImportError:
            return
        del sys.modules["sitecustomize"]
        try:
            imp.load_module("sitecustomize", *found)
        finally:
            if found[0] is not None:
                found[0].close()


_start_probe()
_forget_probe_dir()
_restore_user_pythonpath()
_run_user_sitecustomize()
