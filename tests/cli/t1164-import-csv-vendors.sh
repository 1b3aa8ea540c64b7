#!/bin/sh
# lsr import, CSV exports of databases and screening tools: each vendor's
# header is recognised (the run's notes say whose), its columns give title,
# authors (split by the vendor's separator), year, journal, volume, issue,
# pages, DOI, PMID, abstract and keywords; a CSV without a title column is
# an error that lists its header.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/import-lib.sh"
. "$(dirname "$0")/import-variants-lib.sh"
new_review

# key fields of record POS as one line
keys() {
	field "$1" '[.title, (.authors | join("; ")), .year, .journal, .volume, .issue, .pages, .doi, .pmid] | map(. // "-" | tostring) | join(" | ")'
}
vendor() {
	same "$(sql "$REV/review.db" "SELECT notes FROM runs WHERE id = $(last_run)")" "$1"
}

# Scopus before 2023: "Pan, Y., Yu, C." pairs; "[No abstract available]"
expect_import "$D/scopus-old.csv" 2 csv
vendor "byte-order mark removed, CRLF line ends; CSV columns read as the export of Scopus"
same "$(keys 1)" "Hand hygiene compliance in outpatient clinics | Pan, Y.; Yu, C.; Tanaka, H.-J. | 2022 | Infection Control & Hospital Epidemiology | 43 | 7 | 880-886 | 10.1017/ice.2021.250 | 34000001"
same "$(field 1 '[.source_id, .issn, .journal_abbrev, .abstract] | join(" | ")')" "2-s2.0-85100000001 | 0899-823X | Infect. Control Hosp. Epidemiol. | We observed 4000 hand hygiene opportunities."
same "$(field 1 '.keywords')" "hand hygiene|compliance"
same "$(keys 2)" "Alcohol-based hand rub formulations: a review | WHO Collaborating Centre | 2020 | Journal of Hospital Infection | 104 | - | e12 | - | -"
same "$(field 2 '[.abstract, .issn, .other_ids.isbn[0]] | map(. // "-") | join(" ")')" "- - 9789241597906"
# Scopus since 2023: "Author full names" with author ids
expect_import "$D/scopus-new.csv" 1 csv
same "$(keys 1)" "Glove use and hand hygiene after patient contact | Pan, Yan; Yu, Chen | 2023 | American Journal of Infection Control | 51 | 2 | 145-150 | 10.1016/j.ajic.2022.05.012 | 35600001"

# Lens: given names first, ';'
expect_import "$D/lens.csv" 1 csv
vendor "CRLF line ends; CSV columns read as the export of Lens"
same "$(keys 1)" "Urban green space and childhood asthma | Santos, Maria; van der Berg, Jan; Wei, Li | 2021 | Environmental Research | 195 | - | 110812 | 10.1016/j.envres.2021.110812 | 33500001"
same "$(field 1 '[.source_id, .pub_date, .pmcid, .issn] | join(" ")')" "012-345-678-901-23X 2021-04-15 PMC8000001 0013-9351"

# OpenAlex: '|' lists, ids as URLs
expect_import "$D/openalex.csv" 1 csv
vendor "CRLF line ends; CSV columns read as the export of OpenAlex"
same "$(keys 1)" "Deep-sea mining plumes and benthic fauna | Ferreira, Ana; van Beethoven, Ludwig; Nguyen, Thi Hoa | 2020 | Nature Communications | 11 | 1 | 5501-5510 | 10.1038/s41467-020-00001-1 | 33100001"
same "$(field 1 '[.source_id, .pmcid] | join(" ")')" "https://openalex.org/W3100000001 PMC7600001"
same "$(field 1 '.keywords')" "deep-sea mining|benthos"

