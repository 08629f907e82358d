"""Pre-final OID4VP drafts (up to draft 21, still widely deployed) query with DIF Presentation
Exchange: ``presentation_definition`` in the request, ``presentation_submission`` in the
answer. 1.0 removed both for DCQL (draft 26); lerconf speaks them only when a verifier's
profile claims a draft, and labels those results draft-only.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lerconf.protocol.dcql import CredentialQuery

__all__ = ["PE_FORMATS", "ob3_descriptor"]

#: Presentation Exchange format designations -> the credential format lerconf presents
PE_FORMATS = {"ldp_vp": "ldp_vc", "ldp_vc": "ldp_vc", "ldp": "ldp_vc",
              "jwt_vp_json": "jwt_vc_json", "jwt_vc_json": "jwt_vc_json", "jwt_vp": "jwt_vc_json", "jwt_vc": "jwt_vc_json"}
_OB3_NAMES = ("OpenBadgeCredential", "AchievementCredential")


def ob3_descriptor(definition: Any, formats: tuple[str, ...] = ("ldp_vc",)) -> CredentialQuery | None:
    """The first input descriptor an OB 3.0 badge in one of ``formats`` answers, as a query
    (id = the descriptor id), or None. A descriptor without ``format`` takes the definition's."""
    if not isinstance(definition, Mapping) or not isinstance(definition.get("input_descriptors"), list):
        return None
    outer = definition.get("format") if isinstance(definition.get("format"), Mapping) else {}
    for descriptor in definition["input_descriptors"]:
        if not isinstance(descriptor, Mapping) or not isinstance(descriptor.get("id"), str):
            continue
        fmt = descriptor.get("format") if isinstance(descriptor.get("format"), Mapping) else outer
        offered = {PE_FORMATS[f] for f in fmt if f in PE_FORMATS} if fmt else {"ldp_vc"}
        usable = [f for f in formats if f in offered]
        if not usable or not any(name in json.dumps(descriptor.get("constraints", {})) for name in _OB3_NAMES):
            continue
        return CredentialQuery(descriptor["id"], usable[0], ())
    return None
