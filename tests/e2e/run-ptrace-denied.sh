#!/bin/sh
# When ptrace is refused (as in a container), `mpscope run` still writes a
# trace from the probe alone and says so in one line. Refusal is produced
# here by running mpscope under `strace -f`: its child is then already
# traced, so mpscope's own PTRACE_SEIZE fails.
MPSCOPE=${MPSCOPE:-./mpscope}
command -v strace >/dev/null || { echo "skip: strace is not installed"; exit 77; }
strace -f -o /dev/null true 2>/dev/null || { echo "skip: strace cannot trace here"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

strace -f -o /dev/null "$MPSCOPE" run --no-ui -m spawn -o "$tmp/t.json" tests/programs/classic.py \
	>"$tmp/out" 2>&1 || { echo "FAIL: mpscope failed:"; cat "$tmp/out"; exit 1; }
grep -q "^mpscope: ptrace is not allowed here, so processes come from the probe alone" "$tmp/out" \
	|| { echo "FAIL: no warning line:"; cat "$tmp/out"; exit 1; }
python3 - "$tmp/t.json" <<'PY' || exit 1
import collections, json, sys
t = json.load(open(sys.argv[1]))
assert t["meta"]["capture"] == {"ptrace": False, "probe": True}, t["meta"]["capture"]
roles = collections.Counter(p["role"] for p in t["processes"])
assert roles == {"main": 1, "resource_tracker": 1, "child": 2}, roles
dumps = [e for e in t["events"] if e["kind"] == "pickle.dump" and e.get("what") == "process"]
assert any(["__main__", "f"] in e.get("globals", []) for e in dumps), "no process pickle naming __main__.f"
PY
echo "run-ptrace-denied: passed"
