"""fds.label events: what multiprocessing's own descriptors are.

Each process labels the ends it holds, where multiprocessing makes or
receives them (CPython 3.8-3.13), never per pickle:
- the parent, after Popen._launch: its sentinel (popen.sentinel) and the
  other fd its finalizer closes (fork: its end of the child's parent
  sentinel; spawn/forkserver: the start-up data pipe);
- a fork child, in BaseProcess._bootstrap called from popen_fork's _launch:
  parent_sentinel, and its end of the sentinel (the `child_w` local there);
- a spawn/forkserver child, in spawn._main(fd, parent_sentinel): the
  start-up data pipe, its dup the parent sentinel, the resource tracker fd,
  the forkserver's alive fd; a spawn child's end of the sentinel is named
  by its parent in MPSCOPE_SENTINEL_FD (environ.py), as nothing in the
  child refers to it;
- the resource tracker's pipe where ensure_running() made it and in the
  tracker; the forkserver's listener and alive pipe in the server, the
  alive pipe in its client, each client connection on both sides (fdpass);
- both ends of every Pipe(), and a Connection rebuilt in a child.
`target` is "pipe:[inode]" or "socket:[inode]" from fstat, as /proc shows it.
"""
import os
import stat
import sys

from . import environ, fdinfo, guard, patching, transport

# (what, fd) -> target already labelled by this process (reset after fork:
# a fork child labels what it holds itself).
_done = {}
_done_pid = 0


def target_of(fd):
    """The object fd names, spelled as /proc/self/fd does, or None if closed."""
    try:
        mode, inode = os.fstat(fd)[0:2]
    except (OSError, TypeError, ValueError):
        return None
    if stat.S_ISFIFO(mode):
        return "pipe:[%d]" % inode
    if stat.S_ISSOCK(mode):
        return "socket:[%d]" % inode
    return fdinfo.target_of(fd) or None


def label(fd, what, peer=0, once=False):
    """Send fds.label for fd. once: skip it when this process already
    labelled the same fd, object and purpose (calls that recur)."""
    global _done_pid
    if not isinstance(fd, int) or fd < 0:
        return
    target = target_of(fd)
    if target is None:
        return
    if once:
        if _done_pid != transport.pid:
            _done.clear()
            _done_pid = transport.pid
        if _done.get((what, fd)) == target:
            return
        _done[(what, fd)] = target
    fields = {"fd": fd, "target": target, "what": what}
    if peer:
        fields["peer"] = peer
    transport.send(transport.make_event("fds.label", fields))


def _tracker():
    module = sys.modules.get("multiprocessing.resource_tracker")
    return getattr(module, "_resource_tracker", None)


def _forkserver():
    module = sys.modules.get("multiprocessing.forkserver")
    return getattr(module, "_forkserver", None)


def _label_inherited(alive_peer=None):
    """The process-wide fds a child holds from its parent: the resource
    tracker's pipe and the forkserver's alive pipe (alive_peer: the
    server's pid when the ForkServer object does not know it)."""
    tracker = _tracker()
    if tracker is not None:
        label(getattr(tracker, "_fd", None), "resource_tracker", getattr(tracker, "_pid", 0) or 0,
              once=True)
    server = _forkserver()
    if server is not None:
        label(getattr(server, "_forkserver_alive_fd", None), "forkserver_alive",
              getattr(server, "_forkserver_pid", 0) or alive_peer or 0, once=True)


# ---- the parent ----

def after_launch(popen, method):
    """In the parent, once Popen._launch has returned."""
    child = getattr(popen, "pid", 0) or 0
    sentinel = getattr(popen, "sentinel", None)
    if method == "forkserver":
        # The forkserver writes the child's pid and exit status into it.
        server = _forkserver()
        label(sentinel, "sentinel", getattr(server, "_forkserver_pid", 0) or 0)
    else:
        label(sentinel, "sentinel", child)
    # util.Finalize(popen, util.close_fds, fds): the fds it closes are its
    # _args (3.8-3.13).
    closes = getattr(getattr(popen, "finalizer", None), "_args", None)
    if not isinstance(closes, (tuple, list)):
        patching.report_missing("multiprocessing.util.Finalize._args")
        return
    other = "parent_sentinel" if method == "fork" else "startup_data"
    for fd in closes:
        if fd != sentinel:
            label(fd, other, child)


# ---- children ----

def _caller(frame):
    while frame is not None and frame.f_globals.get("__name__", "").startswith(__package__ + "."):
        frame = frame.f_back
    return frame


def _label_fork_child(frame, args, kwargs):
    launcher = _caller(frame)
    if launcher is None or launcher.f_code.co_name != "_launch" or \
            launcher.f_globals.get("__name__") != "multiprocessing.popen_fork":
        return  # started by spawn._main, which labels its own
    parent = os.getppid()
    parent_sentinel = args[0] if args else kwargs.get("parent_sentinel")
    label(parent_sentinel, "parent_sentinel", parent)
    # 3.8-3.13: `parent_r, child_w = os.pipe()`; the child keeps child_w.
    label(launcher.f_locals.get("child_w"), "sentinel", parent)
    _label_inherited()


