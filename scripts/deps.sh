#!/bin/sh
# Finds the system packages mpscope needs and installs the missing ones.
#   scripts/deps.sh check   everything `make check` needs (build, tests, tmux, strace,
#                           Chromium for the exported page's browser tests)
#   scripts/deps.sh run     what building and running needs (adds python3)
#   scripts/deps.sh build   what compiling needs: a compiler, pkg-config, ncursesw, cJSON,
#                           Python's headers
#   scripts/deps.sh unit    what compiling the unit tests needs (adds cmocka)
#   scripts/deps.sh --report MODE   installs nothing: names the missing packages
#                           and exits 1 (the Makefile asks this before compiling)
# On Debian/Ubuntu it installs with apt-get (as root, or through sudo), saying
# what it installs. Elsewhere it prints the exact command to run and stops.
set -u
report=0
if [ "${1:-}" = --report ]; then report=1; shift; fi
want=${1:-check}
missing_deb=""; missing_rpm=""; missing_brew=""
cc=${CC:-cc}
cc=${cc%% *}

miss() { # debian-pkg rpm-pkg brew-pkg
	missing_deb="$missing_deb $1"; missing_rpm="$missing_rpm $2"; missing_brew="$missing_brew $3"
}
need_cmd() { # command debian-pkg rpm-pkg brew-pkg
	command -v "$1" >/dev/null 2>&1 || miss "$2" "$3" "$4"
}
# A fresh machine may lack pkg-config itself; then the header tells whether
# the library's development package is there (one preprocessor run).
need_pc() { # pkg-config-name header debian-pkg rpm-pkg brew-pkg
	if command -v pkg-config >/dev/null 2>&1; then
		pkg-config --exists "$1" && return
	elif printf '#include <%s>\n' "$2" | "$cc" -E -x c - >/dev/null 2>&1; then
		return
	fi
	miss "$3" "$4" "$5"
}

case $want in
build | unit | run | check) ;;
*) echo "usage: scripts/deps.sh [--report] build|unit|run|check" >&2; exit 2 ;;
esac
need_cmd "$cc" gcc gcc gcc
need_cmd make make make make
need_cmd pkg-config pkg-config pkgconf-pkg-config pkg-config
need_pc ncursesw ncursesw/curses.h libncurses-dev ncurses-devel ncurses
need_pc libcjson cjson/cJSON.h libcjson-dev cjson-devel cjson
# Python's headers, for the probe's fast path (src/probe/mpscope_probe/_fastpath.c).
need_pc python3 Python.h python3-dev python3-devel python3
case $want in unit | check) need_pc cmocka cmocka.h libcmocka-dev libcmocka-devel cmocka ;; esac
case $want in run | check) need_cmd python3 python3 python3 python3 ;; esac
if [ "$want" = check ]; then
	need_cmd tmux tmux tmux tmux
	need_cmd strace strace strace strace
	need_cmd pgrep procps procps-ng proctools
	need_cmd git git git git
	need_cmd clang-format clang-format clang-tools clang-format
	need_cmd cppcheck cppcheck cppcheck cppcheck
	# Only the tests open a browser: the exported page in headless Chromium.
	need_cmd chromium chromium chromium chromium
fi

[ -z "$missing_deb" ] && exit 0
# A package can fill two needs (pkg-config); ask for each once.
dedup() { printf '%s\n' $1 | sort -u | tr '\n' ' ' | sed 's/ $//'; }
missing_deb=$(dedup "$missing_deb")

if [ "$report" = 1 ]; then
	case $want in
	build) doing="compile mpscope" ;;
	unit) doing="compile the tests" ;;
	run) doing="run mpscope" ;;
	check) doing="run the tests" ;;
	esac
	case $missing_deb in
	*' '*) what="the Debian packages $missing_deb"; them=them ;;
	*) what="the Debian package $missing_deb"; them=it ;;
	esac
	echo "mpscope: cannot $doing without $what; 'make deps' installs $them" >&2
	exit 1
fi

if command -v apt-get >/dev/null 2>&1; then
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
			echo "mpscope needs these packages: $missing_deb" >&2
			echo "run as root: apt-get install -y $missing_deb" >&2
			exit 1
		fi
	fi
	echo "mpscope: installing $missing_deb (apt-get)"
	export DEBIAN_FRONTEND=noninteractive
	# Package lists are missing on a fresh machine; refresh them once if the install fails.
	$sudo apt-get install -y -q --no-install-recommends $missing_deb >/tmp/mpscope-apt.log 2>&1 ||
		{ $sudo apt-get update -q >>/tmp/mpscope-apt.log 2>&1 &&
		  $sudo apt-get install -y -q --no-install-recommends $missing_deb >>/tmp/mpscope-apt.log 2>&1; } ||
		{ echo "mpscope: apt-get could not install $missing_deb (see /tmp/mpscope-apt.log)" >&2; exit 1; }
	exit 0
fi
if command -v dnf >/dev/null 2>&1; then
	echo "mpscope needs packages; run: sudo dnf install -y $(dedup "$missing_rpm")" >&2
elif command -v brew >/dev/null 2>&1; then
	echo "mpscope needs packages; run: brew install $(dedup "$missing_brew")" >&2
else
	echo "mpscope needs these packages (Debian names): $missing_deb" >&2
fi
exit 1
