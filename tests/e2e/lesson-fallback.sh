#!/bin/sh
# lesson-fallback.sh - a class never depends on the machine: `mpscope
# lesson 1` in a tmux pane (80x24) with no Python on PATH says so in one
# sentence and shows the recorded traces; --offline shows them without a
# word, Python or not; a live run that fails (an interpreter that answers
# like Python and then runs nothing) falls back the same way; a lesson
# that does not exist costs one line and exit 1, the screen untouched;
# and a live run's output never reaches the screen. Skips without tmux.
command -v tmux >/dev/null 2>&1 || { echo "skip: tmux is not installed"; exit 77; }
MPSCOPE=$(cd "$(dirname "${MPSCOPE:-./mpscope}")" && pwd)/$(basename "${MPSCOPE:-./mpscope}")
S=mpscope-lesson-fallback-$$
. "$(dirname "$0")/../support/tmux.sh"
tmp=$(mktemp -d) || exit 2

cleanup() {
	tmux_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

expect_absent() {
	if screen | grep -qF -- "$1"; then fail "'$1' is on screen"; fi
}

# An interpreter that answers like a Python 3.11 and then runs nothing:
# the live runs record no child, so the lesson's first step finds nothing.
cat >"$tmp/python3" <<'EOF'
#!/bin/sh
case "$*" in *sys.executable*) printf '/bin/false\n3.11.0\n'; exit 0 ;; esac
exit 1
EOF
chmod +x "$tmp/python3"

$T -u new-session -d -s "$S" -x 80 -y 24 \
	"env PS1='prompt$ ' LANG=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$tmp sh" || exit 2
$T set-option -t "$S" status off >/dev/null
wait_for 'prompt$' || exit 1

# No Python on PATH: one sentence, then the recorded traces.
$T send-keys -t "$S" "clear; env PATH=/nonexistent $MPSCOPE lesson 1; echo EXIT=\$?" Enter
wait_for 'lesson 1 · step 1/8 · What gets pickled?' || exit 1
wait_for 'no CPython 3.8 or later to run it live'
wait_for 'showing the recorded traces'
wait_for 'recorded'
# The sentence goes with the first key; the lesson goes on (once the
# story has played to step 1: ‖).
wait_for '‖'
$T send-keys -t "$S" Right
wait_for 'lesson 1 · step 2/8'
expect_absent 'no CPython 3.8'
$T send-keys -t "$S" q
wait_for 'EXIT=0'

# --offline: the recorded traces, no sentence, no Python needed.
$T send-keys -t "$S" "clear; env PATH=/nonexistent $MPSCOPE lesson what-gets-pickled --offline; echo EXIT=\$?" Enter
wait_for 'lesson 1 · step 1/8' && wait_for 'recorded'
expect_absent 'showing the recorded traces'
$T send-keys -t "$S" q
wait_for 'EXIT=0'

# A live run that fails: said so, recorded traces.
$T send-keys -t "$S" "clear; $MPSCOPE lesson 01 --python $tmp/python3; echo EXIT=\$?" Enter
wait_for 'lesson 1 · step 1/8' || exit 1
wait_for 'the live runs do not fit the lesson' && wait_for 'showing the recorded traces'
$T send-keys -t "$S" q
wait_for 'EXIT=0'

# Live, when python3 is there: the program's output stays off the screen
# (the tracer records it; the narration tells it).
if command -v python3 >/dev/null 2>&1; then
	$T send-keys -t "$S" "clear; $MPSCOPE lesson 1; echo EXIT=\$?" Enter
	wait_for 'lesson 1 · step 1/8' && wait_for 'live' && wait_for '‖'
	expect_absent 'showing the recorded traces'
	# Step 1 is the fork, before anything is printed: a line of the
	# program here would have leaked from its run.
	expect_absent 'hello world!'
	expect_absent 'randomfunction runs in'
	$T send-keys -t "$S" q
	wait_for 'EXIT=0'
fi

# No such lesson: one line, exit 1, no screen.
$T send-keys -t "$S" "clear; $MPSCOPE lesson 99; echo EXIT=\$?" Enter
wait_for 'EXIT=1'
wait_for "mpscope: no lesson is called '99'"
expect_absent 'lesson 1 ·'

exit $failed
