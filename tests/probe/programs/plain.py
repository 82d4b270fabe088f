"""A script that never touches multiprocessing."""
import os
import sys

print("plain", "multiprocessing" in sys.modules, os.environ.get("PYTHONPATH"))
