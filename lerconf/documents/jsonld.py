"""JSON-LD to canonical N-Quads, with undefined-term detection.

pyld silently drops terms its contexts do not define; lerconf reports each one (DI-06,
VCDM-16) so a signature over data that was never signed is not taken as verified. Expansion
runs through pyld with lerconf's document loader and a per-loader cache of processed
contexts; canonicalization (RDFC-1.0, SHA-256 or SHA-384) runs in pyoxigraph. Where only the
statements count (canonicalization, what expansion lost), a document within the JSON-LD that
credentials use is turned into statements in one walk with pyld's semantics (``jsonld_direct``);
pyld does the rest.
"""
from __future__ import annotations

import copy
import json
import threading
import uuid
from dataclasses import dataclass
from typing import Any

import pyoxigraph
from cachetools import LRUCache  # pyld depends on cachetools
from pyld import jsonld
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer

from lerconf.documents import jsonld_direct, rdfc_small
from lerconf.documents.loader import DocumentLoader
from lerconf.errors import ResolutionError

_HASHES = {
    "sha256": pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0,
    "sha384": pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0_SHA_384,
}


class JsonLdError(ValueError):
    """The document is not processable JSON-LD (bad context, conflicting terms, ...)."""


@dataclass(frozen=True)
class Expansion:
    nquads: str
    dropped_terms: tuple[str, ...]
    relative_iris: tuple[str, ...]

    @property
    def lossless(self) -> bool:
        return not self.dropped_terms and not self.relative_iris


#: (active context _uuid, local context URL, its URLs or id(), override_protected, propagate, validate_scoped)
_MemoKey = tuple[Any, str | tuple[str, ...] | int, bool, bool, bool]
#: the local context (kept so its id() stays unique) and the processed active context
_MemoEntry = tuple[Any, Any]
#: processed contexts kept (a plain dict, emptied when full: a lookup is on every node of every document)
_BoundedMemo = dict[_MemoKey, _MemoEntry]
_MEMO_SIZE = 4096


class _ActiveContext(dict[str, Any]):
    """An active context in which ``@vocab: null`` with no vocabulary mapping to remove is a no-op.

    JSON-LD 1.1 Context Processing (step 5.9.2): ``"@vocab": null`` removes any vocabulary
    mapping. pyld deletes the key unconditionally, so a context that says so without an
    earlier ``@vocab`` (valid JSON-LD, used by the VCDM 2.0 test suite) raised KeyError.
    """

    def __delitem__(self, key: str) -> None:
        if key == "@vocab" and key not in self:
            return
        super().__delitem__(key)


class _Processor(jsonld.JsonLdProcessor):  # type: ignore[misc]  # pyld is untyped: its base class is Any
    """pyld's processor with its active contexts made of ``_ActiveContext``."""

    def _clone_active_context(self, active_ctx: Any) -> Any:
        return _ActiveContext(super()._clone_active_context(active_ctx))


class _MemoizingProcessor(_Processor):
    """pyld's processor with processed contexts memoized per (active context, local context).

    pyld re-processes every type- and property-scoped context each time a node uses it; for
    Open Badges, whose context is made of scoped contexts, that is most of the expansion
    time. The memo keeps a reference to each local context, so its id() stays unique.
    """

    def __init__(self, memo: _BoundedMemo, on_property_dropped: Any) -> None:
        super().__init__(on_property_dropped=on_property_dropped)
        self._memo = memo

    def _process_context(
        self, active_ctx: Any, local_ctx: Any, options: Any, override_protected: bool = False,
        propagate: bool = True, validate_scoped: bool = True, cycles: Any = None,
    ) -> Any:
        uid = active_ctx.get("_uuid") if isinstance(active_ctx, dict) else None
        if uid is None or cycles:
            return super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                            validate_scoped, cycles)
        by_content = isinstance(local_ctx, str) or (
            isinstance(local_ctx, list) and all(isinstance(c, str) for c in local_ctx))
        # a context of context URLs is keyed by its text (a caller may append to its list later); an
        # embedded one by identity, the memo keeping it alive so its id() stays its own
        ref: str | tuple[str, ...] | int = (local_ctx if isinstance(local_ctx, str)
                                            else tuple(local_ctx) if by_content else id(local_ctx))
        key: _MemoKey = (uid, ref, override_protected, propagate, validate_scoped)
        hit = self._memo.get(key)
        if hit is not None and (hit[0] is local_ctx or by_content):
            return hit[1]
        result = super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                          validate_scoped, cycles)
        if isinstance(result, dict) and "_uuid" not in result:
            result["_uuid"] = str(uuid.uuid4())
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()  # many embedded contexts (each keeps its own entry): start again
        self._memo[key] = (local_ctx, result)
        return result


