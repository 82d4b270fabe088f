"""Reentrancy guard for probe code.

Probe code runs inside the program's own calls (pickling, audit events,
process starts). It must never recurse into itself (sending a message can
raise audit events, which would call the probe again) and an exception in the
probe must never reach the program. Uses _thread, not threading, so that plain
scripts do not pay for importing threading.
"""
import _thread


class _Local(_thread._local):
    # Class-level defaults: a missing thread-local attribute makes getattr()
    # raise and catch AttributeError, ~0.3 us on every probed call.
    busy = False


local = _Local()  # pickles.py reads local.busy directly
failures = 0  # probe calls that failed, read by transport (see take_failures)


def busy():
    """True while this thread is already running probe code."""
    return local.busy


def quietly(fn, *args):
    """Run probe code fn(*args) once per thread at a time; never raises.

    Returns fn's result, or None when the probe was already busy on this
    thread or fn failed (the failure is counted, see take_failures)."""
    global failures
    if local.busy:
        return None
    local.busy = True
    try:
        return fn(*args)
    except Exception:
        failures += 1
        return None
    finally:
        local.busy = False


def take_failures():
    """How many probe calls failed since the last call; resets the count."""
    global failures
    count, failures = failures, 0
    return count
