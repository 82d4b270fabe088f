#!/bin/sh
# Wall time of `mpscope run --no-ui` against the untraced program and
# `strace -f -e trace=process`, side by side in one hyperfine run per
# workload and start method:
#   classic  the two-process example (tests/programs/classic_method.py)
#   pool     Pool(2).map over 20,000 tasks, chunksize 1 (tests/programs/pool_map.py)
#   procs    64 processes started and joined (tests/programs/many_procs.py)
# Usage: bench/bench-run.sh [RUNS]   (from the repository root; default 5 runs,
# at most 3 on the pool because strace takes ~11 s a run there).
# The pool also runs with --all-payloads (every pickle an event).
# Results: build/bench/run-<workload>-<method>.md (hyperfine markdown tables).
# Run it alone on the machine and under `nice -n 19` when it is shared.
set -e
runs=${1:-5}
mpscope=${MPSCOPE:-./mpscope}
command -v hyperfine >/dev/null || { echo "bench-run: needs hyperfine" >&2; exit 1; }
python=$(python3 -c 'import sys; print(sys.executable)')
out=build/bench
mkdir -p "$out"
trace=$(mktemp -d)
trap 'rm -rf "$trace"' EXIT

for method in fork spawn forkserver; do
	for workload in classic pool procs; do
		case $workload in
		classic) prog="tests/programs/classic_method.py $method"; n=$runs ;;
		pool) prog="tests/programs/pool_map.py 20000 $method"; n=$((runs < 3 ? runs : 3)) ;;
		procs) prog="tests/programs/many_procs.py 64 $method"; n=$runs ;;
		esac
		set -- --command-name "untraced $workload $method" "$python $prog" \
			--command-name "mpscope $workload $method" \
			"$mpscope run --no-ui --python $python -o $trace/t.json $prog"
		# The Pool also with every payload kept: each of its 80,000
		# pickles an event, as before pickles were counted.
		[ "$workload" = pool ] && set -- "$@" \
			--command-name "mpscope --all-payloads $workload $method" \
			"$mpscope run --no-ui --all-payloads --python $python -o $trace/t.json $prog"
		hyperfine --style basic --warmup 1 --runs "$n" -N \
			--export-markdown "$out/run-$workload-$method.md" "$@" \
			--command-name "strace $workload $method" \
			"strace -f -e trace=process -o /dev/null $python $prog" \
			--output null
	done
done
echo "bench-run: tables in $out/run-*.md"
