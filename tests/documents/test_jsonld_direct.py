"""The one-walk JSON-LD path (lerconf.documents.jsonld_direct) says what pyld says, or leaves it to pyld.

Every document in the shared data (vectors and examples, nested credentials included, each with
and without its proof) and a few thousand seeded mutations of Open Badges credentials are turned
into statements both ways: the canonical N-Quads, the dropped terms and the relative IRIs must be
identical wherever the walk answers, and where pyld raises the walk must not answer. A walk with
one deliberate mistake is caught by the same comparison, so the comparison can fail.
"""
from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from lerconf.documents import jsonld_direct
from lerconf.documents.jsonld import Expansion, JsonLdError, Processor, canonicalize_nquads
from lerconf.documents.loader import DocumentLoader
from lerconf.documents.templates import ob3_achievement_credential
from tests.conftest import VECTORS_DIR


def _documents_in(value: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(value, dict):
        if "@context" in value:
            yield where, value
        for key, item in value.items():
            yield from _documents_in(item, f"{where}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _documents_in(item, f"{where}[{i}]")


def _shared_documents() -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for folder in (VECTORS_DIR, VECTORS_DIR.parent / "examples", VECTORS_DIR.parent / "reference"):
        for path in sorted(folder.rglob("*.json*")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                continue
            for where, document in _documents_in(data, path.name):
                found.append((where, document))
                if "proof" in document:
                    found.append((f"{where} (unsecured)", {k: v for k, v in document.items() if k != "proof"}))
    return found


def _canonical(expansion: Expansion) -> str:
    try:
        return canonicalize_nquads(expansion.nquads)
    except JsonLdError as exc:  # pyld wrote something RDF cannot hold: both sides must say so
        return f"unparsable: {type(exc).__name__}"


def _pyld(processor: Processor, document: dict[str, Any]) -> Expansion | str:
    try:
        return processor._expand(document)
    except Exception as exc:  # the comparison is with whatever pyld does
        return type(exc).__name__


def _direct(processor: Processor, document: dict[str, Any]) -> Expansion | str | None:
    try:
        return processor._direct(document)
    except Exception as exc:
        return type(exc).__name__


def _difference(processor: Processor, document: dict[str, Any]) -> str | None:
    """Why the two paths disagree on ``document``; None when they agree or the walk stood aside."""
    expected, got = _pyld(processor, document), _direct(processor, document)
    if got is None:
        return None
    if isinstance(expected, str) or isinstance(got, str):
        return None if expected == got else f"pyld: {expected!r}; walk: {got!r}"
    if _canonical(got) != _canonical(expected):
        return f"statements differ:\npyld:\n{_canonical(expected)}walk:\n{_canonical(got)}"
    if got.dropped_terms != expected.dropped_terms:
        return f"dropped terms differ: pyld {expected.dropped_terms}, walk {got.dropped_terms}"
    if got.relative_iris != expected.relative_iris:
        return f"relative IRIs differ: pyld {expected.relative_iris}, walk {got.relative_iris}"
    return None


@pytest.fixture(scope="module")
def processor(loader: DocumentLoader) -> Processor:
    return Processor(loader)


def test_every_shared_document_gives_pyld_s_statements(processor: Processor) -> None:
    documents = _shared_documents()
    compared = 0
    problems = []
    for where, document in documents:
        why = _difference(processor, document)
        if why:
            problems.append(f"{where}: {why}")
        compared += isinstance(_direct(processor, document), Expansion)
    assert not problems, "\n\n".join(problems[:5])
    # the walk answers for most of them (the rest use @graph containers, @json, directions ...)
    assert len(documents) > 250 and compared > 150, (len(documents), compared)


_VALUES: list[Any] = [
    None, True, False, 0, -7, 2.5, 3.0, 1e22, "", "plain", "rel/iri", "http://ex.org/a", "_:b1", "urn:x:y",
    "xsd:string", "@id", [], [None], ["a", "b"],
    {"@value": "v", "@language": "EN-us"}, {"@value": 5, "@type": "http://www.w3.org/2001/XMLSchema#decimal"},
    {"@value": None}, {"@id": "http://ex.org/n"}, {"@id": "rel"}, {"id": "_:b1", "name": "x"},
    {"type": "Achievement", "name": "n"}, {"type": ["Profile"], "id": "did:ex:1"}, {"@list": ["a"]},
    {"@value": "x", "@type": "xsd:date"}, {"type": "Result", "value": "5"}, {"@type": "http://ex.org/T"}, {},
    {"@context": {"foo": "http://ex.org/foo"}, "foo": "bar"}, {"@context": {"@vocab": "http://ex.org/v#"}, "zz": 1},
    {"id": "relative"}, {"type": "Unknown", "x": 1}, {"@language": "en"}, {"@value": [1]},
]
_KEYS = [
    "name", "description", "id", "type", "@id", "@type", "unknownTerm", "http://ex.org/p", "ex:foo", "_:p",
    "achievement", "criteria", "narrative", "image", "url", "alignment", "tag", "resultDescription", "validFrom",
    "evidence", "@value", "@language", "@context", "results", "inLanguage", "creditsAvailable", "endorsement",
    "related", "version", "@graph", "@reverse", "@nest",
]


def _objects(value: Any, out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        out.append(value)
        for item in value.values():
            _objects(item, out)
    elif isinstance(value, list):
        for item in value:
            _objects(item, out)
    return out


def _mutated(rng: random.Random, base: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(base)
    for _ in range(rng.randint(1, 4)):
        target = rng.choice(_objects(document, []))
        roll = rng.random()
        if roll < 0.5:
            target[rng.choice(_KEYS)] = copy.deepcopy(rng.choice(_VALUES))
        elif roll < 0.7 and target:
            target.pop(rng.choice(list(target)))
        elif roll < 0.85:
            target[rng.choice(_KEYS)] = [copy.deepcopy(rng.choice(_VALUES)) for _ in range(rng.randint(0, 3))]
        else:
            target[rng.choice(list(target)) if target else "name"] = copy.deepcopy(rng.choice(_VALUES))
    return document


def _badge(n: int) -> dict[str, Any]:
    badge = ob3_achievement_credential("did:example:issuer", f"did:example:learner-{n}")
    badge["credentialSubject"]["achievement"]["name"] += f" #{n}"
    return badge


def mutated_badges(seed: int, count: int) -> Iterator[dict[str, Any]]:
    """``count`` seeded mutations of four badges: the differential tests' corpus."""
    rng = random.Random(seed)
    bases = [_badge(n) for n in range(4)]
    for _ in range(count):
        yield _mutated(rng, rng.choice(bases))


def test_mutated_badges_give_pyld_s_statements(processor: Processor) -> None:
    compared = 0
    for document in mutated_badges(19, 2500):
        why = _difference(processor, document)
        assert why is None, f"{json.dumps(document)}\n{why}"
        compared += isinstance(_direct(processor, document), Expansion)
    assert compared > 1000, compared


@pytest.mark.parametrize("document", [
    pytest.param({"@context": {"@vocab": "http://ex.org/", "n": {"@id": "http://ex.org/n", "@container": "@list"}},
                  "n": ["a", 1, True, {"@value": "b", "@language": "DE"}]}, id="list-of-literals"),
    pytest.param({"@context": {"@vocab": "http://ex.org/", "n": {"@id": "http://ex.org/n", "@container": "@list"}},
                  "n": []}, id="empty-list"),
    pytest.param({"@context": {"@vocab": "http://ex.org/", "@language": "fr", "t": {"@id": "http://ex.org/t",
                                                                                   "@language": None}},
                  "a": "bonjour", "t": "untagged"}, id="default-language"),
    pytest.param({"@context": {"@vocab": "http://ex.org/", "d": {"@id": "http://ex.org/d", "@type": "@id"}},
                  "@id": "http://ex.org/s", "d": ["http://ex.org/o", "relative", "_:x"], "e": {"@id": "_:x"}},
                 id="references"),
    pytest.param({"@context": {"@vocab": "http://ex.org/", "T": {"@id": "http://ex.org/T",
                                                                  "@context": {"p": "http://other.org/p"}}},
                  "@type": "T", "p": "scoped", "q": {"p": "not propagated"}}, id="type-scoped"),
    pytest.param({"@context": {"@vocab": "http://ex.org/", "x": {"@id": "http://ex.org/x",
                                                                  "@context": {"p": "http://other.org/p"}}},
                  "x": {"p": "property-scoped", "y": {"p": "propagated"}}}, id="property-scoped"),
    pytest.param({"@context": {"n": "http://ex.org/n"}, "n": 1.5, "undefined": "dropped"}, id="dropped-term"),
    pytest.param({"@context": {"@vocab": "http://ex.org/"}, "a": 'line\nbreak "quoted" back\\slash\ttab\rcr',
                  "b": {"@value": "é ✓ \u2028", "@language": "fr"}}, id="escapes"),
], )
def test_each_construct_gives_pyld_s_statements(processor: Processor, document: dict[str, Any]) -> None:
    assert isinstance(processor._direct(document), Expansion), "the walk should answer for this construct"
    assert _difference(processor, document) is None


#: documents a review found the walk got wrong (each now agrees with pyld, or the walk stands aside)
_REVIEWED = [
    {"@context": {"@vocab": "http://ex/", "L": {"@container": "@list"}}, "@id": "rel", "L": [1, 2]},
    {"@context": {"@vocab": "http://ex/", "L": {"@container": "@list"}}, "p": {"@id": "rel", "L": ["a"]}},
    {"@context": {"@vocab": "http://ex/", "@language": ""}, "a": "x"},
    {"@context": {"@vocab": "http://ex/", "a": {"@language": ""}}, "a": "x"},
    {"@context": {"@vocab": "http://ex/"}, "p": {"@value": "x", "@language": ""}},
    {"@context": {"@vocab": "http://ex.org/"}, "@value": 5, "@language": "en"},
    {"@context": {"@vocab": "http://ex/"}, "@value": True, "@language": "en"},
    {"@value": "x", "@type": "rel"},
    {"@context": {"@vocab": "http://ex/"}, "@value": "x", "@type": "_:t"},
    {"@context": {"@vocab": "http://ex.org/"}, "@id": "rel", "@language": None},
    {"@context": {"p": {"@id": "http://ex/p", "@context": {"p": "@language"}}}, "p": "x"},
    {"@context": {"p": {"@id": "http://ex/p", "@context": {"p": "@id"}}}, "p": "x"},
    {"@context": {"p": {"@id": "http://ex/p", "@context": {"p": "@type"}}}, "p": "x"},
    {"@context": {"p": {"@id": "http://ex/p", "@context": {"p": "@id"}}}, "p": 5},
    {"@context": {"p": {"@id": "http://ex/p", "@context": {"p": "@graph"}}}, "p": "x"},
    {"@context": {"p": {"@id": "http://ex/p", "@context": {"p": "@graph"}}}, "p": {"@id": "http://x"}},
    {"@context": {"p": {"@id": "http://ex/p", "@context": {"p": "@graph"}}}, "p": {"@value": "v"}},
    {"@context": {"p": {"@id": "http://ex/p", "@context": {"p": "@reverse"}}}, "p": {"@id": "http://x"}},
]


@pytest.mark.parametrize("document", _REVIEWED, ids=[f"reviewed-{i}" for i in range(len(_REVIEWED))])
def test_what_a_review_found_now_agrees_with_pyld(processor: Processor, document: dict[str, Any]) -> None:
    assert _difference(processor, document) is None


def test_what_the_walk_leaves_to_pyld_still_canonicalizes_as_pyld_does(processor: Processor) -> None:
    document = {"@context": {"g": {"@id": "http://ex.org/g", "@container": "@graph"}},
                "g": {"@id": "http://ex.org/inner", "http://ex.org/p": "in a graph"}}
    assert processor._direct(document) is None
    canonical, _ = processor.canonicalize(document)
    assert canonical == canonicalize_nquads(processor._expand(document).nquads)
    assert "<http://ex.org/inner> <http://ex.org/p> \"in a graph\"" in canonical


def test_expand_keeps_pyld_s_labels_where_labels_count(processor: Processor) -> None:
    badge = _badge(99)
    processor.canonicalize(badge)  # the walk's answer is now kept for this content
    assert processor.expand(badge).nquads == processor._expand(badge).nquads  # callers that need labels get pyld's


def test_a_walk_that_loses_language_tags_is_caught(processor: Processor, monkeypatch: pytest.MonkeyPatch) -> None:
    literal = jsonld_direct._literal

    def untagged(item: dict[str, Any]) -> str:
        return literal({k: v for k, v in item.items() if k != "@language"})

    monkeypatch.setattr(jsonld_direct, "_literal", untagged)
    document = {"@context": {"@vocab": "http://ex.org/"}, "a": {"@value": "b", "@language": "en"}}
    why = _difference(processor, document)
    assert why is not None and "statements differ" in why


def test_a_context_lerconf_may_not_fetch_is_the_same_error_both_ways(processor: Processor) -> None:
    document = {"@context": "https://unregistered.example/context.jsonld", "name": "x"}
    assert _direct(processor, document) == _pyld(processor, document) == "ResolutionError"

