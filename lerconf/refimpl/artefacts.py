"""What the reference issuer delivers as files: the artefacts an artefact-only issuer hands over.

``GET /artefacts/{name}`` serves, made once per instance on first request: an Open Badge as JSON
(eddsa-rdfc-2022, revocable), the same kind of badge as an OB 3.0 VC-JWT, each baked into a PNG
(in its iTXt chunk) and into an SVG (JSON as CDATA, the compact JWS in ``verify``), a CLR 2.0 transcript bundling
a badge, a badge revoked on the reference's status list, and an HR Open LER-RS résumé (a VCDM 1.1
VC-JWT) embedding a badge and the CLR. Each is served with the media type
OB 3.0 §"Web Resource" names (OB-18), so `lerconf run` judges the reference's own artefacts
(features/artefacts/) as it would a vendor's export.
"""
from __future__ import annotations

import hashlib
import json
import struct
import threading
import zlib
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from lerconf import entropy
from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.documents.baked import bake_png, bake_svg
from lerconf.documents.templates import clr2_credential, ler_rs_resume, ob3_achievement_credential
from lerconf.refimpl.issuer import issue_credential
from lerconf.refimpl.problems import ProblemError
from lerconf.refimpl.state import ReferenceState, state_of
from lerconf.refimpl.validation import IssueRequest

__all__ = ["ARTEFACTS", "BADGE_SVG", "ROUTES", "badge_png", "delivered"]

#: name -> (media type, what the reference's profile says it is)
ARTEFACTS: dict[str, tuple[str, dict[str, str]]] = {
    "badge.json": ("application/vc+ld+json", {"type": "OpenBadgeCredential", "vc_version": "2.0",
                                              "securing": "eddsa-rdfc-2022", "status": "active", "baked": "no"}),
    "badge.jwt": ("text/plain", {"type": "OpenBadgeCredential", "vc_version": "2.0", "securing": "ob30-vc-jwt",
                                 "status": "none", "baked": "no"}),
    "badge-dual.jwt": ("text/plain", {"type": "OpenBadgeCredential", "vc_version": "2.0", "securing": "ob30-vc-jwt",
                                      "status": "none", "baked": "no"}),
    "badge.png": ("image/png", {"type": "OpenBadgeCredential", "securing": "eddsa-rdfc-2022", "baked": "png"}),
    "badge-jwt.png": ("image/png", {"type": "OpenBadgeCredential", "securing": "ob30-vc-jwt", "baked": "png"}),
    "badge.svg": ("image/svg+xml", {"type": "OpenBadgeCredential", "securing": "ob30-vc-jwt", "baked": "svg"}),
    "badge-json.svg": ("image/svg+xml", {"type": "OpenBadgeCredential", "securing": "eddsa-rdfc-2022", "baked": "svg"}),
    "clr.json": ("application/vc+ld+json", {"type": "ClrCredential", "vc_version": "2.0", "securing": "eddsa-rdfc-2022"}),
    "revoked.json": ("application/vc+ld+json", {"type": "OpenBadgeCredential", "status": "revoked"}),
    "resume.jwt": ("text/plain", {"type": "LER-RS", "vc_version": "1.1", "securing": "vc-jwt"}),
}
_SUBJECT = "did:example:learner-artefacts"
#: the learner's email address, named in each badge as OB 3.0 does it (hashed, salted): a badge handed
#: over as a file names its learner so (LMC OB 3.0 Direct Delivery, LMC-DD-05)
_EMAIL = "learner@example.edu"
_LOCK = threading.Lock()


def delivered(state: ReferenceState) -> dict[str, bytes]:
    """The instance's artefacts, made once (signing and the revocation happen on first use)."""
    with _LOCK:
        if not state.delivered:
            state.delivered.update(_make(state))
        return state.delivered


def _badge(state: ReferenceState, *, revocable: bool) -> dict[str, Any]:
    credential = ob3_achievement_credential(state.issuer_id, _SUBJECT, credential_id=f"urn:uuid:{entropy.uuid4()}")
    credential["credentialSubject"]["identifier"] = [_email_identity()]
    return issue_credential(state, IssueRequest(credential, "eddsa-rdfc-2022", "revocation" if revocable else None))


def _email_identity() -> dict[str, Any]:
    """An OB 3.0 IdentityObject for the learner's email: ``sha256$`` + SHA-256 of address and salt."""
    salt = entropy.token_hex(8)
    digest = hashlib.sha256((_EMAIL + salt).encode()).hexdigest()
    return {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
            "identityHash": f"sha256${digest}", "salt": salt}


def _make(state: ReferenceState) -> dict[str, bytes]:
    badge = _badge(state, revocable=True)
    revoked = _badge(state, revocable=True)
    state.status.update(revoked["id"], "revocation", True)
    signer = state.keys.ed25519
    jwt = sign_jwt(ob3_achievement_credential(state.issuer_id, _SUBJECT, credential_id=f"urn:uuid:{entropy.uuid4()}"),
                   signer.key, signer.verification_method, JwtEncoding.OB30)
    baked_json = _badge(state, revocable=False)
    inner = _badge(state, revocable=False)
    clr = issue_credential(state, IssueRequest(
        clr2_credential(state.issuer_id, _SUBJECT, [inner], credential_id=f"urn:uuid:{entropy.uuid4()}"), "eddsa-rdfc-2022"))
    return {
        "badge.json": _json(badge),
        "badge.jwt": jwt.encode(),
        # OB-15: secured twice, the Data Integrity proof made first and then wrapped in the JWT
        "badge-dual.jwt": sign_jwt(_badge(state, revocable=False), signer.key, signer.verification_method,
                                   JwtEncoding.OB30).encode(),
        "badge.png": bake_png(badge_png(), json.dumps(baked_json, ensure_ascii=False)),
        "badge-jwt.png": bake_png(badge_png(), jwt),
        "badge.svg": bake_svg(BADGE_SVG, jwt).encode(),
        "badge-json.svg": bake_svg(BADGE_SVG, json.dumps(baked_json, ensure_ascii=False)).encode(),
        "clr.json": _json(clr),
        "revoked.json": _json(revoked),
        # a résumé cannot carry a Data Integrity proof (its second @context is a JSON Schema): a VCDM 1.1 VC-JWT
        "resume.jwt": sign_jwt(ler_rs_resume(state.issuer_id, baked_json, clr, credential_id=f"urn:uuid:{entropy.uuid4()}"),
                               signer.key, signer.verification_method, JwtEncoding.VCDM11).encode(),
    }


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def badge_png(size: int = 64) -> bytes:
    """A small badge image: a teal disc on white (8-bit RGB)."""
    rows = []
    centre, radius = (size - 1) / 2, size * 0.45
    for y in range(size):
        row = bytearray(b"\0")  # filter type none
        for x in range(size):
            inside = (x - centre) ** 2 + (y - centre) ** 2 <= radius ** 2
            row += bytes((0, 128, 128) if inside else (255, 255, 255))
        rows.append(bytes(row))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
            + chunk(b"IEND", b""))


BADGE_SVG = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        '<circle cx="32" cy="32" r="29" fill="#008080"/>'
        '<text x="32" y="38" font-size="16" text-anchor="middle" fill="#fff">OB</text></svg>\n')


async def artefact(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ARTEFACTS:
        raise ProblemError(404, f"no artefact {name!r}; the reference delivers {', '.join(ARTEFACTS)}")
    made = await run_in_threadpool(delivered, state_of(request))
    return Response(made[name], media_type=ARTEFACTS[name][0])


ROUTES = [Route("/artefacts/{name}", artefact, methods=["GET"])]
