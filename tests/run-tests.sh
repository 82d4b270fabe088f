#!/bin/sh
# Runs test programs and prints one closing line: "<suite>: N passed, N failed, N skipped".
#   tests/run-tests.sh SUITE PROGRAM...
# A cmocka binary counts its own tests; a fuzz replayer or an e2e script counts
# as one test (exit 0 passed, 77 skipped, anything else failed). The exit
# status is non-zero when anything failed; skips are reported, and .ci/run
# refuses them.
suite=$1; shift
passed=0; failed=0; skipped=0; failed_names=""
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT INT TERM

count() { # pattern -> number from cmocka's summary lines, 0 if absent
	sed -n "s/^\[  *$1 *\] \([0-9][0-9]*\) test.*/\1/p" "$log" | head -n 1
}

for prog in "$@"; do
	case "$prog" in
	*.sh) sh "$prog" >"$log" 2>&1; rc=$? ;;
	*/fuzz/*) name=$(basename "$prog"); "$prog" tests/fuzz/corpus/"${name#fuzz_}" >"$log" 2>&1; rc=$? ;;
	*) CMOCKA_MESSAGE_OUTPUT=stdout "$prog" >"$log" 2>&1; rc=$? ;;
	esac
	cat "$log"
	p=$(count PASSED); f=$(count FAILED); s=$(count SKIPPED)
	if [ -n "$p$f$s" ]; then
		passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
		if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
	elif [ "$rc" -eq 0 ]; then passed=$((passed + 1))
	elif [ "$rc" -eq 77 ]; then skipped=$((skipped + 1))
	else failed=$((failed + 1))
	fi
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then failed_names="$failed_names $prog"; fi
done
[ -n "$failed_names" ] && echo "failed programs:$failed_names"
echo "$suite: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ -z "$failed_names" ]
