"""RDFC-1.0 without hashing (lerconf.documents.rdfc_small) gives pyoxigraph's answer, or none.

Compared with pyoxigraph's RDFC-1.0 (parse, canonicalize, re-serialize: what lerconf did for every
document before) on the statements of every JSON-LD document in ../shared, both from pyld and
from the one-walk path, on seeded mutations of badges and on fuzzed statements made of tricky
IRIs, literals and blank nodes. Wherever the fast path answers, the answer is pyoxigraph's; where
pyoxigraph refuses the text, the fast path does not answer. A fast path with a planted mistake is
caught by the same comparison.
"""
from __future__ import annotations

import random
import signal
from typing import Any

import pyoxigraph
import pytest

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents import rdfc_small
from lerconf.documents.jsonld import Expansion, JsonLdError, Processor, canonicalize_nquads
from lerconf.documents.loader import DocumentLoader
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerifyOptions
from tests.documents.test_jsonld_direct import _shared_documents, mutated_badges

_ALGORITHMS = {
    "sha256": pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0,
    "sha384": pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0_SHA_384,
}


def _pyoxigraph(nquads: str, hash_name: str = "sha256") -> str | None:
    """pyoxigraph's canonical form (lerconf's only path before rdfc_small); None where it refuses."""
    try:
        dataset = pyoxigraph.Dataset(pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS))
    except SyntaxError:
        return None
    dataset.canonicalize(_ALGORITHMS[hash_name])
    return "".join(sorted(str(q) + " .\n" for q in dataset))


def _difference(nquads: str, hash_name: str = "sha256") -> str | None:
    fast = rdfc_small.canonical_nquads(nquads)
    if fast is None:
        return None
    expected = _pyoxigraph(nquads, hash_name)
    if expected is None:
        return f"pyoxigraph refuses it, the fast path answered:\n{nquads}"
    if fast != expected:
        return f"differ on\n{nquads}\npyoxigraph:\n{expected}fast:\n{fast}"
    return None


def _statements(processor: Processor, document: dict[str, Any]) -> list[str]:
    """The statements of ``document`` as pyld writes them and as the one-walk path does."""
    out = []
    for expand in (processor._expand, processor._direct):
        try:
            expansion = expand(document)
        except Exception:  # a document neither path can expand has no statements to compare
            continue
        if isinstance(expansion, Expansion):
            out.append(expansion.nquads)
    return out


@pytest.fixture(scope="module")
def processor(loader: DocumentLoader) -> Processor:
    return Processor(loader)


def test_every_shared_document_canonicalizes_as_pyoxigraph_does(processor: Processor) -> None:
    answered = compared = 0
    problems = []
    for where, document in _shared_documents():
        for nquads in _statements(processor, document):
            compared += 1
            for hash_name in ("sha256", "sha384"):
                why = _difference(nquads, hash_name)
                if why:
                    problems.append(f"{where} ({hash_name}): {why}")
            answered += rdfc_small.canonical_nquads(nquads) is not None
    assert not problems, "\n\n".join(problems[:3])
    # it serves most credentials (at most one blank node), not only a handful
    assert compared > 400 and answered > 150, (compared, answered)


def test_mutated_badges_canonicalize_as_pyoxigraph_does(processor: Processor) -> None:
    answered = 0
    for document in mutated_badges(2026, 1500):
        for nquads in _statements(processor, document):
            why = _difference(nquads)
            assert why is None, why
            answered += rdfc_small.canonical_nquads(nquads) is not None
    assert answered > 1000, answered


_IRI_PARTS = [
    "http://", "https://", "urn:", "did:key:", "mailto:", "a:", "1a:", "//", "/", "?", "#", "%", "%2F", "%zz", "%4",
    ":", "@", "[", "]", "[::1]", "{", "}", "|", "^", "`", "\\", " ", "<", ">", '"', "é", "\u00a0", "\ue000",
    "\ufffe", "\U0001f600", "\u2028", "host", "80", ":80", "x", "-", ".", "..", "~", "!", "$", "&", "'", "(", "*",
    "+", ",", ";", "=", "_:", "\t",
]
_LITERAL_PARTS = [
    "plain", " ", '"', "\\", "\n", "\r", "\t", "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x85",
    "\u2028", "\ufeff", "\ufffe", "\uffff", "\u0080", "\u009f", "\ud7ff", "\U0010ffff", "é", "—", "\U0001f600", "_:b0", "<urn:x>", "@en", "^^", ".", "",
]


