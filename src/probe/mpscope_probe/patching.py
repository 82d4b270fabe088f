"""Replacing a multiprocessing function by an observing wrapper.

Every name patched here is private to CPython and may move between
versions: when one is missing the probe reports an `error` event naming it and
leaves that part of the program untouched, rather than guessing.
"""
import sys

from . import transport

_VERSION = "%d.%d" % sys.version_info[:2]


def report_missing(where):
    transport.send(transport.make_event("error", {
        "message": "mpscope probe: %s is missing in Python %s; what it does is not captured"
                   % (where, _VERSION)}))


def wrap(owner, name, make_wrapper):
    """Replace owner.name (a module function, or a method, classmethod or
    staticmethod in a class's own dict) by make_wrapper(original).

    The wrapper receives the same arguments as the original plain function
    (cls first for a classmethod). Returns False when the name is absent."""
    if isinstance(owner, type):
        raw = owner.__dict__.get(name)
        label = "%s.%s.%s" % (owner.__module__, owner.__name__, name)
    else:
        raw = getattr(owner, name, None)
        label = "%s.%s" % (owner.__name__, name)
    if raw is None:
        report_missing(label)
        return False
    if isinstance(raw, classmethod):
        replacement = classmethod(_wrapped(raw.__func__, make_wrapper))
    elif isinstance(raw, staticmethod):
        replacement = staticmethod(_wrapped(raw.__func__, make_wrapper))
    elif isinstance(owner, type) and not hasattr(raw, "__get__"):
        # A builtin stored in a class (ForkingPickler.loads = pickle.loads) is
        # not bound on access; a Python function would be.
        replacement = staticmethod(_wrapped(raw, make_wrapper))
    else:
        replacement = _wrapped(raw, make_wrapper)
    setattr(owner, name, replacement)
    return True


def _wrapped(original, make_wrapper):
    import functools  # multiprocessing has imported it already; plain scripts need not
    wrapper = make_wrapper(original)
    try:
        functools.update_wrapper(wrapper, original)
    except (AttributeError, TypeError):
        pass
    return wrapper
