#!/bin/sh
# Where `mpscope run` spends its time on short programs, measured in
# interleaved rounds (bench/interleave.py), per workload and start method:
#   untraced        the program alone
#   mpscope         `mpscope run --no-ui` as shipped (ptrace + probe)
#   probe only      `mpscope run --no-ui --no-ptrace`
#   ptrace only     mpscope with a probe folder whose loader starts no probe
#                   (sitecustomize.py still chains and restores, as on 3.7)
#   strace          `strace -f -e trace=process -o /dev/null`
# Workloads: the classic two-process example, 64 processes started and joined.
# Usage: bench/bench-parts.sh [ROUNDS]   (from the repository root; default 10)
set -e
rounds=${1:-10}
mpscope=${MPSCOPE:-./mpscope}
python=$(python3 -c 'import sys; print(sys.executable)')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R src/probe "$work/probe"
sed -i 's/^_start_probe()$/pass  # bench-parts: no probe/' "$work/probe/sitecustomize.py"
grep -q "bench-parts: no probe" "$work/probe/sitecustomize.py" ||
	{ echo "bench-parts: cannot turn the probe off in sitecustomize.py" >&2; exit 1; }
run="$mpscope run --no-ui --python $python -o $work/t.json"
for workload in "classic_method.py" "many_procs.py 64"; do
	for method in fork spawn forkserver; do
		prog="tests/programs/$workload $method"
		echo "== $workload $method"
		python3 bench/interleave.py "$rounds" "$python $prog" "$run $prog" \
			"$run --no-ptrace $prog" "MPSCOPE_DATA=$work $run $prog" \
			"strace -f -e trace=process -o /dev/null $python $prog"
	done
done
