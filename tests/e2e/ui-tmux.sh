#!/bin/sh
# ui-tmux.sh - the replay screen as a person uses it: the real binary in a
# tmux pane (send-keys, capture-pane). Opens three traces, plays, steps,
# switches to compare mode, resizes to 60x20 and back, quits; checks what
# is on screen at each point and that the shell prompt comes back. Then
# Ctrl-C and SIGTERM must leave a sane terminal, and a bad file must cost
# one line and exit 1 without touching the screen. Skips without tmux.
command -v tmux >/dev/null 2>&1 || { echo "skip: tmux is not installed"; exit 77; }
MPSCOPE=$(cd "$(dirname "${MPSCOPE:-./mpscope}")" && pwd)/$(basename "${MPSCOPE:-./mpscope}")
FIX=$(pwd)/tests/fixtures/replay
S=mpscope-ui-e2e-$$
T="tmux -L $S"
failed=0

# kill-server leaves the socket file behind: remove it too.
cleanup() {
	$T kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$S"
}
trap cleanup EXIT INT TERM

screen() { $T capture-pane -p -t "$S"; }

# wait_for TEXT [SECONDS]: until the pane shows TEXT.
wait_for() {
	i=0
	while [ $i -lt $((${2:-5} * 10)) ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1; i=$((i + 1))
	done
	echo "FAIL: the screen never showed '$1'; it shows:"; screen; failed=1
	return 1
}

expect_absent() {
	if screen | grep -qF -- "$1"; then echo "FAIL: '$1' is still on screen"; screen; failed=1; fi
}

$T -u new-session -d -s "$S" -x 100 -y 30 "env PS1='prompt$ ' LANG=C.UTF-8 TERM=screen-256color sh" || exit 2
$T set-option -t "$S" status off >/dev/null
wait_for 'prompt$' || exit 1

$T send-keys -t "$S" "$MPSCOPE replay $FIX/classic.spawn.json $FIX/classic.fork.json $FIX/classic.forkserver.json; echo EXIT=\$?" Enter
wait_for 'mpscope · example.py · spawn' && wait_for 'step 1/25'
wait_for '4211 started: example.py (main)'

# Step forward three times: the process object has been pickled.
$T send-keys -t "$S" Right Right Right
wait_for 'step 4/25' && wait_for 'pickled the process object'
wait_for 'STACK_GLOBAL  → __main__.f'

# Play for a while, then pause: the story has moved on by itself.
$T send-keys -t "$S" + + Space
wait_for '▶'
sleep 1.5
$T send-keys -t "$S" Space
wait_for '‖'
expect_absent 'step 4/25'

# Back to the start, then compare mode.
$T send-keys -t "$S" Home c
wait_for 'compare 3 traces' && wait_for '┌ fork' && wait_for '┌ forkserver'
$T send-keys -t "$S" Right Right
wait_for 'row 3'

# Too small: one line that says what size is needed; and back.
$T resize-window -t "$S" -x 60 -y 20
wait_for 'needs at least 80x24; this terminal is 60x20'
$T resize-window -t "$S" -x 1 -y 1
sleep 0.3
$T resize-window -t "$S" -x 100 -y 30
wait_for 'compare 3 traces'

# Help, then quit: the prompt comes back and the exit status is 0.
$T send-keys -t "$S" c '?'
wait_for 'any key closes'
$T send-keys -t "$S" Escape q
wait_for 'EXIT=0' && wait_for 'prompt$'
expect_absent 'mpscope · example.py'

# Ctrl-C and SIGTERM restore the terminal: the prompt returns, the screen
# is the shell's again, and the tty still echoes what is typed.
$T send-keys -t "$S" "clear; $MPSCOPE replay $FIX/classic.fork.json" Enter
wait_for 'step 1/11'
$T send-keys -t "$S" C-c
wait_for 'prompt$'
expect_absent 'step 1/11'
pidfile=$(mktemp)
$T send-keys -t "$S" "clear; sh -c 'echo \$\$ >$pidfile; exec $MPSCOPE replay $FIX/classic.fork.json'; echo EXIT=\$?" Enter
wait_for 'step 1/11'
kill -TERM "$(cat "$pidfile")"
rm -f "$pidfile"
wait_for 'EXIT=143'
expect_absent 'step 1/11'
$T send-keys -t "$S" "stty -a | grep -o ' echo ' ; echo typed-back" Enter
wait_for 'typed-back' && wait_for ' echo '

# No UTF-8 locale and NO_COLOR: ASCII lines, no colour escapes at all.
$T send-keys -t "$S" "clear; LC_ALL=C NO_COLOR=1 $MPSCOPE replay $FIX/classic.spawn.json" Enter
wait_for '+ processes'
if $T capture-pane -e -p -t "$S" | grep -q "$(printf '\033')\\[[0-9;]*3[0-7]m"; then
	echo "FAIL: NO_COLOR still drew colours"; failed=1
fi
$T send-keys -t "$S" q
wait_for 'prompt$'

# A bad file: one line on stderr, exit 1, the screen never taken.
$T send-keys -t "$S" "clear; $MPSCOPE replay /no/such/trace.json; echo EXIT=\$?" Enter
wait_for 'EXIT=1'
wait_for "mpscope: "
expect_absent 'processes'

exit $failed
