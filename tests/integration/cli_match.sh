#!/usr/bin/env bash
# cli_match.sh: drives `mtlskit match` end to end on certificates made here
# with openssl, checking exit codes (0 match, 1 no match, 2 bad input) and
# that the output names the identifier that matched, or why each did not.
set -u
M=${MTLSKIT:?MTLSKIT must name the built binary}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# expect RC DESCRIPTION -- COMMAND...: runs COMMAND, output in $T/out, $T/err
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" -eq "$want" ]; then ok; else bad "$what: exit $rc, expected $want"; sed 's/^/  | /' "$T/out" "$T/err" | head -8 >&2; fi
}
has() { if grep -qF -- "$2" "$T/$1"; then ok; else bad "$3: '$2' not in $1"; sed 's/^/  | /' "$T/$1" | head -8 >&2; fi; }
hasnt() { if grep -qF -- "$2" "$T/$1"; then bad "$3: '$2' unexpectedly in $1"; else ok; fi; }

# mk NAME SUBJECT [SAN]: a self-signed P-256 certificate in $T/NAME.pem
mk() {
  local name=$1 subj=$2 san=${3:-}
  local args=(req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/$name.key"
    -subj "$subj" -days 30 -out "$T/$name.pem")
  [ -n "$san" ] && args+=(-addext "subjectAltName=$san")
  openssl "${args[@]}" 2>"$T/openssl.err" || { bad "openssl could not make $name"; cat "$T/openssl.err" >&2; }
}

mk server "/CN=legacy.example.com" \
  "DNS:api.example.com,DNS:*.svc.example.com,IP:192.0.2.10,IP:2001:db8::10,URI:https://api.example.com/,URI:sip:api.example.com,otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_imaps.example.com,email:ops@example.com"
mk cnonly "/O=Example/CN=legacy.example.com"
mk partial "/CN=x" "DNS:b*z.example.net"
mk broken "/CN=x" "DNS:www.example.com.,DNS:*.com,DNS:*.example.org"
mk idn "/CN=x" "DNS:xn--caf-dma.example"
S=$T/server.pem

# --- DNS-ID ----------------------------------------------------------------------------
expect 0 "dns exact" -- "$M" match --dns api.example.com "$S"
has out "MATCH: dns:api.example.com is matched by SAN DNS:api.example.com: exact match" "names the SAN entry"
has out "rules: RFC 9525" "mode shown"
expect 0 "dns case and trailing dot" -- "$M" match --dns API.Example.COM. "$S"
expect 0 "dns wildcard" -- "$M" match --dns web.svc.example.com "$S"
has out "SAN DNS:*.svc.example.com: matches by wildcard" "wildcard named"
expect 1 "wildcard is one label" -- "$M" match --dns a.b.svc.example.com "$S"
has out "NO MATCH" "verdict line"
has out "SAN DNS:*.svc.example.com: no match: a wildcard matches exactly one label" "one-label reason"
has out "SAN DNS:api.example.com: no match: different name" "different name reason"
has out "SAN IP:192.0.2.10: skipped: different type" "type reason"
has out "SAN email:ops@example.com: skipped: not a service identity type" "email is not a service identity"
has out "subject CN=legacy.example.com: skipped: CN ignored" "CN ignored in strict mode"
expect 1 "wildcard needs a label" -- "$M" match --dns svc.example.com "$S"
expect 1 "CN is never used (RFC 9525)" -- "$M" match --dns legacy.example.com "$S"
expect 1 "no CN fallback when SANs exist" -- "$M" match --rfc6125 --dns legacy.example.com "$S"
has out "CN not used: the certificate has a DNS, SRV, URI or IP SAN" "fallback refused"
has out "rules: RFC 6125" "legacy mode shown"
expect 0 "quiet" -- "$M" match -q --dns api.example.com "$S"
hasnt out "rules:" "quiet prints only the verdict"

