#!/bin/sh
# export-browser.sh - the exported page (-f html) and slide (-f svg) in a
# real browser: Debian's Chromium, headless (`make deps` installs it).
#
# Pages of recorded traces of the three methods and of two Pythons are
# opened at a place given in the address (#step=unpickle:2&view=d, #step=15,
# #compare...) and what they show once their script ran (--dump-dom) is
# checked against the screen at the same moment (`mpscope replay --print`):
# the step, the pids of the lanes, the __main__.f reference, the narration
# word for word (a step of pickles counted, not kept, too), the payload's
# verdict line (alarm-coloured when dangerous); compare mode's columns.
# A trace whose authkey is known
# exports without it in any form, in the files and on the page (the same
# export with --no-redact shows it: the search can see it). Nothing is
# requested: Chromium runs behind a proxy that is a listener here and logs
# every request it makes; none may be made for a page (a control page that
# fetches proves both see it), and the files hold nothing that could fetch.
# A hostile trace's strings are text and run nothing. Screenshots at a
# classroom size and a narrow one, and of the slides, must be PNGs of the
# size asked for and not blank; the SVGs must be well-formed as Chromium
# reads them. EXPORT_SHOTS=DIR keeps the screenshots there, to look at.
#
# Exit 77 (skipped) only when there is no Chromium at all.
set -u
cd "$(dirname "$0")/../.." || exit 1
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || CHROMIUM=$(command -v chromium 2>/dev/null || true)
if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
	echo "export-browser: skipped, no chromium ('make deps' installs it)"
	exit 77
fi
MPSCOPE=${MPSCOPE:-$PWD/build/mpscope}
build=$(dirname "$MPSCOPE")
[ "$build" = "$PWD" ] && build=$PWD/build

# export_to FORMAT OUT [--no-redact] TRACE...: the verb when this mpscope
# has it, else the unit test's driver of the same format table.
if "$MPSCOPE" export --help >/dev/null 2>&1; then
	export_to() {
		f=$1 o=$2
		shift 2
		"$MPSCOPE" export -f "$f" -o "$o" "$@"
	}
else
	DRIVER=$build/tests/test_export_page
	[ -x "$DRIVER" ] || make --no-print-directory "$DRIVER" >/dev/null || exit 1
	export_to() {
		f=$1 o=$2
		shift 2
		"$DRIVER" --export "$f" "$o" "$@"
	}
fi

