#!/bin/sh
# export-tmux.sh - the replay screen's `e` as a person uses it: the real
# binary in a tmux pane on lesson 1's recorded traces, run in an empty
# folder. e opens the format prompt in the status line, Esc closes it; a
# format's key writes the trace shown under the default name in the
# current folder and the status line says where it went, once; in compare
# mode every trace goes into one file, and json, which takes one trace,
# says why not. Each file written is read back. Polls the pane as
# ui-tmux.sh does, never sleeps for a fixed time. Skips without tmux.
command -v tmux >/dev/null 2>&1 || { echo "skip: tmux is not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
MPSCOPE=$(cd "$(dirname "${MPSCOPE:-./mpscope}")" && pwd)/$(basename "${MPSCOPE:-./mpscope}")
top=$(pwd)
TR=$top/traces/01-what-gets-pickled
S=mpscope-export-e2e-$$
. "$(dirname "$0")/../support/tmux.sh"
dir=$(mktemp -d) || exit 2

cleanup() {
	tmux_cleanup
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# said FILE FORMAT: the status line says FILE was written, and it was, in
# that format (read back: a chrome trace, a transcript).
said() {
	wait_for "wrote $1 (" || return 1
	echo "status line: $(status | sed 's/^ *//; s/ *$//')"
	[ -s "$dir/$1" ] || { fail "the status line says $1 but the folder holds: $(ls "$dir")"; return 1; }
	bytes=$(wc -c <"$dir/$1" | tr -d ' ')
	status | grep -qF "wrote $1 ($bytes bytes, $2)" || fail "the status line does not say $bytes bytes, $2"
	case $2 in
	chrome) python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["traceEvents"]' "$dir/$1" \
		|| fail "$1 is not a chrome trace" ;;
	text) grep -q "step 1/" "$dir/$1" || fail "$1 is not a transcript" ;;
	esac
}

for m in fork spawn forkserver; do
	[ -f "$TR.$m.json" ] || { echo "FAIL: $TR.$m.json is missing"; exit 1; }
done
$T -u new-session -d -s "$S" -x 100 -y 30 -c "$dir" \
	"env PS1='prompt$ ' LANG=C.UTF-8 TERM=screen-256color sh" || exit 2
$T set-option -t "$S" status off >/dev/null
wait_for 'prompt$' || exit 1

# One trace: the prompt, Esc, then chrome and text of the trace shown.
$T send-keys -t "$S" "cd '$dir' && $MPSCOPE replay $TR.spawn.json; echo EXIT=\$?" Enter
wait_for 'step 1/' || exit 1
$T send-keys -t "$S" e
wait_for 'export as: j json · c chrome · t text' && wait_for 'Esc cancels'
echo "status line: $(status | sed 's/^ *//; s/ *$//')"
$T send-keys -t "$S" Escape
wait_gone 'export as:' && wait_for 'step 1/'
[ -z "$(ls "$dir")" ] || fail "Esc wrote $(ls "$dir")"
$T send-keys -t "$S" e c
said 01-what-gets-pickled.spawn.chrome.json chrome
# Said once: the next key gives the status line back.
$T send-keys -t "$S" Right
wait_gone 'wrote 01-what' && wait_for 'step 2/'
$T send-keys -t "$S" e t
said 01-what-gets-pickled.spawn.txt text
$T send-keys -t "$S" e j
said 01-what-gets-pickled.spawn.export.json json
"$MPSCOPE" info "$dir/01-what-gets-pickled.spawn.export.json" >/dev/null || fail "the json export is no trace"
$T send-keys -t "$S" q
wait_for 'EXIT=0'

# Compare mode: all three traces, side by side in one file; json says no.
rm -f "$dir"/*
$T send-keys -t "$S" "clear; $MPSCOPE replay $TR.fork.json $TR.spawn.json $TR.forkserver.json; echo EXIT=\$?" Enter
wait_for 'compare 3 traces' || exit 1
$T send-keys -t "$S" e
wait_for 'export 3 traces as: j json'
$T send-keys -t "$S" c
said 01-what-gets-pickled.fork.chrome.json chrome
groups=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(len({e["args"]["name"] for e in d["traceEvents"] if e["name"] == "process_labels"}))' \
	"$dir/01-what-gets-pickled.fork.chrome.json")
[ "$groups" = 3 ] || fail "compare mode exported $groups traces, not 3"
$T send-keys -t "$S" e j
wait_for 'json writes one trace at a time: c leaves compare mode' \
	&& echo "status line: $(status | sed 's/^ *//; s/ *$//')"
[ -f "$dir/01-what-gets-pickled.fork.export.json" ] && fail "json wrote three traces in one file"
$T send-keys -t "$S" q
wait_for 'EXIT=0'

[ $failed -eq 0 ] && echo "export-tmux: all passed"
exit $failed
