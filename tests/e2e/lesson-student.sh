#!/bin/sh
# lesson-student.sh - a student at a terminal (the real binary in a tmux
# pane, 80x24): `mpscope` alone opens the lesson menu; Enter opens lesson 1
# (recorded live when python3 is there, else from the recorded traces);
# the student steps through it, answers the first quiz right and the
# second wrong, looks at the step the wrong answer points to and comes
# back, then q goes back to the menu. The progress file
# ($XDG_STATE_HOME/mpscope/progress.json) then holds exactly those two
# answers, and the menu shows the score. Opened again, the lesson goes to
# its end: the summary, and the lesson done in the file and the menu.
# Then q in the menu: the prompt is back with status 0, the tty sane.
#
# Every check polls the pane (MPSCOPE_TMUX_WAIT, 30 s); steps change at
# once (MPSCOPE_NO_ANIMATION=1) so that the test waits for nothing but
# the screen. Skips without tmux.
command -v tmux >/dev/null 2>&1 || { echo "skip: tmux is not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 reads the progress file"; exit 77; }
MPSCOPE=$(cd "$(dirname "${MPSCOPE:-./mpscope}")" && pwd)/$(basename "${MPSCOPE:-./mpscope}")
S=mpscope-lesson-student-$$
. "$(dirname "$0")/../support/tmux.sh"
state=$(mktemp -d) || exit 2

cleanup() {
	tmux_cleanup
	rm -rf "$state"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# The lesson step in the bar: "lesson 1 · step 3/8" -> 3.
step_now() { screen | head -n 1 | sed -n 's/.*step \([0-9]*\)\/.*/\1/p'; }

# next_to N: → until the bar says step N/ (each → waited for).
next_to() {
	n=0
	while [ "$(step_now)" != "$1" ]; do
		[ $n -lt 20 ] || { fail "never reached step $1"; return 1; }
		$T send-keys -t "$S" Right
		sleep 0.2; n=$((n + 1))
	done
}

# progress PYTHON-EXPRESSION: true when it holds of the lesson's entry `l`.
progress() {
	python3 - "$state/mpscope/progress.json" "$1" <<'EOF'
import json, sys
l = json.load(open(sys.argv[1]))["lessons"]["01-what-gets-pickled"]
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}

$T -u new-session -d -s "$S" -x 80 -y 24 \
	"env PS1='prompt$ ' LANG=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$state MPSCOPE_NO_ANIMATION=1 sh" || exit 2
$T set-option -t "$S" status off >/dev/null
wait_for 'prompt$' || exit 1
$T send-keys -t "$S" "stty -g >$state/stty.before; $MPSCOPE; echo EXIT=\$?" Enter

# The menu: every lesson, none started, the first one's question.
wait_for 'mpscope · lessons' || exit 1
wait_for '01   What gets pickled?' && wait_for '15   One program, several Pythons'
wait_for '16   A pickle is a program'
wait_for 'not started' && wait_for 'proves: fork-copies'
wait_for 'When a Process starts, what does multiprocessing pickle'

# Lesson 1: step 1, its words, the lesson bar.
$T send-keys -t "$S" Enter
wait_for 'lesson 1 · step 1/8 · What gets pickled?' || exit 1
wait_for 'makes' && wait_for 'as a copy of itself'
$T send-keys -t "$S" Right
wait_for 'lesson 1 · step 2/8'
# Leaving step 2 asks quiz 1: typed, right (nothing is pickled under fork).
$T send-keys -t "$S" Right
wait_for 'quiz 1 of 3' && wait_for 'how many pickles did the parent make'
$T send-keys -t "$S" 0 Enter
wait_for 'Right: 0.'
progress 'l["quiz"][0]["right"] is True and l["quiz"][0]["answer"] == "0"' ||
	fail "the first answer is not in the progress file at once"
$T send-keys -t "$S" Enter
wait_for 'lesson 1 · step 3/8'
next_to 4
# Quiz 2, wrong: the feedback names the answer and the step that shows why.
$T send-keys -t "$S" Right
wait_for 'quiz 2 of 3'
$T send-keys -t "$S" 1 Enter
wait_for 'Not quite: you said 1; the answer is'
wait_for 'Step 3 shows why — press s to see it.'
$T send-keys -t "$S" s
wait_for 'step 3/8 · why, for quiz 2'
wait_for 'First the preparation data'
$T send-keys -t "$S" Enter
wait_for 'Not quite: you said 1'
# q: back to the menu, with the score.
$T send-keys -t "$S" q
wait_for 'mpscope · lessons'
wait_for 'started, quiz 1/3 right'
progress '(len(l["quiz"]) == 2 and l["quiz"][0]["right"] is True and l["quiz"][0]["answer"] == "0"
	and l["quiz"][1]["right"] is False and l["quiz"][1]["answer"] == "1" and not l["done"])' ||
	fail "the progress file does not hold exactly one right and one wrong answer: $(cat "$state/mpscope/progress.json")"

# Again, to the end: every quiz answered, the summary, done.
$T send-keys -t "$S" Enter
wait_for 'lesson 1 · step 1/8'
next_to 2
$T send-keys -t "$S" Right
wait_for 'quiz 1 of 3'
$T send-keys -t "$S" 0 Enter Enter
wait_for 'lesson 1 · step 3/8'
next_to 4
$T send-keys -t "$S" Right
wait_for 'quiz 2 of 3'
$T send-keys -t "$S" 1 Enter Enter
wait_for 'lesson 1 · step 5/8'
$T send-keys -t "$S" Right
wait_for 'quiz 3 of 3' && wait_for '1  __main__.f'
$T send-keys -t "$S" 1
wait_for 'Right: __main__.f.'
$T send-keys -t "$S" Enter
wait_for 'lesson 1 · step 6/8'
next_to 8
$T send-keys -t "$S" Right
wait_for 'lesson 1 done' && wait_for 'Quiz: 2 of 3 right.'
wait_for 'Next: lesson 2 · Functions travel by name'
progress 'l["done"] and [q["right"] for q in l["quiz"]] == [True, False, True]' ||
	fail "the finished lesson is not in the progress file"
$T send-keys -t "$S" q
wait_for '01 ✓ What gets pickled?' && wait_for 'done, quiz 2/3 right'

# q quits: the prompt, status 0, the terminal as it was.
$T send-keys -t "$S" q
wait_for 'EXIT=0'
$T send-keys -t "$S" "clear; stty -g | cmp -s - $state/stty.before && echo TTY-SAME" Enter
wait_for 'TTY-SAME'

exit $failed
