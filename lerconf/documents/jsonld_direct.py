"""JSON-LD to N-Quads in one walk, with pyld's semantics, for the JSON-LD credentials are made of.

pyld expands a document into a new tree, deep-copies it, builds a node map and only then writes
RDF; for a forty-statement badge that was a third of a whole verification (issue 19). This module
walks the compacted document once, follows the JSON-LD 1.1 Expansion algorithm step for step as
pyld implements it (the same context processing, memoized by the caller's processor, and the same
IRI expansion, memoized per processed context) and writes each statement as it is found.

It covers node objects, subject references, value objects, typed, language-tagged and native
literals, ``@set`` and ``@list`` containers, and embedded, property-scoped and type-scoped
contexts. Anything else -- ``@graph``, ``@reverse``, ``@nest``, ``@included``, index, id, type and
language maps, ``@json``, base directions, nested arrays, blank-node properties, a document pyld
would reject -- raises :class:`Unsupported` and the caller runs pyld. The blank node labels are
this module's own: a result is only for canonicalization (which relabels them) and for what
expansion lost (dropped terms, relative IRIs), never for its labels. ``tests/documents/
test_jsonld_direct.py`` compares it with pyld over every document in the shared data.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from pyld import jsonld

__all__ = ["DirectResult", "Memo", "Unsupported", "to_nquads"]

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_TYPE = f"<{RDF}type>"
_RDF_FIRST = f"<{RDF}first>"
_RDF_REST = f"<{RDF}rest>"
_RDF_NIL = f"<{RDF}nil>"
_XSD_STRING = XSD + "string"
_RDF_LANGSTRING = RDF + "langString"
#: containers this walk expands; any other (index, id, type, language maps, @graph) goes to pyld
_PLAIN_CONTAINERS = frozenset({"@set", "@list"})
#: the values JSON parsing gives besides objects and arrays
_SCALARS = frozenset({str, int, float, bool})
#: pyld's test for an absolute IRI (``_is_absolute_iri``), compiled once
_absolute = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$").match
_KEYWORDS = frozenset(jsonld.KEYWORDS)
_context_value = jsonld.JsonLdProcessor.get_context_value
#: the memos' bound: past it they are emptied (contexts are few; credential-specific IRIs are many)
_MEMO_LIMIT = 50_000


def _is_absolute(value: str) -> bool:
    return _absolute(value) is not None


def _is_keyword(value: Any) -> bool:
    """pyld's ``_is_keyword``, without its type test on every call."""
    return isinstance(value, str) and value in _KEYWORDS


class Memo:
    """What this walk learns of a processed context, kept across documents by the caller: IRI
    expansions and term definitions, keyed by the context's ``_uuid`` (pyld gives every processed
    context a fresh one). Pure functions of the context, never of a document's content."""

    def __init__(self) -> None:
        self.iris: dict[tuple[str, str, bool], Any] = {}
        self.terms: dict[tuple[str, str], tuple[Any, tuple[Any, ...], Any, Any, Any, bool]] = {}
        #: active context _uuid -> map key -> (expansion, kind); ``key_count`` entries in all
        self.keys: dict[str, dict[str, tuple[Any, int]]] = {}
        self.key_count = 0

    def bound(self) -> None:
        if len(self.iris) > _MEMO_LIMIT:
            self.iris.clear()
        if len(self.terms) > _MEMO_LIMIT:
            self.terms.clear()
        if self.key_count > _MEMO_LIMIT:
            self.keys.clear()
            self.key_count = 0


class Unsupported(Exception):
    """The document uses JSON-LD this walk leaves to pyld (or pyld would reject it)."""


#: (canonicalizable N-Quads, dropped terms as pyld reports them, expanded @id / @type values)
DirectResult = tuple[str, list[str], list[str]]

#: process(active context, local context, override_protected, propagate) -> active context
ProcessContext = Callable[[Any, Any, bool, bool], Any]
ExpandIri = Callable[[Any, Any, bool], Any]


