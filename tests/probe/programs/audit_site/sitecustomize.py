# Measurement only (tests/probe/measure_versions.py): log the audit events
# that could reveal process creation, the main module's import and pickle
# lookups, one line per event, to the file named by MEASURE_AUDIT_LOG.
import os
import sys

_WATCH = {"os.fork", "os.forkpty", "os.exec", "os.posix_spawn", "subprocess.Popen", "import",
          "pickle.find_class", "os.system"}


def _hook(event, args):
    if event == "open" and str(args[0]).endswith("measure_child.py"):
        event = "open:main-script"
    elif event not in _WATCH:
        return
    if event == "import" and not str(args[0]).startswith(("__main__", "__mp_main__")):
        return
    detail = str(args[0])[:40] if args and not event.startswith("open") else ""
    with open(os.environ["MEASURE_AUDIT_LOG"], "a") as log:
        log.write("%d %s %s\n" % (os.getpid(), event, detail))


if hasattr(sys, "addaudithook") and os.environ.get("MEASURE_AUDIT_LOG"):
    sys.addaudithook(_hook)
