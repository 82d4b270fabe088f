#!/bin/sh
# Times `mpscope info` against Python's json.load on the same ~50 MB trace,
# side by side in one hyperfine run, and measures the peak memory of each.
#   sh bench/bench-info.sh [MPSCOPE] [SIZE_MB]
# MPSCOPE defaults to ./mpscope (build it with `make`). The trace is made by
# bench/gen-trace.py in a temporary folder and removed afterwards. Run it on
# a quiet machine (it uses one core); results go to stdout.
set -eu
mpscope=${1:-./mpscope}
size_mb=${2:-50}
for tool in hyperfine /usr/bin/time python3; do
	command -v "$tool" >/dev/null || { echo "bench-info: needs $tool" >&2; exit 77; }
done
[ -x "$mpscope" ] || { echo "bench-info: no mpscope binary at '$mpscope' (run make)" >&2; exit 1; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
trace=$dir/bench.json
python3 bench/gen-trace.py "$trace" "$size_mb"
bytes=$(wc -c <"$trace")

info_cmd="$mpscope info $trace"
py_cmd="python3 -c 'import json,sys; json.load(open(sys.argv[1]))' $trace"

"$mpscope" info "$trace" >/dev/null # refuses an invalid trace before timing
hyperfine --warmup 1 --runs 10 --export-json "$dir/times.json" \
	-n "mpscope info" "$info_cmd >/dev/null" -n "python3 json.load" "$py_cmd"

peak_kb() { # command... -> peak RSS in KB
	/usr/bin/time -f %M -o "$dir/rss" "$@" >/dev/null
	cat "$dir/rss"
}
info_kb=$(peak_kb "$mpscope" info "$trace")
py_kb=$(peak_kb python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$trace")

python3 - "$dir/times.json" "$bytes" "$info_kb" "$py_kb" <<'PY'
import json, sys
times = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
size, info_kb, py_kb = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
info, py = times["mpscope info"], times["python3 json.load"]
print(f"\ntrace: {size / 1e6:.1f} MB")
print(f"mpscope info      {info['mean'] * 1000:8.1f} ms ± {info['stddev'] * 1000:.1f}"
      f"   peak RSS {info_kb / 1024:7.1f} MB ({info_kb * 1024 / size:.2f}x the file)")
print(f"python3 json.load {py['mean'] * 1000:8.1f} ms ± {py['stddev'] * 1000:.1f}"
      f"   peak RSS {py_kb / 1024:7.1f} MB ({py_kb * 1024 / size:.2f}x the file)")
print(f"mpscope info takes {info['mean'] / py['mean']:.2f}x the time of python3 json.load")
PY
