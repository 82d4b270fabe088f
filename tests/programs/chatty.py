# Writes 20 MiB to stdout in 1 KiB writes: more than mpscope keeps (16 MiB).
import os

line = b'x' * 1023 + b'\n'
for _ in range(20 * 1024):
    os.write(1, line)
