"""probe.role: what this process is in the run.

main is decided at start-up (our parent is the tracer); the others when the
process enters multiprocessing's entry point for that role. A process can
report twice (a manager is first a child): the last role wins.
"""
from . import guard, patching, transport


def report(role):
    transport.send(transport.make_event("probe.role", {"role": role}))


def _entering(role):
    def make_wrapper(original):
        def entry(*args, **kwargs):
            if not guard.busy():
                guard.quietly(report, role)
            return original(*args, **kwargs)
        return entry
    return make_wrapper


def patch_process(process):
    # Every child's life runs inside BaseProcess._bootstrap, whatever the method.
    patching.wrap(process.BaseProcess, "_bootstrap", _entering("child"))


def patch_forkserver(forkserver):
    patching.wrap(forkserver, "main", _entering("forkserver"))


def patch_resource_tracker(resource_tracker):
    patching.wrap(resource_tracker, "main", _entering("resource_tracker"))


def patch_managers(managers):
    patching.wrap(managers.BaseManager, "_run_server", _entering("manager"))
