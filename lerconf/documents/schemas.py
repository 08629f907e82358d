"""Validate credentials against the 1EdTech JSON Schemas (Open Badges 3.0, CLR 2.0).

Schemas are never read from a hard-coded path: a registered schema URL is resolved by the
document loader (user directories, cache, digest-checked fetch), so the bytes are exactly a
published version. A schema a credential declares that lerconf does not know is fetched as an
ordinary remote document (URL map or guarded HTTP) and reported as unregistered.

Compiled validators are cached per loader and URL; ``$ref`` to other registered schemas is
resolved through the same loader by a ``referencing`` registry.

Two validators per registered schema: a compiled one (``jsonschema-rs``) answers valid/invalid,
and only a document it calls invalid goes through ``jsonschema``, whose errors make the reported
violations. ``jsonschema`` walking every ``oneOf`` of the OB 3.0 schema was most of the time of
verifying a valid credential. The fast path can only say "valid": if it errs towards invalid the
slow path still decides; erring towards valid would hide a violation, which the differential test
over every document in ``../shared`` (tests/documents/test_schema_fast_path.py) guards against.
Unregistered (vendor-declared) schemas use ``jsonschema`` alone: their content is not known ahead.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

import jsonschema_rs
import referencing
import referencing.exceptions
from jsonschema import FormatChecker, validators
from jsonschema.exceptions import SchemaError, ValidationError
from referencing.jsonschema import DRAFT201909

from lerconf.documents.json_values import nests_within
from lerconf.documents.registry import REGISTRY
from lerconf.errors import ResolutionError

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

    from lerconf.documents.loader import DocumentLoader

__all__ = [
    "CLR_CREDENTIAL_SCHEMA",
    "OB_ACHIEVEMENT_CREDENTIAL_SCHEMA",
    "OB_ENDORSEMENT_CREDENTIAL_SCHEMA",
    "OB_PROFILE_SCHEMA",
    "SCHEMA_VALIDATOR_TYPE",
    "SchemaViolation",
    "canonical_schema_url",
    "declared_schema_urls",
    "validate",
]

SCHEMA_VALIDATOR_TYPE = "1EdTechJsonSchemaValidator2019"
_OB = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
_CLR = "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/"
OB_ACHIEVEMENT_CREDENTIAL_SCHEMA = _OB + "ob_v3p0_achievementcredential_schema.json"
OB_ENDORSEMENT_CREDENTIAL_SCHEMA = _OB + "ob_v3p0_endorsementcredential_schema.json"
OB_PROFILE_SCHEMA = _OB + "ob_v3p0_profile_schema.json"
CLR_CREDENTIAL_SCHEMA = _CLR + "clr_v2p0_clrcredential_schema.json"

#: credential type -> canonical schema, most specific first (a CLR also carries OB terms).
_BY_TYPE: tuple[tuple[str, str], ...] = (
    ("ClrCredential", CLR_CREDENTIAL_SCHEMA),
    ("EndorsementCredential", OB_ENDORSEMENT_CREDENTIAL_SCHEMA),
    ("AchievementCredential", OB_ACHIEVEMENT_CREDENTIAL_SCHEMA),
    ("OpenBadgeCredential", OB_ACHIEVEMENT_CREDENTIAL_SCHEMA),
    ("Profile", OB_PROFILE_SCHEMA),
)

_MAX_MESSAGE = 300


@dataclass(frozen=True)
class SchemaViolation:
    """One schema violation, located by a JSON path into the validated document."""

    path: str
    message: str
    keyword: str
    schema_path: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _types(document: Mapping[str, Any]) -> list[str]:
    value = document.get("type")
    if isinstance(value, str):
        return [value]
    return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


def canonical_schema_url(document: Mapping[str, Any]) -> str | None:
    """The 1EdTech schema that governs a document of this type, or None when none does."""
    types = _types(document)
    for type_name, url in _BY_TYPE:
        if type_name in types:
            return url
    return None


def declared_schema_urls(document: Mapping[str, Any]) -> list[str]:
    """The ids of ``credentialSchema`` entries of type 1EdTechJsonSchemaValidator2019."""
    entries = document.get("credentialSchema")
    entries = entries if isinstance(entries, list) else [entries] if entries is not None else []
    return [
        e["id"]
        for e in entries
        if isinstance(e, Mapping) and e.get("type") == SCHEMA_VALIDATOR_TYPE and isinstance(e.get("id"), str)
    ]


# -- formats ------------------------------------------------------------------------------------
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
FORMAT_CHECKER = FormatChecker(formats=())


@FORMAT_CHECKER.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time (jsonschema's own checker needs an optional package)."""
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    return True


