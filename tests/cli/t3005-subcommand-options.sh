#!/bin/sh
# Each subcommand of lsr screen, study, extract, rob and dedup has its own options:
# another subcommand's option is refused as unknown (exit 2, the
# subcommand's usage on stderr, nothing done); resolve records who resolved
# (--by), and -q leaves out the confirmation lines.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/extract_lib.sh"

cd "$TMP"
for t in "Mesenchymal stem cells for decompensated cirrhosis|Smith, John|2019" \
	 "Bone marrow cells in liver fibrosis|Doe, Jane|2018" \
	 "Umbilical cord cells in hepatitis B cirrhosis|Wang, Li|2020"; do
	echo "$t" | awk -F'|' '{printf "TY  - JOUR\nTI  - %s\nAU  - %s\nPY  - %s\nLA  - eng\nER  - \n\n", $1, $2, $3}'
done > recs.ris
run 0 lsr init scr
cat > scr/protocol.yaml <<'EOP'
lsr_protocol: 1
title: options
sources:
  - name: PubMed
screening:
  reviewers: 2
  reasons:
    - {code: off-topic, stage: title-abstract}
    - {code: abstract-only, stage: full-text}
EOP
run 0 lsr -C scr import recs.ris --source PubMed
run 0 lsr -C scr dedup
new_review rev rob1

# state: every table a refused command could have written to
state() {
	sql scr/review.db "SELECT (SELECT count(*) FROM screen_batches) || ' ' ||
		(SELECT count(*) FROM screen_decisions) || ' ' || (SELECT count(*) FROM audit)"
	counts rev
}
before=$(state)

# refused FOREIGN CMD SUB ARGS...: FOREIGN, an option of another subcommand
# among ARGS, is unknown to CMD SUB
refused() {
	foreign=$1 cmd=$2 sub=$3
	shift 3
	dir=scr
	case $cmd in extract|rob) dir=rev ;; esac
	run 2 lsr -C $dir $cmd $sub "$@"
	has "$ERR" "usage: lsr $cmd $sub "
	has "$ERR" "lsr $cmd: error: unknown option '$foreign'"
	# the usage is that subcommand's only
	same "$(grep -c "^usage: \|^   or: " "$ERR")" "$(lsr $cmd $sub -h | grep -c "^usage: \|^   or: ")"
	same "$(grep "^usage: \|^   or: " "$ERR" | grep -vc "lsr $cmd $sub ")" "0"
}
refused --reviewer screen rules --reviewer alice
refused --verdict screen explain 1 --verdict include
refused --dry-run screen batch --reviewer alice --stage title-abstract --size 2 --dry-run
refused --size screen import x.csv --reviewer alice --size 3
refused --by screen status --by carol
refused --all screen conflicts --all
refused --json screen resolve 1 --verdict include --by carol --json
refused --reviewer screen fulltext 1 --retrieved --reviewer alice
refused --json study link 1 --study "Smith 2019" --json
refused --study study unlink 1 --study "Smith 2019"
refused --study study list --study "Smith 2019"
refused --extractor extract sheet --outcomes --extractor alice
refused --all extract import x.csv --extractor alice --all
refused --value extract compare --value 1
refused --format extract resolve --study "Bai 2014" --characteristic country --value Peru --format csv
refused --n extract export --format csv --n 3
refused --study extract convert --n 30 --se 2 --study "Bai 2014"
refused --assessor rob sheet --assessor holly
refused --by dedup queue --by carol
refused --all dedup explain 1 --all
refused --threads dedup decide 1,2 same --by carol --threads 2
refused --record dedup split 1 2 --by carol --record
refused --reason run list --reason oops
refused --raw records remove 1 --reason dup --raw
refused --domain rob import x.csv --assessor holly --domain other-bias
refused --reason rob compare --reason x
refused --all rob resolve --study "Bai 2014" --domain other-bias --judgement low --reason x --all
refused --json rob plot --summary s.svg --json
same "$(state)" "$before"
[ ! -e s.svg ] || fail "a refused plot wrote s.svg"

# the subcommand comes first; an unknown one is named
run 2 lsr -C scr screen --json status
has "$ERR" "lsr screen: error: the subcommand (rules, explain, batch, import, status, conflicts, resolve, fulltext, rank or stop) comes before '--json'"
has "$ERR" "usage: lsr screen rules"
run 2 lsr -C scr study
has "$ERR" "lsr study: error: study needs a subcommand (link, unlink or list)"
run 2 lsr rob frobnicate
has "$ERR" "lsr rob: error: unknown rob subcommand 'frobnicate' (expected sheet, import, compare, resolve or plot)"
run 2 lsr -C scr screen status --json=yes
same "$(head -1 "$ERR")" "lsr screen: error: option '--json' takes no value"
# options one subcommand has but a mode of it does not take
run 2 lsr -C scr screen batch --reprint 1 --size 3
has "$ERR" "lsr screen: error: --reprint writes a batch again as it was made; it takes no --reviewer, --stage, --size or --seed"
run 2 lsr -C scr screen fulltext 1 --retrieved --json
has "$ERR" "lsr screen: error: --json goes with the list (fulltext without an ID)"
same "$(state)" "$before"

