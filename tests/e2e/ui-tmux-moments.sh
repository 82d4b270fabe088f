#!/bin/sh
# ui-tmux-moments.sh - the screen a class needs, as a teacher uses it: the
# real binary in a tmux pane (its own socket) on the recorded classic
# example, three traces side by side in compare mode, folded.
# Checks n / N (key moments), a (the fold), that c and m keep the place,
# the legend line under the lanes, and the layouts at 80x24 and 160x48;
# --no-animation and MPSCOPE_NO_ANIMATION=1 open the same screen.
#
# Every check polls the pane with a generous limit (MPSCOPE_TMUX_WAIT, 30 s),
# never a fixed sleep; moments are found by what the screen says (the
# narration's title, the status line), not by step number, so a re-recorded
# trace needs no edit. Skips without tmux.
command -v tmux >/dev/null 2>&1 || { echo "skip: tmux is not installed"; exit 77; }
MPSCOPE=$(cd "$(dirname "${MPSCOPE:-./mpscope}")" && pwd)/$(basename "${MPSCOPE:-./mpscope}")
TR=$(pwd)/traces/01-what-gets-pickled
S=mpscope-ui-moments-$$
T="tmux -L $S"
LIMIT=${MPSCOPE_TMUX_WAIT:-30}
failed=0

for m in fork spawn forkserver; do
	[ -f "$TR.$m.json" ] || { echo "FAIL: $TR.$m.json is missing (make traces)"; exit 1; }
done

