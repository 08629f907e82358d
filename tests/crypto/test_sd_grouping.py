"""Selective disclosure's canonicalizeAndGroup (sd_primitives.group_statements) through the processor's
memoized contexts gives what plain pyld gives: with a term the contexts do not define (pyld drops it and
tells a handler), and when the caller changes its own @context list between two calls (the reference
issuer appends the status list context to a credential it has already checked)."""
from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest
from pyld import jsonld

from lerconf.crypto.di import sd_primitives as sd
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader

pytestmark = pytest.mark.usefixtures("shared_data_env")
V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
STATUS = "https://w3id.org/vc/status-list/2021/v1"
POINTERS = {"mandatory": ["/issuer"], "subject": ["/credentialSubject"]}


def _credential(context: list[str]) -> dict[str, Any]:
    return {"@context": context, "type": ["VerifiableCredential"], "issuer": "did:example:issuer",
            "issuanceDate": "2026-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:s", "undefinedTerm": "x"}}


def _plain_pyld(document: dict[str, Any], processor: Processor) -> dict[str, Any]:
    """The skolemized document as plain pyld makes it (the way lerconf made it before the memo)."""
    options = processor._options()
    expanded = jsonld.expand(copy.deepcopy(document), options)
    sd._skolemize(expanded, itertools.count())
    skolemized = jsonld.compact(expanded, copy.deepcopy(document["@context"]), options)
    skolemized.pop("@context", None)
    return {"@context": copy.deepcopy(document["@context"]), **skolemized}


def test_an_undefined_term_is_dropped_as_pyld_drops_it() -> None:
    processor = Processor(DocumentLoader())
    credential = _credential([V1])
    grouped = sd.group_statements(credential, sd.hmac_labels(b"k" * 32), POINTERS, processor)
    assert grouped.skolemized == _plain_pyld(credential, processor)
    assert grouped.nquads and all("undefinedTerm" not in q for q in grouped.nquads)


def test_a_context_list_changed_by_its_caller_is_processed_again() -> None:
    processor = Processor(DocumentLoader())
    credential = _credential([V2])
    credential["credentialSubject"].pop("undefinedTerm")
    sd.group_statements(credential, sd.hmac_labels(b"k" * 32), POINTERS, processor)
    credential["@context"].append(STATUS)  # the same list object, one context more
    credential["credentialStatus"] = {"id": "https://status.example/1#5", "type": "StatusList2021Entry",
                                      "statusPurpose": "revocation", "statusListIndex": "5",
                                      "statusListCredential": "https://status.example/1"}
    pointers = {**POINTERS, "status": ["/credentialStatus/statusPurpose"]}
    grouped = sd.group_statements(credential, sd.hmac_labels(b"k" * 32), pointers, processor)
    assert grouped.skolemized == _plain_pyld(credential, Processor(DocumentLoader()))
    assert grouped.groups["status"], "the status entry's terms were compacted under the old context"
