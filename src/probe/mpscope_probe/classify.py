"""What a pickle is for: process | preparation | pool_task | pool_result |
queue_item | other, decided from the object and the call site.

Shapes, as built by CPython 3.8-3.13 multiprocessing:
- preparation: the dict of spawn.get_preparation_data() (has 'authkey' and
  'sys_path');
- process: a multiprocessing.process.BaseProcess;
- pool_task: Pool's (job, i, func, args, kwds) tuples;
- pool_result: a worker's (job, i, (success, value)) tuples;
- queue_item: anything else sent by queues.py (Queue, SimpleQueue) or
  connection.py (Pipe, Connection.send) on behalf of the program.
"""
import sys

_QUEUE_FILES = ("queues.py", "connection.py")
_INTERNAL_FILES = ("managers.py", "resource_sharer.py", "pool.py")


def type_name(obj):
    return type(obj).__name__


def _is_process(obj):
    process = sys.modules.get("multiprocessing.process")
    return process is not None and isinstance(obj, process.BaseProcess)


def shape(obj):
    """What obj is for when its shape alone says so, else None."""
    # Tuples first: Pool tasks and results are what arrives by the thousand,
    # and a process object or the preparation dict is never a tuple.
    if isinstance(obj, tuple):
        if len(obj) == 5 and isinstance(obj[0], int) and isinstance(obj[4], dict):
            return "pool_task"
        if len(obj) == 3 and isinstance(obj[0], int) and isinstance(obj[2], tuple) \
                and len(obj[2]) == 2 and isinstance(obj[2][0], bool):
            return "pool_result"
        return None
    if isinstance(obj, dict):
        return "preparation" if "authkey" in obj and "sys_path" in obj else None
    return "process" if _is_process(obj) else None


def _sent_by_queue(frame):
    """True when, walking out from frame (the caller of the pickling call),
    a Queue or Connection method is reached from the program's own code."""
    seen_queue = False
    for _ in range(8):
        if frame is None:
            break
        filename = frame.f_code.co_filename.replace("\\", "/")
        if "/multiprocessing/" not in filename:
            return seen_queue
        name = filename.rsplit("/", 1)[-1]
        if name in _INTERNAL_FILES:
            return False
        if name in _QUEUE_FILES:
            seen_queue = True
        frame = frame.f_back
    return seen_queue


def by_caller(caller):
    """What an object of no known shape is for, from the frame that called
    dumps/loads (or None)."""
    return "queue_item" if _sent_by_queue(caller) else "other"


def what_of(obj, caller):
    """Classify obj; caller is the frame that called dumps/loads (or None)."""
    return shape(obj) or by_caller(caller)