def _wrap_bootstrap(original):
    def _bootstrap(self, *args, **kwargs):
        if not guard.busy():
            guard.quietly(_label_fork_child, sys._getframe(1), args, kwargs)
        return original(self, *args, **kwargs)
    return _bootstrap


def _label_started_child(fd, parent_sentinel):
    # A forkserver child's data come from the client that asked the server
    # (fdpass.last_sender, inherited by fork); a spawn child's from its parent.
    from . import fdpass
    parent = fdpass.last_sender or os.getppid()
    label(fd, "startup_data", parent)
    label(parent_sentinel, "parent_sentinel", parent)
    if environ.inherited_sentinel is not None:
        label(environ.inherited_sentinel, "sentinel", parent)
        environ.inherited_sentinel = None
    # A forkserver child's alive fd (set by forkserver._serve_one): the
    # server, its parent, holds the read end.
    _label_inherited(alive_peer=os.getppid())


def _wrap_spawn_main(original):
    def _main(fd, parent_sentinel, *args, **kwargs):
        if not guard.busy():
            guard.quietly(_label_started_child, fd, parent_sentinel)
        return original(fd, parent_sentinel, *args, **kwargs)
    return _main


def patch_process(process):
    patching.wrap(process.BaseProcess, "_bootstrap", _wrap_bootstrap)


def patch_spawn(spawn):
    patching.wrap(spawn, "_main", _wrap_spawn_main)


# ---- the resource tracker and the forkserver ----

def _label_tracker(tracker):
    label(tracker._fd, "resource_tracker", tracker._pid or 0, once=True)


def _wrap_tracker_ensure_running(original):
    # Called before every spawn/forkserver start and resource registration:
    # labels only a pipe it has not labelled yet.
    def ensure_running(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if not guard.busy():
            guard.quietly(_label_tracker, self)
        return result
    return ensure_running


def _wrap_tracker_main(original):
    # main(fd) returns only when the tracker ends. Every process of the
    # program may write to the pipe: no single peer.
    def main(fd, *args, **kwargs):
        if not guard.busy():
            guard.quietly(label, fd, "resource_tracker")
        return original(fd, *args, **kwargs)
    return main


def patch_resource_tracker(resource_tracker):
    patching.wrap(resource_tracker.ResourceTracker, "ensure_running", _wrap_tracker_ensure_running)
    patching.wrap(resource_tracker, "main", _wrap_tracker_main)


def _label_alive(server):
    label(server._forkserver_alive_fd, "forkserver_alive", server._forkserver_pid or 0, once=True)


def _wrap_forkserver_ensure_running(original):
    def ensure_running(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if not guard.busy():
            guard.quietly(_label_alive, self)
        return result
    return ensure_running


# The pid of the forkserver, in the forkserver only (its children inherit
# the variable, not the job).
_server_pid = 0


def is_forkserver():
    return _server_pid != 0 and _server_pid == transport.pid


def _wrap_forkserver_main(original):
    def main(listener_fd, alive_r, *args, **kwargs):
        global _server_pid
        _server_pid = transport.pid
        if not guard.busy():
            guard.quietly(label, listener_fd, "forkserver_listener")
            # The client that started the server holds the first write end.
            guard.quietly(label, alive_r, "forkserver_alive", os.getppid())
        return original(listener_fd, alive_r, *args, **kwargs)
    return main


def patch_forkserver(forkserver):
    patching.wrap(forkserver.ForkServer, "ensure_running", _wrap_forkserver_ensure_running)
    patching.wrap(forkserver, "main", _wrap_forkserver_main)


def in_forkserver_request(sock, fds, client):
    """The forkserver received a child's fds: the connection, and the
    sentinel's write end it keeps (fds[1]) to tell the client the child's
    pid and exit status."""
    label(sock.fileno(), "forkserver_client", client)
    if len(fds) > 1:
        label(fds[1], "sentinel", client)


# ---- Pipe() and Queue ends ----

def _label_connection(conn):
    label(conn.fileno(), "connection")


def _wrap_pipe(original):
    def Pipe(*args, **kwargs):
        ends = original(*args, **kwargs)
        if not guard.busy():
            for end in ends:
                guard.quietly(_label_connection, end)
        return ends
    return Pipe


def _wrap_rebuild(original):
    # Runs only when a pickle holds a Connection (a child's argument, a
    # Connection put on a Queue), not for other pickles.
    def rebuild_connection(*args, **kwargs):
        conn = original(*args, **kwargs)
        if not guard.busy():
            guard.quietly(_label_connection, conn)
        return conn
    return rebuild_connection


def patch_connection(connection):
    patching.wrap(connection, "Pipe", _wrap_pipe)
    patching.wrap(connection, "rebuild_connection", _wrap_rebuild)