@FORMAT_CHECKER.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return False
    date.fromisoformat(value)
    return True


def _asserting(check: Callable[[object], bool]) -> Callable[[str], bool]:
    """``check`` as the compiled validator calls a format: a bool, never the ValueError."""

    def conforms(value: str) -> bool:
        try:
            return check(value)
        except ValueError:
            return False

    return conforms


#: the compiled validator asserts exactly the formats FORMAT_CHECKER asserts, with the same code
_FAST_FORMATS: dict[str, Callable[[str], bool]] = {"date-time": _asserting(_is_date_time), "date": _asserting(_is_date)}


# -- validators -----------------------------------------------------------------------------------
_CACHE: weakref.WeakKeyDictionary[DocumentLoader, dict[str, Validator]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
#: (validator class, sha256 of the schema) already meta-validated in this process
_CHECKED: set[tuple[type, str]] = set()


class UnusableSchema(Exception):
    """A declared (unregistered) schema is not a usable JSON Schema: a vendor defect."""


def load_schema(url: str, *, loader: DocumentLoader) -> Any:
    """Registered schemas come digest-checked; any other declared schema is a remote document.

    Raises ResolutionError when it cannot be obtained: for a registered URL that is a harness
    fault; checks report it as a vendor defect only for unregistered URLs.
    """
    if url in REGISTRY:
        return loader.load_registered(url)
    return loader.load_remote_json(url)


def validator_for(url: str, *, loader: DocumentLoader) -> Validator:
    """A compiled validator for ``url``, cached per loader."""
    with _LOCK:
        cached = _CACHE.get(loader, {}).get(url)
    if cached is not None:
        return cached
    schema = load_schema(url, loader=loader)
    if not isinstance(schema, Mapping):
        raise UnusableSchema(f"{url} is not a JSON Schema object")
    cls = validators.validator_for(schema, default=validators.Draft201909Validator)
    # Meta-validation costs seconds for the 1EdTech schemas. A registered schema is one of its pinned
    # versions (load_registered checked its digest), each meta-validated once by lerconf's own tests
    # (tests/documents/test_registered_schemas.py); a declared, unregistered schema is checked here, once
    # per content in a process (every loader of a run would repeat it for the same document).
    if url not in REGISTRY:
        checked = (cls, hashlib.sha256(json.dumps(schema, sort_keys=True, default=str).encode()).hexdigest())
        if checked not in _CHECKED:
            try:
                cls.check_schema(cast("dict[str, Any]", schema))  # parsed JSON: a JSON object is a dict
            except SchemaError as exc:
                raise UnusableSchema(f"{url} is not a valid JSON Schema: {exc.message}") from None
            with _LOCK:
                _CHECKED.add(checked)

    def retrieve(uri: str) -> referencing.Resource[Any]:
        if uri not in REGISTRY:
            raise referencing.exceptions.NoSuchResource(uri)
        return referencing.Resource.from_contents(loader.load_registered(uri), default_specification=DRAFT201909)

    resource = referencing.Resource.from_contents(schema, default_specification=DRAFT201909)
    # referencing marks Registry with a pre-PEP 681 __dataclass_transform__ mypy does not read, so mypy
    # sees no __init__ arguments; retrieve= is the documented constructor argument.
    registry: referencing.Registry[Any] = referencing.Registry(retrieve=retrieve).with_resource(url, resource)  # type: ignore[call-arg]
    if resource.id() is None:
        # A schema that names no id of its own (the HR Open LER-RS catalog: draft-04, relative $refs
        # such as "../../common/json/base/NounType.json#") has the URL it was retrieved from as its
        # base URI; jsonschema would otherwise resolve its references against "" and fail.
        validator: Validator = cls(schema, registry=registry, format_checker=FORMAT_CHECKER).evolve(
            _resolver=registry.resolver(base_uri=url))
    else:
        validator = cls(schema, registry=registry, format_checker=FORMAT_CHECKER)
    with _LOCK:
        _CACHE.setdefault(loader, {})[url] = validator
    return validator


_FAST: weakref.WeakKeyDictionary[DocumentLoader, dict[str, jsonschema_rs.Validator | None]] = weakref.WeakKeyDictionary()


def fast_validator_for(url: str, *, loader: DocumentLoader) -> jsonschema_rs.Validator | None:
    """The compiled validator for a registered schema, cached per loader; None for any other URL
    or a schema it cannot compile (then ``jsonschema`` alone judges, as it always did)."""
    with _LOCK:
        known = _FAST.get(loader, {})
        if url in known:
            return known[url]
    compiled = _compiled(url, loader) if url in REGISTRY else None
    with _LOCK:
        _FAST.setdefault(loader, {})[url] = compiled
    return compiled


#: compiled validators by schema URL, each with the registered documents it was built from (URL ->
#: sha256): compiling an OB 3.0 schema takes ~80 ms, and each run (the harness's loader, the embedded
#: reference's, a test bed's) compiled the same digest-checked documents again (issue 19)
_COMPILED: dict[str, list[tuple[dict[str, str], jsonschema_rs.Validator | None]]] = {}


def _compiled(url: str, loader: DocumentLoader) -> jsonschema_rs.Validator | None:
    """The validator built from exactly the documents ``loader`` serves (a URL may have several
    registered versions): reused when each document it was built from has the same digest here."""
    load_schema(url, loader=loader)
    with _LOCK:
        candidates = list(_COMPILED.get(url, ()))
    for built_from, compiled in candidates:
        if all(_digest(used, loader) == digest for used, digest in built_from.items()):
            return compiled
    retrieved: list[str] = []
    compiled = _compile(url, loader, retrieved)
    digests = {used: _digest(used, loader) for used in (url, *retrieved)}
    built_from = {used: digest for used, digest in digests.items() if digest is not None}
    if len(built_from) == len(digests):  # every document it read is known by digest
        with _LOCK:
            _COMPILED.setdefault(url, []).append((built_from, compiled))
    return compiled


def _digest(url: str, loader: DocumentLoader) -> str | None:
    """The sha256 of the version of registered document ``url`` that ``loader`` serves."""
    try:
        loader.load_registered(url)
    except ResolutionError:
        return None
    return loader.digests_used.get(url)


def _compile(url: str, loader: DocumentLoader, retrieved: list[str]) -> jsonschema_rs.Validator | None:
    schema = load_schema(url, loader=loader)
    if not isinstance(schema, Mapping):
        return None
    # the same dialect jsonschema picks (2019-09 when $schema is absent); unknown: no fast path
    compiled_cls = getattr(jsonschema_rs, validators.validator_for(schema, default=validators.Draft201909Validator).__name__, None)
    if compiled_cls is None:
        return None
    # formats FORMAT_CHECKER does not assert are annotations only, as they are for jsonschema
    formats = dict.fromkeys(_format_names(schema), _annotation_only) | _FAST_FORMATS

    def retrieve(uri: str) -> Any:
        if uri not in REGISTRY:
            raise LookupError(f"{uri} is not a registered schema")
        retrieved.append(uri)
        return loader.load_registered(uri)

    try:
        compiled: jsonschema_rs.Validator = compiled_cls(dict(schema), formats=formats, validate_formats=True,
                                                         retriever=retrieve, base_uri=url)
    except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError):
        return None
    return compiled


