#!/bin/sh
# Re-records the traces of every lesson from real runs of its example
# (`make traces`). Recorded traces let lessons and `make run` replay without
# Python, so a class demo never depends on the machine's interpreter.
#   scripts/record-traces.sh [MPSCOPE [LESSON...]]   (LESSON: NN-slug; default all)
# TRACES=dir writes the traces elsewhere than traces/.
#
# A lesson is a folder, lessons/NN-slug/ with an example.py and a
# lesson.json; nothing else lists lessons, and how to record one is said
# there too (lessons/README.md, "Trace keys"):
#   "methods": ["fork", "spawn", ...]  one trace per method, key = the method;
#                                      "default" runs without -m (the
#                                      platform's own start method);
#   "pythons": ["3.8", "3.13"]         one trace per interpreter instead,
#                                      key = python3.8..., with the lesson's
#                                      single method.
# Traces are traces/NN-slug.KEY.json.
set -eu
mpscope=${1:-./mpscope}
[ $# -gt 0 ] && shift
out=${TRACES:-traces}
pyenv=${PYENV_ROOT:-/root/.pyenv}/versions

# The recorded program starts as it would from a terminal: its standard
# streams a fresh pseudo-terminal (script(1)) and no other descriptor of
# whoever ran `make traces` (an editor's pipe, a redirected log), so a
# shipped trace shows what a student's own run shows.
in_terminal() { # command...
	if command -v script >/dev/null 2>&1; then
		python3 -c 'import os, shlex, sys
os.closerange(3, os.sysconf("SC_OPEN_MAX"))
os.execvp("script", ["script", "-qec", shlex.join(sys.argv[1:]), "/dev/null"])' "$@"
	else
		python3 -c 'import os, sys
os.closerange(3, os.sysconf("SC_OPEN_MAX"))
os.execvp(sys.argv[1], sys.argv[1:])' "$@" </dev/null
	fi
}

record() { # output-stem script method [mpscope run options...]
	stem=$1 script=$2 method=$3
	shift 3
	[ "$method" = default ] || set -- -m "$method" "$@"
	echo "recording $out/$stem.json"
	rm -f "$out/$stem.json"
	# The program's own exit status is part of some lessons (a child that
	# fails); only a missing trace is a failure here.
	in_terminal "$mpscope" run --no-ui "$@" -o "$out/$stem.json" "$script" >/dev/null || :
	[ -s "$out/$stem.json" ] || { echo "record-traces: no trace in $out/$stem.json" >&2; exit 1; }
}

# The newest installed CPython of a minor version: pyenv's, else on PATH.
find_python() { # version
	py=$(ls -d "$pyenv/$1".*/bin/python3 2>/dev/null | sort -V | tail -n 1)
	[ -n "$py" ] || py=$(command -v "python$1" 2>/dev/null) || return 1
	echo "$py"
}

# Prints "METHODS|PYTHONS" from a lesson's lesson.json, or says on stderr
# what is wrong with its "methods" and "pythons".
settings() { # folder
	python3 - "$1/lesson.json" <<'EOF'
import json, re, sys
path = sys.argv[1]
def fail(why):
    sys.exit("record-traces: %s: %s" % (path, why))
try:
    with open(path) as f:
        lesson = json.load(f)
except (OSError, ValueError) as e:
    fail("cannot be read (%s)" % e)
methods = lesson.get("methods")
pythons = lesson.get("pythons", [])
if not isinstance(methods, list) or not methods:
    fail('"methods" must be a non-empty list')
for m in methods:
    if m not in ("fork", "spawn", "forkserver", "default"):
        fail("'%s' is not a start method (fork, spawn, forkserver, default)" % m)
if not isinstance(pythons, list) or not all(isinstance(v, str) and re.fullmatch(r"3\.\d+", v) for v in pythons):
    fail('"pythons" must be a list of versions such as "3.8"')
if pythons and len(methods) != 1:
    fail('a lesson that names "pythons" runs under exactly one method')
print(" ".join(methods) + "|" + " ".join(pythons))
EOF
}

record_lesson() { # lessons/NN-slug
	dir=$1
	slug=${dir##*/}
	got=$(settings "$dir") || exit 1
	methods=${got%%|*} pythons=${got#*|}
	if [ -z "$pythons" ]; then
		for m in $methods; do
			record "$slug.$m" "$dir/example.py" "$m"
		done
		return
	fi
	found=0
	for v in $pythons; do
		if ! py=$(find_python "$v"); then
			echo "no CPython $v under $pyenv or on PATH: skipping $slug.python$v"
			continue
		fi
		record "$slug.python$v" "$dir/example.py" "$methods" --python "$py"
		found=$((found + 1))
	done
	[ "$found" -gt 0 ] || echo "none of the Pythons $pythons found: $slug not re-recorded"
}

mkdir -p "$out"
if [ $# -eq 0 ]; then
	set -- lessons/[0-9][0-9]-*/
fi
for lesson in "$@"; do
	dir=lessons/${lesson#lessons/}
	dir=${dir%/}
	if [ ! -f "$dir/example.py" ] || [ ! -f "$dir/lesson.json" ]; then
		echo "record-traces: $dir/ is not a lesson: a lesson is lessons/NN-slug/ with an example.py and a lesson.json" >&2
		exit 1
	fi
	record_lesson "$dir"
done
