# What crosses the process boundary: a file and a pipe opened by the parent
# before the child starts. fork copies both; spawn and forkserver close them
# (only the descriptors multiprocessing names itself are passed on).
import multiprocessing
import os
import tempfile


def identity(fd):
    st = os.fstat(fd)
    return (st.st_dev, st.st_ino)


def report(opened):
    # A number alone proves nothing: the child may reuse fd 3 for a file of
    # its own. Compare what the number points to with what the parent had.
    for name, fd, parent_identity in opened:
        try:
            same = identity(fd) == parent_identity
        except OSError:
            same = False
        verdict = "the parent's %s" % name if same else "not the parent's %s" % name
        print('child: fd %d is %s' % (fd, verdict))


if __name__ == '__main__':
    log = tempfile.TemporaryFile()
    read_end, write_end = os.pipe()
    opened = [(name, fd, identity(fd)) for name, fd in (('file', log.fileno()), ('pipe', read_end))]
    child = multiprocessing.Process(target=report, args=(opened,))
    child.start()
    child.join()
