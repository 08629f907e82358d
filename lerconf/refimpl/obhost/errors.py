"""``Imsx_StatusInfo`` error bodies: the OB 3.0 / CLR 2.0 APIs answer every refusal with one
(OBAPI-11), never with HTML or a problem detail, so a consumer can tell why it was refused."""
from __future__ import annotations

from starlette.responses import JSONResponse

__all__ = ["imsx_body", "imsx_error"]

#: HTTP status -> the imsx_codeMinorFieldValue that names it (the shipped schema's vocabulary)
CODE_MINOR = {
    400: "invalid_data",
    401: "unauthorizedrequest",
    403: "forbidden",
    404: "not_found",
    405: "not_allowed",
    406: "not_acceptable",
    413: "invalid_data",
    415: "invalid_data",
    500: "internal_server_error",
}
#: who reports the code minor (imsx_codeMinorFieldName)
SYSTEM = "TargetEndSystem"


def imsx_body(description: str, code_minor: str) -> dict[str, object]:
    """A failure ``Imsx_StatusInfo`` naming ``code_minor`` (a value of the schema's enumeration)."""
    return {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_codeMinor": {"imsx_codeMinorField": [
            {"imsx_codeMinorFieldName": SYSTEM, "imsx_codeMinorFieldValue": code_minor}]},
    }


def imsx_error(status: int, description: str, *, code_minor: str | None = None,
               headers: dict[str, str] | None = None) -> JSONResponse:
    """The error response: ``status`` with an ``Imsx_StatusInfo`` body (no caching)."""
    minor = code_minor or CODE_MINOR.get(status, "unknown")
    return JSONResponse(imsx_body(description, minor), status_code=status,
                        headers={"Cache-Control": "no-store", **(headers or {})})
