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


def current_authkey():
    """The running process's authkey, if multiprocessing is loaded."""
    process = sys.modules.get("multiprocessing.process")
    if process is None:
        return b""
    try:
        return bytes(process.current_process().authkey or b"")
    except Exception:
        return b""


def describe(data, extra_keys=()):
    """Fields for pickled bytes: size (always the full size), bytes (base64
    of at most CAP bytes), truncated, redacted."""
    view = memoryview(data)
    if view.ndim != 1 or view.itemsize != 1:
        view = view.cast("B")
    size = view.nbytes
    keys = [key for key in (current_authkey(),) + tuple(extra_keys) if key]
    # Take enough bytes that a key straddling the cap is still found.
    longest = max([len(key) for key in keys] or [1])
    window = bytes(view[:CAP + longest - 1])
    is_redacted = False
    for key in keys:
        if key in window:
            window = window.replace(key, marker(len(key)))
            is_redacted = True
    window = window[:CAP]
    return {"size": size, "bytes": wire.base64(window),
            "truncated": len(window) < size, "redacted": is_redacted}
