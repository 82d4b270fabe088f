# Children that end in different ways: exit code 3, killed by SIGKILL,
# and a normal exit. The parent exits 5.
import multiprocessing as mp
import os
import signal
import sys
import time


def exits_three():
    sys.exit(3)


def sleeps():
    time.sleep(60)


if __name__ == '__main__':
    a = mp.Process(target=exits_three)
    b = mp.Process(target=sleeps)
    a.start()
    b.start()
    a.join()
    b.kill()
    b.join()
    print('codes', a.exitcode, b.exitcode, flush=True)
    sys.exit(5)
