"""RDFC-1.0 without hashing, for the datasets that need none: those with at most one blank node.

RDFC-1.0 names blank nodes by hashing their surroundings; with no blank node there is nothing to
name, and a single one is always ``_:c14n0``. The canonical form is then the distinct statements,
sorted. A credential and its proof configuration are such datasets (one blank node each: a
criteria or the proof), and pyoxigraph's parse, canonicalization and re-serialization of them
was about a tenth of a whole verification (issue 19).

The answer must be exactly pyoxigraph's, so this only answers text it can prove pyoxigraph would
take unchanged: each line a well-formed statement whose IRIs are within a conservative subset of
RFC 3987 (ASCII host, no IPv6 literal, well-formed percent escapes), whose literals need no
escaping (no quote, backslash, control character, surrogate, U+FFFE or U+FFFF) and carry no language tag. For
anything else -- two blank nodes, an escape, an IRI outside the subset -- it answers None and
pyoxigraph decides, as before. ``tests/documents/test_rdfc_small.py`` compares both on every
document in ../shared, thousands of mutations and fuzzed IRIs and literals.
"""
from __future__ import annotations

import re
from typing import Any

__all__ = ["canonical_nquads"]

_UNRESERVED = r"A-Za-z0-9._~\-"
_SUB_DELIMS = r"!$&'()*+,;="
_UCS = "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"  # RFC 3987 ucschar in the BMP (private use left out)
_PCT = r"%[0-9A-Fa-f]{2}"
# possessive runs: the character classes and "%" never overlap, so a failed match gives nothing back
# (with "+" inside "*" a long run before a character outside them took exponential time: a review found it)
_SEGMENT = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@/{_UCS}]++|{_PCT})*+"  # path characters, "/" included
_QUERY = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@/?{_UCS}]++|{_PCT})*+"  # query and fragment characters
_AUTHORITY = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:]*@)?[{_UNRESERVED}{_SUB_DELIMS}]*(?::[0-9]*)?"
_IRI = (
    rf"[A-Za-z][A-Za-z0-9+.\-]*:"
    rf"(?://{_AUTHORITY}(?:/{_SEGMENT})?|(?!//){_SEGMENT})"
    rf"(?:\?{_QUERY})?(?:#{_QUERY})?"
)
_IRI_CHECK = re.compile(_IRI)
#: a term's shape only (its IRIs are checked against _IRI apart, once each: they repeat across documents)
_TERM_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'
_BLANK = r"_:[A-Za-z0-9]+"
#: a literal pyoxigraph writes back as it is: no escape, control character, surrogate, U+FFFE/U+FFFF,
#: and no language tag (pyoxigraph may change its case)
_LITERAL = rf'"[^"\\\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]*"(?:\^\^{_TERM_IRI})?'
#: subject, predicate, object, graph name (or none) -- one statement as pyld and jsonld_direct write it
_STATEMENT = re.compile(rf"({_TERM_IRI}|{_BLANK}) ({_TERM_IRI}) ({_TERM_IRI}|{_BLANK}|{_LITERAL})(?: ({_TERM_IRI}|{_BLANK}))? \.")
_CANONICAL_BLANK = "_:c14n0"
_NOT_AS_WRITTEN = frozenset({"<http://www.w3.org/2001/XMLSchema#string>",
                             "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>",
                             "<http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString>"})
#: a statement's terms and the blank nodes among them
_Terms = tuple[str, str, str, str, tuple[str, ...]]
#: statement line -> its terms when they are all within the subset, else None. Most lines recur from one
#: credential to the next (types, names, schema), so each is parsed and its IRIs checked once; bounded.
_LINES: dict[str, _Terms | None] = {}
_LINES_SIZE = 16384  # a few megabytes at most
_IRIS: dict[str, bool] = {}
_IRIS_SIZE = 65536


def canonical_nquads(nquads: str) -> str | None:
    """The RDFC-1.0 canonical N-Quads of ``nquads`` (statements each ending in a newline) when it
    has at most one blank node and only terms pyoxigraph keeps as written; otherwise None."""
    if not nquads:
        return ""
    if nquads[-1] != "\n":
        return None
    blank = None
    out: set[str] = set()
    for line in nquads[:-1].split("\n"):
        terms = _LINES.get(line, _UNSEEN)
        if terms is _UNSEEN:
            terms = _statement(line)
        if terms is None:
            return None  # not one statement pyoxigraph keeps as written
        s, p, o, g, blanks = terms
        if not blanks:
            out.add(line + "\n")
            continue
        for label in blanks:
            blank = blank or label
            if label != blank:
                return None  # two blank nodes: naming them needs RDFC's hashing
        s, o, g = (_CANONICAL_BLANK if t == blank else t for t in (s, o, g))
        out.add(f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n")
    return "".join(sorted(out))


_UNSEEN: Any = object()


def _statement(line: str) -> _Terms | None:
    """Parse one line and check its IRIs (remembered: see _LINES)."""
    match = _STATEMENT.fullmatch(line)
    terms: _Terms | None = None
    if match is not None:
        s, p, o, g = match.group(1, 2, 3, 4)
        g = g or ""
        iris = [t for t in (s, p, o, g) if t[:1] == "<"]
        if o[:1] == '"' and o[-1] == ">":  # a typed literal: its datatype IRI
            datatype = o[o.rindex("^^<") + 2:]
            iris.append(datatype)
        else:
            datatype = ""
        # xsd:string pyoxigraph writes as a simple literal; rdf:langString / rdf:dirLangString without a
        # tag it refuses: pyoxigraph decides those
        if datatype not in _NOT_AS_WRITTEN and all(_within_subset(iri) for iri in iris):
            terms = (s, p, o, g, tuple(t for t in (s, o, g) if t[:1] == "_"))
    if len(_LINES) >= _LINES_SIZE:
        _LINES.clear()
    _LINES[line] = terms
    return terms


def _within_subset(term: str) -> bool:
    known = _IRIS.get(term)
    if known is None:
        if len(_IRIS) >= _IRIS_SIZE:
            _IRIS.clear()
        known = _IRIS[term] = _IRI_CHECK.fullmatch(term, 1, len(term) - 1) is not None
    return known
