# screen_lib.sh - screening a small review to its decisions in one call
# (sourced after lib.sh), for the tests that need included and excluded
# reports but are not about screening.
#
#   screen_round DIR STAGE NAME [REGEX REASON]...
#       hand out a batch of STAGE (title-abstract | full-text) to reviewer
#       ann as NAME.csv, decide it - exclude a citation whose title
#       matches a REGEX (awk) with its REASON, the first that matches;
#       include the others - and import NAME-filled.csv.  Titles must hold
#       no comma (the batch is split on commas).
screen_round() {
	sr_dir=$1
	sr_stage=$2
	sr_name=$3
	shift 3
	sr_rules=
	while [ $# -ge 2 ]; do
		sr_rules="$sr_rules$1	$2
"
		shift 2
	done
	run 0 lsr -C "$sr_dir" screen batch --reviewer ann --stage "$sr_stage" --size 100 -o "$sr_name.csv"
	awk -F, -v rules="$sr_rules" '
		BEGIN {
			OFS = ","
			n = split(rules, lines, "\n")
			for (i = 1; i <= n; i++)
				if (lines[i] != "") {
					split(lines[i], kv, "\t")
					re[++k] = kv[1]
					why[k] = kv[2]
				}
		}
		NR == 1 { print; next }
		{
			$(NF-6) = "include"
			$(NF-5) = ""
			for (i = 1; i <= k; i++)
				if ($2 ~ re[i]) {
					$(NF-6) = "exclude"
					$(NF-5) = why[i]
					break
				}
			print
		}' "$sr_name.csv" > "$sr_name-filled.csv"
	run 0 lsr -C "$sr_dir" screen import "$sr_name-filled.csv" --reviewer ann
}
