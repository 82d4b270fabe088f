#!/bin/sh
# `mpscope run` file names and statuses: -m all writes one trace per method
# (the method before the extension), the default name is
# <script-stem>.<method>.json in the current folder, the summary names the
# file, and the program's output still reaches the terminal.
MPSCOPE=${MPSCOPE:-./mpscope}
case $MPSCOPE in /*) ;; *) MPSCOPE=$(pwd)/$MPSCOPE ;; esac
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
top=$(pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$MPSCOPE" run --no-ui -m all -o "$tmp/out.json" tests/programs/classic.py >"$tmp/all.out" 2>&1 \
	|| fail "-m all: non-zero exit"
for m in fork spawn forkserver; do
	python3 -c 'import json, sys; t = json.load(open(sys.argv[1])); assert t["meta"]["method"] == sys.argv[2]' \
		"$tmp/out.$m.json" "$m" || fail "-m all: no valid $m trace in out.$m.json"
	grep -q "trace written to $tmp/out.$m.json" "$tmp/all.out" || fail "-m all: summary does not name out.$m.json"
done
# Counted by occurrence, not by line: with PYTHONUNBUFFERED=1 each print is
# several writes, and two children printing at once interleave them.
[ "$(grep -o 'hello world!' "$tmp/all.out" | wc -l)" -eq 6 ] || fail "-m all: the program's output did not reach the terminal"

(cd "$tmp" && "$MPSCOPE" run --no-ui -m spawn "$top/tests/programs/classic.py" >/dev/null 2>&1) \
	|| fail "default name: non-zero exit"
[ -f "$tmp/classic.spawn.json" ] || fail "default name: no classic.spawn.json in the current folder"

[ $failures -eq 0 ] && echo "run-cli-names: all passed"
[ $failures -eq 0 ]
