#!/bin/sh
# ui-tmux.sh - the replay screen as a person uses it: the real binary in a
# tmux pane (send-keys, capture-pane) on the recorded classic example
# (traces/01-what-gets-pickled.*.json, the three traces of lesson 1). Opens the
# three traces at 80x24, steps to the pickle, plays and pauses, opens help
# and compare mode, resizes to 60x20, 1x1 and back, quits; checks what is on
# screen at each point and that the shell prompt comes back. Then Ctrl-C and
# SIGTERM must leave a sane terminal, NO_COLOR must draw no colour, and a bad
# file must cost one line and exit 1 without touching the screen.
#
# Nothing here sleeps for a fixed time and hopes: every check polls the pane
# until the text shows (or is gone), with a generous limit, so that a loaded
# 2-core CI machine only makes it slower. Steps are found by what the screen
# says, not by number, so a re-recorded trace needs no edit. Skips without
# tmux.
command -v tmux >/dev/null 2>&1 || { echo "skip: tmux is not installed"; exit 77; }
MPSCOPE=$(cd "$(dirname "${MPSCOPE:-./mpscope}")" && pwd)/$(basename "${MPSCOPE:-./mpscope}")
TR=$(pwd)/traces/01-what-gets-pickled
S=mpscope-ui-e2e-$$
. "$(dirname "$0")/../support/tmux.sh"

for m in fork spawn forkserver; do
	[ -f "$TR.$m.json" ] || { echo "FAIL: $TR.$m.json is missing (make traces)"; exit 1; }
done

