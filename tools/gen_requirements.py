"""Regenerate lerconf/data/requirements.json from the shared requirements extract.

The extract lives outside the repository (../shared/reference/requirements.md); this
script turns its tables into the facts lerconf needs (id, role, sentence, section, title,
strength, spec URL). Run it by hand when the extract changes and review the diff. Ids the extract lacks
(lerconf's own ``LCW-*``, ``LCI-*``, ``LCO-*``, ``LBB-*``, ``LCD-*`` …) come from tools/lerconf-requirements.md.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

SPEC_URLS = {
    "VCDM": "https://www.w3.org/TR/vc-data-model-2.0/",
    "DI": "https://www.w3.org/TR/vc-data-integrity/",
    "CID": "https://www.w3.org/TR/cid-1.0/",
    "DID": "https://w3c-ccg.github.io/did-method-web/",
    "ED": "https://www.w3.org/TR/vc-di-eddsa/",
    "EC": "https://www.w3.org/TR/vc-di-ecdsa/",
    "DIVP": "https://www.w3.org/TR/vc-data-integrity/",
    "JC": "https://www.w3.org/TR/vc-jose-cose/",
    "JWT11": "https://www.w3.org/TR/vc-data-model-1.1/#json-web-token",
    "SDJ": "https://datatracker.ietf.org/doc/draft-ietf-oauth-sd-jwt-vc/",
    "OB": "https://www.imsglobal.org/spec/ob/v3p0/",
    "OBAPI": "https://www.imsglobal.org/spec/ob/v3p0/#api",
    "CLR": "https://www.imsglobal.org/spec/clr/v2p0/",
    "API": "https://w3c.github.io/vcalm/",
    "VCI": "https://openid.net/specs/openid-4-verifiable-credential-issuance-1_0.html",
    "VP": "https://openid.net/specs/openid-4-verifiable-presentations-1_0.html",
    "BSL": "https://www.w3.org/TR/vc-bitstring-status-list/",
    "LER": "https://www.hropenstandards.org/ler-rs",
    "LCW": "https://openid.net/specs/openid-4-verifiable-credential-issuance-1_0.html#name-credential-response",
    "LCI": "https://openid.net/specs/openid-4-verifiable-credential-issuance-1_0.html",
    "LCO": "https://www.imsglobal.org/spec/ob/v3p0/#api",
    "LCS": "https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-sd-2023",
    "LCX": "https://w3c.github.io/vcalm/",
    "LCA": "https://www.imsglobal.org/spec/ob/v3p0/#document-formats",
    "LBB": "https://www.w3.org/TR/vc-di-bbs/",
    "LCD": "https://www.imsglobal.org/spec/ob/v3p0/cert/",
}
#: lerconf's own ids for behaviours the extract does not name (read after the extract)
LERCONF_EXTRA = Path(__file__).with_name("lerconf-requirements.md")
DID_KEY_URL = "https://w3c-ccg.github.io/did-key-spec/"
#: lerconf's own ids point at the specification text they derive from
URL_OVERRIDES = {
    "LCD-03": "https://www.imsglobal.org/spec/ob/v3p0/#verification",
    "LCD-04": "https://www.imsglobal.org/spec/ob/v3p0/#verification",
    "LCW-02": "https://www.w3.org/TR/vc-bitstring-status-list/#validate-algorithm",
    "LCW-03": "https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#name-response-mode-direct_postjw",
    "LCW-04": "https://openid.net/specs/openid-4-verifiable-credential-issuance-1_0.html#name-authorization-code-flow",
    "LCI-01": "https://openid.net/specs/openid-4-verifiable-credential-issuance-1_0.html#name-key-proof-replay",
    # the adapter's POST /offers stands in for the wallet's Credential Offer endpoint
    "LCW-05": "https://openid.net/specs/openid-4-verifiable-credential-issuance-1_0.html#name-credential-offer-endpoint",
}
# Reviewed by hand: the heuristic reads the first sentence only.
#: where a rule comes from when it is not the linked final text (issue 13: graded by the text the vendor claims)
SOURCE_OVERRIDES = {
    "VCI-10": "OpenID4VCI 1.0 errata editor's draft (Transaction Code Guessing); not in the 1.0 final text",
    "VP-13": "OpenID4VP 1.0 errata editor's draft (HTTP redirects from the response_uri); not in the 1.0 final text",
    "LCI-01": "lerconf's recommendation, not a requirement of OpenID4VCI 1.0",
    "LCW-05": "lerconf's wallet adapter contract (docs/wallet-adapter.openapi.yaml): what an adapter advertising "
              "scenario_isolation promises, not a sentence of any specification",
    "LCO-01": "lerconf's reading of OB 3.0 upsertCredential for a Service Consumer (OBAPI-13 names the call only)",
    "LCO-02": "lerconf's reading of OB 3.0 Paging for a Service Consumer (OBAPI-13 names the call only)",
    "LCO-03": "lerconf's reading of OB 3.0 API Security token refresh for a Service Consumer",
    "LCS-01": "lerconf's reading of ECDSA §3.6.2 for a verifier that claims ecdsa-sd-2023",
    "LCS-02": "lerconf's reading of ECDSA §3.3.1-§3.3.2 and §3.6.2 for an issuer that claims ecdsa-sd-2023",
    "LCS-03": "lerconf's interop rule for selective disclosure across vendors (issue 18): each party's own spec rule, chained",
    "LCA-01": "lerconf's rule for judging an issuer by its delivered artefacts (issue 15): the vendor's description is a claim",
    **{f"LBB-0{n}": "lerconf's reading of W3C Data Integrity BBS (bbs-2023); the shared extract has no bbs-2023 rows"
       for n in range(1, 8)},
    "LCD-01": "lerconf's reading of the OB 3.0 Displayer certification (OB-30) and BSL §3.2: what lerconf's own endpoints show",
    "LCD-02": "lerconf's reading of OB-31 'viewer-initiated verification': what lerconf's own endpoints show",
    "LCD-03": "lerconf's positive control for a verifier that is only a web page (issue 15 §5)",
    "LCD-04": "lerconf's recommendation for a verifier that is only a web page (issue 15 §5), not a sentence of OB 3.0",
}
STRENGTH_OVERRIDES = {"LCI-01": "SHOULD", "LCD-04": "SHOULD", "CLR-10": "SHOULD",
                      "OB-16": "MUST", "VP-01": "MUST", "BSL-08": "MUST", "BSL-11": "SHOULD", "BSL-12": "MAY"}
ROW = re.compile(r"^\| ([A-Z0-9]+-[A-Z0-9]+) \|(.*)\|\s*$")


def strength(text: str) -> str:
    """MUST unless the sentence's only normative word is SHOULD/RECOMMENDED (or MAY)."""
    first = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0]
    if re.search(r"\bMUST\b|\bREQUIRED\b", first):
        return "MUST"
    if re.search(r"\bSHOULD\b|\bRECOMMENDED\b", first):
        return "SHOULD"
    if re.search(r"\bMAY\b|\(optional\)|If supported", first):
        return "MAY"
    return "MUST"


def main(src: Path, out: Path) -> None:
    reqs = {}
    lines = src.read_text(encoding="utf-8").splitlines() + LERCONF_EXTRA.read_text(encoding="utf-8").splitlines()
    for line in lines:
        m = ROW.match(line)
        if not m:
            continue
        rid = m.group(1)
        cells = [c.strip() for c in m.group(2).split(" | ")]
        if len(cells) < 5:
            continue
        role, text, section, bb, title = cells[0], cells[1], cells[2], cells[3], cells[4].strip(" |")
        prefix = rid.split("-")[0]
        url = SPEC_URLS[prefix]
        if rid == "DID-01":
            url = DID_KEY_URL
        url = URL_OVERRIDES.get(rid, url)
        reqs[rid] = {
            "id": rid,
            "role": role,
            "text": text,
            "section": section,
            "testability": bb,
            "title": title,
            "strength": STRENGTH_OVERRIDES.get(rid) or strength(text),
            "spec_url": url,
            **({"source": SOURCE_OVERRIDES[rid]} if rid in SOURCE_OVERRIDES else {}),
        }
    out.write_text(json.dumps(reqs, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(reqs)} requirements written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
