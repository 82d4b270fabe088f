"""fds.pass events: descriptors sent over Unix sockets (SCM_RIGHTS).

Two paths in CPython 3.8-3.13 multiprocessing, both through
reduction.sendfds/recvfds:
- forkserver: the client sends the child's pipe ends, the alive fd, the
  resource tracker fd and any passed fds to the server (via "scm_rights");
- resource_sharer: a Connection/socket/DupFd pickled outside a process start
  (Queue, Pipe) is registered with a background thread in the sender; the
  receiver connects to it while unpickling and gets a copy of the fd (via
  "resource_sharer"). The pickle carries only (address, key).
The sender sends fds.pass with its own view of the fds; the receiver sends
probe.fds_recv with the numbers it got. Both carry the same pass_ref so the
tracer can fill in each fd's `as` (docs/probe-protocol.md).
"""
import _thread
import os
import sys

from . import fdinfo, fdlabels, guard, notes, patching, transport

_local = _thread._local()
_sent_to = {}      # receiver pid -> number of scm_rights sends to it
_received_from = {}  # sender pid -> number of scm_rights receives from it
# The last process that sent us fds over scm_rights: in a forkserver server
# the client asking for a child. Its fork children inherit it: it is who their
# start-up pickles come from.
last_sender = 0


def sharing_ref(ident):
    """Correlation key of a resource_sharer registration (address, key),
    or "" for anything else."""
    if not (isinstance(ident, tuple) and len(ident) == 2 and isinstance(ident[1], int)):
        return ""
    address, key = ident
    if isinstance(address, bytes):
        address = address.decode("utf-8", "replace")
    return "rs:%s#%d" % (address, key)


def _scm_ref(sender, receiver, table, peer):
    count = table.get(peer, 0) + 1
    table[peer] = count
    return "scm:%d>%d#%d" % (sender, receiver, count)


def _forkserver_of(sock):
    """The forkserver's pid when sock is a connection to it, else 0.
    SO_PEERCRED names the process that called listen(), and the
    forkserver's listener is made by the client (3.8-3.13:
    ForkServer.ensure_running) before the server is started, so ask the
    ForkServer instance."""
    forkserver = sys.modules.get("multiprocessing.forkserver")
    server = getattr(forkserver, "_forkserver", None)
    server_pid = getattr(server, "_forkserver_pid", None)
    if server_pid and getattr(server, "_forkserver_address", None) == fdinfo.address_of(sock):
        return server_pid
    return 0


def _report_sent(sock, fds):
    described = fdinfo.describe_all(fds)
    sharing = getattr(_local, "sharing", None)
    fields = {"socket": fdinfo.target_of(sock.fileno()), "address": fdinfo.address_of(sock),
              "fds": described}
    if sharing is not None:
        ref, to = sharing
        fields.update({"via": "resource_sharer", "to": to, "pass_ref": ref, "pickle_ref": ref})
    else:
        server = _forkserver_of(sock)
        to = server or fdinfo.peer_pid(sock)
        fields.update({"via": "scm_rights", "to": to,
                       "pass_ref": _scm_ref(os.getpid(), to, _sent_to, to)})
        if server:
            fdlabels.label(sock.fileno(), "forkserver_client", server)
    transport.send(transport.make_event("fds.pass", fields))


def _report_received(sock, fds):
    global last_sender
    receiving = getattr(_local, "receiving", None)
    sender = fdinfo.peer_pid(sock)
    fields = {"from": sender, "socket": fdinfo.target_of(sock.fileno()),
              "address": fdinfo.address_of(sock), "fds": fdinfo.describe_all(fds)}
    if receiving is not None:
        fields.update({"via": "resource_sharer", "pass_ref": receiving})
    else:
        last_sender = sender
        fields.update({"via": "scm_rights",
                       "pass_ref": _scm_ref(sender, os.getpid(), _received_from, sender)})
        if fdlabels.is_forkserver():
            fdlabels.in_forkserver_request(sock, fds, sender)
    transport.send(transport.make_event("probe.fds_recv", fields))


def _report_failed(exc):
    transport.send(transport.make_event("error", {
        "message": "the fds.pass just reported did not happen: %s: %s"
                   % (type(exc).__name__, exc)}))


def _wrap_sendfds(original):
    def sendfds(sock, fds, *args, **kwargs):
        if guard.busy():
            return original(sock, fds, *args, **kwargs)
        # Reported before sending: once the fds arrive, the receiver may let
        # the sender exit (resource_sharer runs in a daemon thread) before
        # an event sent afterwards would have left.
        guard.quietly(_report_sent, sock, list(fds))
        try:
            return original(sock, fds, *args, **kwargs)
        except Exception as exc:
            guard.quietly(_report_failed, exc)
            raise
    return sendfds


def _wrap_recvfds(original):
    def recvfds(sock, *args, **kwargs):
        if guard.busy():
            return original(sock, *args, **kwargs)
        fds = original(sock, *args, **kwargs)
        guard.quietly(_report_received, sock, list(fds))
        return fds
    return recvfds


def patch_reduction(reduction):
    # Absent where the platform cannot pass fds (reduction.HAVE_SEND_HANDLE).
    if hasattr(reduction, "sendfds"):
        patching.wrap(reduction, "sendfds", _wrap_sendfds)
        patching.wrap(reduction, "recvfds", _wrap_recvfds)


def _wrap_register(original):
    def register(self, send, close, *args, **kwargs):
        ref_cell = []

        def send_traced(conn, pid):
            outer = getattr(_local, "sharing", None)
            _local.sharing = (ref_cell[0] if ref_cell else "", pid)
            try:
                return send(conn, pid)
            finally:
                _local.sharing = outer

        ident = original(self, send_traced, close, *args, **kwargs)
        ref = guard.quietly(sharing_ref, ident)
        if ref:
            ref_cell.append(ref)
            notes.note_ref(ref)
        return ident
    return register


def _wrap_detach(original):
    def detach(self, *args, **kwargs):
        ref = guard.quietly(sharing_ref, getattr(self, "_id", None))
        if ref:
            notes.note_ref(ref)
        outer = getattr(_local, "receiving", None)
        _local.receiving = ref
        try:
            return original(self, *args, **kwargs)
        finally:
            _local.receiving = outer
    return detach


def patch_resource_sharer(resource_sharer):
    patching.wrap(resource_sharer._ResourceSharer, "register", _wrap_register)
    if hasattr(resource_sharer, "DupFd"):  # POSIX only
        patching.wrap(resource_sharer.DupFd, "detach", _wrap_detach)
