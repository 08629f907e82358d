"""What lerconf, as the wallet, sends back: a VP JWT for ``jwt_vc_json`` (VP App. B.1.3.1.5), an
encrypted ``direct_post.jwt`` response (VP §8.3: a JWE to a key of ``client_metadata.jwks``),
and the draft-era ``presentation_submission``.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lerconf import entropy
from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt

if TYPE_CHECKING:
    from lerconf.crypto.signing import Signer

__all__ = ["ENC_PREFERENCE", "encrypt_response", "encryption_key", "other_key_like", "presentation_submission", "vp_jwt"]

VC_V1 = "https://www.w3.org/2018/credentials/v1"
#: content encryption lerconf picks, first offered wins (VP §8.3: A128GCM when nothing is said)
ENC_PREFERENCE = ("A128GCM", "A256GCM")
_KEY_ALGS = ("ECDH-ES",)


def vp_jwt(holder: Signer, credentials: list[Any], *, nonce: str, audience: str, iat: int | None = None) -> str:
    """A VCDM 1.1 VP JWT (``vp`` claim) by ``holder`` with ``nonce`` and ``aud`` binding it."""
    vp = {"@context": [VC_V1], "type": ["VerifiablePresentation"], "holder": holder.controller,
          "verifiableCredential": list(credentials), "id": f"urn:uuid:{entropy.uuid4()}"}
    return sign_jwt(vp, holder.key, holder.verification_method, JwtEncoding.VCDM11,
                    claims={"nonce": nonce, "aud": audience, "iat": int(entropy.unix_time()) if iat is None else iat})


def encryption_key(client_metadata: Any) -> tuple[dict[str, Any] | None, str, str | None]:
    """(public JWK, enc, problem): the key lerconf encrypts a direct_post.jwt response to."""
    if not isinstance(client_metadata, Mapping):
        return None, "", "the request has no client_metadata"
    jwks = client_metadata.get("jwks")
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    if not isinstance(keys, list) or not keys:
        return None, "", "client_metadata has no jwks with keys to encrypt the response to"
    usable = [k for k in keys if isinstance(k, Mapping) and k.get("kty") == "EC" and k.get("crv") == "P-256"
              and k.get("use", "enc") == "enc" and k.get("alg", "ECDH-ES") in _KEY_ALGS and "d" not in k]
    if not usable:
        return None, "", "client_metadata.jwks has no public P-256 key for ECDH-ES encryption"
    offered = client_metadata.get("encrypted_response_enc_values_supported", ["A128GCM"])
    if not isinstance(offered, list):
        return None, "", "encrypted_response_enc_values_supported is not an array"
    enc = next((e for e in ENC_PREFERENCE if e in offered), None)
    if enc is None:
        return None, "", f"encrypted_response_enc_values_supported {offered} has none of {list(ENC_PREFERENCE)}"
    return dict(usable[0]), enc, None


def encrypt_response(params: Mapping[str, Any], jwk: Mapping[str, Any], enc: str, *, kid: str | None = None) -> str:
    """A compact JWE (ECDH-ES, ``enc``) of the response parameters to the public ``jwk``."""
    from joserfc import jwe
    from joserfc.jwk import ECKey

    key = ECKey.import_key(dict(jwk))
    header = {"alg": "ECDH-ES", "enc": enc}
    kid = kid if kid is not None else jwk.get("kid")
    if isinstance(kid, str):
        header["kid"] = kid
    return jwe.encrypt_compact(header, json.dumps(dict(params), ensure_ascii=False).encode("utf-8"), key)


def other_key_like(jwk: Mapping[str, Any]) -> dict[str, Any]:
    """A fresh P-256 public key with the same ``kid``: a response encrypted to it is one the
    verifier cannot open (a JWE for another key)."""
    from joserfc.jwk import ECKey

    fresh = ECKey.generate_key("P-256", private=True).as_dict(private=False)
    if "kid" in jwk:
        fresh["kid"] = jwk["kid"]
    return dict(fresh)


def presentation_submission(definition_id: str, descriptor_id: str, fmt: str) -> dict[str, Any]:
    """The draft-era DIF Presentation Exchange submission for one presentation at ``$``."""
    vp_format, path_nested = ("jwt_vp_json", {"format": "jwt_vc_json", "path": "$.vp.verifiableCredential[0]"}) \
        if fmt == "jwt_vc_json" else ("ldp_vp", {"format": "ldp_vc", "path": "$.verifiableCredential[0]"})
    return {"id": entropy.uuid4(), "definition_id": definition_id,
            "descriptor_map": [{"id": descriptor_id, "format": vp_format, "path": "$", "path_nested": path_nested}]}
