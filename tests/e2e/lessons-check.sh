#!/bin/sh
# lessons-check.sh - every shipped lesson (lessons/NN-slug/lesson.json) is
# checked against its recorded traces (traces/NN-slug.KEY.json) with
# `mpscope lesson --check`, and the course with `mpscope lessons --check`
# (every claim proved by some lesson) once it has lessons; a lesson that
# does not tell its traces fails `make check`. The fixture course
# (tests/lessons/) shows both verbs passing and failing, and
# `mpscope lessons` listing progress, a broken lesson and a corrupt
# progress file moved aside.
MPSCOPE=${MPSCOPE:-./mpscope}
case $MPSCOPE in /*) ;; *) MPSCOPE=$(pwd)/$MPSCOPE ;; esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect NAME STATUS WANT_OUT WANT_ERR COMMAND...: the exact status,
# standard output and standard error.
expect() {
	name=$1 status=$2 want_out=$3 want_err=$4
	shift 4
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$status" ] || fail "$name: exit $got, expected $status ($(cat "$tmp/err"))"
	printf '%s' "$want_out" | cmp -s - "$tmp/out" ||
		{ fail "$name: standard output differs:"; diff -u /dev/stdin "$tmp/out" <<EOF2
$want_out
EOF2
		}
	printf '%s' "$want_err" | cmp -s - "$tmp/err" ||
		{ fail "$name: standard error differs:"; diff -u /dev/stdin "$tmp/err" <<EOF2
$want_err
EOF2
		}
}
nl='
'

# ---- the shipped course ----
shipped=0
for json in lessons/[0-9][0-9]-*/lesson.json; do
	[ -f "$json" ] || continue
	dir=${json%/lesson.json}
	shipped=$((shipped + 1))
	if ! "$MPSCOPE" lesson --check "$dir" >"$tmp/out" 2>&1; then
		fail "$dir does not tell its recorded traces:"; cat "$tmp/out"
	elif ! grep -q "^$dir: .*: ok\$" "$tmp/out"; then
		fail "$dir: no ok line:"; cat "$tmp/out"
	fi
done
if [ "$shipped" -gt 0 ]; then
	MPSCOPE_DATA=$(pwd) "$MPSCOPE" lessons --check >"$tmp/out" 2>&1 ||
		{ fail "the course fails mpscope lessons --check:"; cat "$tmp/out"; }
fi
echo "shipped lessons checked: $shipped"

# ---- the fixture course ----
c=tests/lessons/lessons
expect "lesson --check on the fixtures" 0 \
	"$c/90-classic: 7 steps, 5 quizzes, traces fork spawn forkserver: ok$nl$c/91-versions: 2 steps, 1 quiz, trace python3.11: ok$nl" \
	"" "$MPSCOPE" lesson --check "$c/90-classic" "$c/91-versions/"
expect "lessons --check on the fixtures" 0 \
	"$c/90-classic: 7 steps, 5 quizzes, traces fork spawn forkserver: ok$nl$c/91-versions: 2 steps, 1 quiz, trace python3.11: ok${nl}lessons: 2 lessons, every claim proved: ok$nl" \
	"" env MPSCOPE_DATA=tests/lessons "$MPSCOPE" lessons --check

# A lesson whose trigger finds nothing, beside its own copy of the traces.
mkdir -p "$tmp/data/lessons/90-classic" "$tmp/data/traces"
cp tests/lessons/traces/90-classic.*.json "$tmp/data/traces/"
sed 's/"nth": 2}/"nth": 3}/' "$c/90-classic/lesson.json" >"$tmp/data/lessons/90-classic/lesson.json"
expect "a lesson that misses its trace" 1 "" \
	"mpscope: $tmp/data/lessons/90-classic/lesson.json: steps[3].at: only 2 events match import with module = \"__mp_main__\" in $tmp/data/traces/90-classic.spawn.json (nth is 3)$nl" \
	"$MPSCOPE" lesson --check "$tmp/data/lessons/90-classic"
# A trace not recorded; --traces points elsewhere, where it is.
rm "$tmp/data/traces/90-classic.fork.json"
expect "a missing trace" 1 "" \
	"mpscope: $tmp/data/lessons/90-classic/lesson.json: cannot open '$tmp/data/traces/90-classic.fork.json': No such file or directory$nl" \
	"$MPSCOPE" lesson --check "$tmp/data/lessons/90-classic"
