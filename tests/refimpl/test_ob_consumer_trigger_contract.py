"""docs/ob-consumer-trigger.openapi.yaml is the contract lerconf drives an OB 3.0 / CLR 2.0 consumer
by: what lerconf sends follows its schema, every example in it is what the reference consumer does, and
a body the schema refuses is one the reference consumer refuses too."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest
import yaml

from lerconf.evidence import Evidence
from lerconf.outcome import Outcome
from lerconf.profile.obconsumer import ObConsumer
from lerconf.refimpl.obconsumer.consumer import Order
from lerconf.scenarios.obapi_consumer import ConsumerHost, tell

DOC = Path(__file__).resolve().parents[2] / "docs" / "ob-consumer-trigger.openapi.yaml"


def _operation() -> dict[str, Any]:
    return dict(yaml.safe_load(DOC.read_text(encoding="utf-8"))["paths"]["/"]["post"])


def _schema() -> dict[str, Any]:
    doc = yaml.safe_load(DOC.read_text(encoding="utf-8"))
    return {**doc["components"]["schemas"]["Trigger"], "$schema": "https://json-schema.org/draft/2020-12/schema"}


def test_every_example_follows_the_schema_and_the_reference_consumer_reads_it() -> None:
    examples = _operation()["requestBody"]["content"]["application/json"]["examples"]
    assert len(examples) >= 3
    for name, example in examples.items():
        body = example["value"]
        jsonschema.validate(body, _schema())
        order = Order.from_json(body)
        assert (order.discovery_url, order.api, order.operation) == (body["discovery_url"], body["api"], body["operation"]), name


@pytest.mark.parametrize("body", [
    {"api": "ob", "operation": "read"},  # no discovery_url
    {"discovery_url": "ftp://127.0.0.1/discovery", "api": "ob", "operation": "read"},
    {"discovery_url": "http://127.0.0.1/discovery", "api": "xapi", "operation": "read"},
    {"discovery_url": "http://127.0.0.1/discovery", "api": "ob"},  # no operation
    {"discovery_url": "http://127.0.0.1/discovery", "api": "ob", "operation": "write", "format": "pdf"},
], ids=["no-url", "not-http", "unknown-api", "no-operation", "unknown-format"])
def test_a_body_the_contract_refuses_the_reference_consumer_refuses(body: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(body, _schema())
    with pytest.raises(ValueError):
        Order.from_json(body)


@pytest.mark.parametrize(("operation", "fmt"), [("read", None), ("write", None), ("write", "jwt")])
def test_what_lerconf_sends_follows_the_contract(operation: str, fmt: str | None) -> None:
    sent: list[dict[str, Any]] = []

    def request(method: str, url: str, *, json_body: dict[str, Any], **_: Any) -> Any:
        sent.append({"method": method, "url": url, "body": json_body})
        return SimpleNamespace(outcome=Outcome.ACCEPTED, reason="", exchange=None)

    harness = SimpleNamespace(reference=SimpleNamespace(state=SimpleNamespace(), server=SimpleNamespace(
        config=SimpleNamespace(app=None))))
    section = ObConsumer("https://consumer.example/lerconf/ob-trigger", ("ob", "clr"), ("write", "read"), ("ldp_vc", "jwt"))
    host = ConsumerHost(harness, SimpleNamespace(http=SimpleNamespace(request=request)), Evidence(), section,  # type: ignore[arg-type]
                        "clr", "s1", "http://127.0.0.1:8765/ob-consumer/s/s1/ims/clr/v2p0/discovery")
    tell(host, operation, fmt)
    (call,) = sent
    assert call["method"] == "POST" and call["url"] == section.trigger_url
    jsonschema.validate(call["body"], _schema())
    assert ("format" in call["body"]) == (operation == "write")
