"""export-browser-check.py WORK - the checks of export-browser.sh on what
Chromium showed (WORK/*.dom, *-svg.xml, *.png) and what the screen shows at
the same moment (WORK/*.screen). Prints one FAIL line per problem; exit 1
if there is any."""
import base64
import html
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

w = sys.argv[1]
bad = []


def need(cond, what):
    if not cond:
        bad.append(what)


def text(name):
    return open(f"{w}/{name}", encoding="utf-8", errors="replace").read()


# ---- the page and the screen ----

def page_narrations(dom):
    found = re.findall(r'<section class="panel narration"><h2>([^<]*)</h2><p class="text[^"]*">(.*?)</p>', dom, re.S)
    return [" ".join(html.unescape(t).split()) for _, t in found]


def page_step(dom):
    m = re.search(r'class="status-right">step (\d+/\d+) \(folded\)', dom)
    return m.group(1) if m else None


def page_pids(dom):
    names = re.search(r'<div class="names">(.*?)</div>', dom, re.S)
    return re.findall(r'class="lane-head">(\d+) ', names.group(1)) if names else []


def screen_box(lines, title):
    """The text inside the box titled `title`, line by line."""
    for i, line in enumerate(lines):
        at = line.find("┌ " + title)
        if at < 0:
            continue
        end = line.find("┐", at)
        out = []
        for l in lines[i + 1:]:
            if l[at] == "└":
                break
            out.append(l[at + 1:end])
        return out
    return []


def screen(name):
    lines = text(name).split("\n")
    step = re.search(r"step (\d+/\d+) \(folded\)", lines[0])
    pids = [m.group(1) for l in screen_box(lines, "processes") for m in [re.match(r"\s*(\d+) ", l)] if m]
    words = " ".join(" ".join(screen_box(lines, "narration")).split())
    return step.group(1) if step else None, pids, words


# One trace at a step: the same step, lanes and words as the screen.
for case in ("fork", "spawn-d", "spawn-n", "spawn-p", "forkserver", "py3.8", "py3.13", "l1-trace",
             "counted", "l16-data", "l16-dangerous"):
    dom = text(f"{case}.dom")
    step, pids, words = screen(f"{case}.screen")
    need(step and page_step(dom) == step, f"{case}: the page is at step {page_step(dom)}, the screen at {step}")
    need(pids and page_pids(dom) == pids, f"{case}: the page's lanes are {page_pids(dom)}, the screen's {pids}")
    shown = page_narrations(dom)
    need(words and shown and shown[0] == words,
         f"{case}: the narration is not the screen's:\n  page:   {shown}\n  screen: {words}")
need("Nothing has been pickled up to this step." in text("fork.dom"), "fork: the payload panel is not empty at the fork")
# Counted pickles: their mark on the lanes and the legend that explains it,
# which a trace that counted nothing does not show.
def legend_says(dom, words):
    return re.search(r'<span class="legend-item"><svg[^>]*>.*?</svg> ' + re.escape(words) + '</span>', dom) is not None


need('class="m-counted' in text("counted.dom") and legend_says(text("counted.dom"), "counted, not kept"),
     "counted: the page has no mark or legend for the pickles counted, not kept")
need(legend_says(text("fork.dom"), "exit") and not legend_says(text("fork.dom"), "counted, not kept"),
     "fork: the legend explains counted pickles there are none of")
for case in ("spawn-d", "spawn-n", "forkserver", "py3.8", "l1-trace"):
    dom = text(f"{case}.dom")
    need('class="ln ref">    _target=__main__.f,' in dom, f"{case}: the decoded view does not mark _target=__main__.f")
    need("→ __main__.f</span>" in dom, f"{case}: the payload's head does not name __main__.f")
for case in ("spawn-p", "py3.13"):
    need(re.search(r'class="ln ref">\s*\d+:\s+STACK_GLOBAL  → __main__.f<', text(f"{case}.dom")),
         f"{case}: the listing does not mark STACK_GLOBAL → __main__.f")

# The verdict line under the payload's head: the screen's words (its
# second line in the box, which a narrow panel cuts with "…"), in the
# alarm colour only when dangerous.
for case, word, alarm in (("l16-data", "data", False), ("l16-dangerous", "dangerous", True),
                          ("spawn-p", "imports", False)):
    # (compare mode's payload panel, not open, has an empty one)
    found = [f for f in re.findall(r'<div class="(verdict[^"]*)">(.*?)</div>', text(f"{case}.dom")) if f[1]]
    on_screen = [l.strip() for l in screen_box(text(f"{case}.screen").split("\n"), "payload")[1:2]]
    page = html.unescape(found[0][1]) if len(found) == 1 else None
    need(page and on_screen and (page == on_screen[0] or
                                 on_screen[0].endswith("…") and page.startswith(on_screen[0][:-1])),
         f"{case}: the page's verdict line {found} is not the screen's {on_screen}")
    need(found and found[0][1].startswith(f"verdict: {word} — ") and
         (found[0][0] == "verdict warn") == alarm,
         f"{case}: the verdict line is not '{word}'{' in the alarm colour' if alarm else ''}: {found}")

