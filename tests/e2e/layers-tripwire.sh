#!/bin/sh
# layers-tripwire.sh - proves `make layers` can fail: it copies src/, the
# Makefile and scripts/ to a temporary folder, plants one violation of each
# rule in turn, and expects `make layers` to refuse it with the sentence that
# names the file, the line and the rule. The clean copy must pass, and so
# must every planted file once it is removed again.
set -u
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -R src Makefile scripts "$tmp"/ || exit 2
failed=0
log=$tmp/layers.log

layers() { # make-arguments... -> exit status of `make layers` in the copy
	make --no-print-directory -C "$tmp" layers "$@" >"$log" 2>&1
}

if ! layers; then
	echo "FAIL the clean copy of the tree is refused:"; cat "$log"; failed=1
fi

# plant FILE LINE EXPECTED [MAKE-ARGS...]: FILE (under src/) holds LINE at
# line 3, and `make layers` must fail saying EXPECTED about that line (or
# about the whole file).
plant() {
	file=$1 line=$2 expected=$3
	shift 3
	mkdir -p "$tmp/$(dirname "$file")"
	printf '/* planted by tests/e2e/layers-tripwire.sh */\n\n%s\n' "$line" >"$tmp/$file"
	if layers "$@"; then
		echo "FAIL $file with '$line' is accepted"; failed=1
	elif ! grep -qxF "layers: $file:3: $expected" "$log" &&
		! grep -qxF "layers: $file: $expected" "$log"; then
		echo "FAIL $file with '$line': expected 'layers: $file:3: $expected', got:"
		cat "$log"; failed=1
	else
		echo "ok   $file: $line"
	fi
	rm -f "$tmp/$file"
	rmdir "$tmp/$(dirname "$file")" 2>/dev/null
}

plant src/replay/tw.c '#include <curses.h>' \
	'includes <curses.h>, but only src/ui/ may use ncurses (CURSES_MODULES in the Makefile)'
plant src/cli/tw.h '#include <ncursesw/curses.h>' \
	'includes <ncursesw/curses.h>, but only src/ui/ may use ncurses (CURSES_MODULES in the Makefile)'
plant src/cli/tw.c '#include <sys/ptrace.h>' \
	'includes <sys/ptrace.h>, but only src/tracer/ may use ptrace and /proc (OS_MODULES in the Makefile)'
plant src/ui/tw.c 'static const char *root = "/proc";' \
	'names a "/proc" path, but only src/tracer/ may use ptrace and /proc (OS_MODULES in the Makefile)'
plant src/replay/tw.c 'snprintf(p, n, "/proc/%d/fd", pid);' \
	'names a "/proc" path, but only src/tracer/ may use ptrace and /proc (OS_MODULES in the Makefile)'
# The cJSON set is given here, so the test holds whatever the Makefile says.
plant src/ui/tw.c '#include <cjson/cJSON.h>' \
	'includes <cjson/cJSON.h>, but only src/json/ and src/tracer/ may use cJSON (CJSON_MODULES in the Makefile)' \
	CJSON_MODULES='json tracer'
# Narrowing cJSON to json/ alone is one word in the Makefile.
plant src/tracer/tw.c '#include <cjson/cJSON.h>' \
	'includes <cjson/cJSON.h>, but only src/json/ may use cJSON (CJSON_MODULES in the Makefile)' \
	CJSON_MODULES=json
plant src/trace/tw.c '#include "replay/replay.h"' \
	'includes "replay/replay.h", but trace/ may include only its own headers and those of common/ (DEPS_trace in the Makefile)'
plant src/common/tw.c '#include "trace/trace.h"' \
	'includes "trace/trace.h", but common/ may include only its own headers (DEPS_common in the Makefile)'
plant src/json/tw.c '#include "pickle/pickle.h"' \
	'includes "pickle/pickle.h", but json/ may include only its own headers and those of lesson/, trace/ and common/ (DEPS_json in the Makefile)'
plant src/ui/tw.c '#include "tracer/tracer.h"' \
	'includes "tracer/tracer.h", but ui/ may include only its own headers and those of lesson/, replay/, pickle/, trace/ and common/ (DEPS_ui in the Makefile)'
# lesson/ is pure: the JSON that feeds it stays in json/.
plant src/lesson/tw.c '#include "json/lesson_json.h"' \
	'includes "json/lesson_json.h", but lesson/ may include only its own headers and those of replay/, pickle/, trace/ and common/ (DEPS_lesson in the Makefile)'
plant src/trace/tw.c '#include "../replay/replay.h"' \
	'includes "../replay/replay.h", but headers are named from src/ as "module/file.h"'
plant src/extra/tw.c '#include "common/err.h"' \
	'src/extra/ is not a module the Makefile knows (add it to MODULES with its DEPS_extra)'

if ! layers; then
	echo "FAIL the copy is refused after every planted file was removed:"; cat "$log"; failed=1
fi
exit $failed
