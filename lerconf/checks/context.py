"""JSON-LD context checks (Category.CONTEXT): base context first, no mixed versions, every
context processable, every term defined.

Expansion is the expensive step, so it runs once per document (``process``) and the outcome
is shared by VCDM-02, VCDM-16 and DI-06. The top-level ``proof`` is left out of that expansion:
a Data Integrity proof secures the document without its proof, and the proof's own terms are a
question for DI-05. A context that cannot be loaded is a failed VCDM-02, never an exception.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed, warning
from lerconf.checks.vcdm_values import (
    MALFORMED,
    PARSING,
    UNDEFINED_TERM_VOCABS,
    UNDEFINED_TERMS_CONTEXT,
    V1_CONTEXT,
    V2_CONTEXT,
    as_list,
    contexts_of,
    is_url,
)
from lerconf.documents.jsonld import JsonLdError
from lerconf.errors import ResolutionError
from lerconf.results import Category, CheckResult

if TYPE_CHECKING:
    from lerconf.documents.jsonld import Expansion, Processor

__all__ = [
    "JsonLdOutcome",
    "context_checks",
    "contexts_are_processable",
    "credential_starts_with_base_context",
    "defines_every_term",
    "does_not_mix_base_contexts",
    "presentation_starts_with_base_context",
    "process",
    "signed_data_has_no_undefined_terms",
]

DATA_LOSS = "DATA_LOSS_DETECTION_ERROR"
_VOCAB_TERM = re.compile("<(?:" + "|".join(re.escape(v) for v in UNDEFINED_TERM_VOCABS) + r")([^>]*)>")


@dataclass(frozen=True)
class JsonLdOutcome:
    """What JSON-LD processing made of a document without its proof; exactly one field is set."""

    expansion: Expansion | None = None
    error: str | None = None  # not processable JSON-LD
    unresolved: str | None = None  # a context could not be obtained (message names the URL)
    skipped: str | None = None  # processing was not attempted, and why


def process(document: Any, processor: Processor | None) -> JsonLdOutcome:
    """Expand ``document`` (minus its top-level proof) once, catching every document defect."""
    if processor is None:
        return JsonLdOutcome(skipped="no JSON-LD processor was given")
    if not isinstance(document, Mapping) or "@context" not in document:
        return JsonLdOutcome(skipped="the document has no @context")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    try:
        return JsonLdOutcome(expansion=processor.expand(unsecured, labels=False))  # statements, not labels
    except ResolutionError as exc:
        return JsonLdOutcome(unresolved=str(exc))
    except JsonLdError as exc:
        return JsonLdOutcome(error=str(exc))


def _outcome(document: Any, processor: Processor | None, outcome: JsonLdOutcome | None) -> JsonLdOutcome:
    return outcome if outcome is not None else process(document, processor)


def _base_context_verdict(document: Mapping[str, Any], what: str) -> Verdict:
    if "@context" not in document:
        return failed(f"the {what} has no @context", error=MALFORMED, subject="@context")
    contexts = contexts_of(document)
    first = contexts[0] if contexts else None
    if first == V2_CONTEXT:
        return passed("the first @context item is the VC 2.0 base context", version="2.0")
    if first == V1_CONTEXT:
        return passed("the first @context item is the VC 1.1 base context (VCDM 1.1 document)", version="1.1")
    where = [i for i, c in enumerate(contexts) if c in (V1_CONTEXT, V2_CONTEXT)]
    reason = f"the base context is at position {where[0]}" if where else "no base context is present"
    return failed(
        f"the first @context item is {first!r}, not {V2_CONTEXT}: {reason}",
        error=MALFORMED, subject="@context[0]", first=first,
    )


@check("VCDM-01", Category.CONTEXT)
def credential_starts_with_base_context(credential: Mapping[str, Any]) -> Verdict:
    """The value of the @context property MUST be an ordered set where the first item is a URL with the value https://www.w3.org/ns/credentials/v2.

    VC Data Model 2.0 §4.3. A VCDM 1.1 credential (first item https://www.w3.org/2018/credentials/v1)
    passes as such, because LER verifiers must accept both versions (VCDM-D4).
    """
    return _base_context_verdict(credential, "credential")


@check("VCDM-19", Category.CONTEXT)
def presentation_starts_with_base_context(presentation: Mapping[str, Any]) -> Verdict:
    """A verifiable presentation's @context MUST start with https://www.w3.org/ns/credentials/v2.

    VC Data Model 2.0 §4.3 applies to presentations as to credentials (1.1 base accepted likewise).
    """
    return _base_context_verdict(presentation, "presentation")


@check("VCDM-D1", Category.CONTEXT)
def does_not_mix_base_contexts(document: Mapping[str, Any]) -> Verdict:
    """A document is either VCDM 1.1 (https://www.w3.org/2018/credentials/v1) or VCDM 2.0
    (https://www.w3.org/ns/credentials/v2), never both.

    The two base contexts define the same terms differently and are both protected, so a
    document that loads both is not processable as either version.
    """
    contexts = contexts_of(document)
    if V1_CONTEXT in contexts and V2_CONTEXT in contexts:
        return failed("the document loads both the VC 1.1 and the VC 2.0 base contexts", error=MALFORMED, subject="@context")
    return passed("the document uses a single VC base context")


def _static_context_problem(document: Mapping[str, Any]) -> tuple[int, str] | None:
    """(index, reason) for the first @context item that is neither a URL nor an object."""
    raw = document.get("@context")
    if not isinstance(raw, (str, list, dict)):
        return 0, f"@context is a {type(raw).__name__}, not a URL, an object or an array"
    for index, item in enumerate(as_list(raw)):
        if isinstance(item, str):
            if not is_url(item):
                return index, f"@context item {item!r} is not a URL"
        elif not isinstance(item, Mapping):
            return index, f"@context item {item!r} is neither a URL nor a context object"
    return None


@check("VCDM-02", Category.CONTEXT)
def contexts_are_processable(
    document: Mapping[str, Any], processor: Processor | None = None, *, outcome: JsonLdOutcome | None = None
) -> Verdict:
    """Subsequent items in the @context array MUST be composed of any combination of URLs and objects, where each is
    processable as a JSON-LD Context.

    VC Data Model 2.0 §4.3. Without a processor only the URL/object shape is checked; with one,
    every context must load (registered, or from the user's directories) and process.
    """
    if "@context" not in document:
        return not_applicable("the document has no @context (see VCDM-01)")
    problem = _static_context_problem(document)
    if problem:
        index, reason = problem
        return failed(reason, error=PARSING, subject=f"@context[{index}]")
    result = _outcome(document, processor, outcome)
    if result.unresolved:
        return failed(f"a context could not be loaded: {result.unresolved}", error=PARSING, subject="@context")
    if result.error:
        return failed(f"the document is not processable JSON-LD: {result.error}", error=PARSING, subject="@context")
    if result.skipped:
        return passed(f"every @context item is a URL or an object ({result.skipped}, so none was loaded)")
    return passed("every context loaded and processed")


def _cannot_assess(result: JsonLdOutcome) -> Verdict | None:
    if result.skipped:
        return not_applicable(f"terms not assessed: {result.skipped}")
    if result.unresolved or result.error:
        return not_applicable("terms not assessed: the document's contexts did not process (see VCDM-02)")
    return None


def _lost(expansion: Expansion) -> list[str]:
    return [*expansion.dropped_terms, *(f"{iri} (relative IRI)" for iri in expansion.relative_iris)]


@check("VCDM-16", Category.CONTEXT)
def defines_every_term(
    document: Mapping[str, Any], processor: Processor | None = None, *, outcome: JsonLdOutcome | None = None
) -> Verdict:
    """Issued documents define every term they use; they SHOULD NOT rely on @vocab, and when terms are undefined
    https://www.w3.org/ns/credentials/undefined-terms/v2 MUST be the last context.

    VC Data Model 2.0 §6.1, §5.2. A term that expansion drops, or a type/id left relative, is
    data that no signature or verifier sees.
    """
    result = _outcome(document, processor, outcome)
    verdict = _cannot_assess(result)
    if verdict or result.expansion is None:
        return verdict or not_applicable("terms not assessed")
    lost = _lost(result.expansion)
    if lost:
        return failed(
            f"undefined terms are dropped by JSON-LD expansion: {', '.join(lost)}",
            error=MALFORMED, subject="@context", terms=lost,
        )
    contexts = contexts_of(document)
    if UNDEFINED_TERMS_CONTEXT in contexts and contexts[-1] != UNDEFINED_TERMS_CONTEXT:
        return failed(f"{UNDEFINED_TERMS_CONTEXT} is not the last context", error=MALFORMED, subject="@context")
    vocab_terms = sorted(set(_VOCAB_TERM.findall(result.expansion.nquads)))
    if vocab_terms:
        return warning(
            f"terms are defined only by an undefined-terms @vocab: {', '.join(vocab_terms)}",
            subject="@context", terms=vocab_terms,
        )
    return passed("every term is defined by the document's contexts")


def _rdf_proofs(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Embedded proofs whose cryptosuite canonicalizes RDF (JCS suites never drop terms)."""
    proofs = [p for p in as_list(document.get("proof")) if isinstance(p, Mapping)]
    return [p for p in proofs if "jcs" not in str(p.get("cryptosuite", ""))]


@check("DI-06", Category.CONTEXT)
def signed_data_has_no_undefined_terms(
    document: Mapping[str, Any], processor: Processor | None = None, *, outcome: JsonLdOutcome | None = None
) -> Verdict:
    """With RDF canonicalization, securing a document whose terms would be dropped MUST produce an error, never a proof.

    VC Data Integrity 1.0 §2.4.3. A proof over such a document signs less than the document
    says, so a verifier must not accept it as is (DATA_LOSS_DETECTION_ERROR).
    """
    if not _rdf_proofs(document):
        return not_applicable("no embedded proof canonicalizes RDF")
    result = _outcome(document, processor, outcome)
    verdict = _cannot_assess(result)
    if verdict or result.expansion is None:
        return verdict or not_applicable("terms not assessed")
    lost = _lost(result.expansion)
    if lost:
        return failed(
            f"the proof secures a document whose terms are dropped: {', '.join(lost)}",
            error=DATA_LOSS, subject="proof", terms=lost,
        )
    return passed("the secured document loses no terms in canonicalization")


def context_checks(
    document: Mapping[str, Any], processor: Processor | None, *, presentation: bool = False
) -> list[CheckResult]:
    """Every context check for one document, sharing one expansion, in a fixed order."""
    outcome = process(document, processor)
    first = presentation_starts_with_base_context if presentation else credential_starts_with_base_context
    return [
        first(document),
        does_not_mix_base_contexts(document),
        contexts_are_processable(document, outcome=outcome),
        defines_every_term(document, outcome=outcome),
        signed_data_has_no_undefined_terms(document, outcome=outcome),
    ]
