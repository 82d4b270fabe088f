# Starts processes without end (each child starts another): --max-procs stops it.
import os
import time

while True:
    if os.fork() == 0:
        continue
    time.sleep(30)
    break
