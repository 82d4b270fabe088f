"""Which pickles travel in full, and the count of those that do not.

The first KEEP pickles of each purpose and direction in a process are sent
as events with their bytes (docs/probe-protocol.md, "Kept and counted");
after that a busy Pool would pay ~8 us a pickle for events nobody reads, so
the rest are only counted: how many and how many bytes, per purpose and
direction, in a small file next to the tracer's socket that the tracer reads
when the run ends.

The file is mapped shared: a count is in the kernel's page cache the moment
it is written, so a process killed by SIGKILL or leaving by os._exit loses
nothing, and counting costs no system call. Each thread counts in a row of
its own, so no lock is taken and no count is lost to a thread switch (or to
a Python without a GIL). Layout, native byte order, unsigned 64-bit words:
magic, version, pid, row count, then ROWS rows of SLOTS (count, bytes)
pairs; slot = 2 * index in WHATS + op. The tracer sums the rows.
"""
import _thread
import os

from . import transport

# MPSCOPE_KEEP_PAYLOADS: how many of each kind a process sends in full;
# "all" (mpscope run --all-payloads) keeps every one.
DEFAULT_KEEP = 32
WHATS = ("process", "preparation", "pool_task", "pool_result", "queue_item", "other")
DUMP, LOAD = 0, 1
SLOTS = 2 * len(WHATS)
MAGIC = 0x31594C4C4154504D  # b"MPTALLY1" as a little-endian word
VERSION = 1
HEADER_WORDS = 4
# Threads of one process that count; a thread beyond them sends every
# pickle in full, which loses nothing.
ROWS = 64
ROW_WORDS = 2 * SLOTS
FILE_SIZE = (HEADER_WORDS + ROWS * ROW_WORDS) * 8


def _keep_from_env():
    text = os.environ.get("MPSCOPE_KEEP_PAYLOADS", "")
    if text == "all":
        return -1
    try:
        return max(0, int(text))
    except ValueError:
        return DEFAULT_KEEP


KEEP = _keep_from_env()
_OTHER = 2 * WHATS.index("other")
_slot_of = {what: 2 * index for index, what in enumerate(WHATS)}

# How many of each slot this process has sent in full. Two threads may both
# take the last place: one more is kept, none is lost.
_sent = [0] * SLOTS


class _Local(_thread._local):
    row = None  # this thread's counters (memoryview of "Q"); False: none left


_local = _Local()
_mapping = None  # the file's counters; False when it cannot be made
_next_row = 0
_lock = _thread.allocate_lock()  # taken once per thread, for its row
# The C fast path (fastpath.py), once it is in use: the counters, the rows
# and the sent counts are then its own, and take/add are its functions.
_fast = None


def slot(what, op):
    """The slot of a purpose and direction."""
    return _slot_of.get(what, _OTHER) + op


def take(index):
    """True when the next pickle of slot index is only to be counted (then
    add() it once made); False when it is to be sent in full, and it is then
    counted as sent."""
    return counting_row(index) is not None


def add(index, size):
    """Count one pickle of slot index and size bytes in this thread's row
    (after take(index) said so)."""
    row = _local.row
    row[2 * index] += 1
    row[2 * index + 1] += size


def set_keep(keep):
    """How many of each kind to send in full from now on; -1: every one."""
    global KEEP
    KEEP = keep
    if _fast is not None:
        _fast.set_keep(keep)


def use_fastpath(module):
    """Hand the counters to the C fast path (fastpath.py)."""
    global _fast, take, add
    _fast = module
    _fast.set_keep(KEEP)
    take, add = module.take, module.add


def counting_row(index):
    """This thread's row of counters when the next pickle of slot index is
    only to be counted; None when it is to be sent in full (and then it is
    counted as sent). The row holds (count, bytes) at 2 * index."""
    if 0 <= KEEP <= _sent[index]:
        row = _local.row
        if row is None:
            row = _local.row = _take_row()
        if row is not False:
            return row
    _sent[index] += 1
    return None


def _take_row():
    global _mapping, _next_row
    with _lock:
        if _mapping is None:
            _mapping = _open() or False
        if _mapping is False or _next_row >= ROWS:
            return False
        start = HEADER_WORDS + _next_row * ROW_WORDS
        _next_row += 1
        _mapping[3] = _next_row
        return _mapping[start:start + ROW_WORDS]


def _open():
    """The counters of a new tally file, or None when it cannot be made."""
    import mmap
    made = _make_file(lambda fd: memoryview(mmap.mmap(fd, FILE_SIZE)).cast("Q"))
    if made is None:
        return None
    name, counters = made
    counters[1] = VERSION
    counters[2] = os.getpid()
    counters[0] = MAGIC
    _announce(name)
    return counters


def open_for_fastpath():
    """Make the tally file and map it in the C fast path, which writes its
    header; nothing when it cannot be made (every pickle is then sent)."""
    made = _make_file(lambda fd: _fast.map_tally(fd, FILE_SIZE, HEADER_WORDS, ROWS, ROW_WORDS,
                                                 MAGIC, VERSION, os.getpid()))
    if made is not None:
        _announce(made[0])


def _make_file(map_it):
    """(name, map_it(fd)) for a new tally file of FILE_SIZE bytes, or None."""
    path = transport.socket_path()
    if not path:
        return None
    fd, name = _create(os.path.dirname(path))
    if fd < 0:
        return None
    try:
        os.ftruncate(fd, FILE_SIZE)
        return name, map_it(fd)
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)


def _announce(name):
    # The tracer learns the file from this process's own connection, so a
    # pid that comes back later in the run is never mistaken for this one.
    transport.send(transport.make_event("probe.tally", {"file": name}))


def _create(folder):
    """(fd, name) of a new tally file in folder, or (-1, None)."""
    pid = os.getpid()
    for attempt in range(64):
        name = "tally-%d" % pid if attempt == 0 else "tally-%d-%d" % (pid, attempt)
        try:
            return os.open(os.path.join(folder, name),
                           os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600), name
        except FileExistsError:
            continue
        except OSError:
            break
    return -1, None


def forget_after_fork():
    """In a fork child: the parent's file, rows and sent counts are not ours."""
    global _mapping, _next_row, _lock
    _mapping = None
    _next_row = 0
    _lock = _thread.allocate_lock()
    _local.row = None
    for index in range(SLOTS):
        _sent[index] = 0
    if _fast is not None:
        _fast.forget()
