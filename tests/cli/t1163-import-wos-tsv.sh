#!/bin/sh
# lsr import, Web of Science tab-delimited (format wos-tsv): detected by its
# header of field tags, UTF-8 or UTF-16, with or without the trailing tab
# of older exports; mapped by tag as the tagged export is: year from PY
# (never DA, the export date), pages from BP-EP (never PG, the page
# count), source id UT, DOI DI, PMID PM, journal SO, authors AF (else AU)
# split on ';'.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
. "$(dirname "$0")/import-variants-lib.sh"
new_review

# older export: every row (the header too) ends with a tab; CRLF
expect_import "$D/wos-tsv-old-trailing-tab.txt" 2 wos-tsv
same "$(field 1 '.source_id')" "WOS:000458000100012"
same "$(field 1 '.other_ids.wos')" "000458000100012"
same "$(field 1 '.authors')" "Haddad, Sami|Kowalski, Marta"
same "$(field 1 '[.year, .pub_date, .pages, .doi, .pmid, .journal, .journal_abbrev, .volume, .issn] | map(tostring) | join(" ")')" \
	"2019 2019-03 112-121 10.1016/j.soilbio.2018.12.001 30999999 SOIL BIOLOGY & BIOCHEMISTRY Soil Biol. Biochem. 130 0038-0717"
same "$(field 1 '.keywords')" "wildfire|soil respiration"
same "$(field 1 '.type')" "J"
# a quote in a cell is text (the export does not quote); CA after AF;
# AR is the pages when there is no BP
same "$(field 2 '.title')" 'Charcoal "legacy" effects on seedling growth'
same "$(field 2 '.authors')" "Nguyen, Thi Hoa|Fire Ecology Network"
same "$(field 2 '[.year, .pages] | map(tostring) | join(" ")')" "2021 118843"

# newer export in UTF-16 LE with a BOM: more columns, DA before UT
expect_import "$D/wos-tsv-utf16.txt" 2 wos-tsv
has "$OUT" '"notes":"UTF-16 converted to UTF-8, CRLF line ends"'
same "$(field 1 '.authors')" "Ólafsdóttir, Guðrún|Berg, Erik"
same "$(field 1 '[.source_id, .year, .pub_date, .volume, .issue, .pages, .doi] | map(tostring) | join(" ")')" \
	"WOS:000790000300001 2022 2022-06-15 45 6 1021-1034 10.1007/s00300-022-03050-1"
# early access: no PY yet, the year of EA; the PMID from PM
same "$(field 2 '[.source_id, .year, .pmid, .journal] | map(tostring) | join(" ")')" \
	"WOS:001100000000009 2023 37000001 POLAR BIOLOGY"

# a row with more cells than the header is an error; so is a header that
# is not one of tags
before=$(counts)
printf 'PT\tAU\tTI\nJ\tDoe, J\tA title\textra\n' > "$TMP/wide.txt"
run 3 lsr -C "$REV" import --source Test "$TMP/wide.txt"
same "$ERR" "lsr import: error: $TMP/wide.txt:2: expected at most 3 cells, as in the header, but the row has 4"
printf 'Title\tAuthors\nA\tB\n' > "$TMP/notwos.txt"
run 3 lsr -C "$REV" import --source Test --format wos-tsv "$TMP/notwos.txt"
same "$ERR" "lsr import: error: $TMP/notwos.txt:1: expected a header of Web of Science field tags ('PT', 'AU', ...) separated by tabs"
same "$(counts)" "$before"
finish
