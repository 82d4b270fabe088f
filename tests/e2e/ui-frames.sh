#!/bin/sh
# ui-frames.sh - golden frames of the replay screen: the real binary renders
# story steps headless (`mpscope replay --print`) at 80x24 and 160x48, and
# they must equal tests/golden/frames/*.txt.
#
# Most frames are of the recorded traces in traces/ (`make traces`), read
# where they are, never copied: after re-recording, `make golden-update`
# rewrites the frames and `git diff tests/golden` is the review. Steps are
# named by what happens there (`--print pickle:2`, the second pickle), not
# by number, so a frame shows the same moment of the story in a new
# recording. The hand-made traces in tests/fixtures/replay/ keep the special
# cases a recording cannot promise: a pool's grouped pickles, a hostile
# program's output, the ASCII fallback.
#
# A golden file that no frame here (or in test_ui_canvas's built-* frames)
# produces is stale: it fails the test, and MPSCOPE_GOLDEN_UPDATE=1 removes it.
MPSCOPE=${MPSCOPE:-./mpscope}
rec=traces
fix=tests/fixtures/replay
golden=tests/golden/frames
failed=0
out=$(mktemp) || exit 2
made=$(mktemp) || exit 2
trap 'rm -f "$out" "$made"' EXIT INT TERM

# frame NAME ARGS... : renders and compares (or rewrites) one golden frame.
frame() {
	name=$1; shift
	echo "$name.txt" >>"$made"
	if ! "$MPSCOPE" replay "$@" >"$out" 2>&1; then
		echo "FAIL $name: mpscope replay $* exited non-zero:"; cat "$out"; failed=1; return
	fi
	if [ "${MPSCOPE_GOLDEN_UPDATE:-}" = 1 ]; then
		cp "$out" "$golden/$name.txt"
	elif [ ! -f "$golden/$name.txt" ]; then
		echo "FAIL $name: no $golden/$name.txt (make golden-update writes it)"; failed=1
	elif ! diff -u "$golden/$name.txt" "$out"; then
		echo "FAIL $name differs from $golden/$name.txt"; failed=1
	fi
}

# at LESSON METHOD STEP [SIZE] [KEYS] : a frame of traces/LESSON.METHOD.json.
at() {
	lesson=$1 method=$2 step=$3 size=${4:-80x24}
	name="$lesson-$method-$(echo "$step" | tr : -)-$size${5:+-$5}"
	case ${5:-} in
	'') frame "$name" --print "$step" --size "$size" "$rec/$lesson.$method.json" ;;
	decoded) frame "$name" --print "$step" --size "$size" --keys d "$rec/$lesson.$method.json" ;;
	esac
}

# The classic example (f(I) prints "hello world!", two Processes).
l=01-what-gets-pickled
at $l fork fork:1                 # the child is a copy: nothing pickled
at $l fork fds:1                  # every fd inherited, ◄ fork
at $l fork output:1               # both children's interleaved writes, put back together
at $l fork exit:3 160x48          # the whole fork story
at $l spawn fork:2                # vfork of the first child (fork:1 is the resource tracker)
at $l spawn pickle:2              # the process object: __main__.f by reference
at $l spawn pickle:2 80x24 decoded
at $l spawn exec:2                # the child execs a fresh interpreter
at $l spawn fds:4                 # what the child's exec kept
at $l spawn import:1              # the child re-imports the program as __mp_main__
at $l spawn lookup:2              # find_class: __main__.f looked up by name
at $l spawn lookup:2 160x48
at $l forkserver exec:2           # the server is the fresh interpreter
at $l forkserver fds:5            # fds sent to the server over a Unix socket
at $l forkserver fork:3           # the server forks the child
at $l forkserver unpickle:2       # the child reads the process object
at $l forkserver lookup:2 160x48

# A file and a pipe opened before start: inherited under fork, closed at
# exec under spawn and forkserver.
l=02-descriptors
at $l fork fds:1
at $l fork fds:1 160x48
at $l spawn fds:4                 # the child's exec: the file and the pipe closed
at $l spawn fds:4 160x48
at $l forkserver fds:6            # the server's child: a fork of the server, not of main

# Compare mode opens on the row of the step the first trace is at.
l=01-what-gets-pickled
frame $l-compare-exec-80x24 --print exec:2 --keys c \
	"$rec/$l.spawn.json" "$rec/$l.fork.json" "$rec/$l.forkserver.json"
frame $l-compare-pickle-160x48 --print pickle:2 --size 160x48 --keys c \
	"$rec/$l.spawn.json" "$rec/$l.fork.json" "$rec/$l.forkserver.json"
frame 02-descriptors-compare-fds-160x48 --print fds:4 --size 160x48 --keys c \
	"$rec/02-descriptors.spawn.json" "$rec/02-descriptors.fork.json" \
	"$rec/02-descriptors.forkserver.json"
# One program under two Pythons: the columns are told apart by version.
frame 04-several-pythons-compare-80x24 --print lookup:2 --keys c \
	"$rec/04-several-pythons.python3.8.json" "$rec/04-several-pythons.python3.13.json"

# Special cases, from hand-made traces.
frame pool-group-80x24 --print 4 $fix/pool.fork.json
enter='
'
frame pool-group-expanded-80x24 --print 4 --keys "$enter" $fix/pool.fork.json
frame pool-group-expanded-step06-80x24 --print 4 --keys "$enter>>" $fix/pool.fork.json
frame hostile-step02-80x24 --print 2 $fix/hostile.json
frame hostile-step02-ascii-80x24 --print 2 --ascii $fix/hostile.json
frame hostile-step02-160x48 --print 2 --size 160x48 $fix/hostile.json # its argv in the lane label

# Whatever the traced program wrote, no control byte reaches the frame.
if "$MPSCOPE" replay --print 3 $fix/hostile.json | LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')"; then
	echo "FAIL a control character from the trace reached the frame"; failed=1
fi

# Stale frames: golden files nothing renders any more.
for f in "$golden"/*.txt; do
	base=${f##*/}
	case $base in built-*) continue ;; esac
	grep -qxF "$base" "$made" && continue
	if [ "${MPSCOPE_GOLDEN_UPDATE:-}" = 1 ]; then
		rm -f "$f"
	else
		echo "FAIL $f is not rendered by any frame here: stale"; failed=1
	fi
done
exit $failed
