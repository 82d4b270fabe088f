#!/bin/sh
# export-browser.sh - the exported page and slide in a real browser
# (Debian's Chromium, headless; `make deps` installs it for the tests).
#
# The page of lesson 01's three traces is opened at a place given in its
# address (#trace=2&step=unpickle:2&view=d) and what it shows after its
# script ran (--dump-dom) is checked: the pids, the __main__.f reference,
# the narration of that step in the same words as `mpscope replay --print`,
# compare mode. It must make no request: Chromium runs behind a proxy that
# is a listener here (nothing leaves the machine), and its net log says, for
# every request, what made it; no request may have been made for a page
# (the browser's own background requests to its update and account services
# are its, not the page's). A control page that does fetch proves both see
# it. The file is also checked for anything that could fetch. A hostile
# trace's strings show as text and run nothing. Screenshots of the page
# and of the SVG must be PNGs of the size asked for and not blank; the
# SVG, as Chromium reads it, must be well-formed XML. Lesson 15's two
# Pythons come out in both formats.
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
# The export verb is another file's; the formats are driven directly.
DRIVER=$build/tests/test_export_page
[ -x "$DRIVER" ] || make --no-print-directory "$DRIVER" >/dev/null || exit 1

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
"$DRIVER" --export html "$work/l1.html" $L1.fork.json $L1.spawn.json $L1.forkserver.json || exit 1
"$DRIVER" --export svg "$work/l1.svg" $L1.fork.json $L1.spawn.json $L1.forkserver.json || exit 1
"$DRIVER" --export html "$work/l15.html" $L15.python3.8.json $L15.python3.13.json || exit 1
"$DRIVER" --export svg "$work/l15.svg" $L15.python3.8.json $L15.python3.13.json || exit 1

size=$(wc -c <"$work/l1.html")
echo "lesson 01, three traces: the page is $size bytes"
[ "$size" -lt 200000 ] || fail "the page of lesson 01 is $size bytes, not well under 200 KB"

# ---- nothing in the file can fetch ----
for f in "$work/l1.html" "$work/l15.html"; do
	# The SVG namespace is a name the script creates elements in, not an address.
	if sed 's#http://www\.w3\.org/2000/svg##g' "$f" | grep -nEio \
		'https?:|//[a-z0-9.-]+\.[a-z]{2,}/|src=|href=|srcset|url\(|@import|<link|<iframe|<img|<object|<embed|<form|<base|<audio|<video|fetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|import\(|Worker\(|http-equiv="refresh"' |
		head -5 | grep .; then
		fail "$(basename "$f") holds something that could fetch (above)"
	fi
	grep -q "Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-" "$f" ||
		fail "$(basename "$f") has no CSP that forbids every request"
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
end = time.time() + 120  # bounded: the test takes seconds
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

page() { # page FILE HASH OUT: the DOM after the script ran
	chrome --virtual-time-budget=3000 --dump-dom "file://$1#$2" >"$3"
	[ -s "$3" ] || fail "chromium showed nothing for $(basename "$1")#$2"
}

page "$work/l1.html" "trace=2&step=unpickle:2&view=d" "$work/d.html"
page "$work/l1.html" "trace=2&step=pickle:2" "$work/p.html"
page "$work/l1.html" "compare&trace=2&step=pickle:2" "$work/c.html"
page "$work/l15.html" "compare&step=exec:1" "$work/v.html"
chrome --virtual-time-budget=3000 --window-size=1280,800 --screenshot="$work/page.png" \
	"file://$work/l1.html#trace=3&step=unpickle:2" >/dev/null
svg_size=$(sed -n 's/.*<svg[^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1,\2/p' "$work/l1.svg")
chrome --window-size="$svg_size" --screenshot="$work/svg.png" "file://$work/l1.svg" >/dev/null
chrome --dump-dom "file://$work/l1.svg" >"$work/svg-dom.xml"

# What the screen says at the same moment (the page tells the folded story).
"$MPSCOPE" replay --print unpickle:2 --keys a --size 160x48 $L1.spawn.json >"$work/screen.txt" ||
	fail "mpscope replay --print failed"
"$MPSCOPE" replay --print pickle:2 --keys a --size 160x48 $L1.spawn.json >"$work/screen-p.txt" ||
	fail "mpscope replay --print failed"

# ---- the hostile trace: its strings are text, never markup ----
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
"$DRIVER" --export html "$work/hostile.html" "$work/hostile.json" || fail "the hostile trace does not export as html"
"$DRIVER" --export svg "$work/hostile.svg" "$work/hostile.json" || fail "the hostile trace does not export as svg"
page "$work/hostile.html" "step=pickle:1&view=p" "$work/h1.html"
page "$work/hostile.html" "step=output:1&view=d" "$work/h2.html"
chrome --dump-dom "file://$work/hostile.svg" >"$work/hostile-svg.xml"

logs=""
i=$first_run
while [ $i -le $runs ]; do logs="$logs $work/net-$i.json"; i=$((i + 1)); done
made=$(page_requests $logs)
[ -n "$made" ] && fail "the exported files made requests: $made"

python3 - "$work" <<'EOF' || fails=$((fails + 1))
import html, re, struct, sys, zlib
import xml.etree.ElementTree as ET
w = sys.argv[1]
bad = []
def need(cond, what):
    if not cond:
        bad.append(what)
