#!/bin/sh
# Finds the system packages mpscope needs and installs the missing ones.
#   scripts/deps.sh check   everything `make check` needs (build, tests, tmux, strace)
#   scripts/deps.sh run     only what building and running needs
# On Debian/Ubuntu it installs with apt-get (as root, or through sudo), saying
# what it installs. Elsewhere it prints the exact command to run and stops.
set -u
want=${1:-check}
missing_deb=""; missing_rpm=""; missing_brew=""

need_cmd() { # command debian-pkg rpm-pkg brew-pkg
	command -v "$1" >/dev/null 2>&1 && return
	missing_deb="$missing_deb $2"; missing_rpm="$missing_rpm $3"; missing_brew="$missing_brew $4"
}
need_pc() { # pkg-config-name debian-pkg rpm-pkg brew-pkg
	command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1" && return
	missing_deb="$missing_deb $2"; missing_rpm="$missing_rpm $3"; missing_brew="$missing_brew $4"
}

need_cmd cc gcc gcc gcc
need_cmd make make make make
need_cmd pkg-config pkg-config pkgconf-pkg-config pkg-config
need_cmd python3 python3 python3 python3
need_pc ncursesw libncurses-dev ncurses-devel ncurses
need_pc libcjson libcjson-dev cjson-devel cjson
if [ "$want" = check ]; then
	need_pc cmocka libcmocka-dev libcmocka-devel cmocka
	need_cmd tmux tmux tmux tmux
	need_cmd strace strace strace strace
	need_cmd pgrep procps procps-ng proctools
	need_cmd git git git git
	need_cmd clang-format clang-format clang-tools clang-format
	need_cmd cppcheck cppcheck cppcheck cppcheck
fi

[ -z "$missing_deb" ] && exit 0
# A package can fill two needs (pkg-config); ask for each once.
dedup() { printf '%s\n' $1 | sort -u | tr '\n' ' '; }
missing_deb=$(dedup "$missing_deb")

if command -v apt-get >/dev/null 2>&1; then
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
			echo "mpscope needs these packages: $missing_deb" >&2
			echo "run as root: apt-get install -y $missing_deb" >&2
			exit 1
		fi
	fi
	echo "mpscope: installing $missing_deb(apt-get)"
	export DEBIAN_FRONTEND=noninteractive
	# Package lists are missing on a fresh machine; refresh them once if the install fails.
	$sudo apt-get install -y -q --no-install-recommends $missing_deb >/tmp/mpscope-apt.log 2>&1 ||
		{ $sudo apt-get update -q >>/tmp/mpscope-apt.log 2>&1 &&
		  $sudo apt-get install -y -q --no-install-recommends $missing_deb >>/tmp/mpscope-apt.log 2>&1; } ||
		{ echo "mpscope: apt-get could not install $missing_deb(see /tmp/mpscope-apt.log)" >&2; exit 1; }
	exit 0
fi
if command -v dnf >/dev/null 2>&1; then
	echo "mpscope needs packages; run: sudo dnf install -y$(dedup "$missing_rpm")" >&2
elif command -v brew >/dev/null 2>&1; then
	echo "mpscope needs packages; run: brew install$(dedup "$missing_brew")" >&2
else
	echo "mpscope needs these packages (Debian names): $missing_deb" >&2
fi
exit 1
