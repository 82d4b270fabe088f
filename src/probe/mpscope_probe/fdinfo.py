"""Descriptions of file descriptors as the trace format spells them.

Same vocabulary as the tracer's /proc readers: type file|pipe|socket|tty|other
and the readlink target ("pipe:[1234]", "socket:[99]", "/dev/pts/0").
"""
import _socket
import os
import sys

_UCRED_LEN = 12


def _type_of(target):
    if target.startswith("pipe:"):
        return "pipe"
    if target.startswith("socket:"):
        return "socket"
    if target.startswith(("/dev/pts/", "/dev/tty", "/dev/console")):
        return "tty"
    if target.startswith("/"):
        return "file"
    return "other"


def target_of(fd):
    try:
        return os.readlink("/proc/self/fd/%d" % fd)
    except OSError:
        return ""


def describe(fd):
    """{fd, type, target, cloexec} for a descriptor of this process."""
    target = target_of(fd)
    try:
        is_cloexec = not os.get_inheritable(fd)
    except OSError:
        is_cloexec = False
    return {"fd": fd, "type": _type_of(target), "target": target, "cloexec": is_cloexec}


def describe_all(fds):
    return [describe(fd) for fd in fds]


def peer_pid(sock):
    """The pid at the other end of a connected Unix socket (0 unknown)."""
    try:
        cred = sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, _UCRED_LEN)
    except (OSError, AttributeError):
        return 0
    return int.from_bytes(cred[:4], sys.byteorder, signed=True)


def address_of(sock):
    """The Unix socket path of the connection (peer or own), or ""."""
    for getter in ("getpeername", "getsockname"):
        try:
            name = getattr(sock, getter)()
        except OSError:
            continue
        if isinstance(name, bytes):  # Linux abstract namespace
            name = name.decode("utf-8", "replace")
        if name:
            return name
    return ""
