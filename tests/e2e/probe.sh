#!/bin/sh
# Runs the probe's Python tests (tests/probe/test_probe.py) under every
# CPython 3.8-3.13 found in /root/.pyenv/versions/ and /usr/bin/python3, each
# twice: with the C fast path (src/probe/mpscope_probe/_fastpath.c) and in
# pure Python (MPSCOPE_PURE_PROBE=1), which must behave the same; the
# 40,000-pickle load test once (with a 3.11), and checks that the loader stays
# harmless where the probe does not run (3.6/3.7: only chaining; 2.7: parses).
# Exit 0 passed, 77 skipped (no CPython 3.8+ found), 1 failed.
#   sh tests/e2e/probe.sh        (from the repository root or anywhere)
root=$(cd "$(dirname "$0")/../.." && pwd)
tests="$root/tests/probe"
pyenv=${MPSCOPE_PYENV_VERSIONS:-/root/.pyenv/versions}
failed=0; ran=0; load_done=""
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT INT TERM

version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }

for python in "$pyenv"/3.*/bin/python3 /usr/bin/python3; do
	[ -x "$python" ] || continue
	version=$(version_of "$python") || continue
	case "$version" in
	3.8|3.9|3.10|3.11|3.12|3.13) ;;
	*) continue ;;
	esac
	load=0
	if [ "$version" = 3.11 ] && [ -z "$load_done" ]; then load=1; load_done=$python; fi
	for pure in "" 1; do
		echo "== $python ($version${pure:+, pure Python})"
		if MPSCOPE_PURE_PROBE=$pure MPSCOPE_PROBE_LOAD_TEST=$load "$python" "$tests/test_probe.py" \
			>"$log" 2>&1; then
			tail -n 3 "$log"
		else
			cat "$log"
			echo "FAILED under $python: rerun with: MPSCOPE_PURE_PROBE=$pure $python $tests/test_probe.py -v"
			failed=1
		fi
	done
	ran=$((ran + 1))
done

# Where the probe must do nothing: the loader still chains a user's
# sitecustomize (3.6/3.7) or at least parses (2.7).
for python in "$pyenv"/3.6*/bin/python3 "$pyenv"/3.7*/bin/python3; do
	[ -x "$python" ] || continue
	expected=$(PYTHONPATH="$tests/programs/user_site" "$python" "$tests/programs/plain.py" 2>&1)
	got=$(PYTHONPATH="$root/src/probe:$tests/programs/user_site" MPSCOPE_SOCK=/nonexistent \
		MPSCOPE_CHAIN_PYTHONPATH="$tests/programs/user_site" \
		"$python" "$tests/programs/plain.py" 2>&1)
	if [ "$got" = "$expected" ]; then
		echo "== $python: loader inert, user sitecustomize chained"
	else
		echo "FAILED under $python: expected '$expected', got '$got'"; failed=1
	fi
done
for python in "$pyenv"/2.7*/bin/python; do
	[ -x "$python" ] || continue
	if "$python" -c "compile(open('$root/src/probe/sitecustomize.py').read(), 'sitecustomize.py', 'exec')"; then
		echo "== $python: sitecustomize.py parses"
	else
		echo "FAILED: sitecustomize.py does not parse under $python"; failed=1
	fi
done

if [ "$ran" -eq 0 ]; then
	echo "probe: skipped, no CPython 3.8-3.13 found in $pyenv or /usr/bin/python3"
	exit 77
fi
[ -n "$load_done" ] || echo "note: no CPython 3.11 found, the load test did not run"
[ "$failed" -eq 0 ] && echo "probe: passed under $ran interpreters" && exit 0
exit 1
