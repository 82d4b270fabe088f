#!/bin/sh
# Times `mpscope dis` against `python3 -m pickletools` on the same ~17 MB
# pickle (120,000 records and Pool task tuples, made by
# bench/gen-bench-pickle.py), side by side in one hyperfine run, output to
# /dev/null. First checks that both print the same bytes.
#   sh bench/bench-dis.sh [MPSCOPE] [RUNS]
# MPSCOPE defaults to ./mpscope (build it with `make`). The reference is
# /usr/bin/python3 (Debian's 3.11.2). Run it on a quiet machine.
set -eu
mpscope=${1:-./mpscope}
runs=${2:-5}
python=/usr/bin/python3
for tool in hyperfine "$python"; do
	command -v "$tool" >/dev/null || { echo "bench-dis: needs $tool" >&2; exit 77; }
done
[ -x "$mpscope" ] || { echo "bench-dis: no mpscope binary at '$mpscope' (run make)" >&2; exit 1; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
pickle=$dir/bench.pickle
"$python" bench/gen-bench-pickle.py "$pickle"

"$mpscope" dis "$pickle" >"$dir/ours.txt"
"$python" -m pickletools "$pickle" >"$dir/pickletools.txt"
cmp "$dir/ours.txt" "$dir/pickletools.txt" || { echo "bench-dis: outputs differ" >&2; exit 1; }
echo "identical output: $(wc -c <"$dir/ours.txt") bytes, $(wc -l <"$dir/ours.txt") lines"
rm -f "$dir/ours.txt" "$dir/pickletools.txt"

hyperfine --warmup 1 --runs "$runs" --export-json "$dir/times.json" \
	-n "mpscope dis" "$mpscope dis $pickle >/dev/null" \
	-n "python3 -m pickletools" "$python -m pickletools $pickle >/dev/null"

"$python" - "$dir/times.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ours, ref = r["mpscope dis"]["mean"], r["python3 -m pickletools"]["mean"]
print("mpscope dis %.3f s, pickletools %.2f s: %.0fx faster" % (ours, ref, ref / ours))
PY