def _ignore_dropped(term: str | None) -> None:
    """pyld calls its on_property_dropped handler for each term it drops; these callers judge
    nothing by it (selective disclosure's statements are what expansion keeps)."""


#: the key of a recent expansion: the document's JSON text, keys sorted (expansion does not depend on their order)
_CONTENT_KEY = json.JSONEncoder(sort_keys=True, check_circular=False, separators=(",", ":"))


class Processor:
    """Expands and canonicalizes documents; one per DocumentLoader so caches never mix."""

    def __init__(self, loader: DocumentLoader, *, memoize: bool = True) -> None:
        self.loader = loader
        self._resolver = ContextResolver(LRUCache(maxsize=256), loader.pyld_loader())
        self._memo: _BoundedMemo | None = {} if memoize else None
        self._lock = threading.Lock()
        #: key -> (expansion, whether its blank node labels are pyld's)
        self._recent: LRUCache[str, tuple[Expansion, bool]] = LRUCache(maxsize=32)
        self._direct_memo = jsonld_direct.Memo()
        self._direct_proc = _MemoizingProcessor(self._memo, None) if self._memo is not None else None

    def _processor(self, on_dropped: Any) -> jsonld.JsonLdProcessor:
        if self._memo is None:
            return _Processor(on_property_dropped=on_dropped)
        return _MemoizingProcessor(self._memo, on_dropped)

    def _options(self) -> dict[str, Any]:
        return {
            "documentLoader": self.loader.pyld_loader(),
            "contextResolver": self._resolver,
            "base": None,  # pyld 3 resolves "" against http://example.org/base/; None keeps IRIs relative
            "processingMode": "json-ld-1.1",
        }

    def expanded_form(self, document: Any) -> Any:
        """pyld's expanded form of ``document`` (a copy: pyld changes its input), through this
        processor's loader (registered contexts only, never a fetch of an unregistered one) and its
        memoized contexts. Selective disclosure's skolemization reads it."""
        with self._lock:  # pyld's caches are not thread-safe
            return self._processor(_ignore_dropped).expand(copy.deepcopy(document), self._options())

    def compacted(self, expanded: Any, context: Any) -> Any:
        """pyld's compaction of an expanded document under ``context``, memoized like expanded_form:
        the same active contexts each time, so pyld's inverse context is built once, not per call."""
        with self._lock:  # a copy of the context: the memo must never meet a list its caller changes later
            return self._processor(_ignore_dropped).compact(expanded, copy.deepcopy(context), self._options())

    def expand(self, document: Any, *, labels: bool = True) -> Expansion:
        """Expand to N-Quads, reporting what was lost; recent results are kept by content
        (one verification expands the same unsecured document for the proof and the checks).
        ``labels=False``: the caller needs the statements, not pyld's blank node labels, so the
        one-walk path may serve it."""
        try:
            key: str | None = _CONTENT_KEY.encode(document)  # the text itself: a digest of it cost more than the lookup saved
        except (TypeError, ValueError, RecursionError):
            key = None
        if key is not None:
            with self._lock:
                hit = self._recent.get(key)
            if hit is not None and (hit[1] or not labels):
                return hit[0]
        result = None if labels else self._direct(document)
        exact = result is None
        if result is None:
            result = self._expand(document)
        if key is not None:
            with self._lock:
                self._recent[key] = (result, exact)
        return result

    def _direct(self, document: Any) -> Expansion | None:
        """The one-walk path (``jsonld_direct``), or None where it leaves the document to pyld."""
        proc = self._direct_proc
        if proc is None or not isinstance(document, dict):
            return None
        options = self._options()

        def process(active: Any, local: Any, override_protected: bool, propagate: bool) -> Any:
            return proc._process_context(active, local, options, override_protected=override_protected,
                                         propagate=propagate)

        def expand_iri(active: Any, value: Any, vocab: bool) -> Any:
            return proc._expand_iri(active, value, vocab=vocab, base=None)

        try:
            with self._lock:  # pyld's caches are not thread-safe
                nquads, dropped, ids = jsonld_direct.to_nquads(
                    document, proc._get_initial_context(options), process, expand_iri, self._direct_memo)
        except jsonld.JsonLdError as exc:
            _reraise_resolution(exc)  # a context lerconf cannot obtain: the same error pyld's path raises
            return None  # pyld decides, and words the error, as before
        except (jsonld_direct.Unsupported, RecursionError, KeyError, TypeError, AttributeError, ValueError):
            return None
        relative = sorted({i for i in ids if not _absolute_or_blank(i)})
        return Expansion(nquads, tuple(sorted({str(d) for d in dropped})), tuple(relative))

    def _expand(self, document: Any) -> Expansion:
        dropped: list[str] = []

        def on_dropped(term: str | None) -> None:
            dropped.append(str(term))

        proc = self._processor(on_dropped)
        options = {**self._options(), "identifierIssuer": IdentifierIssuer("_:b")}
        try:
            with self._lock:  # pyld's caches are not thread-safe
                expanded = proc.expand(copy.deepcopy(document), options)
                relative = sorted(set(_relative_iris(expanded)))
                # pyld's to_rdf would expand a second time; convert the expanded form directly
                node_map: dict[str, Any] = {"@default": {}}
                proc._create_node_map(expanded, node_map, "@default", options["identifierIssuer"])
                dataset = {
                    name: proc._graph_to_rdf(graph, options["identifierIssuer"], options)
                    for name, graph in sorted(node_map.items())
                    if name == "@default" or jsonld._is_absolute_iri(name)
                }
                nquads = proc.to_nquads(dataset)
        except jsonld.JsonLdError as exc:
            _reraise_resolution(exc)
            raise JsonLdError(_describe(exc)) from None
        except RecursionError:
            raise JsonLdError("JSON-LD processing exceeded the nesting limit") from None
        except (KeyError, TypeError, AttributeError, ValueError) as exc:  # pyld internals on odd input
            raise JsonLdError(f"JSON-LD processing failed: {type(exc).__name__}: {exc}") from None
        return Expansion(nquads, tuple(sorted(set(dropped))), tuple(relative))

    def canonicalize(self, document: Any, hash_name: str = "sha256") -> tuple[str, Expansion]:
        """RDFC-1.0 canonical N-Quads of a JSON-LD document, plus what expansion lost."""
        expansion = self.expand(document, labels=False)
        return canonicalize_nquads(expansion.nquads, hash_name), expansion


