"""PYTHONPATH for the Python children multiprocessing starts.

sitecustomize.py gives the program its own PYTHONPATH back, so the program
sees the environment it would see untraced. The interpreters started by
util.spawnv_passfds (spawn children, the forkserver, the resource tracker)
inherit os.environ through exec, so for the duration of that call the
probe's folder is put in front of whatever PYTHONPATH the program has then.
Fork children need nothing: the probe is already loaded in them.
"""
import os

PROBE_DIR = None


class ProbeOnPythonpath:
    """Context manager: PYTHONPATH with the probe folder first, then as before."""

    def __enter__(self):
        self._is_changed = False
        self._saved = os.environ.get("PYTHONPATH")
        if PROBE_DIR:
            try:
                os.environ["PYTHONPATH"] = PROBE_DIR + (os.pathsep + self._saved if self._saved else "")
                self._is_changed = True
            except Exception:
                pass  # the child then runs untraced; the program is unaffected
        return self

    def __exit__(self, *exc):
        if not self._is_changed:
            return False
        try:
            if self._saved is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = self._saved
        except Exception:
            pass
        return False
