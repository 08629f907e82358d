"""OB-28: is this badge about the person the verifier knows? (Open Badges 3.0 verification step 5,
RECOMMENDED: "Verify the Recipient Using an Identifier".)

The verifier holds a known value (an email address, a student id, a DID) and, optionally, its
identity type. An IdentityObject of that type (any type when none is given) matches when it is
not hashed and equals the value, or is hashed and ``identityHash`` equals the hash of the value
and the object's salt; a ``credentialSubject.id`` equal to the value matches too."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.checks.ob import as_list, identity_hash, subjects
from lerconf.results import Category

__all__ = ["recipient_matches"]


def _matches(identifier: Mapping[str, Any], known: str, identity_type: str | None) -> bool:
    if identity_type is not None and identifier.get("identityType") != identity_type:
        return False
    value, salt = identifier.get("identityHash"), identifier.get("salt", "")
    if not isinstance(value, str) or not isinstance(salt, str):
        return False
    if identifier.get("hashed") is True:
        algorithm = value.split("$", 1)[0]
        if algorithm not in ("sha256", "md5"):
            return False
        return identity_hash(known, salt, algorithm).lower() == value.lower()
    return value == known


@check("OB-28", Category.STRUCTURE)
def recipient_matches(credential: Mapping[str, Any], known: str, identity_type: str | None = None) -> Verdict:
    """The badge names the recipient the verifier knows, by id or by a (hashed) IdentityObject."""
    seen = 0
    for path, subject in subjects(credential):
        if not isinstance(subject, Mapping):
            continue
        if subject.get("id") == known and identity_type is None:
            return passed(f"{path}.id is the known recipient")
        for i, identifier in enumerate(as_list(subject.get("identifier"))):
            seen += 1
            if isinstance(identifier, Mapping) and _matches(identifier, known, identity_type):
                hashed = "hashed " if identifier.get("hashed") is True else ""
                return passed(f"{path}.identifier[{i}] ({hashed}{identifier.get('identityType')}) is the known recipient")
    kind = f" of type {identity_type}" if identity_type else ""
    return failed(f"no credentialSubject id or identifier{kind} matches the known recipient ({seen} identifier(s) compared)")
