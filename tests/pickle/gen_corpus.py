#!/usr/bin/python3
"""Generates the golden pickle corpus for `mpscope dis`:

  tests/golden/dis/corpus.bin   records of <u32 name length><name><u32 length><pickle>
  tests/golden/dis/corpus.dis   for each record: "### <name>\\n" then the exact
                                output of `python3 -m pickletools` on it

Pickles come from Python objects (never from unpickling anything): scalars of
every size class, text and bytes of every length class, containers, recursion,
shared references, classes with __reduce__ / __getnewargs_ex__ / __slots__,
enums, namedtuples, functools.partial, protocol 5 buffers, each at protocols
0-5, their pickletools.optimize() forms, and real multiprocessing payloads
captured from a child interpreter (spawn/forkserver process objects,
preparation data, Pool tasks, Queue items). The authkey in those payloads is
overwritten with the probe's same-length marker before anything is saved.

Run with the reference interpreter from the repository root:
    /usr/bin/python3 tests/pickle/gen_corpus.py
"""
import collections
import datetime
import decimal
import enum
import fractions
import functools
import io
import os
import pickle
import pickletools
import random
import struct
import subprocess
import sys
import tempfile
import uuid

OUT_DIR = os.path.join("tests", "golden", "dis")
MARKER = b"<authkey-redacted>"


# ---- objects -------------------------------------------------------------

class Color(enum.Enum):
    RED = 1
    GREEN = "green"


class Flags(enum.IntFlag):
    READ = 1
    WRITE = 2


Point = collections.namedtuple("Point", "x y")


class Plain:
    def __init__(self, a, b):
        self.a = a
        self.b = b


class Slotted:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class WithReduce:
    def __init__(self, value):
        self.value = value

    def __reduce__(self):
        return (WithReduce, (self.value,))


class WithNewargsEx:
    def __new__(cls, a, *, b=0):
        self = super().__new__(cls)
        self.a, self.b = a, b
        return self

    def __getnewargs_ex__(self):
        return (self.a,), {"b": self.b}


class WithState:
    def __init__(self):
        self.data = [1, 2, 3]

    def __getstate__(self):
        return ("v1", self.data)

    def __setstate__(self, state):
        self.data = state[1]


class ListSub(list):
    pass


class DictSub(dict):
    pass


class RunsCommand:
    """A pickle that would run a shell command if loaded (we never load it)."""

    def __reduce__(self):
        return (os.system, ("touch /tmp/mpscope-sentinel-must-not-exist",))


def target(x):
    return x


def ints():
    out = [0, 1, -1, 127, 128, 255, 256, -256, 32767, 65535, 65536, -65536,
           2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**32, 2**63 - 1, 2**63, -2**63,
           2**64, 2**100, -2**100, 10**50, 2**1000, -2**1000 + 7, 10**300]
    out += [2**k - 1 for k in range(0, 130, 7)] + [-(2**k) for k in range(0, 130, 9)]
    out.append(10**4000)   # close to Python's 4300-digit limit
    return out


def floats():
    return [0.0, -0.0, 0.1, 1 / 3, 1.5, -2.25, 1e15, 1e16, 1e17, 1e-4, 1e-5, 123456789.125,
            5e-324, 1.7976931348623157e308, float("inf"), float("-inf"), float("nan"), 1e22,
            1e-7, 3.141592653589793, 2.5e-300, 100.0, 1234567890123456.0, 0.30000000000000004]


def texts():
    base = ["", "a", "hello world", "it's", 'say "hi"', "both ' and \"", "back\\slash",
            "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f", "\x80\x9f\xa0\xad\xff", "caf\u00e9",
            "\u4e2d\u6587", "\U0001F600 emoji", "\u2028\u2029", "\ue000 private", "\u0378 unassigned",
            "e\u0301 combining", "\ufeff bom", "\ud800 lone", "\udfff", "\U0010FFFF",
            "x" * 255, "y" * 256, "z" * 65535, "w" * 65536, "\\u0041 not an escape", "\\\\u0041",
            "mixed \u00e9 and ' quote", "\x85 nel", "\u00a0nbsp", "\u200b zwsp", "\U000E0001 tag"]
    return base


def byte_values():
    return [b"", b"\x00", b"abc", b"'", b'"', b"'\"", b"\\", bytes(range(256)), b"a" * 255,
            b"b" * 256, b"c" * 65536, bytearray(b""), bytearray(b"xyz"), bytearray(range(256))]


