#!/bin/sh
# export-cli.sh - `mpscope export` as a user runs it. The error paths
# (unknown format, unreadable trace, -o where nothing can be written, json
# given several traces): one sentence on stderr, non-zero, nothing
# written; standard output without -o; -o FILE and its line on stderr.
# Then every recorded trace (traces/, which holds the traces of every
# lesson in lessons/*/: three methods, several Pythons) is exported in
# every format and read back by export_readback.py: json is the trace
# (and exports to itself again: normalised), chrome has every process
# with arrows that pair up between real processes forward in time on
# tracks whose time only grows, text tells every step of every trace; a
# lesson's traces together are each their own group. Last, each trace is
# given a real authkey where the probe wrote its marker (and printed, and
# on a command line): no format --help lists may hold it in any form;
# --no-redact keeps it, which shows that the search finds one.
MPSCOPE=${MPSCOPE:-./mpscope}
case $MPSCOPE in /*) ;; *) MPSCOPE=$(pwd)/$MPSCOPE ;; esac
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
top=$(pwd)
check="python3 $top/tests/e2e/export_readback.py"
TR=$top/traces/01-what-gets-pickled
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect STATUS TEXT CMD...: runs CMD in $tmp/cwd; wants STATUS, and TEXT
# as the whole of stderr when STATUS is not 0 (one sentence), else in it.
mkdir "$tmp/cwd"
expect() {
	want=$1 text=$2
	shift 2
	(cd "$tmp/cwd" && "$@") >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "$* exited $got, not $want: $(cat "$tmp/err")"
	if [ "$want" -ne 0 ]; then
		[ "$(cat "$tmp/err")" = "$text" ] || fail "$*: stderr is not '$text' but: $(cat "$tmp/err")"
	elif [ -n "$text" ]; then
		grep -qF -- "$text" "$tmp/err" || fail "$*: stderr lacks '$text': $(cat "$tmp/err")"
	fi
}

# ---- errors: one sentence, non-zero, nothing written ----
expect 2 "mpscope: export: 'pdf' is not a format; the formats are json, chrome, text, html, svg" \
	"$MPSCOPE" export -f pdf "$TR.spawn.json"
expect 1 "mpscope: cannot open '/no/such.json': No such file or directory" \
	"$MPSCOPE" export -f chrome "$TR.spawn.json" /no/such.json
expect 1 "mpscope: $top/tests/bad/pid-string.json: events[2].pid: expected a positive integer, got \"101\"" \
	"$MPSCOPE" export -f text "$top/tests/bad/pid-string.json"
expect 1 "mpscope: cannot write '/no/such/folder/x.txt': No such file or directory" \
	"$MPSCOPE" export -f text -o /no/such/folder/x.txt "$TR.spawn.json"
expect 2 "mpscope: export: -f json writes one trace at a time; 2 were given" \
	"$MPSCOPE" export -f json "$TR.spawn.json" "$TR.fork.json"
[ -s "$tmp/out" ] && fail "a failed export wrote to standard output"
[ -z "$(ls "$tmp/cwd")" ] || fail "a failed export wrote $(ls "$tmp/cwd")"
# Usage errors say what to fix, then how the verb is used.
(cd "$tmp/cwd" && "$MPSCOPE" export "$TR.spawn.json") 2>"$tmp/err"
[ $? -eq 2 ] && grep -qF "mpscope: export: say which format with -f (json, chrome, text" "$tmp/err" \
	|| fail "no -f: $(cat "$tmp/err")"
(cd "$tmp/cwd" && "$MPSCOPE" export -f text) 2>"$tmp/err"
[ $? -eq 2 ] && grep -qF "which traces? give one or more FILEs" "$tmp/err" || fail "no FILE: $(cat "$tmp/err")"
"$MPSCOPE" export --help >"$tmp/help" 2>&1 || fail "--help exited non-zero"
for f in json chrome text; do
	grep -q "^  $f " "$tmp/help" || fail "--help does not list the format $f"
done

# ---- where it goes: standard output without -o, else the file and a line ----
expect 0 "" "$MPSCOPE" export -f chrome "$TR.spawn.json"
[ -s "$tmp/err" ] && fail "writing to standard output said: $(cat "$tmp/err")"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))["traceEvents"]' "$tmp/out" \
	|| fail "without -o, standard output is not the chrome trace"
[ -z "$(ls "$tmp/cwd")" ] || fail "without -o, $(ls "$tmp/cwd") was written"
expect 0 "" "$MPSCOPE" export -f text -o - "$TR.spawn.json"
grep -q "^mpscope transcript: 01-what-gets-pickled.spawn.json$" "$tmp/out" || fail "-o - wrote no transcript"
expect 0 "mpscope: wrote given.txt (" "$MPSCOPE" export --format=text --output=given.txt "$TR.fork.json"
bytes=$(wc -c <"$tmp/cwd/given.txt" | tr -d ' ')
[ "$(cat "$tmp/err")" = "mpscope: wrote given.txt ($bytes bytes, text)" ] \
	|| fail "the line is not 'wrote given.txt ($bytes bytes, text)': $(cat "$tmp/err")"

# ---- every recorded trace, every format, read back ----
# And a busy pool: the hand-made one and one recorded now, whose workers
# keep their first pickles and count the rest (pickle.summary).
"$MPSCOPE" run --no-ui -o "$tmp/pool-counted.recorded.json" "$top/tests/programs/pool_map.py" 300 fork \
	>"$tmp/run.out" 2>&1 || fail "cannot record a pool: $(cat "$tmp/run.out")"
grep -q '"kind": "pickle.summary"' "$tmp/pool-counted.recorded.json" \
	|| fail "a pool of 300 tasks recorded no pickle.summary: the test proves nothing"
n=0
set --
for f in "$top"/traces/*.json "$top/tests/fixtures/replay/pool-counted.fork.json" \
	"$tmp/pool-counted.recorded.json"; do
	b=$(basename "$f" .json) o=$tmp/$b
	"$MPSCOPE" export -f json -o "$o.json" "$f" 2>/dev/null || fail "-f json $b failed"
	"$MPSCOPE" export -f json -o "$o.again.json" "$o.json" 2>/dev/null
	cmp -s "$o.json" "$o.again.json" || fail "-f json $b: exporting the export changes it (not normalised)"
	"$MPSCOPE" export -f json --no-payloads -o "$o.nopay.json" "$f" 2>/dev/null || fail "--no-payloads $b failed"
	"$MPSCOPE" export -f chrome -o "$o.chrome.json" "$f" 2>/dev/null || fail "-f chrome $b failed"
	"$MPSCOPE" export -f text -o "$o.txt" "$f" 2>/dev/null || fail "-f text $b failed"
	set -- "$@" "json:$o.json:$f" "json-nopayloads:$o.nopay.json:$f" "chrome:$o.chrome.json:$f" "text:$o.txt:$f"
	n=$((n + 1))
done
[ $n -ge 32 ] || fail "only $n recorded traces in traces/"
# A lesson's traces side by side (chrome) and one after another (text).
for d in "$top"/lessons/[0-9]*/; do
	l=$(basename "$d")
	traces=$(ls "$top/traces/$l".*.json 2>/dev/null | tr '\n' ',' | sed 's/,$//')
	[ -n "$traces" ] || { fail "lesson $l has no recorded trace in traces/"; continue; }
	# shellcheck disable=SC2046
	"$MPSCOPE" export -f chrome -o "$tmp/$l.all.chrome.json" $(echo "$traces" | tr ',' ' ') 2>/dev/null \
		|| fail "-f chrome of lesson $l's traces failed"
	# shellcheck disable=SC2046
	"$MPSCOPE" export -f text -o "$tmp/$l.all.txt" $(echo "$traces" | tr ',' ' ') 2>/dev/null \
		|| fail "-f text of lesson $l's traces failed"
	set -- "$@" "chrome:$tmp/$l.all.chrome.json:$traces" "text:$tmp/$l.all.txt:$traces"
