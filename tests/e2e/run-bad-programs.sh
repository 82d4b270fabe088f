#!/bin/sh
# `mpscope run` on programs that go wrong: a crash, a hang (--timeout), a
# fork bomb (--max-procs), endless output, SIGTERM and SIGINT to mpscope, SIGKILL to mpscope,
# a missing script or interpreter. After each, no traced process may survive
# (every run carries a unique marker argument that pgrep looks for) and,
# except for SIGKILL, the trace must be written and valid.
MPSCOPE=${MPSCOPE:-./mpscope}
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
tmp=$(mktemp -d) || exit 1
marker="mpscope-bad-$$"
failures=0
trap 'pkill -KILL -f "$marker" 2>/dev/null; rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

none_left() { # $1: what ran
	sleep 0.2
	if pgrep -f "$marker" >/dev/null; then
		fail "$1: traced processes survived: $(pgrep -af "$marker" | tr '\n' ';')"
		pkill -KILL -f "$marker"
	fi
}

valid_trace() { # $1: file, $2: what ran, $3: python expression on the loaded trace `t`
	python3 - "$1" "$3" <<'PY' || fail "$2: trace $1 missing or wrong"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["format"] == "mpscope-trace", "not a trace"
assert eval(sys.argv[2]), sys.argv[2]
PY
}

run() { # $1: name, rest: mpscope run options and script
	name=$1; shift
	"$MPSCOPE" run --no-ui -o "$tmp/$name.json" "$@" "$marker" >"$tmp/$name.out" 2>&1
}

# A crash: status 1 recorded, trace kept.
run crash tests/programs/crash.py
[ $? -eq 1 ] || fail "crash: mpscope should exit 1 like the program"
valid_trace "$tmp/crash.json" crash 't["processes"][0]["exit"] == {"code": 1}'
grep -q "RuntimeError: this program fails on purpose" "$tmp/crash.out" || fail "crash: traceback not shown"
none_left crash

# A hang: --timeout kills everything, trace kept.
run hang --timeout 2 -m spawn tests/programs/hang.py
rc=$?
[ $rc -eq 137 ] || fail "hang: expected 137 (SIGKILL), got $rc"
grep -q "ran longer than --timeout 2 s" "$tmp/hang.out" || fail "hang: no timeout message"
valid_trace "$tmp/hang.json" hang 'len(t["processes"]) >= 2 and all(p.get("exit", {}).get("signal") == 9 for p in t["processes"] if p["role"] in ("main", "child"))'
none_left hang

# Forks without end: --max-procs stops the run, trace kept.
run bomb --max-procs 20 tests/programs/fork_bomb.py
grep -q "more than 20 processes at once (--max-procs)" "$tmp/bomb.out" || fail "bomb: no max-procs message"
valid_trace "$tmp/bomb.json" bomb 'len(t["processes"]) == 21'
none_left bomb

# SIGTERM and SIGINT to mpscope only: tracees killed, partial trace saved.
for sig in TERM INT; do
	"$MPSCOPE" run --no-ui -o "$tmp/sig$sig.json" -m forkserver tests/programs/hang.py "$marker" \
		>"$tmp/sig$sig.out" 2>&1 &
	pid=$!
	sleep 1.5
	kill -s "$sig" "$pid"
	wait "$pid"
	rc=$?
	case $sig in TERM) want=143 ;; INT) want=130 ;; esac
	[ $rc -eq $want ] || fail "SIG$sig: expected exit $want, got $rc"
	grep -q "interrupted by SIG$sig" "$tmp/sig$sig.out" || fail "SIG$sig: no message"
	valid_trace "$tmp/sig$sig.json" "SIG$sig" 'any(p["role"] == "forkserver" for p in t["processes"])'
	none_left "SIG$sig"
done

# SIGKILL to mpscope: PTRACE_O_EXITKILL takes every tracee with it.
"$MPSCOPE" run --no-ui -o "$tmp/kill.json" -m spawn tests/programs/hang.py "$marker" >/dev/null 2>&1 &
pid=$!
sleep 1.5
pgrep -f "$marker" >/dev/null || fail "SIGKILL: the program never started"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
none_left "SIGKILL to mpscope"

# Output without end: the first 16 MiB are kept, then one error event says so.
run chatty tests/programs/chatty.py
[ $? -eq 0 ] || fail "chatty: expected exit 0"
valid_trace "$tmp/chatty.json" chatty 'sum(len(e["text"]) for e in t["events"] if e["kind"] == "output") == 16 * 1024 * 1024 and any("16 MiB" in e.get("message", "") for e in t["events"] if e["kind"] == "error")'
none_left chatty

# A missing script or interpreter: one clear line, exit 2.
"$MPSCOPE" run --no-ui "$tmp/no-such-script.py" >"$tmp/missing.out" 2>&1
[ $? -eq 2 ] || fail "missing script: expected exit 2"
[ "$(wc -l <"$tmp/missing.out")" -eq 1 ] && grep -q "^mpscope: cannot open the script" "$tmp/missing.out" \
	|| fail "missing script: expected one line, got: $(cat "$tmp/missing.out")"
"$MPSCOPE" run --no-ui --python "$tmp/no-such-python" tests/programs/crash.py >"$tmp/nopy.out" 2>&1
[ $? -eq 2 ] || fail "missing interpreter: expected exit 2"
[ "$(wc -l <"$tmp/nopy.out")" -eq 1 ] && grep -q "^mpscope: cannot run the interpreter" "$tmp/nopy.out" \
	|| fail "missing interpreter: expected one line, got: $(cat "$tmp/nopy.out")"

[ $failures -eq 0 ] && echo "run-bad-programs: all passed"
[ $failures -eq 0 ]
