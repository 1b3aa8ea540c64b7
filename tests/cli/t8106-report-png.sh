#!/bin/sh
# lsr report's figures as PNG (issue 15): with rsvg-convert on PATH every
# figure NAME.svg gets a NAME.png beside it (a PNG of twice the SVG's
# size), the same bytes on rebuild; --no-png writes none; without
# rsvg-convert the default writes none and --png fails, naming the
# package.  Skips (77) only where rsvg-convert is absent (librsvg2-bin,
# scripts/install-deps.sh).
. "$(dirname "$0")/lib.sh"

command -v rsvg-convert >/dev/null ||
	{ echo "skip: no rsvg-convert (apt-get install librsvg2-bin)" >&2; exit 77; }

cd "$TMP"
run 0 lsr init rev
cat > rev/protocol.yaml <<'EOF'
lsr_protocol: 1
title: figures as PNG
sources:
  - name: PubMed
screening:
  reviewers: 1
  reasons:
    - {code: off-topic, stage: title-abstract}
extraction:
  extractors: 1
  allow_single_extractor: true
  outcomes:
    - {name: ALB, type: continuous, unit: g/L, better: higher, timepoints: [1 month]}
analyses:
  list:
    - {name: alb-1m, outcome: ALB, timepoint: 1 month, measure: MD}
EOF
printf 'PMID- 1\nTI  - Trial one\nDP  - 2020\nAB  - x\n\nPMID- 2\nTI  - Trial two\nDP  - 2021\nAB  - y\n\n' > r.nbib
run 0 lsr -C rev import r.nbib --source PubMed
run 0 lsr -C rev dedup
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 9 -o ta.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
	{ $c["verdict"] = "include"; print }' ta.csv > ta-f.csv
run 0 lsr -C rev screen import ta-f.csv --reviewer ann
run 0 lsr -C rev screen fulltext 1 2 --retrieved
run 0 lsr -C rev screen batch --reviewer ann --stage full-text --size 9 -o ft.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
	{ $c["verdict"] = "include"; print }' ft.csv > ft-f.csv
run 0 lsr -C rev screen import ft-f.csv --reviewer ann
run 0 lsr -C rev study link 1 --study "One 2020"
run 0 lsr -C rev study link 2 --study "Two 2021"
cat > o.csv <<'EOF'
study,outcome,timepoint,arm,n,mean,sd,events,source
One 2020,ALB,1 month,intervention,20,33.1,3.9,,T2
One 2020,ALB,1 month,control,20,30.2,4.2,,T2
Two 2021,ALB,1 month,intervention,30,32.0,4.0,,T3
Two 2021,ALB,1 month,control,30,30.0,4.1,,T3
EOF
run 0 lsr -C rev extract import o.csv --extractor ann
run 0 lsr -C rev pool

# by default (rsvg-convert on PATH): a PNG beside every SVG
run 0 lsr -C rev report -o out
same "$(cat "$OUT")" "report written: out/index.html"
svgs=$(cd out && ls *.svg)
same "$(echo "$svgs" | tr '\n' ' ')" "forest-alb-1m.svg prisma.svg "
for s in $svgs; do
	p=out/${s%.svg}.png
	CHECKS=$((CHECKS + 1))
	[ -s "$p" ] || { fail "no $p"; continue; }
	same "$(head -c 8 "$p" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a"
	# twice the SVG's width (its width attribute, in px), as rsvg-convert --zoom 2 draws it
	w=$(sed -n 's/.*<svg[^>]* width="\([0-9.]*\)".*/\1/p' "out/$s" | head -1)
	same "$(od -An -tu1 -j16 -N4 "$p" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')" \
	     "$(awk -v w="$w" 'BEGIN { printf "%d", w * 2 + 0.5 }')"
done
same "$(ls out | grep -c '\.png$')" 2
# the HTML does not refer to them: it stays self-contained
hasnt out/index.html ".png"
# the same bytes on rebuild, PNGs included
run 0 lsr -C rev report -o again
for f in out/*; do
	CHECKS=$((CHECKS + 1))
	cmp -s "$f" "again/$(basename "$f")" || fail "$(basename "$f") differs when rebuilt"
done
same "$(ls again | wc -l)" "$(ls out | wc -l)"

# --no-png: SVG only
run 0 lsr -C rev report -o nopng --no-png
same "$(ls nopng | grep -c '\.png$')" 0
same "$(ls nopng | grep -c '\.svg$')" 2

# no rsvg-convert on PATH: none by default; --png is an error
mkdir bin
# what lib.sh's run uses, and nothing else
for t in sh awk sed grep cat head; do ln -s "$(command -v $t)" bin/$t; done
PATH=$TMP/bin run 0 "$LSR" -C rev report -o bare
same "$(ls bare | grep -c '\.png$')" 0
has bare/index.html "<h2>PRISMA 2020 flow</h2>"
PATH=$TMP/bin run 1 "$LSR" -C rev report -o must --png
has "$ERR" "lsr report: error: cannot run rsvg-convert for 'must/"
has "$ERR" "(install librsvg2-bin, or give --no-png)"
CHECKS=$((CHECKS + 1))
[ -e must/index.html ] && fail "--png without rsvg-convert wrote index.html"
# rsvg-convert that fails: an error, no PNG left behind
printf '#!/bin/sh\necho broken >&2\nexit 3\n' > bin/rsvg-convert
chmod +x bin/rsvg-convert
PATH=$TMP/bin run 1 "$LSR" -C rev report -o broken
has "$ERR" "rsvg-convert could not convert 'broken/"
has "$ERR" "(exit status 3)"
same "$(ls -A broken | grep -c '\.png')" 0
finish
