#!/bin/sh
# protocol.yaml is checked before libfyaml reads it: bytes that are not
# UTF-8 (an invalid lead byte, a surrogate, an overlong form) and control
# characters YAML does not allow are refused with file, line and byte
# offset.  libfyaml 0.7.12 loops for ever on '%' followed by such bytes
# and lsr catches SIGTERM, so each run is killed after 10 s: a regression
# fails here instead of hanging the suite.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
run 0 lsr init rev
cp rev/protocol.yaml good.yaml

# guarded RC FILE-CONTENT(printf format): lsr status under a 10 s kill
guarded() {
	want=$1
	printf "$2" > rev/protocol.yaml
	run "$want" timeout -s KILL 10 "$LSR" -C rev status
}

guarded 3 '%%\333'
has "$ERR" "protocol.yaml:1: not valid UTF-8 at byte offset 1"
guarded 3 '%%"\246'
has "$ERR" "protocol.yaml:1: not valid UTF-8 at byte offset 2"
# a surrogate (U+D800) and an overlong NUL
guarded 3 '%%\355\240\200'
has "$ERR" "protocol.yaml:1: not valid UTF-8 at byte offset 1"
guarded 3 '%%\300\200'
has "$ERR" "protocol.yaml:1: not valid UTF-8 at byte offset 1"
# the line and offset of a bad byte further down
guarded 3 'lsr_protocol: 1\ntitle: "caf\351"\n'
has "$ERR" "protocol.yaml:2: not valid UTF-8 at byte offset 27"
# control characters YAML does not allow, even as valid UTF-8
guarded 3 'lsr_protocol: 1\n%%\001\n'
has "$ERR" "protocol.yaml:2: control character U+0001 at byte offset 17 is not allowed in YAML"
guarded 3 'title: "\302\233[2J"\n'
has "$ERR" "protocol.yaml:1: control character U+009B at byte offset 8 is not allowed in YAML"
guarded 3 'a\000b'
has "$ERR" "protocol.yaml:1: control character U+0000 at byte offset 1 is not allowed in YAML"

# libfyaml's own messages still name the file (it reads the checked copy)
guarded 3 'lsr_protocol: 1\ntitle: [unclosed\nsources: []\n'
has "$ERR" "rev/protocol.yaml:4:1: error: flow sequence without a closing bracket"
hasnt "$ERR" "<memory"
# an empty file is a protocol without keys
guarded 3 ''
has "$ERR" "protocol.yaml:1: expected a mapping with lsr_protocol, title and sources"

# UTF-8 text, tabs, CRLF line ends and a byte-order mark still load
{ printf '\357\273\277'; sed 's/^title: .*/title: "Café\tréunion ☕"/' good.yaml | sed 's/$/\r/'; } > rev/protocol.yaml
run 0 timeout -s KILL 10 "$LSR" -C rev status --json
same "$(jq -r .title "$OUT")" "Café	réunion ☕"
finish
