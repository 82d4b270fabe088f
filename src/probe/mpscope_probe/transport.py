"""The probe's connection to the tracer (docs/probe-protocol.md, "Transport").

One SOCK_SEQPACKET connection per process: message boundaries are kept and a
full queue blocks the sender instead of dropping. The descriptor is moved to a
high number (CLOEXEC) so the fd numbers a program observes stay the ones it
would get untraced, and spawned children (close_fds) never inherit it. After
fork the child drops the parent's connection and opens its own, so the tracer
tells processes apart by SO_PEERCRED.
"""
import _socket
import _thread
import os
import sys
import time

from . import guard, wire

# The probe's fd is placed at the first free number >= this (or lower when
# RLIMIT_NOFILE is small): far above what programs normally open.
_FD_FLOOR = 1000
_UCRED_LEN = 12  # struct ucred {pid_t pid; uid_t uid; gid_t gid;}

# A packet is at most 200 KiB (docs/probe-protocol.md), one message or
# several separated by newlines. The find_class events held back for one
# pickle call (audit.py) are sent on their own once they reach BATCH_SIZE.
MAX_PACKET = 200 * 1024
BATCH_SIZE = 32 * 1024

_conn = None
_lock = _thread.allocate_lock()
# os.getpid() of the connected process: every message carries it, and a
# process only changes pid by fork, where reopen_after_fork() updates it.
pid = 0
_path = None
_tracer_pid = 0
_dropped = 0
_is_broken = False


class _Connection(_socket.socket):
    """The tracer connection. Closed quietly when collected at interpreter
    exit: _socket.socket's own finalizer would print a ResourceWarning into
    the output of a program that turns warnings on."""
    __slots__ = ()

    def __del__(self):
        try:
            self.close()
        except OSError:
            pass


def _move_high(sock):
    """sock's descriptor re-homed at a high CLOEXEC number (or sock itself)."""
    import fcntl
    try:
        soft = os.sysconf("SC_OPEN_MAX")
    except (OSError, ValueError):
        soft = 1024
    floor = min(_FD_FLOOR, soft - 16)
    if floor <= sock.fileno():
        return sock
    high = fcntl.fcntl(sock.fileno(), fcntl.F_DUPFD_CLOEXEC, floor)
    moved = _Connection(_socket.AF_UNIX, _socket.SOCK_SEQPACKET, 0, high)
    sock.close()
    return moved


def _connect():
    global _conn, _tracer_pid, pid
    sock = _Connection(_socket.AF_UNIX, _socket.SOCK_SEQPACKET)
    try:
        sock.connect(_path)
        sock = _move_high(sock)
        cred = sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, _UCRED_LEN)
    except Exception:
        sock.close()
        raise
    _tracer_pid = int.from_bytes(cred[:4], sys.byteorder, signed=True)
    _conn = sock
    pid = os.getpid()


def open_connection(path):
    """Connect to the tracer at path. False when it cannot be reached."""
    global _path
    _path = path
    try:
        _connect()
    except OSError:
        return False
    return True


def reopen_after_fork():
    """In a fork child: close the parent's connection and open our own."""
    global _lock, _dropped, _is_broken, pid
    # Another parent thread may have held the lock at fork time.
    _lock = _thread.allocate_lock()
    _dropped = 0
    pid = os.getpid()  # also when the connect below fails
    if _conn is not None:
        try:
            _conn.close()
        except OSError:
            pass
    try:
        _connect()
        _is_broken = False
    except OSError:
        _is_broken = True


def socket_path():
    """The tracer's socket, or None before open_connection()."""
    return _path


def tracer_pid():
    """The tracer's pid from SO_PEERCRED (0 when not connected)."""
    return _tracer_pid


# CLOCK_MONOTONIC nanoseconds, the tracer's clock (a plain alias: this is
# called twice per pickle event).
clock = time.monotonic_ns


def make_event(kind, fields, t=None):
    """A message for kind stamped with time t (default now) and our pid."""
    message = {"kind": kind, "t": clock() if t is None else t, "pid": pid}
    message.update(fields)
    return message


def _send_locked(data):
    global _is_broken
    try:
        _conn.send(data, _socket.MSG_NOSIGNAL)
        return True
    except (BrokenPipeError, ConnectionResetError, ConnectionRefusedError):
        # The tracer is gone: stop trying, keep counting.
        _is_broken = True
    except OSError:
        pass
    return False


def send(message):
    """Send one message (a dict, see make_event)."""
    send_encoded(wire.encode(message))


def send_encoded(data, count=1):
    """Send one packet already encoded as JSON bytes, holding count
    messages (newline-separated). Messages that cannot be sent are counted
    and a probe.dropped message reports the count before the next packet
    that can be sent."""
    global _dropped
    with _lock:
        lost = _dropped + guard.take_failures()
        if _conn is None or _is_broken:
            _dropped = lost + count
            return
        if lost:
            notice = wire.encode(make_event("probe.dropped", {"count": lost}))
            if not _send_locked(notice):
                _dropped = lost + count
                return
        _dropped = 0 if _send_locked(data) else count