def containers():
    shared = [1, 2]
    rec_list = []
    rec_list.append(rec_list)
    rec_dict = {}
    rec_dict["self"] = rec_dict
    rec_obj = Plain(None, None)
    rec_obj.a = rec_obj
    return [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), [], [1], list(range(1000)), {}, {"a": 1},
            {i: str(i) for i in range(1001)}, set(), {1, 2, 3}, frozenset(), frozenset({"a"}),
            [shared, shared], (shared, [shared]), rec_list, rec_dict, rec_obj, [[[[[[]]]]]],
            [(i, -i) for i in range(50)], {"nested": {"deep": [{"x": (1, 2.5, None)}]}},
            [None, True, False], ListSub([1, 2]), DictSub(a=1), ((),) * 3]


def stdlib_objects():
    return [Color.RED, Color.GREEN, Flags.READ | Flags.WRITE, Point(1, 2), Plain(1, "two"),
            Slotted(3, [4]), WithReduce({"k": 1}), WithNewargsEx(5, b=6), WithState(),
            functools.partial(target, 1, key="v"), functools.partial(int, base=2),
            datetime.datetime(2024, 5, 6, 7, 8, 9, 10), datetime.date(2020, 2, 29),
            datetime.timedelta(days=-1, seconds=5), decimal.Decimal("1.10"),
            fractions.Fraction(3, 7), complex(1, -2), range(0, 10, 3), slice(1, None, 2),
            collections.OrderedDict(a=1, b=2), collections.deque([1, 2], maxlen=5),
            collections.defaultdict(list, {"a": [1]}), collections.Counter("abracadabra"),
            uuid.UUID(int=0x1234), target, len, os.path.join, RunsCommand(), type(None),
            Exception("boom", 42), ValueError("bad"), ...]


def random_tree(rng, depth):
    kind = rng.randrange(12 if depth < 4 else 6)
    if kind == 0:
        return rng.randint(-2**70, 2**70) if rng.random() < 0.2 else rng.randint(-300, 70000)
    if kind == 1:
        return rng.uniform(-1e6, 1e6) if rng.random() < 0.5 else rng.random() * 10 ** rng.randint(-30, 30)
    if kind == 2:
        return "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(0, 0x3000),
                                       rng.randrange(0x10000, 0x10FFFF)]))
                       for _ in range(rng.randrange(0, 40)))
    if kind == 3:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
    if kind == 4:
        return rng.choice([None, True, False, Color.RED, target])
    if kind == 5:
        return rng.choice(["__main__", "key", "value", ""])
    if kind in (6, 7):
        return [random_tree(rng, depth + 1) for _ in range(rng.randrange(0, 6))]
    if kind == 8:
        return tuple(random_tree(rng, depth + 1) for _ in range(rng.randrange(0, 5)))
    if kind == 9:
        return {str(rng.randrange(100)): random_tree(rng, depth + 1) for _ in range(rng.randrange(0, 5))}
    if kind == 10:
        return Plain(random_tree(rng, depth + 1), random_tree(rng, depth + 1))
    return {rng.randrange(1000) for _ in range(rng.randrange(0, 5))}


def protocol5_buffers():
    out = []
    for data in (b"", b"abc", bytes(300)):
        for readonly in (True, False):
            buf = pickle.PickleBuffer(data if readonly else bytearray(data))
            out.append(("pickle5-oob-%s-%d" % ("ro" if readonly else "rw", len(data)),
                        pickle.dumps([buf, 1], protocol=5, buffer_callback=lambda b: False)))
            out.append(("pickle5-inband-%s-%d" % ("ro" if readonly else "rw", len(data)),
                        pickle.dumps(buf, protocol=5)))
    return out


# ---- multiprocessing payloads ---------------------------------------------

CHILD = r'''
import io, os, struct, sys
import multiprocessing as mp
from multiprocessing import reduction

captured = []
_orig_dumps = reduction.ForkingPickler.dumps.__func__

def dumps(cls, obj, protocol=None):
    data = _orig_dumps(cls, obj, protocol)
    captured.append((type(obj).__name__, bytes(data)))
    return data

reduction.ForkingPickler.dumps = classmethod(dumps)
_orig_dump = reduction.dump

def dump(obj, file, protocol=None):
    buf = io.BytesIO()
    reduction.ForkingPickler(buf, protocol).dump(obj)
    captured.append((type(obj).__name__, buf.getvalue()))
    file.write(buf.getvalue())

reduction.dump = dump

def f(x, y=0):
    return x + y

def square(x):
    return x * x

def consume(q):
    q.get()

def main():
    out = sys.argv[1]
    for method in ("spawn", "forkserver", "fork"):
        ctx = mp.get_context(method)
        for args, kwargs in (((1,), {}), ((2, 3), {"y": 4}), ((), {"x": "text"})):
            p = ctx.Process(target=f, args=args, kwargs=kwargs, name="worker-%s" % method)
            p.start()
            p.join()
        with ctx.Pool(2) as pool:
            pool.map(square, range(6), chunksize=2)
            pool.apply_async(f, (5,), {"y": 1}).get()
        q = ctx.Queue()
        p = ctx.Process(target=consume, args=(q,))
        p.start()
        q.put({"item": [1, 2, 3], "method": method})
        p.join()
    with open(out, "wb") as fh:
        for why, data in captured:
            name = why.encode()
            fh.write(struct.pack("<I", len(name)) + name + struct.pack("<I", len(data)) + data)
    sys.stdout.write(mp.current_process().authkey.hex())

if __name__ == "__main__":
    main()
'''