done
$check check "$@" >"$tmp/report" || { fail "exports do not read back:"; cat "$tmp/report"; }

# ---- a real authkey, in every recorded trace that had one ----
formats=$(sed -n '/^formats:/,/^$/s/^  \([a-z][a-z0-9]*\) .*/\1/p' "$tmp/help")
[ -n "$formats" ] || fail "no formats read from --help"
keyed=0
for f in "$top"/traces/*.json; do
	b=$(basename "$f" .json) k=$tmp/keyed.$b
	$check keyed "$f" "$k.in.json" "$k.key" >"$tmp/keyed" || { fail "cannot key $b"; continue; }
	# Under fork no payload carries the key: the trace does not know it.
	grep -q "payloads keyed: 0" "$tmp/keyed" && continue
	keyed=$((keyed + 1))
	$check findkey "$k.key" "$k.in.json" >/dev/null && fail "keyed $b does not hold its key: the test proves nothing"
	for fmt in $formats; do
		"$MPSCOPE" export -f "$fmt" -o "$k.$fmt" "$k.in.json" 2>"$tmp/err" \
			|| { fail "-f $fmt on keyed $b: $(cat "$tmp/err")"; continue; }
		$check findkey "$k.key" "$k.$fmt" >"$tmp/found" || fail "-f $fmt gives $b's authkey away: $(cat "$tmp/found")"
	done
	"$MPSCOPE" export -f json --no-payloads -o "$k.nopay" "$k.in.json" 2>/dev/null
	$check findkey "$k.key" "$k.nopay" >/dev/null || fail "-f json --no-payloads gives $b's authkey away"
	"$MPSCOPE" export -f json --no-redact -o "$k.kept" "$k.in.json" 2>/dev/null
	$check findkey "$k.key" "$k.kept" >/dev/null && fail "-f json --no-redact lost $b's key"
done
[ $keyed -ge 15 ] || fail "only $keyed recorded traces had an authkey to hide"

[ $failures -eq 0 ] && echo "export-cli: $n traces, $(tail -n 1 "$tmp/report"), $keyed keyed: all passed"
[ $failures -eq 0 ]
