"""The compiled JSON Schema fast path agrees with jsonschema, and only ever answers "valid".

The differential test runs every JSON document under ``../shared`` (examples and vectors, with the
credentials nested in presentations and CLRs) and lerconf's own vectors, plus one-fault
mutations of the OB 3.0 and CLR 2.0 credentials among them, through both validators of every
registered schema. The schemas credentials are judged by (OB 3.0, CLR 2.0, LER-RS) must give the same
valid/invalid answer for each; the HR Open component schemas (reached through LER-RS $refs) must never
be called valid by the fast path where jsonschema finds a violation, the one disagreement that would
hide a violation from OB-11/OB-21/CLR-06/CLR-08/LER-01 (a document the fast path calls invalid goes to
jsonschema, which then decides).

One known difference, in the harmless direction: Python's ``re`` lets ``$`` match before a final
newline, ECMA-262 (the compiled validator) does not, so a context URL ending in "\n" passes the
OB schema's pattern in jsonschema only. The fast path calls such a document invalid and jsonschema
then decides, so what lerconf reports is unchanged; any other disagreement fails the test.
"""
from __future__ import annotations

import copy
import functools
import json
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, VECTORS_DIR
from lerconf.documents import schemas
from lerconf.documents.json_values import nests_within
from lerconf.documents.loader import DocumentLoader
from lerconf.documents.registry import REGISTRY
from lerconf.documents.schemas import (
    CLR_CREDENTIAL_SCHEMA,
    OB_ACHIEVEMENT_CREDENTIAL_SCHEMA,
    fast_validator_for,
    validate,
    validator_for,
)

SCHEMA_URLS = sorted(url for url, entry in REGISTRY.items() if entry.kind == "schema")
SHARED = VECTORS_DIR.parent


def _json_files() -> list[Path]:
    roots = [SHARED / "examples", SHARED / "vectors", REPO / "vectors"]
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*")
                  if p.suffix in (".json", ".jsonld") and p.is_file())


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    """The document and every credential nested in it (presentations, CLR subjects, wrappers)."""
    if isinstance(node, list):
        for item in node:
            yield from _objects(item)
    elif isinstance(node, dict):
        yield node
        for key in ("verifiableCredential", "credentialSubject", "credential", "input", "document"):
            if key in node:
                yield from (o for o in _objects(node[key]) if "type" in o or "@context" in o)


