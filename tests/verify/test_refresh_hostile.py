"""OB-25's refresh URL is an input a credential chooses: over a real loopback socket, a refresh
service that misbehaves (a 200 MB body, a gzip bomb, one byte a second, HTML, a redirect to another
server) costs bounded time and memory, keeps the original badge verified, and says why. The canary,
the redirect's target, must see no connection. Only loopback is ever contacted."""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hostile.server import HostileServer

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.results import Status
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VERIFIED

KEY = Signer.did_key(deterministic_key("refresh-hostile-issuer", "Ed25519"))
DEADLINE_S = 4.0


@pytest.fixture(scope="module")
def canary() -> Iterator[HostileServer]:
    with HostileServer(canary=True, lifetime=120) as server:
        yield server


@pytest.fixture(scope="module")
def server(canary: HostileServer) -> Iterator[HostileServer]:
    with HostileServer(lifetime=120, canary_url=canary.base_url) as hostile:
        hostile.trickle_interval = 0.5
        yield hostile


def _verify(settings: LoaderSettings, url: str) -> tuple[Any, float]:
    loader = DocumentLoader(dataclasses.replace(settings, offline=False, allow_loopback=True, fetch_timeout=2.0,
                                                fetch_deadline=DEADLINE_S))
    badge = ob3_achievement_credential(KEY.controller, credential_id="urn:uuid:3c1a9e7d-0000-4000-8000-00000000f001")
    badge["refreshService"] = {"id": url, "type": "1EdTechCredentialRefresh"}
    signed = KEY.sign(badge, "eddsa-rdfc-2022", Processor(loader))
    started = time.monotonic()
    report = Verifier(loader).verify_document(signed, "badge.json")
    return report, time.monotonic() - started


@pytest.mark.parametrize(("behaviour", "said"), [
    ("huge", "exceeded the 2 MB limit"),
    ("gzip-bomb", "exceeded the 2 MB limit"),
    ("trickle", f"fetch took longer than {DEADLINE_S:g} s"),
    ("html-200", "neither JSON nor a compact JWT"),
    ("invalid-json", "neither JSON nor a compact JWT"),
    ("redirect-canary", "redirected to another origin"),
])
def test_a_hostile_refresh_service_is_bounded_and_keeps_the_original(offline_settings: LoaderSettings,
                                                                      server: HostileServer, canary: HostileServer,
                                                                      behaviour: str, said: str) -> None:
    report, took = _verify(offline_settings, server.url(behaviour, "/refresh/1"))
    assert report.outcome == VERIFIED, report.to_json()["errors"]
    (result,) = [r for r in report.checks if r.requirement == "OB-25"]
    assert result.status is Status.WARNING and said in result.message, result.message
    assert "verification continues with the original" in result.message
    assert took < DEADLINE_S + 3
    assert canary.connections == 0
