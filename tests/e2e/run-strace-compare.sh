#!/bin/sh
# The process tree mpscope records must have the shape strace sees for the
# same program: the multiset of (depth, argv kind, exit status) over all
# processes (pids differ between runs; threads are not processes), for the
# classic example under fork, spawn and forkserver, and for children that
# exit non-zero or are killed.
MPSCOPE=${MPSCOPE:-./mpscope}
command -v strace >/dev/null || { echo "skip: strace is not installed"; exit 77; }
python=$(python3 -c 'import sys; print(sys.executable)') || { echo "skip: no python3"; exit 77; }
strace -f -e trace=process -o /dev/null true 2>/dev/null || { echo "skip: strace cannot trace here"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0

for case in "classic_method.py fork" "classic_method.py spawn" "classic_method.py forkserver" \
	"exit_codes.py"; do
	set -- $case
	name=$(echo "$case" | tr ' ' '-')
	strace -f -s 256 -e trace=process -o "$tmp/strace.$name" \
		"$python" tests/programs/"$@" >/dev/null 2>&1
	"$MPSCOPE" run --no-ui --python "$python" -o "$tmp/trace.$name.json" \
		tests/programs/"$@" >/dev/null 2>&1
	python3 - "$tmp/strace.$name" "$tmp/trace.$name.json" "$name" <<'PY' || failures=$((failures + 1))
import collections, json, re, sys

def kind(argv_text, is_root, has_exec):
    for needle, name in (("spawn_main", "spawn_main"), ("forkserver import main", "forkserver"),
                         ("resource_tracker import main", "resource_tracker")):
        if needle in argv_text:
            return name
    return "main" if is_root else ("exec" if has_exec else "forked")

def strace_shape(path):
    parent, argv, status, pending, root = {}, {}, {}, {}, None
    for line in open(path):
        m = re.match(r"(\d+)\s+(.*)", line.rstrip("\n"))
        if not m:
            continue
        pid, rest = int(m.group(1)), m.group(2)
        root = root or pid
        if rest.endswith("<unfinished ...>"):
            pending[pid] = rest
            continue
        r = re.match(r"<\.\.\. \w+ resumed>(.*)", rest)
        if r:
            rest = pending.pop(pid, "") + r.group(1)
        c = re.match(r"(clone3?|v?fork)\((.*)\)\s+= (\d+)$", rest)
        if c and "CLONE_THREAD" not in c.group(2):
            parent[int(c.group(3))] = pid
        e = re.match(r'execve\("[^"]*", \[(.*)\], .*= 0$', rest)
        if e:
            argv[pid] = e.group(1)
        x = re.match(r"\+\+\+ (exited with (\d+)|killed by (SIG\w+))", rest)
        if x:
            status[pid] = ("code", int(x.group(2))) if x.group(2) else ("signal", x.group(3))
    procs = [root] + list(parent)
    def depth(p):
        return 0 if p == root else 1 + depth(parent[p])
    def argv_of(p):
        while p not in argv and p in parent:
            p = parent[p]
        return argv.get(p, "")
    return collections.Counter((depth(p), kind(argv_of(p), p == root, p in argv and p != root),
                                status.get(p)) for p in procs)

def trace_shape(path):
    t = json.load(open(path))
    procs = {p["pid"]: p for p in t["processes"]}
    execs = {e["pid"] for e in t["events"] if e["kind"] == "exec"}
    names = {1: "SIGHUP", 2: "SIGINT", 9: "SIGKILL", 15: "SIGTERM"}
    def depth(p):
        return 0 if not procs[p]["ppid"] else 1 + depth(procs[p]["ppid"])
    def status(p):
        x = procs[p].get("exit")
        if x is None:
            return None
        return ("code", x["code"]) if "code" in x else ("signal", names.get(x["signal"], x["signal"]))
    return collections.Counter((depth(p), kind(" ".join(procs[p]["argv"]), depth(p) == 0, p in execs),
                                status(p)) for p in procs)

want, got = strace_shape(sys.argv[1]), trace_shape(sys.argv[2])
if want != got:
    print("%s: process trees differ\n strace: %s\n mpscope: %s" % (sys.argv[3], sorted(want.items()),
                                                              sorted(got.items())))
    sys.exit(1)
print("%s: same tree as strace: %s" % (sys.argv[3], sorted(want.items())))
PY
done
[ $failures -eq 0 ]
