#!/bin/sh
# `make install PREFIX=...` gives a binary that finds its probe, lessons and
# traces away from the source tree: a recorded trace opens, and a live spawn
# run pickles its process object (which only the installed probe can see).
set -u
command -v python3 >/dev/null 2>&1 || { echo "install: no python3, skipping"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "install: $*"; exit 1; }

make --no-print-directory install PREFIX="$tmp/prefix" >"$tmp/make.log" 2>&1 ||
	fail "make install failed: $(tail -n 3 "$tmp/make.log")"
bin=$tmp/prefix/bin/mpscope
[ -x "$bin" ] || fail "no binary at $bin"
[ -f "$tmp/prefix/share/man/man1/mpscope.1" ] || fail "no man page installed"

# Run from an unrelated folder so nothing can be found relative to the source tree.
cd "$tmp" || exit 1
cp -R "$tmp/prefix/share/mpscope/lessons/01-what-gets-pickled" lesson
"$bin" info prefix/share/mpscope/traces/01-what-gets-pickled.spawn.json >info.txt 2>&1 ||
	fail "installed binary cannot read an installed trace: $(cat info.txt)"
"$bin" run --no-ui -m spawn -o run.json lesson/example.py >run.txt 2>&1 ||
	fail "installed binary could not run the lesson: $(cat run.txt)"
# Both children greet; their words may interleave (two processes writing
# unbuffered at once, as under PYTHONUNBUFFERED=1), so count the greetings.
[ "$(grep -o 'hello world!' run.txt | wc -l)" -eq 2 ] ||
	fail "the program's own output is missing: $(cat run.txt)"
"$bin" info run.json >info2.txt 2>&1 || fail "its trace is invalid: $(cat info2.txt)"
grep -Eq '^pickled +[1-9][0-9]* bytes' info2.txt ||
	fail "the installed probe saw no pickles: $(grep pickled info2.txt)"
echo "install: installed binary found its probe and traces"
