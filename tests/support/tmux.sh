# tmux.sh - what every screen test that drives the real binary in tmux does,
# sourced by tests/e2e/{ui-tmux,export-tmux,lesson-*}.sh after they set S
# (the session name; each test runs its own tmux server, `tmux -L $S`).
# Gives T (the tmux command), LIMIT (seconds any one thing may take to
# show, MPSCOPE_TMUX_WAIT), failed=0, and:
#   screen            what the pane shows now
#   status            its first line
#   fail MESSAGE      says what failed and what the screen shows; failed=1
#   wait_for TEXT     until the pane shows TEXT (fails after LIMIT)
#   wait_gone TEXT    until TEXT is no longer on the pane (fails after LIMIT)
#   tmux_cleanup      kills the server and its socket file (kill-server
#                     leaves the file behind)
T="tmux -L $S"
LIMIT=${MPSCOPE_TMUX_WAIT:-30}
failed=0

screen() { $T capture-pane -p -t "$S"; }
status() { screen | head -n 1; }
fail() { echo "FAIL: $1; the screen shows:"; screen; failed=1; }

wait_for() {
	i=0
	while [ $i -lt $((LIMIT * 10)) ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1; i=$((i + 1))
	done
	fail "the screen never showed '$1' in ${LIMIT}s"
	return 1
}

wait_gone() {
	i=0
	while [ $i -lt $((LIMIT * 10)) ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1; i=$((i + 1))
	done
	fail "'$1' stayed on screen for ${LIMIT}s"
	return 1
}

tmux_cleanup() {
	$T kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$S"
}