# --- IP-ID -----------------------------------------------------------------------------
expect 0 "ip v4" -- "$M" match --ip 192.0.2.10 "$S"
has out "SAN IP:192.0.2.10" "ip named"
expect 0 "ip v6, upper case" -- "$M" match --ip 2001:DB8:0::10 "$S"
expect 1 "ip other" -- "$M" match --ip 192.0.2.11 "$S"
has out "different address" "address reason"
expect 1 "ipv4-mapped is not ipv4" -- "$M" match --ip ::ffff:192.0.2.10 "$S"
has out "IPv4-mapped IPv6 is not IPv4" "mapped reason"

# --- SRV-ID and URI-ID ------------------------------------------------------------------
expect 0 "srv" -- "$M" match --srv _IMAPS.example.com "$S"
has out "SAN SRV:_imaps.example.com" "srv named"
expect 1 "srv other service" -- "$M" match --srv _imap.example.com "$S"
has out "different SRV service name" "service reason"
expect 0 "uri port and path ignored" -- "$M" match --uri https://api.example.com:8443/x "$S"
has out "SAN URI:https://api.example.com/" "uri named"
expect 1 "uri scheme differs" -- "$M" match --uri http://api.example.com/ "$S"
has out "different URI scheme" "scheme reason"
expect 0 "sip uri" -- "$M" match --uri sip:bob@api.example.com "$S"

# --- several references: any one ----------------------------------------------------------
expect 0 "any reference" -- "$M" match --dns nope.example.com --ip 192.0.2.10 "$S"
has out "MATCH: ip:192.0.2.10" "the matching reference is named"
expect 1 "none of several" -- "$M" match --dns nope.example.com --ip 192.0.2.99 "$S"
has out "dns:nope.example.com or ip:192.0.2.99" "all references listed"

# --- legacy mode --------------------------------------------------------------------------
expect 1 "CN-only certificate, strict" -- "$M" match --dns legacy.example.com "$T/cnonly.pem"
has out "CN ignored" "strict CN"
expect 0 "CN-only certificate, --rfc6125" -- "$M" match --rfc6125 --dns legacy.example.com "$T/cnonly.pem"
has out "matched by subject CN=legacy.example.com" "CN fallback named"
expect 1 "CN fallback is for DNS references only" -- "$M" match --rfc6125 --uri https://legacy.example.com/ "$T/cnonly.pem"
expect 1 "partial wildcard, strict" -- "$M" match --dns buzz.example.net "$T/partial.pem"
has out "partial-label wildcard" "partial refused"
expect 0 "partial wildcard, --rfc6125" -- "$M" match --rfc6125 --dns buzz.example.net "$T/partial.pem"
expect 1 "partial wildcard matches at least one char" -- "$M" match --rfc6125 --dns bz.example.net "$T/partial.pem"

# --- malformed SAN entries are skipped, not fatal --------------------------------------------
expect 1 "trailing dot in SAN" -- "$M" match --dns www.example.com "$T/broken.pem"
has out "malformed: trailing dot" "trailing dot reason"
has out "wildcard needs at least two labels after it" "*.com reason"
expect 0 "good entry after bad ones" -- "$M" match --dns www.example.org "$T/broken.pem"

# --- IDNA -------------------------------------------------------------------------------
expect 0 "U-label reference" -- "$M" match --dns café.example "$T/idn.pem"
has out "A-label form xn--caf-dma.example" "A-label shown"
expect 2 "invalid IDNA" -- "$M" match --dns ☃.example "$T/idn.pem"
has err "MTK_ERR_IDENTITY_IDNA" "IDNA error code"

