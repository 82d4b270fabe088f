"""Captured pickle bytes: capped, authkey-redacted, base64-encoded.

The probe observes bytes only; it never unpickles anything. The authkey of
multiprocessing.current_process() travels inside spawn/forkserver start-up
pickles; every occurrence is replaced by a marker of the same length before
the bytes leave the process, so offsets in the disassembly stay true.
"""
import os
import sys

from . import wire

DEFAULT_CAP = 65536
# A message is at most 200 KiB (docs/probe-protocol.md); base64 grows 4/3.
_MAX_CAP = 140 * 1024
_MARKER = b"<authkey-redacted>"


def _cap_from_env():
    try:
        cap = int(os.environ.get("MPSCOPE_PAYLOAD_CAP", DEFAULT_CAP))
    except ValueError:
        cap = DEFAULT_CAP
    return max(0, min(cap, _MAX_CAP))


CAP = _cap_from_env()


def marker(length):
    """The redaction marker for a key of this length."""
    return (_MARKER + b"*" * length)[:length]


# The authkey object last seen and its bytes: the key is looked up for every
# pickle, and only changes when the program assigns a new one.
_key_object = None
_key_bytes = b""


def current_authkey():
    """The running process's authkey, if multiprocessing is loaded."""
    global _key_object, _key_bytes
    process = sys.modules.get("multiprocessing.process")
    if process is None:
        return b""
    try:
        key = process.current_process().authkey
        if key is not _key_object:
            _key_bytes = bytes(key or b"")
            _key_object = key
        return _key_bytes
    except Exception:
        return b""


def size_of(data):
    """How many bytes a bytes-like object holds."""
    return len(data) if type(data) is bytes else memoryview(data).nbytes


def capture(data, extra_keys=()):
    """(size, base64 bytes, truncated, redacted) for pickled bytes: size is
    always the full size; at most CAP bytes are kept, every key redacted."""
    if type(data) is not bytes:
        view = memoryview(data)
        if view.ndim != 1 or view.itemsize != 1:
            view = view.cast("B")
        data = view
    size = len(data)
    key = current_authkey()
    keys = (key,) + tuple(extra_keys) if extra_keys else (key,)
    # Take enough bytes that a key straddling the cap is still found.
    window = data[:CAP + (max(map(len, keys)) or 1) - 1]
    if type(window) is not bytes:
        window = bytes(window)
    is_redacted = False
    for key in keys:
        if key and key in window:
            window = window.replace(key, marker(len(key)))
            is_redacted = True
    if len(window) > CAP:
        window = window[:CAP]
    return size, wire.base64_bytes(window), len(window) < size, is_redacted


def describe(data, extra_keys=()):
    """capture() as event fields: size, bytes (base64 text), truncated, redacted."""
    size, encoded, is_truncated, is_redacted = capture(data, extra_keys)
    return {"size": size, "bytes": encoded.decode("ascii"),
            "truncated": is_truncated, "redacted": is_redacted}
