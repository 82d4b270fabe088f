#!/bin/sh
# ui-frames.sh - the one way golden frames of the replay screen are made:
# the real binary renders story steps headless (`mpscope replay --print`)
# and each frame must equal tests/golden/frames/NAME.txt.
# MPSCOPE_GOLDEN_UPDATE=1 (`make golden-update`) rewrites the files instead;
# `git diff tests/golden` is the review.
#
# Lessons are found by folder: lessons/NN-slug/ with its recorded traces in
# traces/NN-slug.METHOD.json, read where they are. A lesson's `frames` file
# lists its frames, one a line (after '#', a comment):
#   TRACES STEP [SIZE] [VIEW]
#   TRACES  a METHOD of traces/NN-slug.METHOD.json (fork, spawn, python3.8),
#           or several joined by '+': compare mode, columns in that order
#   STEP    the moment, named by what happens there (`fork:1`, `pickle:2`,
#           the second pickle; see `mpscope replay --help`), so a frame
#           shows the same moment of the story in a new recording
#   SIZE    COLSxROWS, 80x24 unless given
#   VIEW    decoded or hex (the payload panel), help (the key help),
#           folded (the bookkeeping steps folded, key a)
# and the frame is named NN-slug-METHOD-STEP-SIZE[-VIEW], with "compare" for
# the method of several traces and '-' for the ':' of the step. Compare mode
# is shown as the screen opens it, folded; STEP names a step of the first
# trace's whole story, and the fold keeps that moment.
#
# The hand-made traces in tests/fixtures/replay/ keep the special cases a
# recording cannot promise: a pool's grouped pickles, a busy pool's pickles
# counted and not kept, a hostile program's output, the ASCII fallback, and the small classic story that the unit
# tests build in C (tests/fixtures/replay/builder.h; built-classic.*.json
# are those traces saved). Their frames are listed at the end of this file.
#
# A golden file that no frame produces is stale: it fails the test, and
# MPSCOPE_GOLDEN_UPDATE=1 removes it.
MPSCOPE=${MPSCOPE:-./mpscope}
rec=traces
fix=tests/fixtures/replay
golden=tests/golden/frames
failed=0
out=$(mktemp) || exit 2
made=$(mktemp) || exit 2
# The menu shows progress: none, whoever runs this.
XDG_STATE_HOME=$(mktemp -d) || exit 2
export XDG_STATE_HOME
trap 'rm -f "$out" "$made"; rm -rf "$XDG_STATE_HOME"' EXIT INT TERM

# frame_of NAME VERB ARGS... : renders (`mpscope VERB ARGS`) and compares
# (or rewrites) one golden frame.
frame_of() {
	name=$1 verb=$2; shift 2
	if grep -qxF "$name.txt" "$made"; then
		echo "FAIL $name: two frames have this name"; failed=1; return
	fi
	echo "$name.txt" >>"$made"
	if ! "$MPSCOPE" "$verb" "$@" >"$out" 2>&1 </dev/null; then
		echo "FAIL $name: mpscope $verb $* exited non-zero:"; cat "$out"; failed=1; return
	fi
	if [ "${MPSCOPE_GOLDEN_UPDATE:-}" = 1 ]; then
		cp "$out" "$golden/$name.txt"
	elif [ ! -f "$golden/$name.txt" ]; then
		echo "FAIL $name: no $golden/$name.txt (make golden-update writes it)"; failed=1
	elif ! diff -u "$golden/$name.txt" "$out"; then
		echo "FAIL $name differs from $golden/$name.txt"; failed=1
	fi
}

# frame NAME ARGS... : a frame of the replay screen.
frame() {
	name=$1; shift
	frame_of "$name" replay "$@"
}

# lesson_frame SLUG WHERE TRACES STEP [SIZE] [VIEW] : one line of a frames file.
lesson_frame() {
	slug=$1 where=$2 traces=$3 step=$4; shift 4
	size=80x24 view='' keys=''
	for f in "$@"; do
		case $f in
		[0-9]*x[0-9]*) size=$f ;;
		decoded) view=$f keys=${keys}d ;;
		hex) view=$f keys=${keys}x ;;
		help) view=$f keys=${keys}? ;;
		folded) view=$f keys=${keys}a ;;
		*) echo "FAIL $where: '$f' is neither a COLSxROWS size nor decoded, hex, help or folded"
		   failed=1; return ;;
		esac
	done
	label=$traces
	case $traces in *+*) label=compare keys=ac$keys ;; esac
	set --
	old_ifs=$IFS; IFS=+
	for m in $traces; do
		[ -f "$rec/$slug.$m.json" ] || {
			IFS=$old_ifs
			echo "FAIL $where: no $rec/$slug.$m.json (make traces records it)"
			failed=1; return
		}
		set -- "$@" "$rec/$slug.$m.json"
	done
	IFS=$old_ifs
	[ -n "$keys" ] && set -- --keys "$keys" "$@"
	frame "$slug-$label-$(echo "$step" | tr : -)-$size${view:+-$view}" \
		--print "$step" --size "$size" "$@"
}