# --- bad input: exit 2 -----------------------------------------------------------------------
expect 2 "IP given as DNS" -- "$M" match --dns 192.0.2.10 "$S"
has err "use an IP reference" "classification message"
expect 2 "wildcard reference" -- "$M" match --dns '*.example.com' "$S"
expect 2 "leading zero" -- "$M" match --ip 010.0.2.10 "$S"
expect 2 "short IPv4" -- "$M" match --ip 192.0.2 "$S"
expect 2 "zone id" -- "$M" match --ip fe80::1%eth0 "$S"
expect 2 "srv with proto" -- "$M" match --srv _imaps._tcp.example.com "$S"
expect 2 "uri without host" -- "$M" match --uri urn:uuid:1234 "$S"
expect 2 "uri with IP host" -- "$M" match --uri https://192.0.2.10/ "$S"
expect 2 "no reference" -- "$M" match "$S"
expect 2 "no certificate" -- "$M" match --dns api.example.com
expect 2 "two certificates" -- "$M" match --dns api.example.com "$S" "$S"
expect 2 "missing file" -- "$M" match --dns api.example.com "$T/nope.pem"
printf 'not a certificate\n' >"$T/junk.txt"
expect 2 "not a certificate" -- "$M" match --dns api.example.com "$T/junk.txt"
openssl x509 -in "$S" -outform DER -out "$T/s.der"
head -c 200 "$T/s.der" >"$T/trunc.der"
expect 2 "truncated DER" -- "$M" match --dns api.example.com "$T/trunc.der"
openssl ec -in "$T/server.key" -out "$T/key-only.pem" 2>/dev/null
expect 2 "a key, no certificate" -- "$M" match --dns api.example.com "$T/key-only.pem"
expect 2 "unknown option" -- "$M" match --host api.example.com "$S"

# --- inputs: DER, chain files (the first certificate is used), stdin ------------------------
expect 0 "DER input" -- "$M" match --dns api.example.com "$T/s.der"
cat "$S" "$T/cnonly.pem" >"$T/chain.pem"
expect 0 "first of a chain" -- "$M" match --dns api.example.com "$T/chain.pem"
expect 1 "second of a chain is not used" -- "$M" match --rfc6125 --dns legacy.example.com "$T/chain.pem"
expect 0 "stdin" -- sh -c "'$M' match --ip 192.0.2.10 - <'$S'"

# --- --json (schema mtlskit.match/1) ----------------------------------------------------------
# jcheck DESCRIPTION PYTHON: $T/out must be one line holding one JSON document, bound to
# d for the assertions in PYTHON.
jcheck() {
  if python3 - "$T/out" "$2" 2>"$T/py.err" <<'PY'; then ok; else bad "$1"; sed 's/^/  | /' "$T/py.err" | tail -4 >&2; fi
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
assert text.endswith("\n") and text.count("\n") == 1, "not one line: %r" % text[:200]
d = json.loads(text)
assert d["schema"] == "mtlskit.match/1", d["schema"]
for it in d["presented"]:
    assert set(it) == {"type", "value", "verdict", "reason_id", "reason", "reference"}, it
    assert it["verdict"] in ("match", "no_match", "skipped"), it
exec(sys.argv[2])
PY
}
expect 0 "json match" -- "$M" match --json --dns web.svc.example.com "$S"
jcheck "json match fields" '
assert d["file"] == sys.argv[1].rsplit("/", 1)[0] + "/server.pem", d["file"]
assert d["mode"] == "rfc9525"
assert d["references"] == [{"type": "dns", "input": "web.svc.example.com", "normalized": "web.svc.example.com"}], d["references"]
assert d["matched"] is True
m = d["match"]
assert m["reference"] == 0 and m["presented"] == {"type": "DNS", "value": "*.svc.example.com"}, m
assert m["reason_id"] == "match_wildcard", m
assert d["presented"] == [] and d["more"] == 0
'
expect 0 "json match by the second reference, -q ignored" -- "$M" match -q -j --dns nope.example.com --ip 192.0.2.10 "$S"
jcheck "json second reference" '
assert d["match"]["reference"] == 1, d["match"]
assert d["match"]["presented"] == {"type": "IP", "value": "192.0.2.10"}, d["match"]
assert d["match"]["reason_id"] == "match"
'
expect 0 "json normalized forms" -- "$M" match --json --uri sip:bob@API.example.com \
  --uri HTTPS://api.example.com:8443/x --srv _IMAPS.Example.com --ip 2001:DB8:0::10 "$S"
jcheck "json normalized forms" '
assert [(r["type"], r["normalized"]) for r in d["references"]] == [("uri", "sip:api.example.com"),
  ("uri", "https://api.example.com"), ("srv", "_imaps.example.com"), ("ip", "2001:db8::10")], d["references"]
