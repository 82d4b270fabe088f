#!/bin/sh
# embed.sh FILE... - prints C that holds each file as one string named
# export_page_<its extension> (player.js -> export_page_js), so the page's
# player is part of the binary: an export needs no file beside mpscope.
# Run by the Makefile; the text is kept byte for byte (the page's CSP
# names the script and the styles by the hash of exactly these bytes).
set -eu
echo "/* Written by src/export/page/embed.sh from $*; do not edit. */"
for f in "$@"; do
	name=export_page_${f##*.}
	echo "extern const char ${name}[];"
	echo "const char ${name}[] ="
	# Backslashes, quotes and '?' (trigraphs under -std=c11) escaped.
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$f"
	echo ";"
done
