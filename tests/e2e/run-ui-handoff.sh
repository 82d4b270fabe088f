#!/bin/sh
# run-ui-handoff.sh - `mpscope run` without --no-ui, as a person at a
# terminal sees it (the real binary in a tmux pane): the screen opens after
# the run on the trace it wrote, q brings the prompt back with the script's
# own exit status; -m all opens the three traces side by side; with stdout
# not a terminal the screen never opens and the run ends as with --no-ui.
# Skips without tmux.
command -v tmux >/dev/null 2>&1 || { echo "skip: tmux is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
MPSCOPE=$(cd "$(dirname "${MPSCOPE:-./mpscope}")" && pwd)/$(basename "${MPSCOPE:-./mpscope}")
PROGRAMS=$(pwd)/tests/programs
S=mpscope-run-ui-$$
T="tmux -L $S"
tmp=$(mktemp -d) || exit 1
failed=0

# kill-server leaves the socket file behind: remove it too.
cleanup() {
	$T kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$S"
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

screen() { $T capture-pane -p -t "$S"; }

# wait_for TEXT [SECONDS]: until the pane shows TEXT.
wait_for() {
	i=0
	while [ $i -lt $((${2:-20} * 10)) ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1; i=$((i + 1))
	done
	echo "FAIL: the screen never showed '$1'; it shows:"; screen; failed=1
	return 1
}

expect_absent() {
	if screen | grep -qF -- "$1"; then echo "FAIL: '$1' is on screen"; screen; failed=1; fi
}

$T -u new-session -d -s "$S" -x 120 -y 32 -c "$tmp" \
	"env PS1='prompt$ ' LANG=C.UTF-8 TERM=screen-256color sh" || exit 2
$T set-option -t "$S" status off >/dev/null
wait_for 'prompt$' || exit 1

# One method: the screen shows the recorded trace; quitting gives back the
# script's status (exit_codes.py exits 5), and the trace is on disk.
$T send-keys -t "$S" "$MPSCOPE run -m spawn $PROGRAMS/exit_codes.py; echo EXIT=\$?" Enter
wait_for 'exit_codes.py · spawn' && wait_for 'step 1/'
$T send-keys -t "$S" q
wait_for 'EXIT=5'
expect_absent 'step 1/'
[ -f "$tmp/exit_codes.spawn.json" ] || { echo "FAIL: no exit_codes.spawn.json was written"; failed=1; }

# -m all: the three traces open side by side, as with `mpscope replay`;
# c shows one at a time.
$T send-keys -t "$S" "clear; $MPSCOPE run -m all $PROGRAMS/classic.py; echo EXIT=\$?" Enter
wait_for 'compare 3 traces' && wait_for '┌ fork' && wait_for '┌ forkserver'
$T send-keys -t "$S" c
wait_for 'classic.py · fork (m: next)' && wait_for 'step 1/'
$T send-keys -t "$S" q
wait_for 'EXIT=0'
for m in fork spawn forkserver; do
	[ -f "$tmp/classic.$m.json" ] || { echo "FAIL: -m all wrote no classic.$m.json"; failed=1; }
done

# stdout is a pipe: no screen, the run ends by itself with the summary.
$T send-keys -t "$S" "clear; $MPSCOPE run -m fork -o piped.json $PROGRAMS/classic.py | cat; echo EXIT=\$?" Enter
wait_for 'EXIT=0' && wait_for 'trace written to piped.json'
expect_absent 'step 1/'

exit $failed