assert d["references"][1]["input"] == "HTTPS://api.example.com:8443/x"
'
expect 1 "json miss" -- "$M" match --json --dns a.b.svc.example.com --srv _imap.example.com "$S"
jcheck "json miss with reasons" '
assert d["matched"] is False and d["match"] is None and d["more"] == 0
got = {(it["type"], it["value"]): (it["verdict"], it["reason_id"], it["reference"]) for it in d["presented"]}
want = {
  ("DNS", "api.example.com"): ("no_match", "different_name", 0),
  ("DNS", "*.svc.example.com"): ("no_match", "wildcard_one_label", 0),
  ("IP", "192.0.2.10"): ("skipped", "different_type", None),
  ("IP", "2001:db8::10"): ("skipped", "different_type", None),
  ("URI", "https://api.example.com/"): ("skipped", "different_type", None),
  ("SRV", "_imaps.example.com"): ("no_match", "service_differs", 1),
  ("email", "ops@example.com"): ("skipped", "not_service_identity", None),
  ("CN", "legacy.example.com"): ("skipped", "cn_ignored", None),
}
for k, v in want.items():
  assert got.get(k) == v, (k, got.get(k), v)
assert len(d["presented"]) == 9, len(d["presented"])
assert [it["type"] for it in d["presented"]][-1] == "CN"
assert all(it["reason"] for it in d["presented"])
'
expect 0 "json IDNA reference" -- "$M" match --json --dns café.example "$T/idn.pem"
jcheck "json IDNA reference" '
assert d["references"] == [{"type": "dns", "input": "caf\u00e9.example", "normalized": "xn--caf-dma.example"}], d["references"]
assert d["match"]["presented"] == {"type": "DNS", "value": "xn--caf-dma.example"}, d["match"]
'
expect 0 "json legacy CN fallback" -- "$M" match --json --rfc6125 --dns legacy.example.com "$T/cnonly.pem"
jcheck "json legacy CN fallback" '
assert d["mode"] == "rfc6125"
assert d["match"]["presented"] == {"type": "CN", "value": "legacy.example.com"}, d["match"]
assert d["match"]["reason_id"] == "match_cn"
'
# certificate strings and file names with quotes, backslashes and control characters
mk weird '/CN=we"ird\\name' $'DNS:b\\\\x\ty.example'
cp "$T/weird.pem" "$T/we\"ird.pem"
expect 1 "json escaping" -- "$M" match --json --rfc6125 --dns a.example "$T/we\"ird.pem"
jcheck "json escaping" '
assert d["file"].endswith("/we\"ird.pem"), d["file"]
vals = {it["type"]: it for it in d["presented"]}
assert vals["DNS"]["value"] == "b\\x\ty.example", vals["DNS"]
assert vals["DNS"]["reason_id"] == "malformed_character", vals["DNS"]
assert vals["CN"]["value"] == "we\"ird\\name", vals["CN"]
'
many=$(for i in $(seq 1 40); do printf 'DNS:h%d.example.com,' "$i"; done)
mk many "/CN=x" "${many%,}"
expect 1 "json more" -- "$M" match --json --dns nope.example.com "$T/many.pem"
jcheck "json more" '
assert len(d["presented"]) == 32 and d["more"] == 9, (len(d["presented"]), d["more"])
'
expect 2 "json bad reference" -- "$M" match --json --dns '*.example.com' "$S"
if [ -s "$T/out" ]; then bad "json bad input: stdout not empty"; else ok; fi
has err "mtlskit: match: --dns" "json bad input: error on stderr"
expect 2 "json missing file" -- "$M" match --json --dns api.example.com "$T/nope.pem"
if [ -s "$T/out" ]; then bad "json missing file: stdout not empty"; else ok; fi
has err "nope.pem" "json missing file: error on stderr"

# --- help ----------------------------------------------------------------------------------
expect 0 "match --help" -- "$M" match --help
has out "usage: mtlskit match" "usage line"
has out "Exit status" "exit codes documented"
has out "1  no match" "exit 1 documented"
has out "--json" "--json documented"
expect 0 "listed in mtlskit --help" -- "$M" --help
has out "match" "command listed"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
