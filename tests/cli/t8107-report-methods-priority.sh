#!/bin/sh
# lsr report's Methods on prioritised screening (issues 13 and 15): how
# many of the citations people screened were handed out in priority
# order, the protocol's screening.order with its retraining interval, and
# the stop with its rule, parameters and p-value - in the Methods
# section, with the references - and nothing of the kind for a review
# screened in random order.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/priority-lib.sh"

cd "$TMP"
protocol() { # ORDER
	cat <<EOF
lsr_protocol: 1
title: priority methods
sources:
  - name: PubMed
screening:
  reviewers: 1
  order: $1
  priority:
    retrain_every: 7
  reasons:
    - {code: off-topic, stage: title-abstract}
EOF
}
# the Methods section alone (from its heading to the next h2)
methods() { sed -n '/<h2>Methods<\/h2>/,/<h2>Searches<\/h2>/p' "$1"; }

gen 12 48 1 > pm.nbib
run 0 lsr init rev
protocol priority > rev/protocol.yaml
run 0 lsr -C rev import pm.nbib --source PubMed
run 0 lsr -C rev dedup
# 40 citations in priority order (ann), the rest not yet
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 20 -o b1.csv
has "$OUT" "priority order"
fillr b1.csv b1f.csv
run 0 lsr -C rev screen import b1f.csv --reviewer ann
run 0 lsr -C rev screen batch --reviewer ann --stage title-abstract --size 20 -o b2.csv
fillr b2.csv b2f.csv
run 0 lsr -C rev screen import b2f.csv --reviewer ann
run 0 lsr -C rev report -o r1 --no-png
methods r1/index.html > m1.html
has m1.html "Title-abstract screening was prioritised: the protocol sets <code>screening.order: priority</code> (a new ranking after every 7 decisions in <code>lsr serve</code>); of the 40 citations screened by people, 40 were handed out in the order of a logistic-regression model (liblinear) trained on the decisions made before them, the likeliest includes first. ["
has m1.html "<li>Fan RE, Chang KW, Hsieh CJ, Wang XR, Lin CJ. LIBLINEAR: a library for large linear classification. J Mach Learn Res 2008;9:1871-1874.</li>"
hasnt m1.html "was stopped on"

# the stop: in the Methods, with the rule's reference
run 0 lsr -C rev screen stop --recall 0.8 --confidence 0.8
run 0 lsr -C rev report -o r2 --no-png
methods r2/index.html > m2.html
has m2.html "by the statistical stopping rule of Callaghan &amp; M&uuml;ller-Hansen (2020): recall &ge; 80% with 80% confidence, p = "
has m2.html "(40 of 60 citations screened, 12 includes found); the 20 citations not screened were excluded by automation. The rule's hypergeometric test as published ["
has m2.html "<li>Callaghan MW, Müller-Hansen F. Statistical stopping criteria for automated screening in systematic reviews. Syst Rev 2020;9:273.</li>"
# once, in the Methods only
same "$(grep -c 'was stopped on' r2/index.html)" 1

# random order, no stop: no such sentences
run 0 lsr init plain
protocol random > plain/protocol.yaml
run 0 lsr -C plain import pm.nbib --source PubMed
run 0 lsr -C plain dedup
run 0 lsr -C plain screen batch --reviewer ann --stage title-abstract --size 60 -o p.csv
fillr p.csv pf.csv
run 0 lsr -C plain screen import pf.csv --reviewer ann
run 0 lsr -C plain report -o r3 --no-png
hasnt r3/index.html "prioritised"
hasnt r3/index.html "LIBLINEAR"
hasnt r3/index.html "was stopped on"
finish