def _iri(rng: random.Random) -> str:
    """An IRI-like string: a well-formed one, a well-formed shape with tricky parts, or a jumble."""
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(["http://ex.org/a", "urn:uuid:1", "did:key:z6Mk#z6Mk", "https://h:8/p?q#f"])
    if roll < 0.8:
        def part() -> str:
            return "".join(rng.choice(_IRI_PARTS) if rng.random() < 0.25 else rng.choice("abz09-._~")
                           for _ in range(rng.randint(0, 3)))
        authority = f"//{part()}" if rng.random() < 0.5 else ""
        query = f"?{part()}" if rng.random() < 0.3 else ""
        fragment = f"#{part()}" if rng.random() < 0.3 else ""
        return f"{rng.choice(['http', 'urn', 'did', 'x+y.z-1'])}:{authority}{part()}/{part()}{query}{fragment}"
    return "".join(rng.choice(_IRI_PARTS) for _ in range(rng.randint(1, 5)))


def _literal(rng: random.Random) -> str:
    """A literal as pyld writes it (it escapes only \\ \\t \\n \\r and the quote)."""
    text = "".join(rng.choice(_LITERAL_PARTS) if rng.random() < 0.3 else rng.choice("abc ")
                   for _ in range(rng.randint(0, 4)))
    text = (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
            .replace('"', '\\"'))
    roll = rng.random()
    if roll < 0.2:
        return f'"{text}"@{rng.choice(["en", "EN-us", "de"])}'
    if roll < 0.6:
        return f'"{text}"^^<{_iri(rng)}>'
    return f'"{text}"'


def _term(rng: random.Random, blanks: list[str], literal: bool = False) -> str:
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(blanks)
    if literal and roll < 0.7:
        return _literal(rng)
    return f"<{_iri(rng)}>"


def test_fuzzed_statements_canonicalize_as_pyoxigraph_does() -> None:
    rng = random.Random(7)
    answered = 0
    for _ in range(6000):
        blanks = rng.choice([["_:b0"], ["_:d1"], ["_:b0"], ["_:b0", "_:b1"], ["_:c14n0", "_:x"]])
        lines = []
        for _ in range(rng.randint(1, 3)):
            graph = f" {_term(rng, blanks)}" if rng.random() < 0.2 else ""
            lines.append(f"{_term(rng, blanks)} <{_iri(rng)}> {_term(rng, blanks, literal=True)}{graph} .\n")
        if rng.random() < 0.2:
            lines.append(lines[0])  # a repeated statement: a dataset is a set
        nquads = "".join(lines)
        why = _difference(nquads, rng.choice(["sha256", "sha384"]))
        assert why is None, why
        answered += rdfc_small.canonical_nquads(nquads) is not None
    assert answered > 500, answered  # the fuzz reaches the fast path, not only its refusals


def test_each_iri_the_fast_path_takes_pyoxigraph_takes_unchanged() -> None:
    """The boundary itself: an IRI the fast path accepts is one pyoxigraph parses and writes back as is."""
    rng = random.Random(11)
    accepted = 0
    for _ in range(30000):
        iri = _iri(rng)
        nquads = f'<{iri}> <urn:p> "x" .\n'
        if rdfc_small.canonical_nquads(nquads) is None:
            continue
        accepted += 1
        assert _pyoxigraph(nquads) == nquads, iri
    assert accepted > 5000, accepted


def test_one_blank_node_is_c14n0_and_repeats_go() -> None:
    nquads = ('_:d7 <urn:p> "b" .\n<urn:s> <urn:p> _:d7 .\n_:d7 <urn:p> "b" .\n'
              '<urn:s> <urn:q> "x"^^<http://www.w3.org/2001/XMLSchema#integer> _:d7 .\n')
    assert rdfc_small.canonical_nquads(nquads) == (
        '<urn:s> <urn:p> _:c14n0 .\n<urn:s> <urn:q> "x"^^<http://www.w3.org/2001/XMLSchema#integer> _:c14n0 .\n'
        '_:c14n0 <urn:p> "b" .\n')