# 'lsr CMD -h' lists every subcommand's usage and options
run 0 lsr screen -h
for sub in rules explain batch import status conflicts resolve fulltext; do
	same "$(grep -c "^\(usage\|   or\): lsr screen $sub " "$OUT")" "$(lsr screen $sub -h | grep -c "^\(usage\|   or\): ")"
	same "$(grep -cx "lsr screen $sub" "$OUT")" "1"
done
run 0 lsr screen batch -h
has "$OUT" "    -o, --output FILE"
hasnt "$OUT" "--dry-run"

# ---- -q and --by --------------------------------------------------------
run 0 lsr -q -C scr screen resolve 1 --verdict include --by carol
same "$OUT" ""
same "$ERR" ""
run 0 lsr -C scr screen resolve 2 --verdict include --by carol
same "$OUT" "citation 2: title-abstract resolved: include by carol"
run 0 lsr -q -C scr screen fulltext 1 2 --retrieved
same "$OUT" ""
run 0 lsr -q -C scr screen resolve 1 --stage full-text --verdict include --by "carol and dan"
same "$OUT" ""
same "$(sql scr/review.db "SELECT stage || '|' || reviewer || '|' || verdict FROM screen_decisions WHERE citation_id = 1 ORDER BY id")" \
"title-abstract|carol|include
full-text|carol and dan|include"
run 0 lsr -q -C scr screen batch --reviewer alice --stage title-abstract --size 5 -o a.csv
same "$OUT" ""
has a.csv "Umbilical cord cells"
run 0 lsr -q -C scr study link 1 --study "Smith 2019"
same "$OUT" ""
run 0 lsr -C scr study list
has "$OUT" "Smith 2019"
run 0 lsr -q -C scr study unlink 1
same "$OUT" ""

cat > alice.csv <<'EOT'
study,country,source
Bai 2014,China,p. 2
EOT
sed 's/China/Taiwan/' alice.csv > bob.csv
run 0 lsr -C rev extract import alice.csv --extractor alice
run 0 lsr -C rev extract import bob.csv --extractor bob
run 0 lsr -q -C rev extract resolve --study "Bai 2014" --characteristic country --take alice --by carol
same "$OUT" ""
same "$ERR" ""
LSR_USER=erin run 0 lsr -C rev extract resolve --study "Bai 2014" --characteristic country --value China
same "$OUT" "recorded the agreed value of Bai 2014, country"
same "$(sql rev/review.db "SELECT actor || '|' || json_extract(detail, '\$.by') || '|' || json_extract(detail, '\$.value') FROM audit WHERE action = 'extract-resolve' ORDER BY id")" \
"${LSR_USER:-${USER:-unknown}}|carol|China
erin|erin|China"
run 2 lsr -C rev extract resolve --study "Bai 2014" --characteristic country --value China --by ""
has "$ERR" "lsr extract: error: --by needs a name"

cat > holly.csv <<'EOT'
study,domain,judgement,quote
Bai 2014,random-sequence,low,computer
EOT
sed 's/,low,/,high,/' holly.csv > ivan.csv
run 0 lsr -C rev rob import holly.csv --assessor holly
run 0 lsr -C rev rob import ivan.csv --assessor ivan
run 0 lsr -q -C rev rob resolve --study "Bai 2014" --domain random-sequence --judgement low --reason "protocol paper" --by "holly and ivan"
same "$OUT" ""
LSR_USER=erin run 0 lsr -C rev rob resolve --study "Bai 2014" --domain random-sequence --judgement low --reason "again"
same "$OUT" "recorded the consensus for study 'Bai 2014', domain 'random-sequence': low"
same "$(sql rev/review.db "SELECT json_extract(detail, '\$.by') || '|' || json_extract(detail, '\$.reason') FROM audit WHERE action = 'rob-consensus' ORDER BY id")" \
"holly and ivan|protocol paper
erin|again"
run 2 lsr -C rev rob resolve --study "Bai 2014" --domain random-sequence --judgement low --reason x --by ""
has "$ERR" "lsr rob: error: --by needs a name"
run 0 lsr -q -C rev rob plot --summary s.svg
same "$OUT" ""
has s.svg "<svg"
finish
