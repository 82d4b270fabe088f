"""PYTHONPATH for the Python children multiprocessing starts.

sitecustomize.py gives the program its own PYTHONPATH back, so the program
sees the environment it would see untraced. The interpreters started by
util.spawnv_passfds (spawn children, the forkserver, the resource tracker)
inherit os.environ through exec, so for the duration of that call the
probe's folder is put in front of whatever PYTHONPATH the program has then.
Fork children need nothing: the probe is already loaded in them.

The same way, a spawn child learns the number of its end of the sentinel
pipe, which nothing in the child refers to (fdlabels.py): MPSCOPE_SENTINEL_FD,
taken out of the child's environment before its program runs.
"""
import os

PROBE_DIR = None
SENTINEL_VAR = "MPSCOPE_SENTINEL_FD"
# This spawn child's end of its sentinel pipe, from SENTINEL_VAR, or None.
inherited_sentinel = None


def take_inherited():
    """At start-up: read and remove what the parent put in the environment."""
    global inherited_sentinel
    value = os.environ.pop(SENTINEL_VAR, None)
    if value is not None and value.isdigit():
        inherited_sentinel = int(value)


class ProbeOnPythonpath:
    """Context manager: PYTHONPATH with the probe folder first (and the
    variables in `extra` set), then as before."""

    def __init__(self, extra=None):
        self._extra = dict(extra or {})

    def __enter__(self):
        self._saved = {}
        if not PROBE_DIR:
            return self
        values = dict(self._extra)
        user_path = os.environ.get("PYTHONPATH")
        values["PYTHONPATH"] = PROBE_DIR + (os.pathsep + user_path if user_path else "")
        for name, value in values.items():
            try:
                self._saved[name] = os.environ.get(name)
                os.environ[name] = value
            except Exception:
                pass  # the child then runs untraced; the program is unaffected
        return self

    def __exit__(self, *exc):
        for name, value in self._saved.items():
            try:
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            except Exception:
                pass
        return False