# SpringerLink: Item Title, Item DOI, names run together
expect_import "$D/springerlink.csv" 2 csv
vendor "CRLF line ends; CSV columns read as the export of SpringerLink"
same "$(keys 1)" "Microplastics in freshwater fish of the Danube | Horvath, Eva; McDonald, Ronald; Kovacs, Peter | 2021 | Environmental Science and Pollution Research | 28 | 9 | - | 10.1007/s11356-020-11111-1 | -"
same "$(field 2 '[.title, .journal, .type] | join(" | ")')" "Methods for sampling microplastics | Handbook of Microplastics | Chapter"

# IEEE Xplore: "K. Sato; M. J. Alvarez"; the year is not the date added
expect_import "$D/ieee.csv" 2 csv
vendor "CRLF line ends; CSV columns read as the export of IEEE Xplore"
same "$(keys 1)" "Wearable ECG patches for atrial fibrillation screening | Sato, K.; Alvarez, M. J.; O'Brien, D. | 2019 | IEEE Journal of Biomedical and Health Informatics | 23 | 5 | 1890-1899 | 10.1109/JBHI.2019.2900001 | -"
same "$(field 1 '.keywords')" "ECG|atrial fibrillation"
same "$(field 2 '[.pages, .other_ids.isbn[0]] | join(" ")')" "1-4 9781538600001"

# Dimensions: a line of text before the header
expect_import "$D/dimensions.csv" 1 csv
vendor "CRLF line ends; CSV columns read as the export of Dimensions"
same "$(keys 1)" "School meals and obesity in Chile | Rojas, Camila; Muñoz, Felipe | 2019 | BMC Public Health | 19 | 1 | 1301-1310 | 10.1186/s12889-019-00001-1 | 31600001"
same "$(field 1 '[.source_id, .pub_date, (.line|tostring)] | join(" ")')" "pub.1120000001 2019-10-01 3"

# a line before the header without any comma is still seen past
printf '"About the data: Exported on 12 March 2024"\n"Publication ID","Title","PubYear","Authors"\n"pub.1","School milk in Peru","2020","Quispe, Rosa"\n' > "$TMP/dim.txt"
expect_import "$TMP/dim.txt" 1 csv
same "$(field 1 '[.source_id, .title, (.year|tostring), .authors[0]] | join(" | ")')" "pub.1 | School milk in Peru | 2020 | Quispe, Rosa"

# Europe PMC: EXTERNAL_ID is a PMID only when SOURCE is MED
expect_import "$D/europepmc.csv" 2 csv
same "$(keys 1)" "Telephone follow-up after day surgery: a randomised trial. | Okoye C; Lindqvist A; Müller K. | 2022 | BMJ Open | 12 | 1 | e050001 | 10.1136/bmjopen-2021-050001 | 35000001"
same "$(field 2 '[.source_id, .pmid] | map(. // "-") | join(" ")')" "PPR400001 -"

# Covidence and Rayyan
expect_import "$D/covidence.csv" 1 csv
vendor "CRLF line ends; CSV columns read as the export of Covidence"
same "$(keys 1)" "Exercise therapy for chronic low back pain | Ali, H.; Brown, S. | 2018 | Spine | 43 | 11 | 750-757 | 10.1097/BRS.0000000000002001 | -"
same "$(field 1 '.source_id')" "#1021"
expect_import "$D/rayyan.csv" 1 csv
vendor "CRLF line ends; CSV columns read as the export of Rayyan"
same "$(keys 1)" "Probiotics for antibiotic-associated diarrhoea in children | Kowalska, M; Nowak, P | 2018 | Pediatrics | 141 | 3 | e20170001 | 10.1542/peds.2017-0001 | 29400001"
same "$(field 1 '.keywords')" "probiotics|diarrhoea"

# --map still overrides a vendor's column
expect_import "$D/covidence.csv" 1 csv --force --map title=Study
same "$(field 1 '.title')" "Ali 2018"

# a CSV whose title column cannot be found
before=$(counts)
run 3 lsr -C "$REV" import --source Test "$D/no-title.csv"
same "$ERR" "lsr import: error: $D/no-title.csv:1: no title column in the header (columns: Name, Email, Affiliation); name it with --map title=COLUMN"
same "$(counts)" "$before"
finish
