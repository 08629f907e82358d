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

__all__ = ["canonical_nquads"]

_UNRESERVED = r"A-Za-z0-9._~\-"
_SUB_DELIMS = r"!$&'()*+,;="
_UCS = "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"  # RFC 3987 ucschar in the BMP (private use left out)
_PCT = r"%[0-9A-Fa-f]{2}"
_SEGMENT = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@/{_UCS}]+|{_PCT})*"  # path characters, "/" included
_QUERY = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@/?{_UCS}]+|{_PCT})*"  # query and fragment characters
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
#: subject, predicate, object, graph name (or "") -- one statement as pyld and jsonld_direct write it
_STATEMENT = re.compile(
    rf"^({_TERM_IRI}|{_BLANK}) ({_TERM_IRI}) ({_TERM_IRI}|{_BLANK}|{_LITERAL})(?: ({_TERM_IRI}|{_BLANK}))? \.$",
    re.MULTILINE,
)
_CANONICAL_BLANK = "_:c14n0"
#: IRI term -> whether it is within the subset; bounded, emptied when full
_CHECKED: dict[str, bool] = {}
_CHECKED_SIZE = 65536


def canonical_nquads(nquads: str) -> str | None:
    """The RDFC-1.0 canonical N-Quads of ``nquads`` (statements each ending in a newline) when it
    has at most one blank node and only terms pyoxigraph keeps as written; otherwise None."""
    rows = _STATEMENT.findall(nquads)
    if len(rows) != nquads.count("\n") or (nquads and nquads[-1] != "\n"):
        return None  # a line that is not one statement as expected
    blank = None
    iris: set[str] = set()
    out: set[str] = set()
    for s, p, o, g in rows:
        iris.add(p)
        if s[0] == "_":
            blank = blank or s
            if s != blank:
                return None  # two blank nodes: naming them needs RDFC's hashing
            s = _CANONICAL_BLANK
        else:
            iris.add(s)
        first = o[0]
        if first == "_":
            blank = blank or o
            if o != blank:
                return None
            o = _CANONICAL_BLANK
        elif first == "<":
            iris.add(o)
        elif o[-1] == ">":  # a typed literal: its datatype IRI
            iris.add(o[o.rindex("^^<") + 2:])
        if g:
            if g[0] == "_":
                blank = blank or g
                if g != blank:
                    return None
                g = _CANONICAL_BLANK
            else:
                iris.add(g)
            out.add(f"{s} {p} {o} {g} .\n")
        else:
            out.add(f"{s} {p} {o} .\n")
    if not all(_within_subset(iri) for iri in iris):
        return None
    return "".join(sorted(out))


def _within_subset(term: str) -> bool:
    known = _CHECKED.get(term)
    if known is None:
        if len(_CHECKED) >= _CHECKED_SIZE:
            _CHECKED.clear()
        known = _CHECKED[term] = _IRI_CHECK.fullmatch(term, 1, len(term) - 1) is not None
    return known
