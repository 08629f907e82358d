"""OB-16: an Open Badges issuer's verification key can be fetched by anyone who holds the badge.

Open Badges 3.0 §"Dereferencing the Public Key": the key a proof names is dereferenceable over an
HTTP(S) URL (required) or a DID URL (optional). A key under a ``urn:`` or a relative id verifies
nothing for a relying party without a side channel, and a URL that gives no key is no better.
Judged on each Data Integrity proof's ``verificationMethod`` and on what lerconf's resolver got for
it; a key lerconf could not reach (a network error, a host the user did not allow) is *could not
be checked*, never the issuer's failure. VC-JWT keys are judged by OB-13 and JC-04.
"""
from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.checks.binding import SigningKey
from lerconf.results import Category

__all__ = ["issuer_key_is_dereferenceable", "key_url_kind"]


def key_url_kind(verification_method: str) -> str | None:
    """'DID URL' or 'HTTPS URL' / 'HTTP URL' when the id is one a relying party can dereference, else None."""
    if verification_method.startswith("did:") and len(verification_method.split(":", 2)) == 3:
        return "DID URL"
    parts = urlsplit(verification_method)
    if parts.scheme in ("https", "http") and parts.netloc:
        return f"{parts.scheme.upper()} URL"
    return None


@check("OB-16", Category.ISSUER_BINDING)
def issuer_key_is_dereferenceable(keys: Sequence[SigningKey]) -> Verdict:
    """Each proof's verification key is an HTTP(S) URL or a DID URL that dereferences to a key."""
    if not keys:
        return not_applicable("no Data Integrity proof names a verification key")
    problems, reached, unreached, fixes = [], [], [], []
    for key in keys:
        kind = key_url_kind(key.verification_method)
        if kind is None:
            problems.append(f"{key.proof}.verificationMethod {key.verification_method!r} is neither an HTTP(S) URL nor "
                            "a DID URL: no relying party can dereference it")
        elif key.method is not None:
            reached.append(f"{key.verification_method} ({kind})")
        elif key.unreached:
            unreached.append(f"lerconf got no answer for {key.verification_method}: {key.cause}")
            fixes.append(key.fix)
        else:
            problems.append(f"{key.proof}.verificationMethod {key.verification_method} ({kind}) does not dereference "
                            f"to a key: {key.cause or 'no key found'}")
    if problems:
        error = "INVALID_VERIFICATION_METHOD_URL" if any("neither" in p for p in problems) else "INVALID_VERIFICATION_METHOD"
        return failed("; ".join(problems), error=error)
    if unreached:
        return failed("; ".join(unreached), error="INVALID_VERIFICATION_METHOD", could_not_check=True,
                      fix="; ".join(f for f in dict.fromkeys(fixes) if f))
    return passed("the verification key dereferences: " + ", ".join(reached))
