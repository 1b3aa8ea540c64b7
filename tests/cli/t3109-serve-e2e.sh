#!/bin/sh
# End to end (issue 12): the title-abstract and full-text stages of a small
# review done entirely through lsr serve's HTTP API by two reviewers and an
# arbiter give the PRISMA numbers (and the screening status, agreement
# included) of the batch-file path with the same decisions.  The decisions
# cover agreement, disagreement, maybe, excludes with different reasons
# (excluded with the first reviewer's reason at title-abstract, a conflict
# at full text), and reports not retrieved.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

cd "$TMP"

# the verdict (and reason) NAME gives citation ID at STAGE
verdict_for() {
	case $1-$3 in
	alice-title-abstract)
		case $2 in 2|5|9) echo "exclude off-topic" ;; 7) echo "maybe" ;; 10) echo "exclude animal" ;; *) echo include ;; esac ;;
	bob-title-abstract)
		case $2 in 2|6) echo "exclude off-topic" ;; 5) echo "exclude animal" ;; 10) echo "exclude off-topic" ;; *) echo include ;; esac ;;
	arb-title-abstract)
		case $2 in 6) echo "exclude off-topic" ;; *) echo include ;; esac ;;
	alice-full-text)
		case $2 in 1) echo "exclude abstract-only" ;; 3) echo "exclude no-outcome" ;; *) echo include ;; esac ;;
	bob-full-text)
		case $2 in 1) echo "exclude abstract-only" ;; 3) echo "exclude abstract-only" ;; 4) echo "exclude no-outcome" ;; *) echo include ;; esac ;;
	arb-full-text)
		case $2 in 3) echo "exclude no-outcome" ;; *) echo include ;; esac ;;
	esac
}

decision_json() { # NAME ID STAGE
	v=$(verdict_for "$1" "$2" "$3")
	verdict=${v%% *}
	reason=
	[ "$verdict" = "$v" ] || reason=${v#* }
	printf '{"citation": %s, "stage": "%s", "verdict": "%s"%s}' "$2" "$3" "$verdict" \
		"${reason:+, \"reason\": \"$reason\"}"
}
case_review() {
	serve_review "$1" 10
	sed -i 's/^    - {code: abstract-only.*/&\n    - {code: no-outcome, label: No outcome of interest, stage: full-text}/' "$1/protocol.yaml"
}

# ---- the batch-file path: batch_stage (serve-lib.sh) ----------------------

# ---- the server path: everything through the API ----------------------------
screen_all() { # NAME STAGE
	while :; do
		id=$(next_id "$1" "$2")
		[ -n "$id" ] || break
		api "$1" POST /api/decision "$(decision_json "$1" "$id" "$2")"
		[ "$CODE" = 200 ] || { fail "$1 on $id at $2: $CODE $(cat "$BODY_FILE")"; break; }
	done
}
serve_stage() { # STAGE
	screen_all alice "$1"
	screen_all bob "$1"
	api arb GET /api/conflicts
	for id in $(jq -r --arg s "$1" '.conflicts[] | select(.stage == $s) | .id' "$BODY_FILE"); do
		api arb POST /api/resolve "$(decision_json arb $id "$1")"
		same "$CODE" "200"
	done
	api arb GET /api/conflicts
	same "$(jq --arg s "$1" '[.conflicts[] | select(.stage == $s)] | length' "$BODY_FILE")" "0"
}

# retrieval is recorded by lsr screen fulltext on both paths: 8 is not retrieved
fulltexts() {
	ids=$(sql "$1/review.db" "SELECT group_concat(citation_id, ' ') FROM screen_ft_status WHERE citation_id <> 8")
	run 0 lsr -C "$1" screen fulltext $ids --retrieved
	run 0 lsr -C "$1" screen fulltext 8 --not-retrieved paywalled
}

compare() { # WHAT
	run 0 lsr -C viabatch prisma --json
	jq -S . "$OUT" > prisma-batch
	run 0 lsr -C viaserve prisma --json
	jq -S . "$OUT" > prisma-serve
	cmp -s prisma-batch prisma-serve || { fail "$1: PRISMA differs"; diff prisma-batch prisma-serve >&2; }
	for d in viabatch viaserve; do
		run 0 lsr -C $d screen status --json
		jq -S 'del(.reviewers) | .agreement |= map(del(.reviewers))' "$OUT" > status-$d
	done
	cmp -s status-viabatch status-viaserve || { fail "$1: status differs"; diff status-viabatch status-viaserve >&2; }
}

case_review viabatch
case_review viaserve
batch_stage viabatch title-abstract
serve_start viaserve
serve_login viaserve alice
serve_login viaserve bob
serve_login viaserve arb arbiter
serve_stage title-abstract
compare title-abstract
# 10 screened: 2 (both off-topic) and 6 (resolved) excluded, 5 and 10
# excluded without a conflict (different reasons: alice's counts), 9
# resolved include; 7 (maybe and include) included, no conflict at title-abstract
jqcheck prisma-serve '[.screened, .screen_excluded, .sought]' '[10,4,6]'
jqcheck prisma-serve '.screen_excluded_reasons' '{"animal":1,"off-topic":3}'
for d in viabatch viaserve; do
	same "$(sql $d/review.db "SELECT group_concat(citation_id) FROM (SELECT DISTINCT citation_id FROM screen_decisions WHERE kind = 'resolution' AND stage = 'title-abstract' ORDER BY 1)")" "6,9"
	same "$(sql $d/review.db "SELECT reason FROM screen_ta_status WHERE citation_id = 5")" "off-topic"
done

fulltexts viabatch
fulltexts viaserve
batch_stage viabatch full-text
serve_stage full-text
serve_stop
compare full-text
for d in viabatch viaserve; do
	same "$(sql $d/review.db "SELECT group_concat(citation_id) FROM (SELECT DISTINCT citation_id FROM screen_decisions WHERE kind = 'resolution' AND stage = 'full-text' ORDER BY 1)")" "3,4"
done
# sought 6 (1 3 4 7 8 9), 8 not retrieved, 5 assessed: 1 and 3 excluded
jqcheck prisma-serve '[.sought, .not_retrieved, .assessed, .fulltext_excluded_total, .reports_included]' '[6,1,5,2,3]'
finish