def multiprocessing_payloads():
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "capture.py")
        out = os.path.join(tmp, "captured.bin")
        with open(script, "w") as fh:
            fh.write(CHILD)
        res = subprocess.run([sys.executable, script, out], check=True, capture_output=True, cwd=tmp)
        authkey = bytes.fromhex(res.stdout.decode())
        marker = (MARKER + b"*" * len(authkey))[:len(authkey)]
        records = read_records(open(out, "rb").read())
    seen = set()
    result = []
    for i, (why, data) in enumerate(records):
        data = data.replace(authkey, marker)
        assert authkey not in data
        if data in seen:
            continue
        seen.add(data)
        result.append(("mp-%03d-%s" % (i, why.decode()), data))
    return result


def read_records(blob):
    out, pos = [], 0
    while pos < len(blob):
        (n,) = struct.unpack_from("<I", blob, pos)
        name = blob[pos + 4:pos + 4 + n]
        pos += 4 + n
        (m,) = struct.unpack_from("<I", blob, pos)
        out.append((name, blob[pos + 4:pos + 4 + m]))
        pos += 4 + m
    return out


# ---- assembly --------------------------------------------------------------

def corpus():
    items = []
    groups = [("int", ints()), ("float", floats()), ("str", texts()), ("bytes", byte_values()),
              ("container", containers()), ("object", stdlib_objects())]
    rng = random.Random(20240601)
    groups.append(("random", [random_tree(rng, 0) for _ in range(190)]))
    for group, values in groups:
        for i, value in enumerate(values):
            for proto in range(6):
                try:
                    data = pickle.dumps(value, protocol=proto)
                except (pickle.PicklingError, TypeError, AttributeError):
                    continue
                items.append(("%s-%03d-p%d" % (group, i, proto), data))
                if i % 2 == 0 or group in ("container", "object"):
                    items.append(("%s-%03d-p%d-opt" % (group, i, proto), pickletools.optimize(data)))
    # Shortest round-trip float reprs over random bit patterns and ranges.
    floats_rng = random.Random(1959)
    many = [struct.unpack("<d", floats_rng.getrandbits(64).to_bytes(8, "little"))[0] for _ in range(700)]
    many += [floats_rng.random() * 10 ** floats_rng.randint(-12, 22) for _ in range(700)]
    many += [round(floats_rng.random() * 1000, floats_rng.randint(0, 6)) for _ in range(600)]
    for proto in (0, 1):
        items.append(("float-random-p%d" % proto, pickle.dumps(many, protocol=proto)))
    items += protocol5_buffers()
    for name, data in multiprocessing_payloads():
        items.append((name, data))
        items.append((name + "-opt", pickletools.optimize(data)))
    return items


def main():
    items = corpus()
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, "corpus.bin"), "wb") as bin_fh, \
            open(os.path.join(OUT_DIR, "corpus.dis"), "w", encoding="utf-8", newline="\n") as dis_fh:
        for name, data in items:
            text = io.StringIO()
            pickletools.dis(data, out=text)
            dis_fh.write("### %s\n" % name)
            dis_fh.write(text.getvalue())
            raw = name.encode()
            bin_fh.write(struct.pack("<I", len(raw)) + raw + struct.pack("<I", len(data)) + data)
    # The in-process dis() must equal the command line tool; check a few.
    for name, data in items[:: max(1, len(items) // 10)]:
        with tempfile.NamedTemporaryFile(suffix=".pickle") as fh:
            fh.write(data)
            fh.flush()
            cli = subprocess.run([sys.executable, "-m", "pickletools", fh.name], check=True,
                                 capture_output=True).stdout.decode("utf-8")
        text = io.StringIO()
        pickletools.dis(data, out=text)
        assert cli == text.getvalue(), name
    print("%d pickles written to %s" % (len(items), OUT_DIR))


if __name__ == "__main__":
    main()