cp "$c/90-classic/lesson.json" "$tmp/data/lessons/90-classic/lesson.json"
expect "lesson --check --traces" 0 \
	"$tmp/data/lessons/90-classic: 7 steps, 5 quizzes, traces fork spawn forkserver: ok$nl" "" \
	"$MPSCOPE" lesson --check --traces tests/lessons/traces "$tmp/data/lessons/90-classic"

cp tests/lessons/traces/90-classic.fork.json "$tmp/data/traces/"

# The course of that folder: a broken lesson is listed with its problem,
# and fails the course's check, as do the claims nobody proves.
mkdir -p "$tmp/data/lessons/05-broken"
printf '{"version": 1, "title": "T", "question": "Q?", "proves": [], "methods": ["fork"],\n "steps": [{"at": {"kind": "pickle.dumps"}, "say": "x"}]}\n' \
	>"$tmp/data/lessons/05-broken/lesson.json"
problem="$tmp/data/lessons/05-broken/lesson.json: steps[0].at.kind: \"pickle.dumps\" is not an event kind (proc.start, fork, exec, exit, fds, threads, memory, start_method, import, pickle.dump, pickle.load, pickle.find_class, output, error, fds.pass, fds.label, pickle.summary)"
mkdir -p "$tmp/state/mpscope"
printf '{"format": "mpscope-progress", "version": 1, "lessons": {"90-classic": {"done": true, "finished_at": "2026-12-06T10:00:00Z", "quiz": [{"right": true, "answer": "697", "at": "2026-12-06T09:58:00Z"}, null, {"right": false, "answer": "3", "at": "2026-12-06T09:59:00Z"}]}}}\n' \
	>"$tmp/state/mpscope/progress.json"
expect "lessons lists progress and problems" 0 \
	"05  cannot be read: $problem${nl}90  What gets pickled? (fixture)$nl    90-classic: done, quiz 1/5 right$nl    proves: fork-copies, spawn-pickles, by-reference, callee-not-pickled, reimport-main, forkserver-single-thread, fds-over-socket$nl" \
	"" env MPSCOPE_DATA="$tmp/data" XDG_STATE_HOME="$tmp/state" "$MPSCOPE" lessons
expect "lessons --check with a broken lesson" 1 \
	"$tmp/data/lessons/90-classic: 7 steps, 5 quizzes, traces fork spawn forkserver: ok$nl" \
	"mpscope: $problem${nl}mpscope: no lesson proves \"get-context\": get_context('spawn') gives Windows' behaviour on Linux$nl" \
	env MPSCOPE_DATA="$tmp/data" "$MPSCOPE" lessons --check

# A corrupt progress file is moved aside; the list still shows.
echo '{"format": "mpscope-progress", "version": 1, "lessons": {"90-classic": []}}' \
	>"$tmp/state/mpscope/progress.json"
MPSCOPE_DATA="$tmp/data" XDG_STATE_HOME="$tmp/state" "$MPSCOPE" lessons >"$tmp/out" 2>"$tmp/err" ||
	fail "lessons with a corrupt progress file: non-zero exit"
grep -q "^    90-classic: not started\$" "$tmp/out" || fail "lessons with a corrupt progress file: progress not reset"
grep -q "^mpscope: $tmp/state/mpscope/progress.json: lessons.90-classic: expected an object, got an array; moved it to '$tmp/state/mpscope/progress.json.corrupt-[0-9T]*' and starting afresh\$" "$tmp/err" ||
	{ fail "lessons with a corrupt progress file: no sentence on stderr"; cat "$tmp/err"; }
[ ! -f "$tmp/state/mpscope/progress.json" ] && ls "$tmp/state/mpscope/" | grep -q '^progress.json.corrupt-' ||
	fail "lessons with a corrupt progress file: not moved aside"

# Opening a lesson needs a terminal: without one, one line and exit 1
# (tests/e2e/lesson-*.sh open lessons in tmux).
expect "lesson without a terminal" 1 "" "mpscope: the lesson screen needs a terminal ('mpscope lessons' lists them)$nl" \
	sh -c "'$MPSCOPE' lesson 01 --offline </dev/null"
"$MPSCOPE" lesson --check >/dev/null 2>&1
[ $? -eq 2 ] || fail "mpscope lesson --check without folders: not a usage error"
expect "no lessons" 1 "" "mpscope: no lessons in '$tmp/state/lessons' yet (a lesson is a folder NN-slug holding a lesson.json)$nl" \
	sh -c "mkdir -p '$tmp/state/lessons' && MPSCOPE_DATA='$tmp/state' '$MPSCOPE' lessons"

[ $failures -eq 0 ] && echo "lessons-check: all passed"
[ $failures -eq 0 ]
