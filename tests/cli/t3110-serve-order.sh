#!/bin/sh
# lsr serve hands citations out in the order lsr screen batch does with the
# same seed: one reviewer alone gets the batch's order; the second reviewer
# first completes the first one's pairs (in the seed's order), then goes
# on; nobody gets a citation twice; automatic exclusions are never handed
# out.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

cd "$TMP"
serve_review viabatch 12
serve_review viaserve 12
for d in viabatch viaserve; do
	# 2 (rats) is excluded automatically
	sed -i 's/^      match: .\\b(rats?|mice)\\b.$/&\n      mode: exclude/' $d/protocol.yaml
done
grep -q "mode: exclude" viaserve/protocol.yaml || fail "the rule did not become an exclusion"

# the batch path: alice takes 5, then bob takes 8
run 0 lsr -C viabatch screen batch --reviewer alice --stage title-abstract --size 5 --seed 7 -o a.csv
run 0 lsr -C viabatch screen batch --reviewer bob --stage title-abstract --size 8 --seed 7 -o b.csv
order() { sql viabatch/review.db "SELECT group_concat(citation_id, ' ') FROM (SELECT citation_id FROM screen_assignments WHERE reviewer = '$1' ORDER BY position)"; }
want_a=$(order alice)
want_b=$(order bob)

# the server path, same seed: one citation at a time, each decided
serve_start_seed() {
	"$LSR" -C viaserve serve --listen 127.0.0.1:0 --seed 7 >"$TMP/srv.out" 2>"$TMP/srv.err" &
	SRV_PID=$!
	k=0
	URL=
	while [ -z "$URL" ] && [ $k -lt 300 ]; do
		URL=$(sed -n 's|^serving .* on \(http://127\.0\.0\.1:[0-9]*\)/ .*|\1|p' "$TMP/srv.out")
		[ -n "$URL" ] || sleep 0.1
		k=$((k + 1))
	done
	[ -n "$URL" ] || fail "the server printed no URL"
}
serve_start_seed
serve_login viaserve alice
serve_login viaserve bob
take() { # NAME N: the ids handed to NAME, each decided at once
	handed=
	i=0
	while [ $i -lt "$2" ]; do
		id=$(next_id "$1")
		[ -n "$id" ] || break
		handed="$handed${handed:+ }$id"
		api "$1" POST /api/decision "{\"citation\": $id, \"verdict\": \"include\"}"
		# (a subshell: refusals are counted from take.err afterwards)
		[ "$CODE" = 200 ] || echo "$1's decision on $id: $CODE" >> "$TMP/take.err"
		i=$((i + 1))
	done
	echo "$handed"
}
got_a=$(take alice 5)
got_b=$(take bob 8)
same "$got_a" "$want_a"
same "$got_b" "$want_b"
# bob's first five are alice's, in the seed's order
same "$(echo "$got_b" | cut -d' ' -f1-5 | tr ' ' '\n' | sort -n | tr '\n' ' ')" \
	"$(echo "$got_a" | tr ' ' '\n' | sort -n | tr '\n' ' ')"
# the rest: nobody twice, never the excluded citation 2
got_rest=$(take alice 20)
all_a="$got_a $got_rest"
same "$(echo $all_a | tr ' ' '\n' | sort -n | uniq -d)" ""
case " $all_a $got_b " in *" 2 "*) fail "citation 2 (excluded by a rule) was handed out" ;; esac
same "$(echo $all_a | wc -w)" "11"
[ ! -s "$TMP/take.err" ] || { fail "decisions refused"; cat "$TMP/take.err" >&2; }
serve_stop
finish
