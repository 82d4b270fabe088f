# Job control and signals through the tracer: the child stops itself
# (SIGSTOP) until the parent continues it (SIGCONT); a SIGUSR1 from the parent
# reaches the child's handler; terminate() ends it with SIGTERM. Exits 0 only
# if all of that behaves as it does untraced.
import multiprocessing as mp
import os
import signal
import sys
import time


def child(conn):
    signal.signal(signal.SIGUSR1, lambda *_: conn.send('usr1'))
    conn.send('ready')
    os.kill(os.getpid(), signal.SIGSTOP)
    conn.send('continued')
    time.sleep(10)


if __name__ == '__main__':
    mine, theirs = mp.Pipe()
    p = mp.Process(target=child, args=(theirs,))
    p.start()
    assert mine.poll(10) and mine.recv() == 'ready'
    assert not mine.poll(0.5), 'the child should be stopped'
    os.kill(p.pid, signal.SIGCONT)
    assert mine.poll(10) and mine.recv() == 'continued'
    os.kill(p.pid, signal.SIGUSR1)
    assert mine.poll(10) and mine.recv() == 'usr1'
    p.terminate()
    p.join()
    print('signals ok', p.exitcode, flush=True)
    sys.exit(0 if p.exitcode == -signal.SIGTERM else 1)