# Compare mode: a column a trace, the gap sentence, the screen's words.
c = text("compare.dom")
need("compare 3 traces · python 3.11.7" in c, "compare mode's status line is not there")
need(c.count('class="panel col') == 3, "compare mode has not three columns")
said = page_narrations(c[c.find('<div class="compare"'):])
need(len(said) == 3 and said[0] == "This trace has no such step: nothing like it happens under this method.",
     f"compare mode does not say that fork has no such step: {said[:1]}")
need(len(said) == 3 and said[1] == screen("compare.screen")[2],
     f"compare mode's spawn column does not say what the screen says: {said[1:2]}")
v = text("compare15.dom")
need("python 3.8" in v and "python 3.13" in v, "lesson 15's columns are not titled by Python")
need("nothing like it happens under this Python." in v, "lesson 15's gap does not say that the Python differs")

# ---- the authkey: in no form, anywhere; shown only when asked ----
key = open(f"{w}/key", "rb").read()


def key_forms(k):
    forms = {k.hex(), k.hex().upper(), "".join(f"\\x{b:02x}" for b in k),
             "".join(f"\\\\x{b:02x}" for b in k)}
    for skip in range(3):  # base64 at any alignment, whole groups only
        b64 = base64.b64encode(k[skip:]).decode()
        forms.add(b64[: len(b64) // 4 * 4 - 4])
        forms.add(b64[: len(b64) // 4 * 4 - 4].replace("+", "-").replace("/", "_"))
    # The hex view: eight bytes a line, so a line of the key is there.
    for i in range(len(k) - 7):
        forms.add(" ".join(f"{b:02x}" for b in k[i:i + 8]))
    return forms


forms = key_forms(key)
for name in ("keyed.html", "keyed.svg", "keyed-x.dom", "keyed-p.dom", "keyed-d.dom"):
    data = open(f"{w}/{name}", "rb").read()
    need(key not in data, f"{name} holds the authkey's bytes")
    s = data.decode("utf-8", "replace")
    leaked = [f for f in forms if f and f in s]
    need(not leaked, f"{name} holds the authkey as {leaked[:2]}")
need("authkey hidden" in text("keyed-x.dom"), "the keyed page does not say that the authkey is hidden")
shown = text("shown-x.dom")
need(any(f in shown for f in forms if " " in f), "--no-redact does not show the key in the hex view: the search sees nothing")

# ---- hostile strings are text: nothing ran, nothing was made of them ----
for name in ("hostile-p", "hostile-d"):
    h = text(f"{name}.dom")
    title = re.search(r"<title>(.*?)</title>", h)
    need(title and "pwned" not in title.group(1), f"{name}: a hostile string changed the title")
    need("<img" not in h and "<svg onload" not in h.lower(), f"{name}: a hostile string became markup")
    need(h.count("<script") == 2, f"{name}: a hostile string added a script")
need("&lt;svg onload=alert(1)&gt;.f" in text("hostile-p.dom"), "the hostile global is not shown as text")
need("&lt;/script&gt;&lt;script&gt;" in text("hostile-d.dom") + text("hostile-p.dom"),
     "the hostile strings are not shown as text")

# ---- the slides ----
for name in ("l1-svg.xml", "l15-svg.xml", "spawn-svg.xml", "hostile-svg.xml"):
    try:
        root = ET.fromstring(text(name))
        need(root.tag == "{http://www.w3.org/2000/svg}svg", f"{name}: the root is not an svg")
    except ET.ParseError as e:
        bad.append(f"{name} does not parse: {e}")
s = text("l1.svg")
for want in ("344 B __main__.f", "18923 main", "18924 tracker", "spawn_main", "exit 0", "vfork",
             ">fork<", "example.py · spawn", "payload read by a later process"):
    need(want in s, f"the svg does not say {want!r}")
s15 = text("l15.svg")
need("python 3.8" in s15 and "python 3.13" in s15, "lesson 15's svg does not name both Pythons")
need("&lt;svg onload=alert(1)&gt;" in text("hostile.svg"), "the hostile svg does not escape the global")


# ---- screenshots: PNGs of the size asked for, not one colour ----
def png(name, size):
    b = open(f"{w}/{name}", "rb").read()
    need(b[:8] == b"\x89PNG\r\n\x1a\n", f"{name} is not a PNG")
    wd, ht = struct.unpack(">II", b[16:24])
    need((wd, ht) == size, f"{name} is {wd}x{ht}, not {size[0]}x{size[1]}")
    data, i = b"", 8
    while i < len(b):
        n, kind = struct.unpack(">I4s", b[i:i + 8])
        if kind == b"IDAT":
            data += b[i + 8:i + 8 + n]
        i += 12 + n
    raw = zlib.decompress(data)
    stride = len(raw) // ht
    rows = {raw[r * stride + 1:(r + 1) * stride] for r in range(0, ht, 7)}
    need(len(rows) > 20, f"{name} is blank or nearly ({len(rows)} distinct rows)")


def svg_size(name):
    m = re.search(r'<svg[^>]* width="(\d+)" height="(\d+)"', text(name))
    return int(m.group(1)), int(m.group(2))


png("page-wide.png", (1280, 800))
png("page-narrow.png", (400, 800))
png("compare-wide.png", (1280, 800))
png("compare-narrow.png", (400, 1400))
png("svg-l1.png", svg_size("l1.svg"))
png("svg-l15.png", svg_size("l15.svg"))

for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
