# Descriptors crossing the process boundary, one program for every start method:
# - a file opened before start() and not passed: a forked child inherits it,
#   a spawn or forkserver child does not have it;
# - a Pipe end passed as an argument of the Process: every method gives it to
#   the child (spawn keeps it across the exec, forkserver sends it to the
#   server over SCM_RIGHTS);
# - a Connection put on a Queue while the child runs: the resource sharer.
# Prints the targets the tests look for in the trace.
import multiprocessing as mp
import os
import sys


def pipe_name(conn):
    return 'pipe:[%d]' % os.fstat(conn.fileno()).st_ino


def child(arg_conn, queue):
    arg_conn.send('through the argument')
    arg_conn.close()
    conn = queue.get()
    conn.send('through the queue')
    conn.close()


if __name__ == '__main__':
    held = open(sys.argv[0], 'rb')
    arg_reader, arg_writer = mp.Pipe(duplex=False)
    queue_reader, queue_writer = mp.Pipe(duplex=False)
    queue = mp.Queue()
    print('argument pipe', pipe_name(arg_writer))
    print('queued pipe', pipe_name(queue_writer))
    sys.stdout.flush()
    p = mp.Process(target=child, args=(arg_writer, queue))
    p.start()
    arg_writer.close()
    print(arg_reader.recv())
    queue.put(queue_writer)
    print(queue_reader.recv())
    p.join()
    held.close()
    print('exit code', p.exitcode)
