"""What the selective-disclosure cryptosuites share (W3C Data Integrity ECDSA §3.4 "Selective
Disclosure Functions", which bbs-2023 reuses): canonical N-Quads with blank nodes relabelled by a
label map, HMAC labels, JSON pointers (RFC 6901) and selectJsonLd, and the grouping of a
skolemized document's statements by pointers. ecdsa-sd-2023 and bbs-2023 differ only in how
labels are made (an HMAC per label, or HMACs sorted into ``b0, b1, …``) and in what is signed."""
from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pyld import jsonld

from lerconf.documents.jsonld import Processor

__all__ = ["Grouped", "LabelMaker", "SdProofError", "b64url", "group_statements", "hmac_label", "hmac_labels",
           "pointer_resolves", "proof_hash", "relabelled_nquads", "select_json_ld", "selected", "shuffled_labels"]

_LABEL = re.compile(r"_:(c14n\d+)")
_SKOLEM = re.compile(r"<urn:bnid:([^>]+)>")
_BLANK = re.compile(r"_:([A-Za-z0-9_\-.]+)")

#: canonical labels (``c14nN``) -> the labels a suite gives them
LabelMaker = Callable[[Iterable[str]], dict[str, str]]


class SdProofError(ValueError):
    """A proof value or document a selective-disclosure suite cannot take. ``requirement`` says
    which rule it breaks (for ecdsa-sd-2023: EC-05 the proof value's form, e.g. a base proof
    presented; EC-06 its structure, or signatures that do not match the statements)."""

    def __init__(self, message: str, requirement: str = "EC-06") -> None:
        super().__init__(message)
        self.requirement = requirement


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def hmac_label(hmac_key: bytes, canonical_label: str) -> str:
    """ECDSA §3.4.4 createHmacIdLabelMapFunction: a canonical blank node label ``c14nN`` becomes
    ``u`` + base64url(HMAC-SHA-256(key, label))."""
    return "u" + b64url(hmac.new(hmac_key, canonical_label.encode(), hashlib.sha256).digest())


def hmac_labels(hmac_key: bytes) -> LabelMaker:
    """ecdsa-sd-2023's labels: each canonical label's own HMAC label."""
    return lambda labels: {c14n: hmac_label(hmac_key, c14n) for c14n in labels}


def shuffled_labels(hmac_key: bytes) -> LabelMaker:
    """bbs-2023 §3.3.x createShuffledIdLabelMapFunction: the HMAC labels sorted (as strings), and
    each canonical label named ``b`` + its HMAC label's place in that order, so the labels leak
    neither the HMACs nor the canonical order."""
    def make(labels: Iterable[str]) -> dict[str, str]:
        hmacs = {c14n: hmac_label(hmac_key, c14n) for c14n in labels}
        order = {value: n for n, value in enumerate(sorted(set(hmacs.values())))}
        return {c14n: f"b{order[value]}" for c14n, value in hmacs.items()}
    return make


def relabelled_nquads(document: Mapping[str, Any], label_map: Mapping[str, str], processor: Processor) -> list[str]:
    """The document's canonical N-Quads with each canonical blank node label replaced by its label
    in ``label_map``, sorted (§3.4.6 labelReplacementCanonicalizeJsonLd, with the map a proof gives)."""
    canonical, _ = processor.canonicalize(dict(document))
    missing: list[str] = []

    def relabel(match: re.Match[str]) -> str:
        label = label_map.get(match.group(1))
        if label is None:
            missing.append(match.group(1))
            return match.group(0)
        return f"_:{label}"

    lines = [_LABEL.sub(relabel, line) + "\n" for line in canonical.splitlines()]
    if missing:
        raise SdProofError(f"the label map has no label for blank node(s) {', '.join(sorted(set(missing)))}")
    return sorted(lines)


def labelled_nquads(document: Mapping[str, Any], labels: LabelMaker, processor: Processor) -> list[str]:
    """The document's canonical N-Quads under the labels ``labels`` makes for its canonical labels, sorted."""
    canonical, _ = processor.canonicalize(dict(document))
    label_map = labels(sorted(set(_LABEL.findall(canonical))))
    return sorted(_LABEL.sub(lambda m: f"_:{label_map[m.group(1)]}", line) + "\n" for line in canonical.splitlines())


