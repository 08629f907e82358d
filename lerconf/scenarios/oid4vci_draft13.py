"""OID4VCI draft 13 mode on the wallet side (a profile that claims only ``spec_versions:
[draft13]``): the draft-only label of a scenario's result, error codes as draft 13 names them,
``c_nonce`` carried by token and credential responses, and the draft-13 credential request
(``format`` + ``credential_definition``, one ``proof`` object). See research §5.1.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lerconf.profile.claims import mark_draft_only as mark
from lerconf.protocol.oid4vci import Answer

if TYPE_CHECKING:
    from lerconf.scenarios.oid4vci_flow import VciSession

__all__ = ["DRAFT13_ERRORS", "DRAFT_LABEL", "draft13_request", "expected_errors", "mark_draft_only", "remember_nonce"]

#: the type lerconf asks for to name a configuration the issuer does not have (draft requests)
UNKNOWN_TYPE = "lerconf-unknown-configuration"


DRAFT_LABEL = "OID4VCI draft 13"


def mark_draft_only(node: Any, label: str) -> None:
    """Label the running scenario draft-only (lerconf.profile.claims.mark_draft_only)."""
    mark(node, label)


#: draft 13 names these errors differently (§7.3.1): what a final-mode expectation becomes
DRAFT13_ERRORS = {"invalid_nonce": "invalid_proof", "unknown_credential_configuration": "unsupported_credential_type"}


def expected_errors(session: VciSession, error: str) -> tuple[str, ...]:
    """The error codes a feature's "<error>" (one, or several joined by " or ") means in the session's mode."""
    codes = tuple(error.split(" or "))
    return tuple(DRAFT13_ERRORS.get(c, c) for c in codes) if session.mode == "draft13" else codes


def remember_nonce(session: VciSession, answer: Answer) -> Answer:
    """Draft 13 hands out c_nonce in token and credential responses (errors included)."""
    if session.mode == "draft13" and isinstance(answer.body, Mapping) and isinstance(answer.body.get("c_nonce"), str):
        session.c_nonce = answer.body["c_nonce"]
    return answer


def draft13_request(session: VciSession, config_id: str | None, proof: Any, proof_type: str) -> dict[str, Any]:
    found = session.metadata.configurations.get(config_id or "")
    if isinstance(found, Mapping):
        body: dict[str, Any] = {"format": found.get("format"), "credential_definition": found.get("credential_definition")}
    else:  # a configuration the issuer does not have: a type it does not issue
        body = {"format": "ldp_vc", "credential_definition": {"type": ["VerifiableCredential", UNKNOWN_TYPE]}}
    if proof is not None:
        body["proof"] = {"proof_type": proof_type, proof_type: proof}
    return body