def to_nquads(document: Mapping[str, Any], initial: Any, process: ProcessContext, expand_iri: ExpandIri,
              memo: Memo) -> DirectResult:
    """N-Quads of ``document`` (a JSON object) under ``initial``, or :class:`Unsupported`."""
    memo.bound()
    walk = _Walk(process, expand_iri, memo)
    walk.top(document, initial)
    return "".join(walk.lines), walk.dropped, walk.ids


class _Walk:
    def __init__(self, process: ProcessContext, expand_iri: ExpandIri, memo: Memo) -> None:
        self.process = process
        self._expand_iri = expand_iri
        self.iris = memo.iris
        self.terms = memo.terms
        self.keys = memo.keys
        self._memo = memo
        self.lines: list[str] = []
        self.dropped: list[str] = []
        #: every expanded @id / node @type value, as lerconf's relative-IRI check walks them
        self.ids: list[str] = []
        self._blanks = 0
        self._labels: dict[str, str] = {}

    # -- helpers ---------------------------------------------------------------------------------
    def iri(self, ctx: Any, value: Any, vocab: bool) -> Any:
        """pyld's IRI expansion (base None, as lerconf's processor sets it), memoized per context."""
        if not isinstance(value, str):
            return value
        key = (ctx["_uuid"], value, vocab)
        hit = self.iris.get(key, self)
        if hit is self:
            hit = self.iris[key] = self._expand_iri(ctx, value, vocab)
        return hit

    def keys_of(self, ctx: Any) -> dict[str, tuple[Any, int]]:
        """The memo of :meth:`key_of` for one context (a map's keys are looked up there, one dict each)."""
        known = self.keys.get(ctx["_uuid"])
        if known is None:
            known = self.keys[ctx["_uuid"]] = {}
            self._memo.key_count += 1  # a context with no key yet still holds an entry
        return known

    def key_of(self, ctx: Any, key: str) -> tuple[Any, int]:
        """A map key's expansion and what it is: ``_DROP`` (pyld drops it), ``_KEYWORD`` or ``_PROPERTY``."""
        known = self.keys_of(ctx)
        hit = known.get(key)
        if hit is None:
            expanded = self.iri(ctx, key, True)
            if _is_keyword(expanded):
                kind = _KEYWORD
            elif expanded is None or not _is_absolute(expanded):
                kind = _DROP
            else:
                kind = _PROPERTY
            hit = known[key] = (expanded, kind)
            self._memo.key_count += 1
        return hit

    def term_of(self, ctx: Any, key: str) -> tuple[Any, tuple[Any, ...], Any, Any, Any, bool]:
        """A term's (scoped context, container, type, language, direction, reverse), as pyld's
        ``get_context_value`` answers for each, memoized per context."""
        memo_key = (ctx["_uuid"], key)
        hit = self.terms.get(memo_key)
        if hit is None:
            container = _context_value(ctx, key, "@container")
            containers = tuple(container) if isinstance(container, list) else (() if container is None else (container,))
            mapping = ctx["mappings"].get(key)
            hit = self.terms[memo_key] = (
                _context_value(ctx, key, "@context"), containers, _context_value(ctx, key, "@type"),
                _context_value(ctx, key, "@language"), _context_value(ctx, key, "@direction"),
                bool(mapping and mapping.get("reverse")))
        return hit

    def blank(self) -> str:
        self._blanks += 1
        return f"_:d{self._blanks}"

    def term(self, iri: str) -> str:
        """An IRI or blank node identifier as an N-Quads term; ``_DROPPED`` where pyld's toRdf drops it."""
        if iri.startswith("_:"):
            label = self._labels.get(iri)
            if label is None:
                label = self._labels[iri] = self.blank()
            return label
        return f"<{iri}>" if _is_absolute(iri) else _DROPPED

    def emit(self, subject: str, predicate: str, obj: str) -> None:
        if subject is not _DROPPED and obj is not _DROPPED:
            self.lines.append(f"{subject} {predicate} {obj} .\n")

    # -- the Expansion algorithm, fused with Deserialize JSON-LD to RDF ---------------------------
    def top(self, document: Mapping[str, Any], initial: Any) -> None:
        if not isinstance(document, dict):
            raise Unsupported("not a JSON object")
        self.map_element(initial, None, document, inside_list=False, top=True)

    def map_element(self, ctx: Any, prop: str | None, element: Mapping[str, Any], *, inside_list: bool,
                    top: bool = False) -> str | None:
        """One JSON object (pyld ``_expand`` for a map): a node's term, a literal, or None."""
        property_ctx = self.term_of(ctx, prop)[0] if prop is not None else None
        type_scoped = ctx if ctx.get("previousContext") else None
        must_revert = True
        if type_scoped is not None and len(element) <= 2 and "@context" not in element:
            for key in sorted(element):
                expanded = self.iri(type_scoped, key, True)
                if expanded == "@value":
                    must_revert, ctx = False, type_scoped
                    break
                if expanded == "@id" and len(element) == 1:
                    must_revert = False
                    break
        if must_revert:
            ctx = ctx.get("previousContext", ctx)
        if property_ctx is not None:
            ctx = self.process(ctx, property_ctx, True, True)
        # pyld _prepare_nested_context: an embedded context, then the type-scoped ones
        if "@context" in element:
            local = element["@context"]
            if isinstance(local, Mapping) and len(local) == 1 and "@context" in local:
                raise Unsupported("keyword redefinition")
            ctx = self.process(ctx, local, False, True)
        type_scoped_ctx = ctx
        items = sorted(element.items())
        for key, value in items:  # each key under the context so far, as pyld does
            if self.key_of(ctx, key)[0] != "@type":
                continue
            for type_ in sorted(t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)):
                scoped = self.term_of(type_scoped_ctx, type_)[0]
                if scoped is not None and scoped is not False:
                    ctx = self.process(ctx, scoped, False, False)
        return self.map_entries(ctx, type_scoped_ctx, items, inside_list, top)

    def map_entries(self, ctx: Any, type_scoped_ctx: Any, items: list[tuple[str, Any]], inside_list: bool,
                    top: bool) -> str | None:
        """pyld ``_expand_object`` and what ``_expand`` makes of its result."""
        node_id: str | None = None
        types: list[str] | None = None
        value: Any = _ABSENT
        value_type: Any = None
        language: Any = _ABSENT
        keywords: set[str] = set()
        properties: list[tuple[str, list[str], bool]] = []  # (predicate term, its objects, an RDF list?)
        pending: list[tuple[str, str, Any, Any]] = []
        known = self.keys_of(ctx)
        for key, raw in items:
            if key == "@context":
                continue
            expanded, kind = known.get(key) or self.key_of(ctx, key)
            if kind == _DROP:
                self.dropped.append(expanded)
                continue
            if kind == _KEYWORD:
                if expanded in keywords:
                    raise Unsupported("colliding keywords (or two type entries)")
                if expanded == "@language" and raw is None:
                    continue  # pyld adds nothing for it (it does not count as an entry)
                keywords.add(expanded)
                if expanded == "@id":
                    if not isinstance(raw, str):
                        raise Unsupported("@id is not a string")
                    node_id = self.iri(ctx, raw, False)
                    if not isinstance(node_id, str) or _is_keyword(node_id):
                        raise Unsupported("an @id that expands to no IRI")
                elif expanded == "@type":
                    found = raw if isinstance(raw, list) else [raw]
                    if not found or not all(isinstance(t, str) for t in found):
                        raise Unsupported("@type is not a string or strings")
                    types = [self.iri(type_scoped_ctx, t, True) for t in found]
                    value_type = raw
                elif expanded == "@value":
                    if isinstance(raw, (dict, list)):
                        raise Unsupported("@value is an object or array")
                    value = raw
                elif expanded == "@language":
                    if not isinstance(raw, str):
                        raise Unsupported("@language is not a string")
                    language = raw.lower()
                else:
                    raise Unsupported(f"{expanded} is left to pyld")
                continue
            if expanded.startswith("_:"):
                raise Unsupported("a blank node property")
            pending.append((key, expanded, raw, ctx))
        if value is not _ABSENT:
            if node_id is not None:
                raise Unsupported("a value object with an @id")
            return self.value_object(value, types, value_type, language, bool(pending), top and not inside_list)
        if language is not _ABSENT:
            raise Unsupported("@language outside a value object")
        for key, expanded, raw, key_ctx in pending:
            values = self.property_values(key_ctx, key, expanded, raw)
            if values is not None:
                properties.append((f"<{expanded}>", *values))
        count = len(keywords) + len(properties)
        if top and (count == 0 or (count == 1 and node_id is not None)):
            return None  # a free-floating node pyld drops (nothing reaches RDF)
        if node_id is not None:
            self.ids.append(node_id)
            subject = self.term(node_id)
        else:
            subject = self.blank()
        for t in types or ():
            if not isinstance(t, str) or t.startswith("_:") or _is_keyword(t):
                raise Unsupported("a blank node or keyword type")
            self.ids.append(t)
            self.emit(subject, _RDF_TYPE, f"<{t}>" if _is_absolute(t) else _DROPPED)
        if subject is not _DROPPED:  # pyld converts a node's values (its lists too) only when it has a subject
            append = self.lines.append
            for predicate, objects, as_list in properties:
                for obj in [self.rdf_list(objects)] if as_list else objects:
                    if obj is not _DROPPED:
                        append(f"{subject} {predicate} {obj} .\n")
        return subject

    def value_object(self, value: Any, types: list[str] | None, raw_type: Any, language: Any, has_properties: bool,
                     free_floating: bool) -> str | None:
        """An explicit ``{"@value": ...}`` (pyld's value-object rules; anything it rejects is Unsupported)."""
        if has_properties:
            raise Unsupported("a value object with other entries")
        if types is not None and (language is not _ABSENT or isinstance(raw_type, list) or len(types) != 1):
            raise Unsupported("an invalid typed value")
        if value is None:
            return None
        if language is not _ABSENT and not isinstance(value, str):
            raise Unsupported("a language-tagged non-string")
        datatype = types[0] if types else None
        if datatype is not None and (not _is_absolute(datatype) or datatype.startswith("_:")):
            raise Unsupported("a typed value whose type is not an absolute IRI")
        if free_floating:  # pyld drops it only after judging it
            return None
        item: dict[str, Any] = {"@value": value}
        if datatype is not None:
            item["@type"] = datatype
        if language is not _ABSENT:
            item["@language"] = language
        return _literal(item)

    def property_values(self, ctx: Any, key: str, expanded: str, raw: Any) -> tuple[list[str], bool] | None:
        """The objects of one property (pyld ``_expand_object`` for a term) and whether they make an
        RDF list, or None when nothing remains."""
        scoped, container, type_, _, _, reverse = self.term_of(ctx, key)
        term_ctx = ctx if scoped is None else self.process(ctx, scoped, True, True)
        if term_ctx is not ctx and self.key_of(term_ctx, key)[0] != expanded:
            raise Unsupported("a term its own scoped context redefines")  # pyld re-expands it there
        if not _PLAIN_CONTAINERS.issuperset(container):
            raise Unsupported(f"container {container} is left to pyld")
        if type_ == "@json":
            raise Unsupported("@json is left to pyld")
        if reverse or self.term_of(term_ctx, key)[5]:
            raise Unsupported("reverse properties are left to pyld")
        as_list = "@list" in container
        if raw is None:
            return None
        if isinstance(raw, list):
            inside_list = "@list" in self.term_of(term_ctx, key)[1]
            objects = []
            for item in raw:
                if isinstance(item, list):
                    raise Unsupported("nested arrays are left to pyld")
                obj = self.item(term_ctx, key, item, inside_list)
                if obj is not None:
                    objects.append(obj)
        else:
            obj = self.item(term_ctx, key, raw, False)
            if obj is None:
                return None
            objects = [obj]
        if as_list and _DROPPED in objects:
            raise Unsupported("a relative IRI in a list")  # pyld fails on it
        return objects, as_list

    def item(self, ctx: Any, key: str, item: Any, inside_list: bool) -> str | None:
        """One value of a property: a node, a literal or a reference, as an N-Quads term."""
        if item is None:
            return None
        if isinstance(item, dict):
            return self.map_element(ctx, key, item, inside_list=inside_list)
        if type(item) not in _SCALARS:
            raise Unsupported(f"a {type(item).__name__} value")
        _, _, type_, language, direction, _ = self.term_of(ctx, key)
        if isinstance(item, str) and type_ in ("@id", "@vocab"):
            ref = self.iri(ctx, item, type_ == "@vocab")
            if not isinstance(ref, str) or _is_keyword(ref):
                raise Unsupported("a reference that expands to no IRI")
            self.ids.append(ref)
            return self.term(ref)
        value: dict[str, Any] = {"@value": item}
        if type_ is not None and type_ not in ("@id", "@vocab", "@none"):
            if not isinstance(type_, str) or not _is_absolute(type_) or type_.startswith("_:"):
                raise Unsupported("a coerced datatype that is not an absolute IRI")
            value["@type"] = type_
        elif isinstance(item, str):
            if direction is not None:
                raise Unsupported("base directions are left to pyld")
            if language is not None:
                value["@language"] = language
        return _literal(value)

    def rdf_list(self, objects: list[str]) -> str:
        if not objects:
            return _RDF_NIL
        head = node = self.blank()
        for i, obj in enumerate(objects):
            self.emit(node, _RDF_FIRST, obj)
            following = self.blank() if i + 1 < len(objects) else _RDF_NIL
            self.emit(node, _RDF_REST, following)
            node = following
        return head


