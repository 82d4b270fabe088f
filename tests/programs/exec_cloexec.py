# Opens a file (close-on-exec, as Python makes every new descriptor) and an
# inheritable pipe, then execs a fresh interpreter: the exec drops the file
# and keeps the pipe.
import os
import sys

held = open(sys.argv[0], 'rb')
r, w = os.pipe()
os.set_inheritable(r, True)
os.execv(sys.executable, [sys.executable, '-c', 'pass'])