#: a schema is compiled once this process has validated that many documents against it. Compiling
#: costs 1-200 ms (LER-RSType and the LER-RS wrapper, ~150 documents each: ~200 ms apiece), while
#: ``jsonschema`` judges a valid document in 0.2-5 ms: a schema a run uses once or twice (LER-RS, an
#: API response) is cheaper never compiled; one used hundreds of times (OB 3.0) is compiled early
COMPILE_AFTER = 8
#: validations per registered schema URL in this process
_USES: dict[str, int] = {}

#: nesting the compiled validator is given at most: it recurses on the native stack, and a hostile
#: document nested tens of thousands deep along the schemas' recursive $refs (Profile -> endorsement
#: -> issuer -> ...) would overflow it and kill the process; jsonschema raises RecursionError instead
_FAST_MAX_DEPTH = 256



def _annotation_only(value: str) -> bool:
    return True


def _format_names(schema: Any) -> set[str]:
    """Every ``format`` value in a schema document."""
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            if isinstance(node.get("format"), str):
                found.add(node["format"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def validate(document: Any, url: str, *, loader: DocumentLoader, base_path: str = "$") -> list[SchemaViolation]:
    """Every violation of schema ``url`` in ``document``; ``base_path`` prefixes the JSON paths.

    A registered schema's compiled validator answers first (once the schema has been used
    COMPILE_AFTER times here): valid means no violations. Otherwise (invalid, unregistered schema,
    a value it cannot take, a schema used too rarely yet) ``jsonschema`` finds and words them.
    """
    fast = _fast_when_used_often(url, loader)
    if fast is None:
        return _validate(document, url, loader=loader, base_path=base_path)
    try:
        shallow = nests_within(document, _FAST_MAX_DEPTH)
    except RecursionError:  # called from deep inside already: let jsonschema decide
        shallow = False
    if shallow:
        try:
            if fast.is_valid(document):
                return []
        except (ValueError, TypeError, OverflowError, RecursionError):
            pass  # not plain JSON data (or too deep) for the compiled validator: jsonschema decides
    return _validate(document, url, loader=loader, base_path=base_path)


def _fast_when_used_often(url: str, loader: DocumentLoader) -> jsonschema_rs.Validator | None:
    """The compiled validator once registered schema ``url`` has been used COMPILE_AFTER times."""
    if url not in REGISTRY:
        return None
    with _LOCK:
        _USES[url] = uses = _USES.get(url, 0) + 1
    return fast_validator_for(url, loader=loader) if uses > COMPILE_AFTER else None


def _validate(document: Any, url: str, *, loader: DocumentLoader, base_path: str) -> list[SchemaViolation]:
    validator = validator_for(url, loader=loader)
    try:
        errors = sorted(validator.iter_errors(document), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    except referencing.exceptions.Unresolvable as exc:
        raise UnusableSchema(f"{url} has an unresolvable $ref: {exc}") from None
    return [_violation(e, base_path) for e in errors]


def _violation(error: ValidationError, base_path: str) -> SchemaViolation:
    """Describe an error by its most telling cause (oneOf/anyOf errors hide the real one)."""
    top = error
    if error.context:
        # Deepest cause first; a bare "wrong JSON type" is the least telling branch of a oneOf.
        leaves = sorted(_leaves(error), key=lambda e: (-len(e.absolute_path), e.validator == "type"))
        if leaves:
            error = leaves[0]
    path = base_path + error.json_path[1:]
    message = error.message
    if top is not error:
        message = f"{message} (under {top.validator} at {base_path + top.json_path[1:]})"
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    schema_path = "/".join(str(p) for p in error.absolute_schema_path)
    return SchemaViolation(path, message, str(error.validator), schema_path)


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    for sub in error.context or ():
        if sub.context:
            yield from _leaves(sub)
        else:
            yield sub
