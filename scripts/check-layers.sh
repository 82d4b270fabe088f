#!/bin/sh
# Enforces the layering of src/ without a compiler (`make layers`, part of
# `make check`). The Makefile is the single source of truth and passes it in:
#   CURSES_MODULES=.. OS_MODULES=.. CJSON_MODULES=.. \
#   scripts/check-layers.sh SRC MODULE:DEPS...     e.g. trace:common  common:
# Rules: ncurses only in CURSES_MODULES; <sys/ptrace.h> and "/proc" strings
# only in OS_MODULES; cJSON only in CJSON_MODULES; every src/X/ is a module
# the Makefile knows, and every #include "M/file.h" in it has M == X or M in
# DEPS_X. Each broken rule is one line: the file, the line, the rule.
set -u
src=${1:?usage: check-layers.sh SRC MODULE:DEPS...}
shift
files=$(find "$src" -name '*.[ch]' | sort)
[ -n "$files" ] || { echo "layers: no C sources under $src" >&2; exit 1; }

# shellcheck disable=SC2086 # the file list is split on purpose (no spaces in src/)
awk -v src="$src" -v layering="$*" -v curses="${CURSES_MODULES:-}" -v os="${OS_MODULES:-}" \
	-v cjson="${CJSON_MODULES:-}" '
# ("a b c", "src/", "/") -> "src/a/, src/b/ and src/c/", for sentences.
function listed(list, before, after,    n, w, i, s) {
	n = split(list, w, " ")
	if (n == 0)
		return "no module"
	for (i = 1; i <= n; i++)
		s = s (i == 1 ? "" : i == n ? " and " : ", ") before w[i] after
	return s
}
function member(word, list) {
	return index(" " list " ", " " word " ") > 0
}
function refuse(sentence) {
	printf "layers: %s:%d: %s\n", FILENAME, FNR, sentence > "/dev/stderr"
	broken++
}
# One rule about the outside world: a pattern only some modules may use.
function outside(what, allowed, var, kind) {
	if (!member(mod, allowed))
		refuse(what ", but only " listed(allowed, "src/", "/") " may use " kind " (" var " in the Makefile)")
}
BEGIN {
	n = split(layering, pairs, " ")
	# "module:dep dep" arrives as words: a word with ":" starts a module.
	for (i = 1; i <= n; i++) {
		if (pairs[i] ~ /:/) {
			cur = substr(pairs[i], 1, index(pairs[i], ":") - 1)
			known[cur] = 1
			deps[cur] = substr(pairs[i], index(pairs[i], ":") + 1)
		} else {
			deps[cur] = deps[cur] " " pairs[i]
		}
	}
	for (m in deps)
		sub(/^ +/, "", deps[m])
}
FNR == 1 {
	rel = substr(FILENAME, length(src) + 2)
	mod = index(rel, "/") ? substr(rel, 1, index(rel, "/") - 1) : ""
	is_stray = !(mod in known)
	if (is_stray) {
		printf "layers: %s: %s is not a module the Makefile knows (add it to MODULES with its DEPS_%s)\n", \
			FILENAME, (mod == "" ? "a file directly in " src "/" : "src/" mod "/"), \
			(mod == "" ? "<module>" : mod) > "/dev/stderr"
		broken++
	}
}
is_stray { next }
/<(ncursesw\/|ncurses\/)?(n?curses|term|panel|menu|form)\.h>/ {
	match($0, /<[^>]*>/)
	outside("includes " substr($0, RSTART, RLENGTH), curses, "CURSES_MODULES", "ncurses")
}
/<(sys|linux)\/ptrace\.h>/ {
	match($0, /<[^>]*>/)
	outside("includes " substr($0, RSTART, RLENGTH), os, "OS_MODULES", "ptrace and /proc")
}
/"\/proc("|\/)/ {
	outside("names a \"/proc\" path", os, "OS_MODULES", "ptrace and /proc")
}
/[<"](cjson\/)?cJSON(_Utils)?\.h[>"]/ {
	match($0, /[<"](cjson\/)?cJSON(_Utils)?\.h[>"]/)
	outside("includes " substr($0, RSTART, RLENGTH), cjson, "CJSON_MODULES", "cJSON")
	next
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
	split($0, q, "\"")
	header = q[2]
	to = index(header, "/") ? substr(header, 1, index(header, "/") - 1) : ""
	if (!(to in known))
		refuse("includes \"" header "\", but headers are named from src/ as \"module/file.h\"")
	else if (to != mod && !member(to, deps[mod]))
		refuse("includes \"" header "\", but " mod "/ may include only its own headers" \
			(deps[mod] == "" ? "" : " and those of " listed(deps[mod], "", "/")) " (DEPS_" mod " in the Makefile)")
}
END {
	if (broken)
		printf "layers: %d rule%s broken; see docs/architecture.md\n", broken, \
			(broken == 1 ? "" : "s") > "/dev/stderr"
	exit broken ? 1 : 0
}
' $files
