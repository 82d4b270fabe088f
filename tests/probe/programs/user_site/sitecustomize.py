# A program's own sitecustomize: mpscope must still run it.
import os
import sys

# sys.argv does not exist yet at this point in 3.6.
sys.stdout.write("user sitecustomize ran in %s\n" % os.path.basename(getattr(sys, "argv", ["-"])[0] or "-"))
