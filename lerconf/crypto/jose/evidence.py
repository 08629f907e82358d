"""What the JOSE checks look at: one decoded token and what was resolved for it.

Every check in ``lerconf.checks.jose`` takes a single ``JoseEvidence``, so ``run_check(id, ev)``
works for any of them and a check never re-parses or re-resolves anything.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lerconf.crypto.jose.compact import ParsedJws
from lerconf.crypto.jose.cose import ParsedCose
from lerconf.crypto.jose.encodings import JwtEncoding, holder_id, issuer_id
from lerconf.crypto.jose.envelope import Envelope
from lerconf.crypto.jose.keyresolve import KeyResolution


@dataclass(frozen=True)
class EnvelopedItem:
    """One entry of a presentation's ``verifiableCredential`` and what decoding it gave."""

    index: int
    enveloped: bool
    envelope: Envelope | None = None
    error: str | None = None
    inner: ParsedJws | ParsedCose | None = None


@dataclass(frozen=True)
class JoseEvidence:
    """A JWS (``parsed``) or a COSE_Sign1 (``cose``, with ``parsed`` its JWS-shaped view)."""

    token: str = field(repr=False)
    at: datetime
    parsed: ParsedJws | None = None
    parse_error: str | None = None
    encoding: JwtEncoding = JwtEncoding.UNKNOWN
    kind: str = "credential"
    credential: dict[str, Any] | None = None
    key: KeyResolution | None = None
    expected_encoding: JwtEncoding | None = None
    disclosure_problems: tuple[str, ...] = ()
    embedded: tuple[EnvelopedItem, ...] = ()
    #: "jose" (compact JWS / SD-JWT) or "cose" (COSE_Sign1), known before any decoding succeeds
    securing: str = "jose"
    cose: ParsedCose | None = None

    @property
    def header(self) -> Mapping[str, Any]:
        return self.parsed.header if self.parsed else {}

    @property
    def payload(self) -> Mapping[str, Any]:
        return self.parsed.payload if self.parsed else {}

    @property
    def is_jose(self) -> bool:
        return self.encoding in (JwtEncoding.JOSE, JwtEncoding.SD_JWT)

    @property
    def is_vc_jose_cose(self) -> bool:
        """Secured per VC-JOSE-COSE in any of its three forms (JOSE, SD-JWT, COSE)."""
        return self.is_jose or self.encoding is JwtEncoding.COSE

    @property
    def signer_id(self) -> str | None:
        """Who must control the key: the issuer of a credential, the holder of a presentation."""
        doc = self.credential or {}
        return holder_id(doc) if self.kind == "presentation" else issuer_id(doc)
