#!/bin/sh
# Re-records every trace under traces/ from real runs of the lesson examples
# (`make traces`). Recorded traces let lessons and `make run` replay without
# Python, so a class demo never depends on the machine's interpreter.
#   scripts/record-traces.sh [MPSCOPE]
set -eu
mpscope=${1:-./mpscope}
pyenv=${PYENV_ROOT:-/root/.pyenv}/versions

record() { # output-stem script [mpscope run options...]
	out=$1; script=$2; shift 2
	echo "recording $out"
	"$mpscope" run --no-ui "$@" -o "traces/$out.json" "$script" >/dev/null
}

mkdir -p traces
for lesson in 01-what-gets-pickled 02-descriptors; do
	record "$lesson" "lessons/$lesson/example.py" -m all
done
record 03-forkserver.forkserver lessons/03-forkserver/example.py -m forkserver

# One program, several Pythons: the oldest and newest CPython this machine has
# that mpscope can see into (3.8 is the first with audit hooks).
found=0
for v in 3.8 3.13; do
	py=$(ls -d "$pyenv/$v".*/bin/python3 2>/dev/null | tail -n 1)
	if [ -z "$py" ]; then
		echo "no CPython $v under $pyenv: skipping its trace"
		continue
	fi
	record "04-several-pythons.python$v" lessons/04-several-pythons/example.py --python "$py"
	found=$((found + 1))
done
[ "$found" -gt 0 ] || echo "no pyenv interpreters found: 04-several-pythons not re-recorded"
