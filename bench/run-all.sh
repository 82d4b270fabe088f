#!/bin/sh
# Runs every benchmark (bench/bench-*.sh) in turn. Each one times mpscope side
# by side with its peer tool in one hyperfine run and prints the ratio; the
# figures and the commands behind them are kept in docs/performance.md.
set -eu
command -v hyperfine >/dev/null 2>&1 || {
	echo "bench: needs hyperfine (apt-get install hyperfine)" >&2
	exit 1
}
for b in bench/bench-*.sh; do
	echo "== $b"
	sh "$b"
done
