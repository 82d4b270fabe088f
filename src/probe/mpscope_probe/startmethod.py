"""The start method: mpscope's -m as a default, and whether the program chose.

MPSCOPE_METHOD must behave like the platform default, not like a call to
set_start_method(): a program that calls set_start_method() itself must still
work (calling it twice raises "context has already been set"). In CPython
3.8-3.13, multiprocessing.context.DefaultContext keeps the platform default in
the private attribute `_default_context` and the chosen one in
`_actual_context` (None until chosen or first used); the probe replaces only
the former. When the attribute is missing the probe reports it and leaves the
platform default in place.
"""
import os

from . import patching, transport

# Methods the program asked for by name (set_start_method, get_context(m)).
_chosen_by_program = set()
_reported = set()


def _apply_default(context_module):
    method = os.environ.get("MPSCOPE_METHOD", "")
    if not method:
        return
    default = getattr(context_module, "_default_context", None)
    if default is None or not hasattr(default, "_default_context"):
        patching.report_missing("multiprocessing.context._default_context._default_context")
        return
    try:
        # BaseContext.get_context returns the concrete context without
        # choosing it, and checks that the method exists on this platform.
        concrete = context_module.BaseContext.get_context(default, method)
    except ValueError as exc:
        transport.send(transport.make_event("error", {
            "message": "mpscope probe: start method %r is not available: %s" % (method, exc)}))
        return
    default._default_context = concrete


def _remember_choice(method):
    if method is not None:
        _chosen_by_program.add(method)


def _wrap_get_context(original):
    def get_context(self, *args, **kwargs):
        method = args[0] if args else kwargs.get("method")
        result = original(self, *args, **kwargs)
        _remember_choice(method)
        return result
    return get_context


def _wrap_set_start_method(original):
    def set_start_method(self, *args, **kwargs):
        method = args[0] if args else kwargs.get("method")
        result = original(self, *args, **kwargs)
        _remember_choice(method)
        return result
    return set_start_method


def patch_context(context_module):
    _apply_default(context_module)
    patching.wrap(context_module.BaseContext, "get_context", _wrap_get_context)
    patching.wrap(context_module.DefaultContext, "set_start_method", _wrap_set_start_method)


def report_use(method):
    """Send start_method once per method, when a process is first started
    with it; `explicit` says whether the program chose it by name."""
    if method in _reported:
        return
    _reported.add(method)
    transport.send(transport.make_event("start_method", {
        "method": method, "explicit": method in _chosen_by_program}))
