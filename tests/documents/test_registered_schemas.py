"""Every registered JSON Schema is a valid schema of its own dialect.

lerconf meta-validates only declared, unregistered schemas at run time (lerconf.documents.schemas:
seconds for the 1EdTech ones, in every process): a registered schema is pinned to the sha256 of each
published version, every version is in ../shared, and this is where each is meta-validated, once for
all runs."""
from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from jsonschema import validators
from jsonschema.exceptions import SchemaError

from conftest import SCHEMAS_DIR
from lerconf.documents import schemas
from lerconf.documents.loader import DocumentLoader
from lerconf.documents.registry import REGISTRY, Version

SCHEMAS = sorted(url for url, entry in REGISTRY.items() if entry.kind == "schema")


VERSIONS = [(url, version) for url in SCHEMAS for version in REGISTRY[url].versions]


def test_every_version_of_every_registered_schema_is_checked() -> None:
    assert len(SCHEMAS) > 100 and len(VERSIONS) > len(SCHEMAS)  # one URL has two published versions


@pytest.mark.parametrize(("url", "version"), VERSIONS, ids=lambda v: getattr(v, "file", "").rsplit("/", 1)[-1] or None)
def test_each_registered_version_is_a_valid_schema(url: str, version: Version) -> None:
    data = (SCHEMAS_DIR / version.file).read_bytes()
    assert hashlib.sha256(data).hexdigest() == version.sha256, f"{version.file} is not the registered version of {url}"
    schema = json.loads(data)
    validators.validator_for(schema, default=validators.Draft201909Validator).check_schema(schema)


def test_an_unregistered_schema_is_still_meta_validated(loader: DocumentLoader, monkeypatch: pytest.MonkeyPatch) -> None:
    """A vendor's declared schema that is no JSON Schema is named as such (not used to judge)."""
    url = "https://vendor.example/schemas/badge.json"
    broken: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "no such type"}
    monkeypatch.setattr(loader, "load_remote_json", lambda remote: broken)
    with pytest.raises(schemas.UnusableSchema, match="not a valid JSON Schema"):
        schemas.validator_for(url, loader=loader)


def test_a_meta_invalid_schema_is_caught_by_the_check_above() -> None:
    """The parametrized test can fail: check_schema refuses a schema whose keyword has a wrong type."""
    with pytest.raises(SchemaError):
        validators.Draft201909Validator.check_schema({"type": "no such type"})