def text(path):
    return open(path, encoding="utf-8").read()
def narration_of(dom):
    m = re.findall(r'<section class="panel narration"><h2>([^<]*)</h2><p class="text[^"]*">(.*?)</p>', dom, re.S)
    return [(h, " ".join(html.unescape(t).split())) for h, t in m]
def screen_narration(path):
    lines = text(path).split("\n")
    for i, line in enumerate(lines):
        at = line.find("┌ narration")
        if at < 0:
            continue
        end = line.find("┐", at)
        words = []
        for l in lines[i + 1:]:
            if l[at] == "└":
                break
            words.append(l[at + 1:end])
        return " ".join(" ".join(words).split())
    return None

d, p, c, v = (text(f"{w}/{n}.html") for n in "dpcv")
# One trace at a step: its pids, the reference, the same words as the screen.
for pid in ("18923", "18924", "18925", "18926"):
    need(pid in d, f"the page at spawn's unpickle:2 shows no {pid}")
need("__main__.f" in d and "_target=__main__.f" in d, "the decoded view does not show _target=__main__.f")
need('class="ln ref">    _target=__main__.f,' in d, "the _target line is not the highlighted one")
need("STACK_GLOBAL  → __main__.f" in p, "the listing does not show the STACK_GLOBAL → __main__.f reference")
need("step 15/26 (folded)" in d, "the status line does not say step 15/26")
for dom, screen, step in ((d, "screen.txt", "unpickle:2"), (p, "screen-p.txt", "pickle:2")):
    said = screen_narration(f"{w}/{screen}")
    shown = narration_of(dom)
    need(said and shown and shown[0][1] == said,
         f"the narration at {step} is not the screen's:\n  page:   {shown}\n  screen: {said}")
# Compare mode: three columns, the gap sentence, the shared Python.
need("compare 3 traces · python 3.11.7" in c, "compare mode's status line is not there")
need(c.count('class="panel col') == 3, "compare mode has not three columns")
need("This trace has no such step: nothing like it happens under this method." in c,
     "compare mode does not say that fork has no such step")
need("python 3.8" in v and "python 3.13" in v, "lesson 15's columns are not titled by Python")
# Hostile strings are text: nothing ran, nothing was made of them.
for name in ("h1", "h2"):
    h = text(f"{w}/{name}.html")
    need("<title>mpscope · " in h and "pwned" not in re.search(r"<title>(.*?)</title>", h).group(1),
         f"{name}: a hostile string changed the title")
    need("<img" not in h and "<svg onload" not in h.lower(), f"{name}: a hostile string became markup")
    need(h.count("<script") == 2, f"{name}: a hostile string added a script")
h1 = text(f"{w}/h1.html")
need("&lt;svg onload=alert(1)&gt;.f" in h1, "the hostile global is not shown as text")
need("&lt;/script&gt;&lt;script&gt;" in text(f"{w}/h2.html") or "&lt;/script&gt;" in h1,
     "the hostile strings are not shown as text")
# The SVGs, as Chromium read them, are well-formed; the hostile one too.
for name in ("svg-dom.xml", "hostile-svg.xml"):
    try:
        root = ET.fromstring(text(f"{w}/{name}"))
        need(root.tag == "{http://www.w3.org/2000/svg}svg", f"{name}: the root is not an svg")
    except ET.ParseError as e:
        bad.append(f"{name} does not parse: {e}")
s = text(f"{w}/l1.svg")
for want in ("344 B __main__.f", "18923 main", "spawn_main", "exit 0", "vfork", "fork", "example.py · spawn"):
    need(want in s, f"the svg does not say {want!r}")
s15 = text(f"{w}/l15.svg")
need("python 3.8" in s15 and "python 3.13" in s15, "lesson 15's svg does not name both Pythons")
need("&lt;svg onload=alert(1)&gt;" in text(f"{w}/hostile.svg"), "the hostile svg does not escape the global")
# Screenshots: PNGs of the size asked for, not one colour.
def png(path, size):
    b = open(path, "rb").read()
    need(b[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG")
    wd, ht = struct.unpack(">II", b[16:24])
    need((wd, ht) == size, f"{path} is {wd}x{ht}, not {size[0]}x{size[1]}")
    data, i = b"", 8
    while i < len(b):
        n, kind = struct.unpack(">I4s", b[i:i + 8])
        if kind == b"IDAT":
            data += b[i + 8:i + 8 + n]
        i += 12 + n
    raw = zlib.decompress(data)
    stride = len(raw) // ht
    rows = {raw[r * stride + 1:(r + 1) * stride] for r in range(0, ht, 7)}
    need(len(rows) > 20, f"{path} is blank or nearly ({len(rows)} distinct rows)")
png(f"{w}/page.png", (1280, 800))
sw, sh = map(int, open(f"{w}/l1.svg").read().split('height="')[0].split('width="')[1].split('"')[:1] + [s.split('height="')[1].split('"')[0]])
png(f"{w}/svg.png", (sw, sh))
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
EOF

if [ "$fails" -ne 0 ]; then
	echo "export-browser: $fails failed (chromium said: $(tail -3 "$work/chromium.log" | tr '\n' ' '))"
	exit 1
fi
echo "export-browser: ok"