work=$(mktemp -d)
listener=""
cleanup() {
	[ -n "$listener" ] && kill "$listener" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

L1=traces/01-what-gets-pickled
L15=traces/15-several-pythons
for m in fork spawn forkserver; do
	export_to html "$work/$m.html" $L1.$m.json || fail "$m does not export as html"
	export_to svg "$work/$m.svg" $L1.$m.json || fail "$m does not export as svg"
done
for v in 3.8 3.13; do
	export_to html "$work/py$v.html" $L15.python$v.json || fail "python$v does not export"
	export_to svg "$work/py$v.svg" $L15.python$v.json || fail "python$v does not export as svg"
done
export_to html "$work/l1.html" $L1.fork.json $L1.spawn.json $L1.forkserver.json || exit 1
export_to svg "$work/l1.svg" $L1.fork.json $L1.spawn.json $L1.forkserver.json || exit 1
export_to html "$work/l15.html" $L15.python3.8.json $L15.python3.13.json || exit 1
# A harmless pickle and a dangerous one: the verdict line, as on the screen.
L16=traces/16-a-pickle-is-a-program
export_to html "$work/l16.html" $L16.fork.json || fail "lesson 16 does not export as html"
# A busy pool whose processes counted pickles they did not keep.
POOL=tests/fixtures/replay/pool-counted.fork.json
export_to html "$work/counted.html" $POOL || fail "the counted pool does not export as html"
export_to svg "$work/l15.svg" $L15.python3.8.json $L15.python3.13.json || exit 1

# A trace whose authkey is known: the probe's marker replaced by a key.
python3 - $L1.spawn.json "$work/keyed.json" "$work/key" <<'EOF'
import base64, hashlib, json, sys
t = json.load(open(sys.argv[1]))
key = hashlib.sha256(b"mpscope export-browser").digest()  # 32 bytes, as os.urandom(32)
marker = b"<authkey-redacted>" + b"*" * 14
n = 0
for e in t["events"]:
    if "bytes" in e:
        b = base64.b64decode(e["bytes"])
        if marker in b:
            e["bytes"] = base64.b64encode(b.replace(marker, key)).decode()
            e["redacted"] = False
            n += 1
t["meta"].pop("redacted", None)
assert n, "no authkey marker in the trace"
json.dump(t, open(sys.argv[2], "w"))
open(sys.argv[3], "wb").write(key)
EOF
export_to html "$work/keyed.html" "$work/keyed.json" || fail "the keyed trace does not export"
export_to svg "$work/keyed.svg" "$work/keyed.json" || fail "the keyed trace does not export as svg"
export_to html "$work/keyed-shown.html" --no-redact "$work/keyed.json" ||
	fail "the keyed trace does not export with --no-redact"

# A hostile trace: its strings are markup and escapes.
python3 - tests/fixtures/replay/hostile.json "$work/hostile.json" <<'EOF'
import base64, json, sys
t = json.load(open(sys.argv[1]))
evil = "</script><script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
t["processes"][0]["argv"].append(evil)
# A pickle whose string and global name are markup: SHORT_BINUNICODE, then
# STACK_GLOBAL of ('<svg onload=...>', 'f').
s = evil.encode()[:200]
mod = b"<svg onload=alert(1)>"
body = b"\x80\x04\x8c" + bytes([len(mod)]) + mod + b"\x94\x8c\x01f\x94\x93\x94\x8c" + bytes([len(s)]) + s + b"\x94\x86\x94."
t["events"].insert(2, {"seq": 9, "t": 250000, "pid": 6100, "kind": "pickle.dump", "size": len(body),
    "what": "other", "type": evil, "bytes": base64.b64encode(body).decode(), "globals": [[mod.decode(), "f"]]})
t["events"][1]["text_b64"] = base64.b64encode(evil.encode() + b"\n\x1b[31m").decode()
json.dump(t, open(sys.argv[2], "w"))
EOF
export_to html "$work/hostile.html" "$work/hostile.json" || fail "the hostile trace does not export as html"
export_to svg "$work/hostile.svg" "$work/hostile.json" || fail "the hostile trace does not export as svg"

size=$(wc -c <"$work/l1.html")
echo "lesson 01, three traces: the page is $size bytes"
[ "$size" -lt 200000 ] || fail "the page of lesson 01 is $size bytes, not well under 200 KB"

# ---- nothing in the files can fetch ----
for f in "$work"/*.html; do
	# The hostile page holds markup, as text in its data (checked below).
	[ "$f" = "$work/hostile.html" ] && continue
	# The SVG namespace is a name the script creates elements in, not an address.
	if sed 's#http://www\.w3\.org/2000/svg##g' "$f" | grep -nEio \
		'https?:|//[a-z0-9.-]+\.[a-z]{2,}/|src=|href=|srcset|url\(|@import|<link|<iframe|<img|<object|<embed|<form|<base|<audio|<video|fetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|import\(|Worker\(|http-equiv="refresh"' |
		head -5 | grep .; then
		fail "$(basename "$f") holds something that could fetch (above)"
	fi
	grep -q "Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-" "$f" ||
		fail "$(basename "$f") has no CSP that forbids every request"
done
for f in "$work"/*.svg; do
	# url(#id) names an arrowhead inside the file.
	if sed 's#http://www\.w3\.org/2000/svg##g; s/url(#[a-z]*)//g' "$f" |
		grep -nEio 'https?:|href|url\(|<script|<foreignObject|<image|@import' | head -5 | grep .; then
		fail "$(basename "$f") holds something that could fetch or run (above)"
	fi
done

# ---- a proxy that records every connection ----
port_file=$work/port
python3 - "$work/connections" "$port_file" <<'EOF' &
import socket, sys, time
log, port_file = sys.argv[1], sys.argv[2]
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
s.settimeout(0.5)
open(port_file, "w").write(str(s.getsockname()[1]))
open(log, "w").close()
end = time.time() + 300  # bounded: the test takes well under a minute
while time.time() < end:
    try:
        c, _ = s.accept()
    except socket.timeout:
        continue
    c.settimeout(1)
    try:
        first = c.recv(200).split(b"\r\n")[0]
    except OSError:
        first = b"?"
    with open(log, "a") as f:
        f.write(first.decode("latin-1") + "\n")
    c.close()
EOF
listener=$!
i=0
while [ ! -s "$port_file" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$port_file")

runs=0
chrome() { # chrome ARGS... : one headless run, its own profile, behind the proxy, logged
	runs=$((runs + 1))
	profile=$(mktemp -d "$work/profile.XXXXXX")
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --proxy-server="http://127.0.0.1:$port" \
		--proxy-bypass-list='<-loopback>' --log-net-log="$work/net-$runs.json" \
		--hide-scrollbars "$@" 2>>"$work/chromium.log"
	rm -rf "$profile"
}

# Requests made for a page (not the browser's own), from the net logs given.
page_requests() {
	python3 - "$@" <<'PY'
import json, sys
for path in sys.argv[1:]:
    try:
        log = json.load(open(path))
    except ValueError:  # a log cut short still ends its last event
        text = open(path).read().rstrip().rstrip(",")
        log = json.loads(text + "]}")
    kinds = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    for e in log["events"]:
        p = e.get("params") or {}
        if kinds.get(e["type"]) != "URL_REQUEST_START_JOB" or not p.get("url") or p["url"].startswith("file:"):
            continue
        if p.get("initiator") != "not an origin" or "file://" in p.get("network_isolation_key", ""):
            print(p.get("url"))
PY
}

# The control: a page that fetches is seen by both.
printf '<img src="http://mpscope-control.test/x.png">' >"$work/control.html"
chrome --virtual-time-budget=2000 --dump-dom "file://$work/control.html" >/dev/null
page_requests "$work/net-$runs.json" | grep -q "mpscope-control.test" ||
	fail "the net log does not show the control page's request: the no-network check proves nothing"
sleep 0.5
grep -q "mpscope-control.test" "$work/connections" ||
	fail "the proxy saw no request even from a page that makes one"
first_run=$((runs + 1))

# ---- the pages at a place, and the screen at the same moment ----
# CASE PAGE HASH [TRACE STEP]: the DOM after the script ran into CASE.dom,
# and the screen of TRACE at STEP (folded, as the page) into CASE.screen.
look() {
	chrome --virtual-time-budget=3000 --dump-dom "file://$work/$2#$3" >"$work/$1.dom"
	[ -s "$work/$1.dom" ] || fail "chromium showed nothing for $2#$3"
	[ $# -lt 5 ] && return
	"$MPSCOPE" replay --print "$5" --keys a --size 160x48 "$4" >"$work/$1.screen" ||
		fail "mpscope replay --print $5 $4 failed"
}
look fork fork.html "step=fork:1" $L1.fork.json fork:1
look spawn-d spawn.html "step=unpickle:2&view=d" $L1.spawn.json unpickle:2
look spawn-n spawn.html "step=15&view=d" $L1.spawn.json unpickle:2
look spawn-p spawn.html "step=pickle:2" $L1.spawn.json pickle:2
look forkserver forkserver.html "step=unpickle:2&view=d" $L1.forkserver.json unpickle:2
look py3.8 py3.8.html "step=unpickle:2&view=d" $L15.python3.8.json unpickle:2
look py3.13 py3.13.html "step=unpickle:2&view=p" $L15.python3.13.json unpickle:2
look l1-trace l1.html "trace=2&step=unpickle:2&view=d" $L1.spawn.json unpickle:2
look counted counted.html "step=counted:1" $POOL counted:1
look l16-data l16.html "step=pickles:1" $L16.fork.json pickles:1
look l16-dangerous l16.html "step=unpickle:1&view=d" $L16.fork.json unpickle:1
look compare l1.html "compare&trace=2&step=pickle:2" $L1.spawn.json pickle:2
look compare15 l15.html "compare&step=exec:1"
look keyed-x keyed.html "step=unpickle:2&view=x"
look keyed-p keyed.html "step=unpickle:2&view=p"
look keyed-d keyed.html "step=unpickle:2&view=d"
look shown-x keyed-shown.html "step=unpickle:2&view=x"
look hostile-p hostile.html "step=pickle:1&view=p"
look hostile-d hostile.html "step=output:1&view=d"
for f in l1 l15 spawn hostile; do
	chrome --dump-dom "file://$work/$f.svg" >"$work/$f-svg.xml"
done

# ---- screenshots: a classroom's screen, a narrow one, the slides ----
shot() { # NAME WxH URL
	chrome --virtual-time-budget=3000 --window-size="$2" --screenshot="$work/$1.png" "$3" >/dev/null
}
shot page-wide 1280,800 "file://$work/l1.html#trace=3&step=unpickle:2&view=d"
shot page-narrow 400,800 "file://$work/l1.html#trace=3&step=unpickle:2&view=d"
shot compare-wide 1280,800 "file://$work/l1.html#compare&trace=2&step=pickle:2"
shot compare-narrow 400,1400 "file://$work/l15.html#compare&step=exec:1"
for f in l1 l15; do
	wh=$(sed -n 's/.*<svg[^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1,\2/p' "$work/$f.svg")
	shot "svg-$f" "$wh" "file://$work/$f.svg"
done
if [ -n "${EXPORT_SHOTS:-}" ]; then
	mkdir -p "$EXPORT_SHOTS" && cp "$work"/*.png "$EXPORT_SHOTS"/
fi

logs=""
i=$first_run
while [ $i -le $runs ]; do logs="$logs $work/net-$i.json"; i=$((i + 1)); done
# shellcheck disable=SC2086 # one argument a log
made=$(page_requests $logs)
[ -n "$made" ] && fail "the exported files made requests: $made"

python3 tests/e2e/export-browser-check.py "$work" || fails=$((fails + 1))

if [ "$fails" -ne 0 ]; then
	echo "export-browser: $fails failed (chromium said: $(tail -3 "$work/chromium.log" | tr '\n' ' '))"
	exit 1
fi
echo "export-browser: ok ($runs chromium runs)"