def proof_hash(document: Mapping[str, Any], proof: Mapping[str, Any], processor: Processor) -> tuple[str, bytes]:
    """The canonical proof configuration (the proof without its value, with the document's
    ``@context``) and its SHA-256: what both SD suites bind to the mandatory statements."""
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in document:
        config["@context"] = document["@context"]
    canonical, _ = processor.canonicalize(config)
    return canonical, hashlib.sha256(canonical.encode()).digest()


def pointer_resolves(document: Any, pointer: str) -> bool:
    """RFC 6901: does ``pointer`` name a value in ``document``? (what a disclosure must still show)"""
    if pointer == "":
        return True
    if not pointer.startswith("/"):
        return False
    node = document
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def selected(values: Sequence[str]) -> str:
    """A short list for messages."""
    return ", ".join(values[:3]) + (" …" if len(values) > 3 else "")


# -- selectJsonLd ---------------------------------------------------------------------------------
def _pointer_path(pointer: str) -> list[str]:
    if not pointer.startswith("/"):
        raise SdProofError(f"{pointer!r} is not a JSON pointer")
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def _initial_selection(value: Any) -> dict[str, Any]:
    selection: dict[str, Any] = {}
    if isinstance(value, Mapping):
        if isinstance(value.get("id"), str) and not value["id"].startswith("_:"):
            selection["id"] = value["id"]
        if "type" in value:
            selection["type"] = copy.deepcopy(value["type"])
    return selection


def _child(container: Any, path: str) -> Any:
    if isinstance(container, list):
        if not path.isdigit() or int(path) >= len(container):
            return None
        return container[int(path)]
    return container.get(path) if isinstance(container, Mapping) else None


def _put(container: Any, path: str, value: Any) -> None:
    if isinstance(container, list):
        index = int(path)
        container.extend([None] * (index + 1 - len(container)))
        container[index] = value
    else:
        container[path] = value


def select_json_ld(pointers: Sequence[str], document: Mapping[str, Any]) -> dict[str, Any] | None:
    """§3.4.11 selectJsonLd: the part of ``document`` the JSON pointers name, with the ``id`` and
    ``type`` of every object on the way (and the ``@context``), so it is still the same graph."""
    if not pointers:
        return None
    arrays: list[list[Any]] = []
    selection = _initial_selection(document)
    if "@context" in document:
        selection["@context"] = copy.deepcopy(document["@context"])
    for pointer in pointers:
        paths = _pointer_path(pointer)
        value: Any = document
        chosen_node: Any = selection
        parent: Any = selection
        for path in paths:
            parent = chosen_node
            value = _child(value, path)
            if value is None:
                raise SdProofError(f"JSON pointer {pointer} does not match the document")
            chosen_node = _child(parent, path)
            if chosen_node is None:
                if isinstance(value, list):
                    chosen_node = []
                    arrays.append(chosen_node)
                else:
                    chosen_node = _initial_selection(value)
                _put(parent, path, chosen_node)
        if isinstance(value, list) or not isinstance(value, Mapping):
            chosen = copy.deepcopy(value)
        else:
            chosen = {**chosen_node, **copy.deepcopy(value)}
        _put(parent, paths[-1], chosen)
    for array in arrays:
        array[:] = [item for item in array if item is not None]
    return selection


# -- canonicalizeAndGroup -------------------------------------------------------------------------
def _skolemize(node: Any, counter: itertools.count[int]) -> None:
    """Give every node object of an expanded document an id (``urn:bnid:…``), blank ones included."""
    if isinstance(node, list):
        for item in node:
            _skolemize(item, counter)
        return
    if not isinstance(node, dict) or "@value" in node:
        return
    if "@list" in node or "@set" in node:
        _skolemize(node.get("@list", node.get("@set")), counter)
        return
    given = node.get("@id")
    if given is None:
        node["@id"] = f"urn:bnid:lerconf{next(counter)}"
    elif isinstance(given, str) and given.startswith("_:"):
        node["@id"] = "urn:bnid:" + given[2:]
    for key, value in node.items():
        if key not in ("@id", "@type", "@value", "@context"):
            _skolemize(value, counter)


def deskolemized_nquads(document: Mapping[str, Any], processor: Processor) -> list[str]:
    """A skolemized document's N-Quads with its ``urn:bnid:`` ids turned back into blank nodes."""
    nquads = processor.expand(dict(document)).nquads
    return [_SKOLEM.sub(lambda m: f"_:{m.group(1)}", line) + "\n" for line in nquads.splitlines() if line]


