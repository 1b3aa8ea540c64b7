#!/bin/sh
# docs/cmd/lsr-{screen,study,extract,rob,search}.md give the synopsis and
# options exactly as -h prints them (git's t0450): the usage lines (a
# continued line indented under its first) in Synopsis, the rest of -h (for
# a command with subcommands, each subcommand's options under its name) in
# Options.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
for cmd in screen study extract rob search; do
	doc=$LSR_SRC/docs/cmd/lsr-$cmd.md
	run 0 lsr $cmd -h
	sed -n '/^$/,$p' "$OUT" | sed 1d > want-opts
	sed -n '/^## Options/,/^## /p' "$doc" | sed '1,3d' | sed '/^```$/,$d' > got-opts
	same "$(cat got-opts)" "$(cat want-opts)"
	sed '/^$/,$d' "$OUT" | sed 's/^usage: //; s/^   or: //; s/^       //' > want-syn
	sed -n '/^## Synopsis/,/^## /p' "$doc" | sed '1,3d' | sed '/^```$/,$d' > got-syn
	same "$(cat got-syn)" "$(cat want-syn)"
	# every subcommand's own -h: its usage lines are among the command's
	grep '^lsr ' want-syn | awk '{ print $3 }' | uniq > subs
	[ "$cmd" = search ] && continue
	while read -r sub; do
		run 0 lsr $cmd $sub -h
		sed '/^$/,$d' "$OUT" | sed 's/^usage: //; s/^   or: //; s/^       //' > sub-syn
		same "$(grep -vxFf want-syn sub-syn)" ""
		has sub-syn "lsr $cmd $sub "
		# and its options are the ones listed under its name
		sed -n '/^$/,$p' "$OUT" | sed '1d; /^    -h, --help/d' > sub-opts
		sed -n "/^lsr $cmd $sub\$/,/^\$/p" want-opts | sed '1d; /^$/d' > listed
		same "$(cat sub-opts)" "$(cat listed)"
	done < subs
done
finish
