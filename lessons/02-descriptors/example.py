# What crosses the process boundary: a file and a pipe opened by the parent
# before the child starts. fork copies both; spawn and forkserver close them
# (only the descriptors multiprocessing names itself are passed on).
import multiprocessing
import os


def report(fds):
    for name, fd in fds:
        try:
            os.fstat(fd)
            state = 'open'
        except OSError:
            state = 'closed'
        print('child sees fd %d (%s): %s' % (fd, name, state))


if __name__ == '__main__':
    log = open(os.devnull, 'w')
    read_end, write_end = os.pipe()
    fds = [('file', log.fileno()), ('pipe', read_end)]
    child = multiprocessing.Process(target=report, args=(fds,))
    child.start()
    child.join()