cleanup() {
	tmux_cleanup
	[ -n "${pidfile:-}" ] && rm -f "$pidfile"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# wait_size COLSxROWS: until tmux has resized the pane.
wait_size() {
	i=0
	while [ $i -lt $((LIMIT * 10)) ]; do
		[ "$($T display-message -p -t "$S" '#{pane_width}x#{pane_height}')" = "$1" ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	fail "the pane never became $1"
	return 1
}

expect_absent() {
	if screen | grep -qF -- "$1"; then fail "'$1' is on screen"; fi
}

# The story step shown in the status line ("step 7/34" -> 7).
step_now() { screen | head -n 1 | sed -n 's/.*step \([0-9]*\)\/.*/\1/p'; }
row_now() { screen | head -n 1 | sed -n 's/.*row \([0-9]*\)\/.*/\1/p'; }

# step_until TEXT: → one step at a time (each waited for) until TEXT shows.
step_until() {
	n=0
	while ! screen | grep -qF -- "$1"; do
		k=$(step_now)
		[ -n "$k" ] && [ $n -lt 60 ] || { fail "no step shows '$1'"; return 1; }
		$T send-keys -t "$S" Right
		wait_for "step $((k + 1))/" || return 1
		n=$((n + 1))
	done
}

$T -u new-session -d -s "$S" -x 80 -y 24 "env PS1='prompt$ ' LANG=C.UTF-8 TERM=screen-256color sh" || exit 2
$T set-option -t "$S" status off >/dev/null
wait_for 'prompt$' || exit 1

# Several traces open side by side, in the order given, the bookkeeping
# folded; c shows one at a time. The status line at 80 columns holds program, method, step k/n, play
# state, speed and time.
$T send-keys -t "$S" "$MPSCOPE replay $TR.spawn.json $TR.fork.json $TR.forkserver.json; echo EXIT=\$?" Enter
wait_for 'compare 3 traces' && wait_for '┌ spawn' && wait_for '(folded)' || exit 1
$T send-keys -t "$S" c
wait_for 'mpscope · example.py · spawn (m: next)' || exit 1
wait_for 'step 1/' && wait_for 'started: example.py (main)'
if ! screen | head -n 1 | grep -q '‖ 1×  t=[0-9.]* ms'; then fail "the status line lacks play state, speed or time"; fi

# Step to the process object's pickle: the payload opens at __main__.f.
step_until 'pickled the process'
wait_for 'STACK_GLOBAL  → __main__.f'
wait_for 'narration · pickle'

# Play at 4x until the story has moved on by itself, then pause.
before=$(step_now)
$T send-keys -t "$S" + + Space
wait_for '▶' && wait_for '4×'
wait_gone "step $before/"
$T send-keys -t "$S" Space
wait_for '‖'
after=$(step_now)
[ -n "$after" ] && [ "$after" -gt "$before" ] || fail "playing did not advance the story ($before -> $after)"

# Help lists every key, including the ones that are not letters.
$T send-keys -t "$S" '?'
wait_for 'q quits · any other key closes'
for what in 'play / pause' 'next step' 'previous step' 'next key moment' 'previous key moment' \
	'all steps' 'first step' 'last step' faster slower \
	'next panel' 'previous panel' 'lane above' 'lane below' 'ten up' 'ten down' 'expand / fold' \
	'next trace' 'compare traces' 'payload: disassembly' 'payload: decoded' 'payload: hex' \
	'this help' 'click a lane' 'quit at once'; do
	screen | grep -qF -- "$what" || fail "help does not list '$what'"
done
$T send-keys -t "$S" Escape
wait_gone 'any other key closes'

# Back to the start, then the next method, then compare mode.
$T send-keys -t "$S" Home
wait_for 'step 1/'
$T send-keys -t "$S" m
wait_for 'mpscope · example.py · fork (m: next)'
$T send-keys -t "$S" m m
wait_for 'mpscope · example.py · spawn (m: next)'
$T send-keys -t "$S" c
wait_for 'compare 3 traces' && wait_for '┌ fork' && wait_for '┌ forkserver'
r=$(row_now)
$T send-keys -t "$S" Right Right
wait_for "row $((r + 2))/"

# Too small: one line that says what size is needed; then 1x1; and back.
$T resize-window -t "$S" -x 60 -y 20
wait_for 'needs at least 80x24; this terminal is 60x20'
$T resize-window -t "$S" -x 1 -y 1
wait_size 1x1
$T resize-window -t "$S" -x 80 -y 24
wait_size 80x24
wait_for 'compare 3 traces' && wait_for "row $((r + 2))/"

# Quit: the prompt comes back and the exit status is 0.
$T send-keys -t "$S" q
wait_for 'EXIT=0' && wait_for 'prompt$'
expect_absent 'mpscope · example.py'

# Ctrl-C and SIGTERM restore the terminal: the prompt returns, the screen
# is the shell's again, and the tty still echoes what is typed.
$T send-keys -t "$S" "clear; $MPSCOPE replay $TR.fork.json" Enter
wait_for 'step 1/'
$T send-keys -t "$S" C-c
wait_for 'prompt$'
wait_gone 'step 1/'
pidfile=$(mktemp)
$T send-keys -t "$S" "clear; sh -c 'echo \$\$ >$pidfile; exec $MPSCOPE replay $TR.fork.json'; echo EXIT=\$?" Enter
wait_for 'step 1/'
kill -TERM "$(cat "$pidfile")"
wait_for 'EXIT=143'
wait_gone 'step 1/'
$T send-keys -t "$S" "stty -a | grep -o ' echo ' ; echo typed-back" Enter
wait_for 'typed-back' && wait_for ' echo '

# No UTF-8 locale and NO_COLOR: ASCII lines, no colour escapes at all.
$T send-keys -t "$S" "clear; LC_ALL=C NO_COLOR=1 $MPSCOPE replay $TR.spawn.json" Enter
wait_for '+ processes'
if $T capture-pane -e -p -t "$S" | grep -q "$(printf '\033')\\[[0-9;]*3[0-7]m"; then
	fail "NO_COLOR still drew colours"
fi
$T send-keys -t "$S" q
wait_for 'prompt$'

# A bad file: one line on stderr, exit 1, the screen never taken.
$T send-keys -t "$S" "clear; $MPSCOPE replay /no/such/trace.json; echo EXIT=\$?" Enter
wait_for 'EXIT=1'
wait_for "mpscope: "
expect_absent 'processes'

exit $failed
