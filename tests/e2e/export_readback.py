"""export_readback.py - reads `mpscope export` files back, for export-cli.sh.

  check SPEC...          each SPEC is FORMAT:EXPORT:TRACE[,TRACE...] (FORMAT
                         json, json-nopayloads, chrome or text); exits 1 with
                         one line per problem
  keyed IN OUT KEYFILE   writes OUT: trace IN with a real authkey where the
                         probe wrote its redaction marker, and then the key
                         printed and on a command line; the key goes to
                         KEYFILE
  findkey KEYFILE FILE   exits 1 (and names the forms) when FILE holds the key
                         raw, in hex, in base64 or as Python's repr

What is checked is what a reader of each format relies on; see check_*.
Pickles counted, not kept (pickle.summary), are in every format: json
passes them through, chrome has an instant for each and lifetimes with
the totals, text a step per process that counted.
"""
import base64
import collections
import json
import os
import re
import sys

problems = []


def problem(where, what):
    problems.append("%s: %s" % (where, what))


def load(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


# ---- json: the trace itself ----

def check_json(path, traces, has_payloads=True):
    if len(traces) != 1:
        problem(path, "json takes one trace")
        return
    src, out = load(traces[0]), load(path)
    if out.get("format") != "mpscope-trace":
        problem(path, "not an mpscope trace")
        return
    if [p["pid"] for p in out["processes"]] != [p["pid"] for p in src["processes"]]:
        problem(path, "the processes differ from the trace's")
    if len(out["events"]) != len(src["events"]):
        problem(path, "%d events, the trace has %d" % (len(out["events"]), len(src["events"])))
        return
    for i, (a, b) in enumerate(zip(src["events"], out["events"])):
        if (a["kind"], a["t"], a["pid"]) != (b["kind"], b["t"], b["pid"]):
            problem(path, "event %d is not the trace's" % i)
            return
        if a["kind"] == "pickle.summary":
            if any(a.get(k) != b.get(k) for k in ("what", "op", "count", "size")):
                problem(path, "event %d: a count of pickles changed" % i)
            continue
        if not a["kind"].startswith("pickle.") or a["kind"] == "pickle.find_class":
            continue
        if a.get("size") != b.get("size") or a.get("globals") != b.get("globals"):
            problem(path, "event %d: size or globals changed" % i)
        if has_payloads and ("bytes" in a) != ("bytes" in b):
            problem(path, "event %d: payload bytes lost" % i)
        if not has_payloads and "bytes" in b:
            problem(path, "event %d: --no-payloads kept the bytes" % i)


# ---- chrome: what Perfetto and chrome://tracing need ----

def pickle_pairs(events):
    """(dump index, load index) pairs: each load with the first unpaired
    dump before it of the same sender, receiver and size."""
    used, pairs = set(), []
    for i, ld in enumerate(events):
        if ld["kind"] != "pickle.load" or not ld.get("from"):
            continue
        for d in range(i):
            dp = events[d]
            if (d not in used and dp["kind"] == "pickle.dump" and "error" not in dp
                    and dp["pid"] == ld["from"] and dp.get("to") == ld["pid"]
                    and dp["size"] == ld["size"]):
                used.add(d)
                pairs.append((d, i))
                break
    return pairs


INSTANT_CAT = {"import": "import", "pickle.find_class": "pickle", "output": "output",
               "fds.pass": "fds", "pickle.summary": "pickle"}


def pickle_totals(events):
    """Per pid, pickles made and read in all, with their bytes: the events
    kept and the counts of the rest (pickle.summary) add up to them."""
    totals = collections.defaultdict(lambda: {"pickled": 0, "pickled bytes": 0,
                                              "unpickled": 0, "unpickled bytes": 0})
    for ev in events:
        t = totals[ev["pid"]]
        if ev["kind"] in ("pickle.dump", "pickle.load") and "error" not in ev:
            verb = "pickled" if ev["kind"] == "pickle.dump" else "unpickled"
            t[verb] += 1
            t[verb + " bytes"] += ev["size"]
        elif ev["kind"] == "pickle.summary":
            verb = "pickled" if ev["op"] == "dump" else "unpickled"
            t[verb] += ev["count"]
            t[verb + " bytes"] += ev["size"]
    return totals


def check_chrome(path, traces):
    d = load(path)
    if set(d) != {"traceEvents", "otherData"}:
        problem(path, "not the JSON object form")
        return
    names, life, tracks, flows = {}, {}, collections.defaultdict(list), collections.defaultdict(list)
    instants, counters = collections.Counter(), collections.defaultdict(list)
    counted = collections.defaultdict(list)
    for e in d["traceEvents"]:
        pid = e["pid"]
        if e["ph"] == "M":
            if e["name"] == "process_name":
                names[pid] = e["args"]["name"]
            continue
        if e["tid"] != pid:
            problem(path, "an event of pid %d is on another thread" % pid)
        if e["ph"] == "C":
            counters[(pid, e["name"])].append(e["ts"])
            continue
        if pid not in life:
            if e["ph"] != "X" or e.get("cat") != "process" or "ppid" not in e.get("args", {}):
                problem(path, "the track of %d does not open with its lifetime" % pid)
                return
            life[pid] = e
        tracks[pid].append(e)
        if e["ph"] == "i" and e["cat"] in INSTANT_CAT.values():
            instants[(pid, e["cat"])] += 1
        if e["ph"] == "i" and "count" in e.get("args", {}):
            counted[pid].append((e["args"].get("what"), e["args"].get("op"),
                                 e["args"]["count"], e["args"].get("size")))
        if "bind_id" in e:
            if e["ph"] != "X":
                problem(path, "an arrow ends at a %s event" % e["ph"])
            flows[e["bind_id"]].append(e)
    # Every process of every trace, each its own track, in its group.
    groups = collections.defaultdict(set)
    for pid, e in life.items():
        groups[e["args"].get("trace", os.path.basename(traces[0]))].add(e["args"]["pid"])
        if pid not in names:
            problem(path, "process %d has no process_name" % pid)
    for t in traces:
        want = {p["pid"] for p in load(t)["processes"]}
        got = groups.get(os.path.basename(t), set())
        if got != want:
            problem(path, "%s: processes %s missing, %s extra" % (
                t, sorted(want - got), sorted(got - want)))
    # Time runs forward on each track, every mark inside the lifetime.
    for pid, evs in tracks.items():
        start, end = evs[0]["ts"], evs[0]["ts"] + evs[0]["dur"]
        last = None
        for e in evs[1:]:
            if last is not None and e["ts"] <= last:
                problem(path, "pid %d: ts %s after %s" % (pid, e["ts"], last))
                break
            if e["ts"] < start or e["ts"] + e.get("dur", 0) > end:
                problem(path, "pid %d: a mark at %s is outside its lifetime" % (pid, e["ts"]))
                break
            last = e["ts"]
    for key, ts in counters.items():
        if ts != sorted(ts):
            problem(path, "counter %s goes back in time" % (key,))
    # Arrows: one start, its ends after it on other real processes.
    pickle_out = 0
    for b, evs in flows.items():
        outs = [e for e in evs if e.get("flow_out")]
        ins = [e for e in evs if e.get("flow_in")]
        if len(outs) != 1 or not ins or len(outs) + len(ins) != len(evs):
            problem(path, "arrow %s has %d starts and %d ends" % (b, len(outs), len(ins)))
            continue
        o = outs[0]
        for e in ins:
            if e["pid"] == o["pid"] or e["pid"] not in life or o["pid"] not in life:
                problem(path, "arrow %s does not join two processes" % b)
            if e["ts"] <= o["ts"]:
                problem(path, "arrow %s runs backwards" % b)
        if o["cat"] == "pickle":
            pickle_out += 1
            a, z = o["args"], ins[0]["args"]
            if len(ins) != 1 or a["size"] != z["size"] or not isinstance(a.get("globals"), list):
                problem(path, "pickle arrow %s: ends or args do not match" % b)
            if "what" not in a or life[ins[0]["pid"]]["args"]["pid"] != a.get("to"):
                problem(path, "pickle arrow %s: purpose or receiver missing" % b)
    # What each trace holds, each where it belongs.
    want_pickles, want_instants = 0, collections.Counter()
    by_pid = {}
    for pid, e in life.items():
        by_pid[(e["args"].get("trace", os.path.basename(traces[0])), e["args"]["pid"])] = pid
    for t in traces:
        tr, name = load(t), os.path.basename(t)
        want_pickles += len(pickle_pairs(tr["events"]))
        # Each count of pickles not kept is an instant on its process's
        # track, and each lifetime says the process's totals.
        for pid, want in pickle_totals(tr["events"]).items():
            out = by_pid.get((name, pid))
            got = {k: life[out]["args"].get(k) for k in want} if out in life else None
            if got != want:
                problem(path, "%s: %d's pickles in all are %s, the trace says %s" % (
                    name, pid, got, dict(want)))
            want_counted = [(ev["what"], ev["op"], ev["count"], ev["size"]) for ev in tr["events"]
                            if ev["kind"] == "pickle.summary" and ev["pid"] == pid]
            if counted.get(out, []) != want_counted:
                problem(path, "%s: %d's counted pickles are %s, the trace has %s" % (
                    name, pid, counted.get(out, []), want_counted))
        started = set()
        for ev in tr["events"]:
            out = by_pid.get((name, ev["pid"]))
            if ev["kind"] in INSTANT_CAT:
                want_instants[(out, INSTANT_CAT[ev["kind"]])] += 1
            if ev["kind"] == "fork" and ev["child"] not in started:
                started.add(ev["child"])
                child = by_pid.get((name, ev["child"]))
                if not any(e.get("flow_out") and e["pid"] == out
                           and any(x["pid"] == child for x in flows[e["bind_id"]])
                           for e in tracks[out] if "bind_id" in e):
                    problem(path, "%s: no arrow from %d to the child it forked, %d" % (
                        name, ev["pid"], ev["child"]))
    if pickle_out != want_pickles:
        problem(path, "%d pickle arrows, the traces pair %d" % (pickle_out, want_pickles))
    if instants != want_instants:
        problem(path, "instants %s, the traces hold %s" % (
            sorted((instants - want_instants).items()), sorted((want_instants - instants).items())))


# ---- text: the transcript ----

STEP = re.compile(r"^[* ] step (\d+)/(\d+)  t=([0-9.]+) ms  ")


def check_text(path, traces):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")
    for ch in text:
        if ch != "\n" and (ord(ch) < 0x20 or ord(ch) == 0x7f):
            problem(path, "a control character U+%04X" % ord(ch))
            break
    if max(len(line) for line in text.split("\n")) > 78:
        problem(path, "a line is longer than 78 columns")
    if len(traces) == 1:
        parts = [text] if text.startswith("mpscope transcript: %s\n" % os.path.basename(traces[0])) else []
    else:
        parts = re.split(r"^trace \d+ of %d: " % len(traces), text, flags=re.M)[1:]
    if len(parts) != len(traces):
        problem(path, "%d transcripts for %d traces" % (len(parts), len(traces)))
        return
    for t, part in zip(traces, parts):
        tr = load(t)
        head = part.split("\nsteps ", 1)[0]
        for p in tr["processes"]:
            if not re.search(r"^ +%d " % p["pid"], head, flags=re.M):
                problem(path, "%s: process %d is not listed" % (t, p["pid"]))
        steps = [STEP.match(line) for line in part.split("\n")]
        steps = [m for m in steps if m]
        n = int(steps[0].group(2)) if steps else 0
        if [int(m.group(1)) for m in steps] != list(range(1, n + 1)) or n == 0:
            problem(path, "%s: the steps are not 1..%d in order" % (t, n))
        times = [float(m.group(3)) for m in steps]
        if times != sorted(times):
            problem(path, "%s: a step goes back in time" % t)
        # Nothing counted goes unsaid: a step per process that counted
        # (its counts come together), with the number the trace has.
        totals = collections.Counter()
        for ev in tr["events"]:
            if ev["kind"] == "pickle.summary":
                totals[ev["pid"]] += ev["count"]
        for pid, n_counted in totals.items():
            line = "  %d counted %s more pickle%s, " % (pid, format(n_counted, ","),
                                                        "" if n_counted == 1 else "s")
            if line not in part:
                problem(path, "%s: no step says '%s'" % (t, line.strip()))
        if "payload_keep_first" in tr["meta"] and "\npickles    kept the first " not in head:
            problem(path, "%s: the header does not say which pickles were kept" % t)


# ---- the authkey ----

MARKER = re.compile(rb"<authkey-redacted>\**")


def keyed(src, dst, keyfile):
    """A recorded trace as it would be had the probe not redacted: the real
    key (the same in every process, as multiprocessing gives it) where the
    marker is; the key printed and on a command line too."""
    key = os.urandom(32)
    tr = load(src)
    n = 0
    for ev in tr["events"]:
        if "bytes" in ev:
            raw = base64.b64decode(ev["bytes"])
            new = MARKER.sub(lambda m: key[:len(m.group())].ljust(len(m.group()), b"k"), raw)
            if new != raw:
                n += 1
                ev["bytes"] = base64.b64encode(new).decode()
                ev.pop("redacted", None)
    # Where no payload holds the key (fork: nothing is pickled with it),
    # the trace does not know it, and neither can an export.
    if n:
        printed = "key %s\nrepr %r\nb64 %s\n" % (key.hex(), key, base64.b64encode(key).decode())
        tr["events"].append({"t": tr["events"][-1]["t"], "pid": tr["processes"][0]["pid"],
                             "kind": "output", "stream": "stdout", "text": printed})
        tr["processes"][-1].setdefault("argv", []).append(key.hex())
    tr["meta"].pop("redacted", None)
    with open(dst, "w") as f:
        json.dump(tr, f)
    with open(keyfile, "wb") as f:
        f.write(key)
    return n


def key_forms(key):
    forms = {"raw": key, "hex": key.hex().encode(), "HEX": key.hex().upper().encode(),
             "repr": repr(key)[2:-1].encode()}
    for s in range(3):
        whole = key[s:s + (len(key) - s) // 3 * 3]
        forms["base64+%d" % s] = base64.b64encode(whole)
        forms["urlsafe+%d" % s] = base64.urlsafe_b64encode(whole)
    return forms


def findkey(keyfile, path):
    with open(keyfile, "rb") as f:
        key = f.read()
    with open(path, "rb") as f:
        data = f.read()
    found = [name for name, form in key_forms(key).items() if form in data]
    if found:
        print("%s holds the key: %s" % (path, ", ".join(found)))
    return 1 if found else 0


CHECKS = {"json": check_json, "json-nopayloads": lambda p, t: check_json(p, t, False),
          "chrome": check_chrome, "text": check_text}


def main(argv):
    if argv[1] == "keyed":
        print("payloads keyed:", keyed(argv[2], argv[3], argv[4]))
        return 0
    if argv[1] == "findkey":
        return findkey(argv[2], argv[3])
    for spec in argv[2:]:
        fmt, path, traces = spec.split(":", 2)
        try:
            CHECKS[fmt](path, traces.split(","))
        except (ValueError, KeyError, IndexError, TypeError) as e:
            problem(path, "cannot be read back as %s (%s: %s)" % (fmt, type(e).__name__, e))
    for p in problems:
        print(p)
    print("checked %d exports, %d problems" % (len(argv) - 2, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
