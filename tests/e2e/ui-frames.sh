#!/bin/sh
# ui-frames.sh - golden frames of the replay screen: the real binary renders
# story steps of each method headless (`mpscope replay --print`), at 80x24
# and 160x48, and they must equal tests/golden/frames/*.txt.
#
# The traces are the hand-made ones in tests/fixtures/replay/. To check the
# recorded traces instead: MPSCOPE_FRAME_TRACES=traces (same file names,
# classic.<method>.json), then review with MPSCOPE_GOLDEN_UPDATE=1.
MPSCOPE=${MPSCOPE:-./mpscope}
dir=${MPSCOPE_FRAME_TRACES:-tests/fixtures/replay}
golden=tests/golden/frames
failed=0
out=$(mktemp) || exit 2
trap 'rm -f "$out"' EXIT INT TERM

# frame NAME ARGS... : renders and compares (or rewrites) one golden frame.
frame() {
	name=$1; shift
	if ! "$MPSCOPE" replay "$@" >"$out" 2>&1; then
		echo "FAIL $name: mpscope replay $* exited non-zero:"; cat "$out"; failed=1; return
	fi
	if [ "${MPSCOPE_GOLDEN_UPDATE:-}" = 1 ]; then
		cp "$out" "$golden/$name.txt"
	elif ! diff -u "$golden/$name.txt" "$out"; then
		echo "FAIL $name differs from $golden/$name.txt"; failed=1
	fi
}

for m in fork spawn forkserver; do
	for step in 1 3 5 7 9 12; do
		frame "classic-$m-step$(printf %02d $step)-80x24" --print $step "$dir/classic.$m.json"
	done
	frame "classic-$m-step07-160x48" --print 7 --size 160x48 "$dir/classic.$m.json"
	frame "classic-$m-step07-decoded-80x24" --print 7 --keys d "$dir/classic.$m.json"
done
frame classic-compare-row05-80x24 --print 1 --keys 'c>>>>' \
	"$dir/classic.fork.json" "$dir/classic.spawn.json" "$dir/classic.forkserver.json"
frame classic-compare-row09-160x48 --print 1 --size 160x48 --keys 'c>>>>>>>>' \
	"$dir/classic.fork.json" "$dir/classic.spawn.json" "$dir/classic.forkserver.json"
frame pool-group-80x24 --print 4 tests/fixtures/replay/pool.fork.json
enter='
'
frame pool-group-expanded-80x24 --print 4 --keys "$enter" tests/fixtures/replay/pool.fork.json
frame pool-group-expanded-step06-80x24 --print 4 --keys "$enter>>" tests/fixtures/replay/pool.fork.json
frame hostile-step02-80x24 --print 2 tests/fixtures/replay/hostile.json
frame hostile-step02-ascii-80x24 --print 2 --ascii tests/fixtures/replay/hostile.json

# Whatever the traced program wrote, no control byte reaches the screen.
if "$MPSCOPE" replay --print 3 tests/fixtures/replay/hostile.json | LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')"; then
	echo "FAIL a control character from the trace reached the frame"; failed=1
fi
exit $failed
