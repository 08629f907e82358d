"""LMC-OE-05 tells a grant the issuer refused from one that got no usable answer: the first fails the row,
the second breaks it (a 5xx or a timeout says nothing about whether the issuer supports the grant)."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from lerconf.evidence import Evidence
from lerconf.scenarios.ecosystem_lmc_oid4 import Issued, issuer_rules
from lerconf.verdicts import Broken

VENDOR = SimpleNamespace(name="Acme")


def _judged(issued: Issued) -> None:
    harness: Any = SimpleNamespace(cache={("lmc-oid4-ecdsa", "Acme"): issued})
    issuer_rules(harness, VENDOR, Evidence(), None, "LMC-OE-05")  # type: ignore[arg-type]


def test_a_grant_without_a_usable_answer_breaks_the_row() -> None:
    issued = Issued("c", badges={"pre-authorized_code": {}}, missing={"authorization_code": "server_error: HTTP 500"},
                    unanswered={"authorization_code"})
    with pytest.raises(Broken, match="authorization_code: server_error: HTTP 500"):
        _judged(issued)


def test_a_refused_grant_fails_the_row() -> None:
    issued = Issued("c", badges={"pre-authorized_code": {}},
                    missing={"authorization_code": "the token request was answered HTTP 400"})
    with pytest.raises(AssertionError, match="no badge issued through authorization_code"):
        _judged(issued)


def test_both_grants_pass_the_row() -> None:
    _judged(Issued("c", badges={"pre-authorized_code": {}, "authorization_code": {}}))
