"""What the W3C VCDM 2.0 test suite's failing inputs break, by file: the verifier's expectations
(tests/verify) and, for the credential inputs, the rule the reference issuer's refusal must name
(tests/refimpl). One table, so the two cannot drift apart."""
from __future__ import annotations

#: file (relative to the suite's input/) -> the requirement whose check must flag it FAILED.
#: A "verifiableCredential[0]" suffix means: on the embedded credential at that path.
FAILS: dict[str, str] = {
    "credential-context-combo3-fail.json": "VCDM-02",  # "https ://not-a-url/..." context
    "credential-context-combo4-fail.json": "VCDM-02",  # a number as a context
    "credential-evidence-missing-type-fail.json": "VCDM-12",
    "credential-id-multi-fail.json": "VCDM-05",
    "credential-id-nonidentifier-fail.json": "VCDM-05",  # "id": null
    "credential-id-not-url-fail.json": "VCDM-05",
    "credential-id-subject-multi-fail.json": "VCDM-07",  # credentialSubject.id is an array
    "credential-issuer-no-url-fail.json": "VCDM-06",
    "credential-issuer-null-fail.json": "VCDM-06",
    "credential-issuer-object-id-no-url-fail.json": "VCDM-06",
    "credential-issuer-object-id-null-fail.json": "VCDM-06",
    "credential-missing-base-context-fail-or-inject.json": "VCDM-01",
    "credential-missing-required-type-fail.json": "VCDM-03",
    "credential-no-context-fail-or-inject.json": "VCDM-01",
    "credential-no-issuer-fail.json": "VCDM-06",  # (its credentialSubject is also empty: VCDM-07)
    "credential-no-subject-fail.json": "VCDM-07",
    "credential-no-type-fail.json": "VCDM-03",
    "credential-proof-missing-type-fail.json": "DI-01",
    "credential-redef-type-fail.json": "VCDM-02",  # redefines the protected VerifiableCredential
    "credential-redef-type2-fail.json": "VCDM-02",  # redefines a @protected inline term
    "credential-refresh-no-type-fail.json": "VCDM-13",
    "credential-schema-no-id-fail.json": "VCDM-11",
    "credential-schema-no-type-fail.json": "VCDM-11",
    "credential-schema-non-url-id-fail.json": "VCDM-11",
    "credential-status-missing-type-fail.json": "VCDM-10",
    "credential-status-multiple-id-fail.json": "VCDM-10",
    "credential-status-nonurl-id-fail.json": "VCDM-10",
    "credential-status-type-nonurl-fail.json": "VCDM-10",  # "type": 2
    "credential-subject-multiple-empty-fail.json": "VCDM-07",
    "credential-subject-no-claims-fail.json": "VCDM-07",
    "credential-termsofuse-missing-type-fail.json": "VCDM-13",
    "credential-termsofuse-no-type-fail.json": "VCDM-13",
    "credential-type-mapped-nonurl-fail.json": "VCDM-02",  # context maps the type to "https ://..."
    # {"@vocab": null} leaves the type undefined: VCDM-16 (lerconf's JSON-LD layer works around
    # pyld 3.x's KeyError '@vocab', the del of an absent key; see tests/documents/test_jsonld.py)
    "credential-type-unmapped-fail.json": "VCDM-16",
    "credential-validUntil-validFrom-fail.json": "VCDM-09",
    "credential-validfrom-invalid-fail.json": "VCDM-08",
    "credential-validuntil-invalid-fail.json": "VCDM-08",
    "names-and-descriptions/credential-description-extra-prop-en-fail.json": "VCDM-14",
    "names-and-descriptions/credential-name-extra-prop-en-fail.json": "VCDM-14",
    "names-and-descriptions/issuer-description-extra-prop-en-fail.json": "VCDM-14",
    "names-and-descriptions/issuer-name-extra-prop-en-fail.json": "VCDM-14",
    "presentation-context-order-fail.json": "VCDM-19",
    "presentation-enveloped-vc-missing-type-fail.json": "VCDM-25",
    "presentation-holder-fail.json": "VCDM-22",
    "presentation-holder-name-fail.json": "VCDM-22",
    "presentation-holder-object-fail.json": "VCDM-22",
    "presentation-missing-base-context-fail.json": "VCDM-19",
    "presentation-missing-required-type-fail.json": "VCDM-20",
    "presentation-no-context-fail-or-inject.json": "VCDM-19",
    "presentation-no-type-fail.json": "VCDM-20",
    "presentation-vc-as-string-fail.json": "VCDM-21",
    "presentation-vc-missing-required-type-fail.json": "VCDM-03 verifiableCredential[0]",
}