#: what a map key is (Walk.key_of)
_DROP, _KEYWORD, _PROPERTY = 0, 1, 2
#: pyld.nquads.escape as one table: backslash, tab, newline, carriage return, double quote
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", '"': '\\"'})


_NEEDS_ESCAPE = re.compile(r'[\\\t\n\r"]')


def escape(value: str) -> str:
    """pyld's escaping; most strings need none, and a search is cheaper than a translation."""
    return value.translate(_ESCAPES) if _NEEDS_ESCAPE.search(value) else value


#: a statement's term that pyld's toRdf leaves out (a relative IRI): the statement is not written
_DROPPED = "\x00dropped"


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT: Any = _Absent()
_TO_RDF_OPTIONS = {"processingMode": "json-ld-1.1", "rdfDirection": None, "produceGeneralizedRdf": False}
_LITERALS = jsonld.JsonLdProcessor()


def _literal(item: dict[str, Any]) -> str:
    """A value object as an N-Quads literal, by pyld's own rules (booleans, numbers, datatypes)."""
    value = item["@value"]
    if isinstance(value, str) and "@type" not in item:
        if item.get("@language"):  # an empty tag is left off, as pyld's to_nquad does
            return f'"{escape(value)}"@{item["@language"]}'
        return f'"{escape(value)}"'
    obj = _LITERALS._object_to_rdf(item, None, [], _TO_RDF_OPTIONS)
    text = f'"{escape(obj["value"])}"'
    if obj["datatype"] == _RDF_LANGSTRING:
        return text + (f'@{obj["language"]}' if obj.get("language") else "")
    if obj["datatype"] != _XSD_STRING:
        return text + f'^^<{obj["datatype"]}>'
    return text
