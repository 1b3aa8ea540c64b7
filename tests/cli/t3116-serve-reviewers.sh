#!/bin/sh
# lsr serve with more than 64 reviewers (issue 12): each citation goes to
# the two reviewers the protocol asks for and no more, pairs complete
# first, whoever the reviewers are.  (The hand-out order once kept the
# reviewers of a citation as a 64-bit mask, the 64th and later sharing a
# bit: they were never handed a citation another of them held, so their
# pairs were left open and new citations handed out instead.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

cd "$TMP"
serve_review rev 120
serve_start rev
n=70
i=1
while [ $i -le $n ]; do
	serve_login rev "r$i"
	i=$((i + 1))
done
# in turn: r1 opens a pair, r2 completes it, r3 opens the next, ...
i=1
: > handed
while [ $i -le $n ]; do
	id=$(next_id "r$i")
	[ -n "$id" ] || fail "r$i was handed nothing"
	echo "$id" >> handed
	i=$((i + 1))
done
same "$(sort -n handed | uniq | wc -l | tr -d ' ')" "$((n / 2))"
same "$(sql rev/review.db "SELECT count(DISTINCT citation_id) FROM screen_assignments")" "$((n / 2))"
same "$(sql rev/review.db "SELECT count(*) FROM screen_assignments GROUP BY citation_id HAVING count(*) != 2")" ""
same "$(sql rev/review.db "SELECT count(*) FROM screen_assignments GROUP BY citation_id, reviewer HAVING count(*) > 1")" ""
# the last pairs too: r67 and r68, r69 and r70
same "$(sed -n 69p handed)" "$(sed -n 70p handed)"
same "$(sed -n 67p handed)" "$(sed -n 68p handed)"
serve_stop
finish
