#!/bin/sh
# The tracer's cost on many pickles, measured the way the noise of a shared
# 2-core machine allows: interleaved rounds (bench/interleave.py), per start
# method, for Pool(2).map over TASKS tasks (tests/programs/pool_map.py) and a
# Queue carrying TASKS items to one Process (tests/programs/queue_items.py):
#   untraced                         the program alone
#   mpscope                          `mpscope run --no-ui` as shipped
#   mpscope, pure-Python probe       the same without the probe's C fast path
#                                    (a copy of the probe without _fastpath.abi3.so)
#   mpscope --all-payloads           every pickle an event
# Usage: bench/bench-pool.sh [ROUNDS [TASKS]]   (from the repository root;
# default 20 rounds, 20,000 tasks)
set -e
rounds=${1:-20}
tasks=${2:-20000}
mpscope=${MPSCOPE:-./mpscope}
python=$(python3 -c 'import sys; print(sys.executable)')
[ -f src/probe/mpscope_probe/_fastpath.abi3.so ] ||
	{ echo "bench-pool: build first (make): the probe's fast path is missing" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R src/probe "$work/probe"
rm -f "$work/probe/mpscope_probe/_fastpath.abi3.so"
run="$mpscope run --no-ui --python $python -o $work/t.json"
for workload in pool_map queue_items; do
	for method in fork spawn forkserver; do
		prog="tests/programs/$workload.py $tasks $method"
		echo "== $workload, $tasks tasks, $method"
		python3 bench/interleave.py "$rounds" "$python $prog" "$run $prog" \
			"MPSCOPE_DATA=$work $run $prog" "$run --all-payloads $prog"
	done
done
