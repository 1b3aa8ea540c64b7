#!/bin/sh
# The protocol's files patterns stay inside the review folder (issue 20,
# defect 7): a pattern reaching outside (../x, a symlink in exports/) is
# refused unless the source says allow_outside: true; an absolute pattern
# inside the review works with -C as when run inside; a pattern matching
# nothing is a warning in lsr update --status.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
mkdir -p outside
cp "$LSR_SRC/tests/data/import/records.ris" outside/secret.ris
run 0 lsr -q init rev
mkdir -p rev/exports
proto() {
	cat > rev/protocol.yaml <<EOP
lsr_protocol: 1
title: files
sources:
  - name: Embase
    files: ["$1"]
$2
EOP
}

# a relative pattern reaching out of the review
proto "../outside/*.ris" ""
run 1 lsr -C rev update --no-search
has "$ERR" "is outside the review folder"
same "$(sql rev/review.db 'SELECT count(*) FROM runs')" "0"

# a symlink inside exports/ to a file outside
ln -s "$TMP/outside/secret.ris" rev/exports/link.ris
proto "exports/*.ris" ""
run 1 lsr -C rev update --no-search
has "$ERR" "exports/link.ris' is outside the review folder"
same "$(sql rev/review.db 'SELECT count(*) FROM runs')" "0"

# allowed explicitly
proto "../outside/*.ris" "    allow_outside: true"
run 0 lsr -C rev update --no-search --json
jqcheck "$OUT" '.files | length' 1
rm rev/exports/link.ris

# an absolute pattern inside the review, run with -C from elsewhere
cp "$LSR_SRC/tests/data/import/medline.nbib" rev/exports/new.nbib
proto "$TMP/rev/exports/*.nbib" ""
run 0 lsr -C rev update --no-search --json
# the update's files: the one before (allowed outside) and this one
jqcheck "$OUT" '.files | map(.file | split("/") | last)' '["secret.ris","new.nbib"]'

# a pattern that matches nothing: a warning in --status
proto "exports/*.enw" ""
run 0 lsr -C rev update --status
has "$OUT" "warning: protocol.yaml: sources 'Embase': files 'exports/*.enw' matches no file"
run 0 lsr -C rev update --status --json
jqcheck "$OUT" '.warnings | length' 1
finish
