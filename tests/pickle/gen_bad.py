#!/usr/bin/python3
"""Writes tests/bad-pickles/<problem>.pickle: one malformed or pathological
pickle per problem `mpscope dis` must explain in one line. The expected
stderr line sits beside each as <problem>.err (reviewed by hand).
Run from the repository root: /usr/bin/python3 tests/pickle/gen_bad.py"""
import os
import pickle
import struct

OUT = os.path.join("tests", "bad-pickles")


def spawn_like():
    # A protocol 4 pickle shaped like a spawn payload, built from objects.
    return pickle.dumps({"authkey": b"K" * 32, "target": "f", "args": (1,)}, protocol=4)


BAD = {
    "truncated-length": b"\x80\x04X\x01\x00",
    "truncated-data": spawn_like()[:40],
    "truncated-no-stop": pickle.dumps([1, 2, 3], protocol=2)[:-1],
    "empty": b"",
    "unknown-opcode": b"\x80\x04K\x01\xff.",
    "bad-int-line": b"Inot-a-number\n.",
    "bad-float-line": b"F1.2.3\n.",
    "bad-string-quotes": b"S'unterminated\n.",
    "bad-escape": b"S'\\x4'\n.",
    "bad-raw-unicode-escape": b"V\\u12\n.",
    "bad-utf8": b"X\x02\x00\x00\x00\xc3\x28.",
    "stack-underflow": b"\x80\x02N\x86.",
    "mark-mismatch": b"K\x01K\x02t.",
    "memo-out-of-range": b"\x80\x02h\x07.",
    "memo-redefined": b"Nq\x01q\x01.",
    "length-2-63": b"\x80\x04\x8e" + struct.pack("<Q", 2**63) + b"abc",
    "length-2-64-minus-1": b"\x80\x04\x96" + struct.pack("<Q", 2**64 - 1),
    "negative-length": b"T\xfb\xff\xff\xff.",
    "int-over-4300-digits": b"L" + b"7" * 5000 + b"L\n.",
    "long4-over-4300-digits": b"\x8b" + struct.pack("<i", 2000) + b"\x01" * 2000 + b".",
    "stop-leaves-items": b"NN.",
    "nested-marks-100000": b"(" * 100000 + b".",
    "stack-global-not-str": b"\x80\x04K\x01K\x02\x93.",
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in BAD.items():
        with open(os.path.join(OUT, name + ".pickle"), "wb") as fh:
            fh.write(data)
    print("%d bad pickles in %s" % (len(BAD), OUT))


if __name__ == "__main__":
    main()
