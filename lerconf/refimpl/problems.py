"""RFC 9457 problem details and strict JSON request bodies for every reference endpoint.

Bad input is always a 4xx with a reason (API-17): a 500 from the reference would make a
"broken" outcome look like a vendor's fault, so malformed JSON, wrong shapes and absurd
nesting are refused here, before any library code sees them.
"""
from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lerconf.crypto.di.create import ProofGenerationError
from lerconf.crypto.di.ecdsa_sd import SdProofError
from lerconf.documents.jsonld import JsonLdError
from lerconf.errors import ResolutionError

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_DEPTH",
    "ProblemError",
    "bad_request",
    "exception_handlers",
    "problem_response",
    "read_json_object",
    "reject_unknown",
    "require_object",
    "signing_problems",
]

log = logging.getLogger("lerconf.refimpl")

MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
VCDM = "https://www.w3.org/TR/vc-data-model#"
SECURITY = "https://w3id.org/security#"
BLANK = "about:blank"
_JSON_TYPES = ("application/json", "application/ld+json", "application/vc+ld+json", "application/vp+ld+json")


class ProblemError(Exception):
    """Raised by handlers to answer with a problem detail; ``code`` names a spec error code."""

    def __init__(self, status: int, detail: str, *, code: str | None = None, type_: str | None = None,
                 **extensions: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        if type_ is None:
            type_ = (SECURITY if code and code.startswith(("PROOF_", "DATA_LOSS", "INVALID_")) else VCDM) + code if code else BLANK
        self.type = type_
        self.extensions = extensions

    def body(self) -> dict[str, Any]:
        title = self.code.replace("_", " ").capitalize() if self.code else HTTPStatus(self.status).phrase
        out: dict[str, Any] = {"type": self.type, "title": title, "detail": self.detail}
        if self.code:
            out["code"] = self.code
        out.update(self.extensions)
        return out


def problem_response(error: ProblemError) -> Response:
    return JSONResponse(error.body(), status_code=error.status, media_type="application/problem+json")


def bad_request(detail: str, code: str = "MALFORMED_VALUE_ERROR", **extensions: Any) -> ProblemError:
    return ProblemError(400, detail, code=code, **extensions)


async def read_json_object(request: Request, *, allow_empty: bool = False) -> dict[str, Any]:
    """The request body as a JSON object, or a 4xx problem: wrong media type, too large,
    not JSON, not an object, or nested deeper than ``MAX_DEPTH``."""
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if ctype and ctype not in _JSON_TYPES and not ctype.endswith("+json"):
        raise ProblemError(415, f"expected a JSON body, got content-type {ctype!r}")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ProblemError(413, f"body larger than {MAX_BODY_BYTES} bytes")
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise ProblemError(413, f"body larger than {MAX_BODY_BYTES} bytes")
    if not raw.strip() and allow_empty:
        return {}
    try:
        value = json.loads(bytes(raw))
    except RecursionError:
        raise bad_request(f"JSON nested deeper than {MAX_DEPTH} levels", "PARSING_ERROR") from None
    except ValueError as exc:  # includes UnicodeDecodeError
        raise bad_request(f"body is not valid JSON: {exc}", "PARSING_ERROR") from None
    if not isinstance(value, dict):
        raise bad_request(f"body must be a JSON object, got {type(value).__name__}", "PARSING_ERROR")
    if _depth_exceeds(value, MAX_DEPTH):
        raise bad_request(f"JSON nested deeper than {MAX_DEPTH} levels", "PARSING_ERROR")
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Iterative depth check: recursion on hostile input is exactly what we refuse."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return False


def reject_unknown(value: Mapping[str, Any], allowed: set[str] | frozenset[str], where: str) -> None:
    """API-03: unknown members are an error, not silently ignored."""
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise bad_request(f"unknown {where} member(s): {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def require_object(value: Any, where: str, *, optional: bool = False) -> dict[str, Any]:
    if value is None and optional:
        return {}
    if not isinstance(value, dict):
        got = "missing" if value is None else f"a {type(value).__name__}"
        raise bad_request(f"{where} must be a JSON object, got {got}")
    return value


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(exc)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    response = problem_response(ProblemError(exc.status_code, exc.detail or HTTPStatus(exc.status_code).phrase))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _on_crash(request: Request, exc: Exception) -> Response:
    # Log the type and place only: request bodies may hold personal data.
    log.error("internal error on %s %s: %s", request.method, request.url.path, type(exc).__name__, exc_info=exc)
    return problem_response(ProblemError(500, f"internal error ({type(exc).__name__}); this is a lerconf bug"))


exception_handlers: dict[Any, Any] = {ProblemError: _on_problem, HTTPException: _on_http, Exception: _on_crash}


@contextlib.contextmanager
def signing_problems(what: str, action: str = "refusing to sign") -> Iterator[None]:
    """What can go wrong signing or deriving ``what`` (the credential, the presentation), as the API's
    problems: a 400 with PROOF_GENERATION_ERROR (or the proof's own code) for the caller's document,
    a 500 only when one of the reference's own registered documents cannot be loaded."""
    try:
        yield
    except SdProofError as exc:
        raise bad_request(f"{action}: {exc}", "PROOF_GENERATION_ERROR") from None
    except ProofGenerationError as exc:
        raise bad_request(f"{action}: {exc}", exc.code) from None
    except JsonLdError as exc:
        raise bad_request(f"{what} is not processable JSON-LD: {exc}", "PROOF_GENERATION_ERROR") from None
    except ResolutionError as exc:
        if exc.setup:
            raise ProblemError(500, f"the reference cannot load a registered document: {exc}") from None
        raise bad_request(f"a context could not be loaded: {exc}", "PROOF_GENERATION_ERROR") from None
