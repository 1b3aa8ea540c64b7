# pubmed.sh - sourced by the PubMed search tests: skip (77) while this build
# cannot read PubMed XML (the parser lives in fetch/pubmed_xml.c).
mkdir -p "$TMP/probe"
"$LSR" init "$TMP/probe" >/dev/null
if ! "$LSR" -C "$TMP/probe" import "$LSR_SHARED/fixtures/pubmed/efetch/biopython_pubmed1.xml" \
	--source probe >/dev/null 2>"$TMP/probe.err"; then
	if grep -q "cannot be read by this build" "$TMP/probe.err"; then
		echo "skip: this build cannot read PubMed XML yet" >&2
		exit 77
	fi
fi
rm -rf "$TMP/probe" "$TMP/probe.err"