def canonical_map(nquads: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """RDFC-1.0 (URDNA2015) of ``nquads``: the canonical lines and input label -> canonical label."""
    normalizer = jsonld.URDNA2015()
    canonical = normalizer.main(jsonld.parse_nquads("".join(nquads)), {"format": "application/n-quads"})
    mapping = {old[2:]: new[2:] for old, new in normalizer.canonical_issuer.existing.items()}
    return [line + "\n" for line in canonical.splitlines() if line], mapping


@dataclass(frozen=True)
class Grouped:
    """A document's statements under a suite's labels, and which of them each group of pointers selects."""

    nquads: tuple[str, ...]
    groups: dict[str, tuple[int, ...]]
    skolemized: dict[str, Any]
    input_to_label: dict[str, str]   # the skolemized document's blank node ids -> the suite's labels


def group_statements(unsecured: Mapping[str, Any], labels: LabelMaker, pointer_groups: Mapping[str, Sequence[str]],
                     processor: Processor) -> Grouped:
    """§3.4.15 canonicalizeAndGroup: skolemize, canonicalize under the suite's labels, select each group's statements."""
    expanded = processor.expanded_form(dict(unsecured))
    _skolemize(expanded, itertools.count())
    skolemized = processor.compacted(expanded, unsecured.get("@context", {}))
    skolemized.pop("@context", None)
    if "@context" in unsecured:
        skolemized = {"@context": copy.deepcopy(unsecured["@context"]), **skolemized}
    canonical, input_to_c14n = canonical_map(deskolemized_nquads(skolemized, processor))
    c14n_to_label = labels(sorted(set(input_to_c14n.values())))
    input_to_label = {label: c14n_to_label[c14n] for label, c14n in input_to_c14n.items()}
    nquads = tuple(sorted(_BLANK.sub(lambda m: f"_:{c14n_to_label.get(m.group(1), m.group(1))}", line) for line in canonical))

    def matching(pointers: Sequence[str]) -> tuple[int, ...]:
        selection = select_json_ld(pointers, skolemized)
        if selection is None:
            return ()
        wanted = {_BLANK.sub(lambda m: f"_:{input_to_label.get(m.group(1), m.group(1))}", line)
                  for line in deskolemized_nquads(selection, processor)}
        return tuple(i for i, line in enumerate(nquads) if line in wanted)

    return Grouped(nquads, {name: matching(pointers) for name, pointers in pointer_groups.items()}, skolemized,
                   input_to_label)


def reveal_label_map(grouped: Grouped, pointers: Sequence[str], processor: Processor) -> dict[str, str]:
    """§3.5.5 step "label map": the disclosed document's own canonical labels -> the suite's labels
    of the same blank nodes in the full document (what the verifier relabels with)."""
    revealed_skolem = select_json_ld(pointers, grouped.skolemized) or {}
    _, reveal_map = canonical_map(deskolemized_nquads(revealed_skolem, processor))
    return {c14n: grouped.input_to_label[label] for label, c14n in reveal_map.items()}


@dataclass(frozen=True)
class Revealed:
    """A derived credential's statements as its verifier sees them: the proof configuration's hash,
    the revealed document's N-Quads under the proof's label map, split into the mandatory ones
    (``mandatory_indexes``) and the rest (createVerifyData, both SD suites)."""

    proof_hash: bytes
    nquads: tuple[str, ...]
    mandatory: tuple[str, ...]
    non_mandatory: tuple[str, ...]

    @property
    def mandatory_hash(self) -> bytes:
        return hashlib.sha256("".join(self.mandatory).encode()).digest()


def revealed_statements(document: Mapping[str, Any], proof: Mapping[str, Any], label_map: Mapping[str, str],
                        mandatory_indexes: Sequence[int], processor: Processor, *, in_index_order: bool) -> Revealed:
    """createVerifyData's common part. ``in_index_order``: the mandatory statements in the order the
    proof lists their indexes (bbs-2023) rather than sorted (ecdsa-sd-2023). SdProofError when an index
    points past the statements."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    _, config_hash = proof_hash(document, proof, processor)
    nquads = relabelled_nquads(unsecured, label_map, processor)
    if any(i >= len(nquads) for i in mandatory_indexes):
        raise SdProofError(f"a mandatory index points past the {len(nquads)} N-Quads of the revealed document")
    chosen = set(mandatory_indexes)
    order = list(mandatory_indexes) if in_index_order else sorted(chosen)
    return Revealed(config_hash, tuple(nquads), tuple(nquads[i] for i in order),
                    tuple(q for i, q in enumerate(nquads) if i not in chosen))