# Every lesson folder's frames file, in folder order.
for dir in lessons/[0-9][0-9]-*/; do
	slug=${dir%/}; slug=${slug##*/}
	[ -f "${dir}frames" ] || continue
	n=0
	set -f # the fields of a line are words, not patterns
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		# shellcheck disable=SC2086 # split the line into its fields
		set -- ${line%%#*}
		[ $# -gt 0 ] && lesson_frame "$slug" "${dir}frames:$n" "$@"
	done <"${dir}frames"
	set +f
done

# Special cases, from hand-made traces.
frame built-fork-step03-80x24 --print 3 $fix/built-classic.fork.json $fix/built-classic.spawn.json
frame built-spawn-step03-80x24 --print 3 $fix/built-classic.spawn.json $fix/built-classic.fork.json
frame built-compare-row03-80x24 --print 1 --keys 'c>>' \
	$fix/built-classic.fork.json $fix/built-classic.spawn.json
frame built-help-80x24 --print 3 --keys '?' $fix/built-classic.spawn.json $fix/built-classic.fork.json
frame pool-group-80x24 --print 4 $fix/pool.fork.json
enter='
'
frame pool-group-expanded-80x24 --print 4 --keys "$enter" $fix/pool.fork.json
frame pool-group-expanded-step06-80x24 --print 4 --keys "$enter>>" $fix/pool.fork.json
# Counted, not kept: the worker's step at its end (◇ past its ■, the status
# past the ◇), the main process's last, ASCII, and the help's legend.
frame pool-counted-counted-1-80x24 --print counted:1 $fix/pool-counted.fork.json
frame pool-counted-counted-2-120x40 --print counted:2 --size 120x40 $fix/pool-counted.fork.json
frame pool-counted-counted-1-ascii-80x24 --print counted:1 --ascii $fix/pool-counted.fork.json
frame pool-counted-help-80x24 --print counted:1 --keys '?' $fix/pool-counted.fork.json
frame hostile-step02-80x24 --print 2 $fix/hostile.json
frame hostile-step02-ascii-80x24 --print 2 --ascii $fix/hostile.json
frame hostile-step02-160x48 --print 2 --size 160x48 $fix/hostile.json # its argv in the lane label

# The lesson screens (`mpscope lessons --print`, `mpscope lesson N
# --print STEP`): the menu, lesson 1's first step, a typed quiz open,
# answered right and wrong, a choice, the summary; classroom mode; the
# traceback an output step scrolls to (lesson 3); the group a step opens
# at its pickle (lesson 11); lesson 16's steps about the verdict line
# (the Innocent's, and multiprocessing's own Process pickle); ASCII.
frame_of lessons-menu-80x24 lessons --print
frame_of lessons-menu-160x48 lessons --print --size 160x48
frame_of lesson-01-step-1-80x24 lesson 1 --print 1
frame_of lesson-01-step-1-160x48 lesson 1 --print 1 --size 160x48
frame_of lesson-01-step-1-ascii-80x24 lesson 1 --print 1 --ascii
frame_of lesson-01-quiz-1-80x24 lesson 1 --print 2 --keys '>'
frame_of lesson-01-quiz-1-right-80x24 lesson 1 --print 2 --keys ">0$enter"
frame_of lesson-01-quiz-2-wrong-80x24 lesson 1 --print 4 --keys ">1$enter"
frame_of lesson-01-quiz-2-see-80x24 lesson 1 --print 4 --keys ">1${enter}s"
frame_of lesson-01-quiz-3-160x48 lesson 1 --print 5 --keys '>' --size 160x48
frame_of lesson-01-summary-80x24 lesson 1 --print 8 --keys '>'
frame_of lesson-01-step-4-present-160x48 lesson 1 --print 4 --present --size 160x48
frame_of lesson-01-quiz-2-present-160x48 lesson 1 --print 4 --present --keys '> ' --size 160x48
frame_of lesson-03-step-4-80x24 lesson 3 --print 4
frame_of lesson-11-step-2-80x24 lesson 11 --print 2
frame_of lesson-16-step-3-80x24 lesson 16 --print 3
frame_of lesson-16-step-11-120x40 lesson 16 --print 11 --size 120x40

# Whatever the traced program wrote, no control byte reaches the frame.
if "$MPSCOPE" replay --print 3 $fix/hostile.json | LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')"; then
	echo "FAIL a control character from the trace reached the frame"; failed=1
fi

# Stale frames: golden files nothing renders any more.
for f in "$golden"/*.txt; do
	base=${f##*/}
	grep -qxF "$base" "$made" && continue
	if [ "${MPSCOPE_GOLDEN_UPDATE:-}" = 1 ]; then
		rm -f "$f"
	else
		echo "FAIL $f is not rendered by any frame here: stale"; failed=1
	fi
done
exit $failed
