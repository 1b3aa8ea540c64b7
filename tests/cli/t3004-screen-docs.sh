#!/bin/sh
# docs/cmd/lsr-screen.md and lsr-study.md give the synopsis and options
# exactly as -h prints them (git's t0450).
. "$(dirname "$0")/lib.sh"

cd "$TMP"
for cmd in screen study; do
	doc=$LSR_SRC/docs/cmd/lsr-$cmd.md
	run 0 lsr $cmd -h
	sed -n '/^$/,$p' "$OUT" | sed 1d > want-opts
	sed -n '/^## Options/,/^## /p' "$doc" | sed '1,3d' | sed '/^```$/,$d' > got-opts
	same "$(cat got-opts)" "$(cat want-opts)"
	sed '/^$/,$d' "$OUT" | sed 's/^usage: //; s/^   or: //' > want-syn
	sed -n '/^## Synopsis/,/^## /p' "$doc" | sed '1,3d' | sed '/^```$/,$d' > got-syn
	same "$(cat got-syn)" "$(cat want-syn)"
done
finish
