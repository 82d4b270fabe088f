"""Start a process whose target cannot be pickled: a lambda or a local function.

Prints the exception the program sees, with memory addresses blanked so that
runs can be compared.
"""
import multiprocessing
import re
import sys


def start(target):
    try:
        p = multiprocessing.Process(target=target)
        p.start()
        p.join()
        print("started, exit code", p.exitcode)
    except Exception as exc:
        print("%s: %s" % (type(exc).__name__, re.sub(r"0x[0-9a-f]+", "0x?", str(exc))))


def local_function_target():
    def local():
        pass
    return local


if __name__ == "__main__":
    # argv: [method to set explicitly, or "default"]
    if len(sys.argv) > 1 and sys.argv[1] != "default":
        multiprocessing.set_start_method(sys.argv[1])
    start(lambda: None)
    start(local_function_target())
