"""Process starts: the start method used, and who the start-up pickles go to.

Popen._launch (popen_fork, popen_spawn_posix, popen_forkserver) is where a
process is started. Under spawn and forkserver the start-up pickles are made
before the child exists (3.8-3.13: into a BytesIO, sent after the child is
started), so their pickle.dump events are held back here until _launch has
set Popen.pid, then sent with `to` = the child's pid. Under fork nothing is
held back: the child runs the whole program inside _launch and never returns.
After a launch the parent sends probe.launch (the child's pid and the
method, so each process of the trace says how it was started) and labels
the descriptors the launch left it (fdlabels.py).
"""
import _thread

from . import fdlabels, guard, patching, startmethod, transport


class _Local(_thread._local):
    # Class-level defaults: a missing thread-local attribute makes getattr()
    # raise and catch AttributeError, ~0.3 us on every pickle.dump.
    pending = None


_local = _Local()


def is_holding():
    """True inside a spawn/forkserver _launch, where deliver() holds events."""
    return _local.pending is not None


def deliver(event):
    """Send event now, or hold it until the enclosing _launch knows the pid."""
    pending = _local.pending
    if pending is not None:
        pending.append(event)
    else:
        transport.send(event)


def forget_pending():
    """In a fork child: nothing held back by the parent belongs to us."""
    _local.pending = None


def _flush(pending, child_pid):
    for event in pending:
        if child_pid and "to" not in event:
            event["to"] = child_pid
        transport.send(event)


def _launched(popen, method):
    child = getattr(popen, "pid", None)
    if not isinstance(child, int) or child <= 0:
        return
    transport.send(transport.make_event("probe.launch", {"child": child, "method": method}))
    fdlabels.after_launch(popen, method)


def _wrap_launch(original):
    def _launch(self, *args, **kwargs):
        method = getattr(self, "method", None)
        guard.quietly(startmethod.report_use, method)
        if method == "fork":
            # Only the parent returns: the child exits inside.
            result = original(self, *args, **kwargs)
            guard.quietly(_launched, self, method)
            return result
        outer = _local.pending
        _local.pending = []
        try:
            result = original(self, *args, **kwargs)
        finally:
            pending, _local.pending = _local.pending, outer
            guard.quietly(_flush, pending, getattr(self, "pid", None))
        guard.quietly(_launched, self, method)
        return result
    return _launch


def patch_popen(module):
    patching.wrap(module.Popen, "_launch", _wrap_launch)
