"""The program's own imports, each caused by a different kind of code.

nested imports leaf; dynamic comes through importlib.import_module; pkg.sub
through `from pkg import sub`; unused is only looked up (find_spec), never
imported; json is the standard library. A spawn child does it all again
as __mp_main__, except what f imports when it runs.
"""
import importlib
import importlib.util
import json
import multiprocessing
import sys

import nested
from pkg import sub


def f():
    import late  # noqa: F401  (imported by f, in the child)
    print("child", nested.VALUE, sub.VALUE)


if __name__ == "__main__":
    importlib.import_module("dynamic")
    print("unused found:", importlib.util.find_spec("unused") is not None, "unused" in sys.modules)
    print("json", json.dumps([1]))
    multiprocessing.set_start_method(sys.argv[1])
    p = multiprocessing.Process(target=f)
    p.start()
    p.join()