cleanup() {
	$T kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$S"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

screen() { $T capture-pane -p -t "$S"; }

fail() {
	echo "FAIL: $1; the screen shows:"; screen; failed=1
}

# poll CMD...: until CMD succeeds, or fail after LIMIT seconds.
poll() {
	i=0
	while [ $i -lt $((LIMIT * 10)) ]; do
		"$@" && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

shows() { screen | grep -qF -- "$1"; }
lacks() { ! screen | grep -qF -- "$1"; }
wait_for() { poll shows "$1" || { fail "the screen never showed '$1' in ${LIMIT}s"; return 1; }; }
wait_gone() { poll lacks "$1" || { fail "'$1' stayed on screen for ${LIMIT}s"; return 1; }; }

size_is() { [ "$($T display-message -p -t "$S" '#{pane_width}x#{pane_height}')" = "$1" ]; }

status() { screen | head -n 1; }
step_now() { status | sed -n 's/.*step \([0-9]*\)\/.*/\1/p'; }
steps_all() { status | sed -n 's/.*step [0-9]*\/\([0-9]*\).*/\1/p'; }
moment() { screen | sed -n 's/.*narration · \([a-z]*\).*/\1/p' | head -n 1; }

# press KEY: sends it and waits until the status line has changed.
press() {
	before=$(status)
	$T send-keys -t "$S" "$1"
	poll status_changed "$before" || { fail "'$1' changed nothing"; return 1; }
}
status_changed() { [ "$(status)" != "$1" ]; }

$T -u new-session -d -s "$S" -x 80 -y 24 "env PS1='prompt$ ' LANG=C.UTF-8 TERM=screen-256color sh" || exit 2
$T set-option -t "$S" status off >/dev/null
wait_for 'prompt$' || exit 1

# `make run`: three traces, compare mode, the bookkeeping folded.
$T send-keys -t "$S" "$MPSCOPE replay $TR.spawn.json $TR.fork.json $TR.forkserver.json; echo EXIT=\$?" Enter
wait_for 'compare 3 traces' && wait_for '(folded)' || exit 1
wait_for '┌ spawn' && wait_for 'nothing pickled so far'

# n in compare mode: the next row with a key moment; the spawn column tells
# what was pickled, its size, and the program's name it refers to.
# (The first is main's import of helper.py, the program's own module.)
press n && press n && press n
wait_for '◆ process 344 B' && wait_for '→ __main__.f'

# One trace at a time: the legend under the lanes, at 80x24 the grid.
press c
wait_for 'mpscope · example.py · spawn (m: next)'
wait_for '┬└fork ●exec ◆pickle ○find •out ■exit'
screen | grep -q '┌ processes.*┌ payload' || fail "at 80x24 the processes and the payload are not side by side"

# c kept the place: the pickle that compare mode was on.
[ "$(moment)" = pickle ] || fail "c did not keep the pickle (narration · $(moment))"

# n / N: from key moment to key moment; a fork is one.
press Home
wait_for 'step 1/'
press n
[ "$(moment)" = import ] || fail "n from the start is not main's import of helper.py (narration · $(moment))"
press n
[ "$(moment)" = pickle ] || fail "n after the import is not the first pickle (narration · $(moment))"
first=$(step_now)
until [ "$(moment)" = fork ]; do
	k=$(step_now)
	press n || break
	[ "$(step_now)" -gt "$k" ] || { fail "n did not move forward from step $k"; break; }
done
fork=$(step_now)
press N
[ "$(step_now)" -lt "$fork" ] && [ "$(step_now)" -ge "$first" ] || fail "N did not go back to a key moment before the fork"
[ "$(moment)" = pickle ] || fail "N before the fork is not a pickle (narration · $(moment))"
press n
[ "$(step_now)" = "$fork" ] || fail "n after N is not the fork again"

# a: every step, at the same moment; a again folds them back.
folded_all=$(steps_all)
press a
wait_gone '(folded)'
[ "$(moment)" = fork ] || fail "a lost the fork (narration · $(moment))"
[ "$(steps_all)" -gt "$folded_all" ] || fail "a did not show more steps ($folded_all, then $(steps_all))"
press a
wait_for '(folded)'
[ "$(moment)" = fork ] || fail "a again lost the fork"
[ "$(step_now)" = "$fork" ] || fail "a twice did not come back to step $fork"

# c and back keeps the step; m keeps the moment: spawn's first unpickle,
# through fork (which has none), to forkserver's unpickle and back.
press c
wait_for 'compare 3 traces'
screen | grep '^▶' | grep -q 'vfork' || fail "compare mode is not on the row of the fork"
press c
[ "$(step_now)" = "$fork" ] || fail "c, c did not come back to step $fork"
until [ "$(moment)" = unpickle ]; do press n || break; done
spawn_unpickle=$(step_now)
press m
wait_for 'mpscope · example.py · fork (m: next)'
[ "$(step_now)" -gt 1 ] || fail "m lost the place: fork is at its first step"
press m
wait_for 'example.py · forkserver'
[ "$(moment)" = unpickle ] || fail "m did not land on forkserver's unpickle (narration · $(moment))"
press m
wait_for 'mpscope · example.py · spawn (m: next)'
[ "$(step_now)" = "$spawn_unpickle" ] || fail "m m m did not come back to spawn's unpickle"

# 160x48: the processes span the width, the panels below share the rest,
# the legend in words.
$T resize-window -t "$S" -x 160 -y 48
poll size_is 160x48 || fail "the pane never became 160x48"
wait_for '┬└ fork: parent, child  ● start / exec  ◆ pickle made or read'
screen | sed -n 2p | grep -q '^┌ processes.*┐$' || fail "at 160x48 the processes do not span the width"
screen | grep -q '^┌ payload.*┌ resources' || fail "at 160x48 the payload and resources are not below the lanes"
[ "$(screen | grep -c '^│  *[0-9]*: ')" -gt 20 ] || fail "at 160x48 the payload panel shows fewer than 20 lines"
$T resize-window -t "$S" -x 80 -y 24
poll size_is 80x24 || fail "the pane never became 80x24"
wait_for '┬└fork ●exec ◆pickle ○find •out ■exit'

# Help says how to leave it and what the glyphs mean.
$T send-keys -t "$S" '?'
wait_for 'q quits · any other key closes'
wait_for 'payload on its way'
$T send-keys -t "$S" x
wait_gone 'q quits · any other key closes'
$T send-keys -t "$S" q
wait_for 'EXIT=0'

# No animation, by flag or by environment: the same screen, stepping.
for how in "$MPSCOPE replay --no-animation" "env MPSCOPE_NO_ANIMATION=1 NO_COLOR=1 $MPSCOPE replay"; do
	$T send-keys -t "$S" "clear; $how $TR.spawn.json; echo EXIT=\$?" Enter
	wait_for 'step 1/' || continue
	press n
	[ "$(moment)" = import ] || fail "$how: n is not on the import of helper.py"
	$T send-keys -t "$S" q
	wait_for 'EXIT=0'
done

exit $failed
