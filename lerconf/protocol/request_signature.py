"""Does a request object's signature hold under its client identifier prefix? (VP §5.9, §5.10)"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lerconf.crypto.jose.algorithms import is_forbidden, key_mismatch, verify_signature
from lerconf.crypto.jose.compact import parse_compact
from lerconf.crypto.jose.keyresolve import resolve_signing_key
from lerconf.protocol.request_object import RequestObject, client_id_prefix
from lerconf.protocol.x509_request import x509_request_problem

if TYPE_CHECKING:
    from cryptography.x509 import Certificate

    from lerconf.crypto.did import DidResolver

__all__ = ["verify_request_signature"]


def verify_request_signature(obj: RequestObject, resolver: DidResolver,
                             trust_anchors: Sequence[Certificate] = ()) -> str | None:
    """None when the request object's signature verifies under its client_id prefix, else why not.

    ``decentralized_identifier:<did>``: the ``kid`` must be a verification method of that DID.
    ``x509_san_dns:`` / ``x509_hash:``: the ``x5c`` leaf matches the client_id, signs the object
    and chains to one of ``trust_anchors`` (lerconf.protocol.x509_request). Other prefixes are not verified.
    """
    client_id = str(obj.claims.get("client_id", ""))
    prefix = client_id_prefix(client_id)
    alg = obj.header.get("alg")
    if not obj.signed:
        return "the request object is not signed (alg none)"
    if is_forbidden(alg):
        return f"alg {alg!r} is not an asymmetric signature algorithm"
    if prefix in ("x509_san_dns", "x509_hash"):
        return x509_request_problem(obj, trust_anchors)
    if prefix != "decentralized_identifier":
        return f"lerconf does not verify request objects under the {prefix}: prefix"
    did = client_id.split(":", 1)[1]
    kid = obj.header.get("kid")
    if not isinstance(kid, str) or not kid.startswith((did + "#", "#")):
        return f"kid {kid!r} is not a verification method of {did}"
    resolution = resolve_signing_key(obj.header, did, resolver)
    key = resolution.public_key
    if key is None:
        return f"the signing key could not be resolved: {resolution.error}"
    mismatch = key_mismatch(str(alg), key)
    if mismatch:
        return mismatch
    parsed = parse_compact(obj.token, allow_sd_jwt=False)
    if not verify_signature(str(alg), key, parsed.signing_input, parsed.signature):
        return "the signature does not verify with the DID's key"
    return None
