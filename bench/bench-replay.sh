#!/bin/sh
# bench-replay.sh - how fast the replay screen opens and steps through a
# big trace: 1,000 processes and 200,000 events, generated, then
# `mpscope replay --bench` times the draw path headless (clock_gettime,
# in-process): load + first frame, then 1,000 steps (one in ten a step
# back, the worst case). Goals: first frame under 1 s, frames under 5 ms.
#   bench/bench-replay.sh [MPSCOPE] [PROCS] [EVENTS]
MPSCOPE=${1:-${MPSCOPE:-./mpscope}}
PROCS=${2:-1000}
EVENTS=${3:-200000}
dir=build/bench
mkdir -p "$dir" || exit 1
trace=$dir/replay-$PROCS-$EVENTS.json
[ -f "$trace" ] || python3 bench/gen-replay-trace.py "$trace" "$PROCS" "$EVENTS" || exit 1
ls -l "$trace" | awk '{printf "trace_bytes %s\n", $5}'
for size in 80x24 160x48; do
	echo "size $size"
	"$MPSCOPE" replay --bench 1000 --size "$size" "$trace" || exit 1
done
