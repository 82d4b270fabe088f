#!/bin/sh
# lesson-present.sh - classroom mode as a teacher uses it (the real binary
# in a tmux pane): `mpscope lesson 1 --present --offline` at 160x48 plays
# the story by itself up to the first step and stops there; space goes on
# to the next step, a quiz shows its answer on a key and records nothing;
# the teacher jumps to a step by number and back; no key bar. Then the
# terminal: too small a window gets one line and resizing back restores
# the lesson; without UTF-8 and with NO_COLOR it draws ASCII and no
# colour; q and Ctrl-C both give the shell back with the tty as it was.
# Skips without tmux.
command -v tmux >/dev/null 2>&1 || { echo "skip: tmux is not installed"; exit 77; }
MPSCOPE=$(cd "$(dirname "${MPSCOPE:-./mpscope}")" && pwd)/$(basename "${MPSCOPE:-./mpscope}")
S=mpscope-lesson-present-$$
. "$(dirname "$0")/../support/tmux.sh"
tmp=$(mktemp -d) || exit 2

cleanup() {
	tmux_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

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

# The story step in the bar: "fork 3/10" -> 3.
story_now() { screen | head -n 1 | sed -n 's/.* \([0-9]*\)\/[0-9]*  [‖▶].*/\1/p'; }

$T -u new-session -d -s "$S" -x 160 -y 48 \
	"env PS1='prompt$ ' LANG=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$tmp sh" || exit 2
$T set-option -t "$S" status off >/dev/null
wait_for 'prompt$' || exit 1
$T send-keys -t "$S" "stty -g >$tmp/stty.before; $MPSCOPE lesson 1 --present --offline; echo EXIT=\$?" Enter

# It plays by itself (▶, the story step rising), then stops at step 1 (‖)
# and stays there.
wait_for 'lesson 1 · step 1/8 · What gets pickled?' || exit 1
wait_for '▶'
first=$(story_now)
wait_for '‖'
stopped=$(story_now)
[ -n "$first" ] && [ -n "$stopped" ] && [ "$stopped" -gt "$first" ] ||
	fail "the story did not play by itself ($first -> $stopped)"
sleep 2
[ "$(story_now)" = "$stopped" ] || fail "the story did not stop at step 1"
wait_for 'makes' && wait_for 'as a copy of itself'
expect_absent '? help'

# space: on to step 2, by itself again.
$T send-keys -t "$S" Space
wait_for 'lesson 1 · step 2/8'
wait_for '‖'
# The quiz after step 2: shown, then its answer on a key; nothing recorded.
$T send-keys -t "$S" Space
wait_for 'quiz 1 of 3 · answer aloud' && wait_for 'space: show the answer'
$T send-keys -t "$S" Space
wait_for 'The answer: 0'
[ -e "$tmp/mpscope/progress.json" ] && fail "classroom mode recorded progress"

# Jumps: 6 Enter, then [ back, Home to the first.
$T send-keys -t "$S" Space
wait_for 'lesson 1 · step 3/8'
$T send-keys -t "$S" 6
wait_for 'go to step 6'
$T send-keys -t "$S" Enter
wait_for 'lesson 1 · step 6/8'
$T send-keys -t "$S" '['
wait_for 'lesson 1 · step 5/8'
$T send-keys -t "$S" Home
wait_for 'lesson 1 · step 1/8'
$T send-keys -t "$S" End
wait_for 'lesson 1 · step 8/8'

# Too small, then back.
$T resize-window -t "$S" -x 60 -y 20
wait_for 'needs at least 80x24; this terminal is 60x20'
$T resize-window -t "$S" -x 160 -y 48
wait_size 160x48
wait_for 'lesson 1 · step 8/8'

# q: the prompt, status 0, the tty as it was.
$T send-keys -t "$S" q
wait_for 'EXIT=0'
wait_gone 'lesson 1 · step'
$T send-keys -t "$S" "clear; stty -g | cmp -s - $tmp/stty.before && echo TTY-SAME" Enter
wait_for 'TTY-SAME'

# Ctrl-C: the same (the shell drops the rest of its line on an interrupt).
$T send-keys -t "$S" "clear; $MPSCOPE lesson 2 --offline" Enter
wait_for 'lesson 2 · step 1/'
$T send-keys -t "$S" C-c
wait_for 'prompt$'
wait_gone 'lesson 2 · step'
$T send-keys -t "$S" "clear; stty -g | cmp -s - $tmp/stty.before && echo TTY-SAME-AGAIN" Enter
wait_for 'TTY-SAME-AGAIN'

# No UTF-8 and NO_COLOR: ASCII lines and dots, no colour escapes.
$T send-keys -t "$S" "clear; LC_ALL=C NO_COLOR=1 $MPSCOPE lesson 1 --offline" Enter
wait_for 'lesson 1 . step 1/8' && wait_for '+ fork -'
if $T capture-pane -e -p -t "$S" | grep -q "$(printf '\033')\\[[0-9;]*3[0-7]m"; then
	fail "NO_COLOR still drew colours"
fi
$T send-keys -t "$S" q
wait_for 'prompt$'

exit $failed