@pytest.mark.parametrize("nquads", [
    '_:a <urn:p> _:b .\n',  # two blank nodes: RDFC's hashing names them
    '<urn:s> <urn:p> "x"@en .\n',  # a language tag (pyoxigraph may normalize its case)
    '<urn:s> <urn:p> "a\\"b" .\n',  # an escape
    '<urn:a{b}> <urn:p> "x" .\n',  # not an IRI
    '<http://[::1]/> <urn:p> "x" .\n',  # outside the conservative subset (pyoxigraph decides)
    '<urn:s> <urn:p> "x _:b0 ." .\n<urn:s> <urn:p> _:b1 .\n',  # blank-node-like text in a literal stays text
    '<urn:s> <urn:p> "x"^^<http://www.w3.org/2001/XMLSchema#string> .\n',  # pyoxigraph writes it as "x"
    '<urn:s> <urn:p> "x"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .\n',  # pyoxigraph refuses it
    '<urn:s> <urn:p> "x"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString> .\n',  # (a review found these)
    '<https://example.org/achievements/web-development-\U0001f393> <urn:p> "x" .\n',  # an emoji: a valid IRI it leaves
])
def test_what_it_leaves_to_pyoxigraph(nquads: str) -> None:
    fast = rdfc_small.canonical_nquads(nquads)
    if "x _:b0" in nquads:  # one real blank node, and a literal that only looks like one
        assert fast == '<urn:s> <urn:p> "x _:b0 ." .\n<urn:s> <urn:p> _:c14n0 .\n'
    else:
        assert fast is None


def test_a_long_iri_it_cannot_take_is_refused_at_once() -> None:
    """A long run of path characters before one outside the subset once made the IRI check backtrack
    exponentially (a review measured 1.4 s for 16 characters; a real achievement URL ending in an emoji
    would have taken hours). The alarm turns such a hang into a failure."""
    def hung(signum: int, frame: Any) -> None:
        raise AssertionError("the IRI check did not finish: catastrophic backtracking")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    try:
        for tail in ("\U0001f393", "[", "%4", "\ue000"):
            for where in ("/", "/x?", "/x#"):
                nquads = f'<https://example.org{where}{"a" * 400}{tail}> <urn:p> "x" .\n'
                assert rdfc_small.canonical_nquads(nquads) is None
                expected = _pyoxigraph(nquads)  # an emoji is an IRI character: pyoxigraph's answer stands
                if expected is not None:
                    assert canonicalize_nquads(nquads) == expected
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_planted_mistake_is_caught(processor: Processor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rdfc_small, "_CANONICAL_BLANK", "_:c14n1")
    caught = [where for where, document in _shared_documents()[:60]
              for nquads in _statements(processor, document) if _difference(nquads)]
    assert caught


def test_text_rdf_cannot_hold_is_a_json_ld_error_not_a_crash(loader: DocumentLoader) -> None:
    """An @id pyld writes but RDF has no term for ("urn:a{b}") once escaped lerconf verify as a
    SyntaxError traceback; it is a failed signature check that says why."""
    with pytest.raises(JsonLdError, match="not RDF"):
        canonicalize_nquads('<urn:a{b}> <urn:p> "x" .\n<urn:s> <urn:p> _:a .\n_:a <urn:p> _:b .\n')
    verifier = Verifier(loader)
    signer = Signer.did_key(deterministic_key("rdfc-small", "Ed25519"))
    credential = ob3_achievement_credential(signer.controller, "did:example:learner")
    signed = signer.sign(credential, "eddsa-rdfc-2022", verifier.processor)
    signed["id"] = "urn:a{b}"
    report = verifier.verify_document(signed, "broken-id", VerifyOptions(check_status=False))
    failures = [c for c in report.checks if c.requirement == "DI-15"]
    assert failures and failures[0].status.value == "failed", report.to_json()
    assert "not RDF" in failures[0].message and "Invalid IRI" in failures[0].message


def test_what_it_remembers_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each line and IRI is parsed once and remembered (they recur across credentials), within a bound."""
    monkeypatch.setattr(rdfc_small, "_LINES_SIZE", 50)
    monkeypatch.setattr(rdfc_small, "_IRIS_SIZE", 60)
    monkeypatch.setattr(rdfc_small, "_LINES", {})
    monkeypatch.setattr(rdfc_small, "_IRIS", {})
    for n in range(500):
        nquads = f'<urn:uuid:{n}> <urn:p> "x" .\n<urn:uuid:{n}> <urn:q> _:b0 .\n'
        assert rdfc_small.canonical_nquads(nquads) == _pyoxigraph(nquads)
        assert len(rdfc_small._LINES) <= 50 and len(rdfc_small._IRIS) <= 60
