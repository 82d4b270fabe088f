#!/bin/sh
# Re-records the traces of every lesson from real runs of its example
# (`make traces`). Recorded traces let lessons and `make run` replay without
# Python, so a class demo never depends on the machine's interpreter.
#   scripts/record-traces.sh [MPSCOPE [LESSON...]]   (LESSON: NN-slug; default all)
# TRACES=dir writes the traces elsewhere than traces/.
#
# A lesson is a folder, lessons/NN-slug/ with an example.py; nothing else
# lists lessons. How to record it lives in the folder too:
#   recording     lines "methods M..." and "pythons V..." (e.g. 3.8 3.13);
#   lesson.json   its "methods" list, when present, wins over recording's;
#   neither       fork, spawn and forkserver under python3.
# Traces are traces/NN-slug.METHOD.json, or traces/NN-slug.pythonV.json per
# interpreter when the lesson names Pythons (with .METHOD added if it names
# more than one method).
set -eu
mpscope=${1:-./mpscope}
[ $# -gt 0 ] && shift
out=${TRACES:-traces}
pyenv=${PYENV_ROOT:-/root/.pyenv}/versions
all_methods="fork spawn forkserver"

record() { # output-stem script [mpscope run options...]
	stem=$1; script=$2; shift 2
	echo "recording $out/$stem.json"
	"$mpscope" run --no-ui "$@" -o "$out/$stem.json" "$script" >/dev/null
}

# The newest installed CPython of a minor version: pyenv's, else on PATH.
find_python() { # version
	py=$(ls -d "$pyenv/$1".*/bin/python3 2>/dev/null | sort -V | tail -n 1)
	[ -n "$py" ] || py=$(command -v "python$1" 2>/dev/null) || return 1
	echo "$py"
}

# Prints "METHODS|PYTHONS" for a lesson folder, from the files above.
settings() { # folder
	methods="" pythons=""
	if [ -f "$1/recording" ]; then
		while read -r key rest; do
			case $key in
			'') ;;
			methods) methods=$rest ;;
			pythons) pythons=$rest ;;
			*)
				echo "record-traces: $1/recording: '$key' is not a setting (methods, pythons)" >&2
				return 1
				;;
			esac
		done <<EOF
$(sed 's/#.*//' "$1/recording")
EOF
	fi
	if [ -f "$1/lesson.json" ]; then
		from_json=$(python3 -c 'import json, sys
m = json.load(open(sys.argv[1])).get("methods")
print(" ".join(m) if isinstance(m, list) else "")' "$1/lesson.json") || return 1
		[ -z "$from_json" ] || methods=$from_json
	fi
	for m in ${methods:=$all_methods}; do
		case " $all_methods " in
		*" $m "*) ;;
		*) echo "record-traces: $1: '$m' is not a start method ($all_methods)" >&2; return 1 ;;
		esac
	done
	echo "$methods|$pythons"
}

record_lesson() { # lessons/NN-slug
	dir=$1
	slug=${dir##*/}
	got=$(settings "$dir") || exit 1
	methods=${got%%|*} pythons=${got#*|}
	if [ -z "$pythons" ]; then
		for m in $methods; do
			record "$slug.$m" "$dir/example.py" -m "$m"
		done
		return
	fi
	set -- $methods
	found=0
	for v in $pythons; do
		if ! py=$(find_python "$v"); then
			echo "no CPython $v under $pyenv or on PATH: skipping $slug.python$v"
			continue
		fi
		for m in $methods; do
			if [ $# -gt 1 ]; then stem="$slug.python$v.$m"; else stem="$slug.python$v"; fi
			record "$stem" "$dir/example.py" -m "$m" --python "$py"
		done
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
	if [ ! -f "$dir/example.py" ]; then
		echo "record-traces: $dir/ is not a lesson: a lesson is lessons/NN-slug/ with an example.py" >&2
		exit 1
	fi
	record_lesson "$dir"
done
