#!/bin/sh
# lsr pool's table and figures on the project's own data (tests/data/pool;
# no ../shared needed): the RevMan-like rows, totals and tests with the
# numbers expected.py computes (rounded as RevMan shows them), a study that
# is not estimable, a study left out, the automatic model choice and its
# warning, and forest and funnel plots that are valid SVG and render.
. "$(dirname "$0")/lib.sh"
: "${LSR_SRC:?LSR_SRC must point at the source tree}"
D=$LSR_SRC/tests/data/pool
cd "$TMP"

# Mantel-Haenszel odds ratios, RevMan 5: per study OR, CI and MH weight
run 0 lsr pool --csv "$D/bin.csv" --measure OR --preset revman5 --model fixed
has "$OUT" "Odds Ratio (M-H, Fixed, 95% CI); RevMan 5 conventions"
has "$OUT" "Abara 2009               12     100        20      98   17.4%   0.53 [0.24, 1.16]"
has "$OUT" "Bianchi 2010              5      60         9      62    7.9%   0.54 [0.17, 1.70]"
# below 0.1 three significant digits, as the forest plot (pool_fmt_num)
has "$OUT" "Cooper 2012               0      45         4      47    4.3%   0.11 [0.00555, 2.03]"
has "$OUT" "Dahl 2014                30     210        41     205   34.8%   0.67 [0.40, 1.12]"
has "$OUT" "Essien 2017               8      75         7      73    6.2%   1.13 [0.39, 3.28]"
has "$OUT" "Falk 2019                22     150        35     149   29.3%   0.56 [0.31, 1.01]"
has "$OUT" "Total (95% CI)                  640               634  100.0%   0.61 [0.44, 0.83]"
has "$OUT" "Total events             77               116"
has "$OUT" "Heterogeneity: Chi² = 2.98, df = 5 (P = 0.70); I² = 0%"
has "$OUT" "Test for overall effect: Z = 3.14 (P = 0.002)"
same "$(cat "$ERR")" ""

# a double-zero study is listed as not estimable, never dropped
run 0 lsr pool --csv "$D/zero.csv" --measure RR --preset revman5 --model fixed
has "$OUT" "Gomez 2005                0      30         0      31           Not estimable"
has "$OUT" "Heterogeneity: Chi² = 2.08, df = 3 (P = 0.56); I² = 0%"
run 0 lsr pool --csv "$D/zero.csv" --measure RR --preset revman5 --model fixed --json
same "$(jq -r '.studies[0] | [.included, .not_estimable_reason] | join("|")' "$OUT")" "false|no events in either arm"
same "$(jq -r '[.studies[].cc_applied] | map(tostring) | join(",")' "$OUT")" "false,true,false,true,false"

# a study left out (sensitivity): listed, marked, not pooled
run 0 lsr pool --csv "$D/cont.csv" --measure MD --tau2 DL --no-hk --exclude "Fujita 2020"
has "$OUT" "Mean Difference (IV, Random, 95% CI), tau² by DL; RevMan 5 conventions"
has "$OUT" "Fujita 2020              11.7      3.6     18        11.9      3.3     20           -0.20 [-2.40, 2.00]  (excluded)"
has "$OUT" "Total (95% CI)                            169                         163  100.0%   1.69 [0.22, 3.17]"
has "$OUT" "Heterogeneity: Tau² = 1.92; Chi² = 16.25, df = 4 (P = 0.003); I² = 75%"
has "$OUT" "Test for overall effect: Z = 2.25 (P = 0.02)"
has "$OUT" "Prediction interval: [-1.40, 4.78]"
run 0 lsr pool --csv "$D/cont.csv" --measure MD --exclude "Fujita 2020" --exclude "Avery 2011" --json
same "$(jq -r '[.heterogeneity.k, .studies[5].excluded, .studies[0].excluded] | join("|")' "$OUT")" \
	"4|left out by --exclude|left out by --exclude"
run 2 lsr pool --csv "$D/cont.csv" --measure MD --exclude "Nobody 1999"
has "$ERR" "Nobody 1999"

# the automatic model: random on cont.csv (P = 0.004), fixed on bin.csv
run 0 lsr pool --csv "$D/cont.csv" --measure MD --model auto --tau2 DL --no-hk
has "$OUT" "Mean Difference (IV, Random, 95% CI)"
has "$ERR" "(P < 0.05: random effect)"
run 0 lsr pool --csv "$D/bin.csv" --measure OR --model auto
has "$OUT" "Odds Ratio (M-H, Fixed, 95% CI)"
has "$ERR" "(P >= 0.05: fixed effect)"

# generic inverse variance, fixed effect, with trim-and-fill
run 0 lsr pool --csv "$D/giv.csv" --measure GIV --model fixed --trimfill --svg f2.svg --funnel fu2.svg \
	--favours-left "Favours exposure"
has "$OUT" "Quinn 2015               -0.08       0.09   47.3%   0.92 [0.77, 1.10]"
has "$OUT" "Total (95% CI)                             100.0%   0.84 [0.74, 0.95]"
has "$OUT" "Heterogeneity: Chi² = 7.42, df = 6 (P = 0.28); I² = 19%"
has "$OUT" "Test for overall effect: Z = 2.85 (P = 0.004)"
has "$OUT" "Trim-and-fill (L0): 3 studies filled on the right; adjusted estimate 0.88 [0.78, 0.98]"
has f2.svg "Favours exposure"
has fu2.svg "filled by trim-and-fill"

# subgroups in the forest plot; text is escaped
run 0 lsr pool --csv "$D/bin.csv" --measure RR --subgroup --svg forest.svg --funnel funnel.svg \
	--title "Invented & <made-up>" --label-e Exposed --label-c Unexposed
has "$OUT" "Test for subgroup differences: Chi² = "
while IFS= read -r text; do
	has forest.svg "$text"
done <<'EOF'
Invented &amp; &lt;made-up&gt;
Subtotal (95% CI)
Test for subgroup differences: Chi² =
Abara 2009
>Exposed<
>Unexposed<
EOF
has funnel.svg "SE(log[RR])"
# every figure is well-formed XML and renders to a PNG (when librsvg's
# converter is installed)
command -v rsvg-convert >/dev/null 2>&1 || echo "note: no rsvg-convert; figures not rendered" >&2
for svg in forest.svg funnel.svg f2.svg fu2.svg; do
	run 0 xmllint --noout "$svg"
	command -v rsvg-convert >/dev/null 2>&1 || continue
	run 0 rsvg-convert -o "$svg.png" "$svg"
	same "$(head -c 4 "$svg.png" | tail -c 3)" "PNG"
done
finish
