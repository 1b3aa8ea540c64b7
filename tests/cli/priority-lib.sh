# priority-lib.sh - helpers of the prioritised screening tests (t53xx),
# sourced after lib.sh.
#
#   gen NREL NIRR START   MEDLINE records on stdout: NREL relevant ones
#                         (mesenchymal stem cells for knee osteoarthritis)
#                         then NIRR on ten other topics, PMIDs from
#                         100000 + START, every title distinct
#   fillr IN OUT [REV]    fill a batch file as an oracle would: include
#                         the stem-cell titles, exclude the rest (REV
#                         "contrary": the other way round)
#   priority_protocol DIR TITLE [FILES]
#                         DIR/protocol.yaml: one reviewer, priority order,
#                         PubMed (its files FILES, a YAML list, if given)

gen() {
	awk -v nr="$1" -v ni="$2" -v start="$3" 'BEGIN {
	  split("Smith Jones Brown Taylor Wilson Davies Evans Thomas Johnson Roberts Walker Wright Robinson Thompson White Hughes Edwards Green Hall Wood", au, " ")
	  split("adipose bone-marrow umbilical synovial placental autologous allogeneic expanded", src, " ")
	  split("pain function cartilage stiffness swelling mobility", out, " ")
	  split("cardiology asthma depression diabetes stroke dermatology glaucoma influenza malaria obesity", topic, " ")
	  split("statins inhalers exercise insulin thrombolysis emollients drops vaccines nets diet", tx, " ")
	  split("children adults elderly women veterans nurses students athletes", pop, " ")
	  for (i = 0; i < nr + ni; i++) {
	    id = start + i
	    a = au[1 + (id * 7) % 20]; b = au[1 + (id * 3 + 5) % 20]
	    if (i < nr) {
	      s = src[1 + id % 8]; o = out[1 + (id * 5) % 6]; p = pop[1 + (id * 3) % 8]
	      ti = sprintf("%s mesenchymal stem cells for knee osteoarthritis in %s: effect on %s (%d)", s, p, o, id)
	      ab = sprintf("Intra-articular injection of %s mesenchymal stem cells in knee osteoarthritis. We measured %s in %s over %d months.", s, o, p, 6 + id % 18)
	    } else {
	      t = 1 + id % 10; p = pop[1 + (id * 7) % 8]
	      ti = sprintf("%s for %s in %s: a %s study (%d)", tx[t], topic[t], p, (id % 2 ? "cohort" : "randomised"), id)
	      ab = sprintf("We studied %s in %s with %s over %d months.", tx[t], p, topic[t], 3 + id % 30)
	    }
	    printf "PMID- %d\nTI  - %s\nAU  - %s A\nAU  - %s B\nDP  - %d\nTA  - J Test %d\nLA  - eng\nPT  - Journal Article\nAB  - %s\n\n", 100000 + id, ti, a, b, 1990 + id % 30, id % 50, ab
	  }
	}'
}

# the generated titles hold no commas, so awk can fill the rows
fillr() {
	awk -F, -v contrary="${3:-}" 'NR == 1 { print; next }
		{ OFS = ","; inc = ($2 ~ /mesenchymal/); if (contrary != "") inc = !inc
		  $(NF-6) = inc ? "include" : "exclude"; $(NF-5) = inc ? "" : "off-topic"; print }' "$1" > "$2"
}

priority_protocol() {
	{
		printf 'lsr_protocol: 1\ntitle: %s\nsources:\n  - name: PubMed\n' "$2"
		[ -z "${3:-}" ] || printf '    files: %s\n' "$3"
		cat <<'EOF2'
screening:
  reviewers: 1
  order: priority
  reasons:
    - {code: off-topic, stage: title-abstract}
    - {code: abstract-only, stage: full-text}
EOF2
	} > "$1/protocol.yaml"
}

serve_priority_review() {
	run 0 lsr init "$1"
	gen 15 45 1 > "$1/pm.nbib"
	cat > "$1/protocol.yaml" <<'EOF2'
lsr_protocol: 1
title: serve priority test
sources:
  - name: PubMed
screening:
  reviewers: 2
  order: priority
  priority:
    retrain_every: 4
  reasons:
    - {code: off-topic, stage: title-abstract}
    - {code: abstract-only, stage: full-text}
EOF2
	run 0 lsr -C "$1" import "$1/pm.nbib" --source PubMed
	run 0 lsr -C "$1" dedup
}

wait_ranking() {
	wr=0
	while [ $wr -lt 1200 ]; do
		api "$1" GET /api/me
		if [ "$(jq -r '.ranking.retraining' "$BODY_FILE")" = false ] &&
		   [ "$(jq -r '.ranking.id' "$BODY_FILE")" != null ]; then
			return 0
		fi
		sleep 0.1
		wr=$((wr + 1))
	done
	fail "no ranking of $1 came"
}