def canonicalize_nquads(nquads: str, hash_name: str = "sha256") -> str:
    """RDFC-1.0 canonical N-Quads: without hashing where at most one blank node needs no naming
    (``rdfc_small``, proven to give pyoxigraph's answer), by pyoxigraph otherwise."""
    small = rdfc_small.canonical_nquads(nquads)
    if small is not None:
        return small
    try:
        statements = pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
        dataset = pyoxigraph.Dataset(statements)
    except SyntaxError as exc:  # e.g. an @id that is no IRI ("urn:a{b}"): pyld writes it, RDF has no such term
        raise JsonLdError(f"the document's statements are not RDF: {exc.msg}") from None
    dataset.canonicalize(_HASHES[hash_name])
    lines = sorted(str(q) + " .\n" for q in dataset)
    return "".join(lines)


def _relative_iris(node: Any) -> list[str]:
    """@type and @id values that expansion could not make absolute (toRdf drops them)."""
    out: list[str] = []
    if isinstance(node, list):
        for item in node:
            out.extend(_relative_iris(item))
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type" and "@value" not in node:
                for t in value if isinstance(value, list) else [value]:
                    if isinstance(t, str) and not _absolute_or_blank(t):
                        out.append(t)
            elif key == "@id":
                if isinstance(value, str) and not _absolute_or_blank(value):
                    out.append(value)
            elif key != "@value":
                out.extend(_relative_iris(value))
    return out


def _absolute_or_blank(iri: str) -> bool:
    return iri.startswith("_:") or (":" in iri and not iri.startswith(":"))


def _reraise_resolution(exc: BaseException) -> None:
    seen = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ResolutionError):
            raise cur
        details = getattr(cur, "details", None)
        if isinstance(details, dict):
            cause = details.get("cause")
            if isinstance(cause, BaseException) and isinstance(cause, ResolutionError):
                raise cause
        cur = cur.__cause__ or cur.__context__


def _describe(exc: BaseException) -> str:
    parts = []
    seen = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        msg = str(cur.args[0]) if cur.args else str(cur)
        code = getattr(cur, "code", None)
        parts.append(f"{msg} ({code})" if code else msg)
        cur = cur.__cause__ or cur.__context__
    return "; ".join(dict.fromkeys(parts))