def _mutations(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One-fault edits of an OB/CLR credential the schemas look at: types, dates, names, ids."""
    for key in ("type", "issuer", "credentialSubject", "name", "@context", "validFrom", "id"):
        if key in doc:
            dropped = copy.deepcopy(doc)
            del dropped[key]
            yield dropped
    edits: tuple[tuple[str, Any], ...] = (
        ("validFrom", "2026-13-01T00:00:00Z"), ("validFrom", "2026-02-30T00:00:00Z"),
        ("validFrom", "2026-01-15 09:00:00Z"), ("validFrom", "2026-01-15T09:00:00Z\n"),
        ("validUntil", "2026-01-15"), ("awardedDate", "yesterday"), ("type", ["VerifiableCredential"]),
        ("type", "OpenBadgeCredential"), ("issuer", 42), ("credentialSchema", [{"id": 1}]),
        ("@context", ["https://www.w3.org/ns/credentials/v2",
                      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\n"]))
    for key, value in edits:
        changed = copy.deepcopy(doc)
        changed[key] = value
        yield changed
    subject = doc.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("achievement"), dict):
        achievement_edits: tuple[tuple[str, Any], ...] = (
            ("name", None), ("type", ["Thing"]), ("achievementType", "NotACode"), ("criteria", "narrative only"),
            ("creator", {"type": ["Profile"]}), ("inLanguage", "EN_us"))
        for key, value in achievement_edits:
            changed = copy.deepcopy(doc)
            changed["credentialSubject"]["achievement"][key] = value
            yield changed
        changed = copy.deepcopy(doc)
        changed["credentialSubject"]["result"] = [{"type": ["Result"], "value": 3}]
        yield changed


def _corpus() -> list[tuple[str, Any]]:
    corpus: list[tuple[str, Any]] = []
    for path in _json_files():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        name = str(path.relative_to(path.parents[2]))
        for i, doc in enumerate(_objects(data)):
            corpus.append((f"{name}#{i}", doc))
            types_ = doc.get("type")
            if isinstance(types_, list) and {"OpenBadgeCredential", "AchievementCredential", "ClrCredential",
                                             "EndorsementCredential"} & set(types_):
                corpus += [(f"{name}#{i}~{j}", m) for j, m in enumerate(_mutations(doc))]
    return corpus


@functools.cache
def corpus() -> list[tuple[str, Any]]:
    """Built when a test first needs it: not in every xdist worker that only collects this file."""
    return _corpus()


def _without_final_newlines(node: Any) -> Any:
    if isinstance(node, str):
        return node.rstrip("\n")
    if isinstance(node, list):
        return [_without_final_newlines(v) for v in node]
    if isinstance(node, dict):
        return {k: _without_final_newlines(v) for k, v in node.items()}
    return node


def disagreements(fast_is_valid: Callable[[Any], bool], slow_is_valid: Callable[[Any], bool],
                  corpus: list[tuple[str, Any]]) -> list[str]:
    """Names of the documents the two validators judge differently, but for the known "$" case
    (the fast path rejects only because a string ends in a newline; jsonschema then decides)."""
    found = []
    for name, doc in corpus:
        fast = fast_is_valid(doc)
        if fast == slow_is_valid(doc):
            continue
        if not fast and fast_is_valid(_without_final_newlines(doc)):
            continue
        found.append(f"{name}: fast {'valid' if fast else 'invalid'}")
    return found


def test_the_corpus_is_the_shared_documents_and_covers_both_answers(loader: DocumentLoader) -> None:
    assert len(_json_files()) >= 300 and len(corpus()) >= 1000
    slow = validator_for(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader)
    answers = [slow.is_valid(doc) for _, doc in corpus()]
    assert answers.count(True) >= 20 and answers.count(False) >= 500, answers.count(True)


#: the schemas lerconf judges credentials by (OB 3.0, CLR 2.0, and the LER-RS ones that embed them): held to
#: full agreement; the HR Open component schemas to the one direction that could change a verdict
CREDENTIAL_SCHEMAS = [url for url in SCHEMA_URLS if "hropenstandards.org" not in url or "/1EdTech/" in url
                      or url.endswith(("/LER-RSType.json", "/VerifiableCredentialLER-RSType.json"))]
COMPONENT_SCHEMAS = [url for url in SCHEMA_URLS if url not in CREDENTIAL_SCHEMAS]


def said_valid_wrongly(fast_is_valid: Callable[[Any], bool], slow_is_valid: Callable[[Any], bool],
                       corpus: list[tuple[str, Any]]) -> list[str]:
    """Names of the documents the fast path calls valid and jsonschema does not: the only disagreement
    that changes what lerconf reports (a document the fast path calls invalid goes to jsonschema)."""
    return [f"{name}: fast valid" for name, doc in corpus if fast_is_valid(doc) and not slow_is_valid(doc)]


@pytest.mark.parametrize("url", CREDENTIAL_SCHEMAS, ids=lambda u: u.rsplit("/", 1)[-1])
def test_fast_path_agrees_with_jsonschema_on_every_shared_document(url: str, loader: DocumentLoader) -> None:
    fast = fast_validator_for(url, loader=loader)
    assert fast is not None, f"{url} has no compiled validator"
    slow = validator_for(url, loader=loader)
    assert disagreements(fast.is_valid, slow.is_valid, corpus()) == []


@pytest.mark.parametrize("url", COMPONENT_SCHEMAS, ids=lambda u: u.rsplit("/", 1)[-1])
def test_fast_path_never_says_valid_where_jsonschema_does_not(url: str, loader: DocumentLoader) -> None:
    """The HR Open component schemas (reached through the LER-RS ones' $refs): every shared document the
    fast path calls valid, jsonschema does too (jsonschema runs only on those: 150 schemas x 1,400
    documents through jsonschema were most of this file's time)."""
    fast = fast_validator_for(url, loader=loader)
    assert fast is not None, f"{url} has no compiled validator"
    slow = validator_for(url, loader=loader)
    assert said_valid_wrongly(fast.is_valid, slow.is_valid, corpus()) == []


def test_the_one_way_check_catches_a_fast_path_that_says_valid_too_often(loader: DocumentLoader) -> None:
    url = COMPONENT_SCHEMAS[0]
    slow = validator_for(url, loader=loader)
    found = said_valid_wrongly(lambda doc: True, slow.is_valid, corpus())
    assert len(found) >= 100, (url, len(found))
    assert len(COMPONENT_SCHEMAS) > 100 and len(CREDENTIAL_SCHEMAS) >= 15


def test_the_differential_catches_a_fast_path_that_says_valid_too_often(loader: DocumentLoader) -> None:
    slow = validator_for(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader)
    found = disagreements(lambda doc: True, slow.is_valid, corpus())
    assert len(found) >= 500 and all(line.endswith("fast valid") for line in found)


def _ob_credential() -> dict[str, Any]:
    path = VECTORS_DIR / "1edtech-ob-clr-impl-guide" / "obv3p0" / "extracted" / "signed-credential.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def compiled_from_the_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the compiled path: every validation in them may take it."""
    monkeypatch.setattr(schemas, "COMPILE_AFTER", 0)


def test_a_schema_is_compiled_only_once_it_is_used_often(loader: DocumentLoader, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real = schemas.fast_validator_for

    def counting(url: str, loader: DocumentLoader) -> Any:
        compiled.append(url)
        return real(url, loader=loader)

    monkeypatch.setattr(schemas, "COMPILE_AFTER", 3)
    monkeypatch.setattr(schemas, "_USES", {})
    monkeypatch.setattr(schemas, "fast_validator_for", counting)
    doc, broken = _ob_credential(), {**_ob_credential(), "issuer": 42}
    expected = schemas._validate(broken, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader, base_path="$")
    for _ in range(3):  # rarely used yet: jsonschema alone, the same answers
        assert validate(doc, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader) == []
    assert compiled == []
    assert validate(broken, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader) == expected != []
    assert validate(doc, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader) == []
    assert compiled == [OB_ACHIEVEMENT_CREDENTIAL_SCHEMA] * 2
    # an unregistered schema is neither compiled nor counted (a vendor cannot grow the count table)
    for _ in range(5):
        assert schemas._fast_when_used_often("https://vendor.example/schema.json", loader) is None
    assert "https://vendor.example/schema.json" not in schemas._USES


def test_a_valid_document_is_answered_by_the_compiled_validator_alone(loader: DocumentLoader,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def no_slow_path(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("jsonschema ran for a valid document")

    monkeypatch.setattr(schemas, "_validate", no_slow_path)
    assert validate(_ob_credential(), OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader) == []


def test_an_invalid_document_gets_exactly_the_jsonschema_violations(loader: DocumentLoader) -> None:
    checked = 0
    for name, doc in corpus():
        if "~" not in name or checked >= 60:
            continue
        url = CLR_CREDENTIAL_SCHEMA if "ClrCredential" in str(doc.get("type")) else OB_ACHIEVEMENT_CREDENTIAL_SCHEMA
        expected = schemas._validate(doc, url, loader=loader, base_path="$.x")
        assert validate(doc, url, loader=loader, base_path="$.x") == expected, name
        checked += bool(expected)
    assert checked >= 40


def test_the_slow_path_decides_when_the_fast_path_says_invalid(loader: DocumentLoader,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    stub = types.SimpleNamespace(is_valid=lambda doc: False)
    monkeypatch.setattr(schemas, "fast_validator_for", lambda url, loader: stub)
    assert validate(_ob_credential(), OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader) == []


def test_data_the_compiled_validator_cannot_take_goes_to_jsonschema(loader: DocumentLoader) -> None:
    proxy = types.MappingProxyType(_ob_credential())  # jsonschema: not a JSON object; the compiled one refuses it
    assert validate(proxy, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader) == schemas._validate(
        proxy, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader, base_path="$") != []
    broken = _ob_credential()
    broken["credentialSubject"]["achievement"][1] = "an integer key"  # not JSON: the compiled validator refuses it
    assert validate(broken, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader) == schemas._validate(
        broken, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader, base_path="$")


def test_unregistered_schemas_have_no_fast_path(loader: DocumentLoader) -> None:
    assert fast_validator_for("https://vendor.example/schema.json", loader=loader) is None


def test_compiled_validators_are_cached_per_loader(loader: DocumentLoader) -> None:
    first = fast_validator_for(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader)
    assert first is not None and fast_validator_for(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader) is first


def test_a_compiled_validator_is_shared_by_loaders_serving_the_same_documents(
        offline_settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiled once per process for the same digest-checked documents; never for another version."""
    monkeypatch.setattr(schemas, "_COMPILED", {})
    first = fast_validator_for(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=DocumentLoader(offline_settings))
    second = fast_validator_for(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=DocumentLoader(offline_settings))
    assert first is not None and second is first
    (built_from, _), = schemas._COMPILED[OB_ACHIEVEMENT_CREDENTIAL_SCHEMA]
    assert built_from[OB_ACHIEVEMENT_CREDENTIAL_SCHEMA] in REGISTRY[OB_ACHIEVEMENT_CREDENTIAL_SCHEMA].digests


def test_a_validator_built_from_another_version_of_a_document_is_not_reused(
        offline_settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry whose documents' digests differ from what this loader serves is compiled anew."""
    planted = types.SimpleNamespace(is_valid=lambda doc: True)
    monkeypatch.setattr(schemas, "_COMPILED", {OB_ACHIEVEMENT_CREDENTIAL_SCHEMA: [
        ({OB_ACHIEVEMENT_CREDENTIAL_SCHEMA: "0" * 64}, planted)]})
    compiled = fast_validator_for(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=DocumentLoader(offline_settings))
    assert compiled is not None and compiled is not planted
    assert not compiled.is_valid({"type": ["VerifiableCredential"]})
    assert len(schemas._COMPILED[OB_ACHIEVEMENT_CREDENTIAL_SCHEMA]) == 2


def test_a_validator_is_not_reused_when_a_document_it_refers_to_is_another_version(
        offline_settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The digests of the $ref'd documents count as much as the schema's own."""
    monkeypatch.setattr(schemas, "_COMPILED", {})
    url = next(u for u in SCHEMA_URLS if u.endswith("/VerifiableCredentialLER-RSType.json"))
    fast_validator_for(url, loader=DocumentLoader(offline_settings))
    (built_from, _), = schemas._COMPILED[url]
    referred = sorted(set(built_from) - {url})
    assert referred, built_from  # the LER-RS wrapper schema refers to others
    planted = types.SimpleNamespace(is_valid=lambda doc: True)
    monkeypatch.setattr(schemas, "_COMPILED", {url: [({**built_from, referred[0]: "0" * 64}, planted)]})
    compiled = fast_validator_for(url, loader=DocumentLoader(offline_settings))
    assert compiled is not None and compiled is not planted


@pytest.mark.parametrize("value", [
    "2026-01-15T09:00:00Z", "2026-01-15t09:00:00z", "2026-01-15T09:00:00.123+02:00", "2026-01-15T09:00:00",
    "2026-02-30T09:00:00Z", "2026-01-15T24:00:00Z", "2026-01-15T09:00:60Z", "2026-01-15 09:00:00Z",
    "2026-1-15T09:00:00Z", "２０２６-01-15T09:00:00Z", "2026-01-15T09:00:00+0200",
])
def test_date_time_formats_are_judged_alike(value: str, loader: DocumentLoader) -> None:
    doc = _ob_credential()
    doc["validFrom"] = value
    fast = fast_validator_for(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader)
    assert fast is not None
    assert fast.is_valid(doc) == validator_for(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader).is_valid(doc)


def test_a_document_nested_too_deep_for_the_native_stack_goes_to_jsonschema(loader: DocumentLoader,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(doc: Any) -> bool:
        raise AssertionError("the compiled validator was given a document nested beyond its limit")

    doc = _ob_credential()
    nested: list[Any] = []
    doc["lerconfDeep"] = nested
    for _ in range(schemas._FAST_MAX_DEPTH + 5):
        nested.append([])
        nested = nested[0]
    assert not nests_within(doc, schemas._FAST_MAX_DEPTH)
    assert nests_within(_ob_credential(), schemas._FAST_MAX_DEPTH)
    monkeypatch.setattr(schemas, "fast_validator_for", lambda url, loader: types.SimpleNamespace(is_valid=refuse))
    assert validate(doc, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader) == schemas._validate(
        doc, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader, base_path="$")


def _nested(depth: int, kind: type) -> Any:
    """A container with others inside it, the deepest at ``depth`` (the outermost is at 0)."""
    root: Any = kind()
    node = root
    for _ in range(depth):
        child = kind()
        if isinstance(node, dict):
            node["a"] = child
        else:
            node.append(child)
        node = child
    return root


@pytest.mark.parametrize("kind", [dict, list])
def test_the_depth_guard_stops_exactly_at_its_limit(kind: type) -> None:
    limit = schemas._FAST_MAX_DEPTH
    assert nests_within(_nested(limit - 1, kind), limit)
    assert not nests_within(_nested(limit, kind), limit)
    assert not nests_within(_nested(100_000, kind), limit)  # no recursion: no RecursionError either
    assert nests_within("scalar", 0) and not nests_within(kind(), 0)
    mixed = {"a": [1, {"b": [None, {"c": "x"}]}]}  # containers at depths 0..4
    assert nests_within(mixed, 5) and not nests_within(mixed, 4)

    class Items(list):  # type: ignore[type-arg]
        pass
    assert not nests_within({"a": Items([[[]]])}, 3)  # a list subclass is a container too
