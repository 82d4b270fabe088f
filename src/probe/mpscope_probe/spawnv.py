"""Processes started by multiprocessing.util.spawnv_passfds.

Spawn children, the forkserver and the resource tracker are started by
util.spawnv_passfds (_posixsubprocess: vfork + exec in 3.11). CPython raises
no audit event for it, so the probe reports probe.spawn (child, argv,
passfds) and an fds.pass via "exec" with the descriptors the child keeps,
under the same numbers (`as` = `fd`). The child gets the probe through
PYTHONPATH, and a spawn child the number of its sentinel end through
MPSCOPE_SENTINEL_FD (environ.py).
"""
import os

from . import environ, fdinfo, guard, patching, transport


def _describe_passed(passfds):
    described = fdinfo.describe_all(passfds)
    for entry in described:
        entry["as"] = entry["fd"]
    return described


def _report(path, args, passfds, described, child):
    transport.send(transport.make_event("probe.spawn", {
        "child": child, "path": os.fsdecode(path), "argv": [os.fsdecode(arg) for arg in args],
        "passfds": passfds}))
    transport.send(transport.make_event("fds.pass", {"via": "exec", "to": child, "fds": described}))


def _child_sentinel(args, passfds):
    """A spawn child's end of the sentinel, or None for other starts.
    popen_spawn_posix (3.8-3.13) passes [..., child_r, child_w] and names
    child_r as pipe_handle= in the command line; only that layout counts."""
    if not isinstance(passfds, (list, tuple)) or len(passfds) < 2:
        return None
    handle = "pipe_handle=%d" % passfds[-2]
    for arg in args:
        if isinstance(arg, str) and (handle + ")" in arg or handle + "," in arg):
            return int(passfds[-1])
    return None


def _child_environment(args, passfds):
    sentinel = _child_sentinel(args, passfds)
    return {} if sentinel is None else {environ.SENTINEL_VAR: str(sentinel)}


def _wrap_spawnv_passfds(original):
    def spawnv_passfds(path, args, passfds, *rest, **kwargs):
        if guard.busy():
            return original(path, args, passfds, *rest, **kwargs)
        fds = guard.quietly(lambda: sorted(int(fd) for fd in passfds)) or []
        described = guard.quietly(_describe_passed, fds)
        extra = guard.quietly(_child_environment, args, passfds) or {}
        with environ.ProbeOnPythonpath(extra):
            child = original(path, args, passfds, *rest, **kwargs)
        if described is not None:
            guard.quietly(_report, path, args, fds, described, child)
        return child
    return spawnv_passfds


def patch_util(util):
    patching.wrap(util, "spawnv_passfds", _wrap_spawnv_passfds)
