"""What an issuer delivered as files or links, judged as files (OB-17, OB-18) and against what the
vendor said they are (LCA-01). The credential inside each is judged by the engine like any other.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from lerconf.checks.base import Verdict, check, failed, passed, warning
from lerconf.checks.ob import types_of
from lerconf.results import Category

__all__ = ["JSON_MEDIA_TYPES", "JWS_MEDIA_TYPES", "artefact_is_as_described", "artefact_served_with_its_media_type",
           "file_holds_one_credential"]

#: OB 3.0 §"Web Resource": JSON SHOULD be served as application/vc+ld+json; these two are also allowed
JSON_MEDIA_TYPES = ("application/vc+ld+json", "application/ld+json", "application/json")
#: a compact JWS is served as text/plain (OB 3.0); application/vc+jwt is VC-JOSE-COSE's own, accepted too
JWS_MEDIA_TYPES = ("text/plain", "application/vc+jwt", "application/jwt")
IMAGE_MEDIA_TYPES = {"png": ("image/png",), "svg": ("image/svg+xml",)}
_JSON_EXTENSIONS = (".json", ".jsonld")
_JWS_EXTENSIONS = (".jws", ".jwt")


@check("OB-17", Category.STRUCTURE)
def file_holds_one_credential(kind: str | None, value: Any, *, file_name: str | None, problem: str | None = None,
                              baked: bool = False) -> Verdict:
    """One credential per file: JSON (``.json``) for an embedded proof, a compact JWS (``.jws`` /
    ``.jwt``) for a VC-JWT. ``kind`` is what lerconf read ("json", "jwt", None when it could not
    read one), ``problem`` why not. A baked image holds one credential by OB-19 / OB-20 instead."""
    if problem is not None or kind is None:
        return failed(f"not one credential: {problem or 'nothing readable'}", subject=file_name or "")
    if kind == "json":
        if isinstance(value, list):
            return failed(f"a JSON array of {len(value)} items: a file holds exactly one credential", subject=file_name or "")
        if not isinstance(value, Mapping):
            return failed(f"a JSON {type(value).__name__}, not a credential", subject=file_name or "")
        types = types_of(value.get("type"))
        if "VerifiablePresentation" in types:
            return failed("a presentation, not a credential: a badge file holds exactly one credential",
                          subject=file_name or "")
        if "VerifiableCredential" not in types and "EnvelopedVerifiableCredential" not in types:
            return failed(f"type {value.get('type')!r} names no VerifiableCredential", subject=file_name or "")
    if baked or file_name is None:
        return passed(f"one credential ({'a compact JWS' if kind == 'jwt' else 'JSON'})")
    suffix = PurePosixPath(file_name).suffix.lower()
    wanted = _JWS_EXTENSIONS if kind == "jwt" else _JSON_EXTENSIONS
    if suffix == wanted[0] or suffix in wanted:
        return passed(f"one credential ({'a compact JWS' if kind == 'jwt' else 'JSON'}) in a {suffix} file")
    if suffix in (*_JSON_EXTENSIONS, *_JWS_EXTENSIONS):
        return failed(f"{'a compact JWS' if kind == 'jwt' else 'JSON'} in a {suffix} file: OB 3.0 names "
                      f"{' or '.join(wanted)} for it", subject=file_name)
    return warning(f"one credential, in a file named {file_name!r}: OB 3.0 names {' or '.join(wanted)} for "
                   f"{'a compact JWS' if kind == 'jwt' else 'JSON'}", subject=file_name)


@check("OB-18", Category.PROTOCOL)
def artefact_served_with_its_media_type(form: str, media_type: str | None) -> Verdict:
    """A badge URL serves JSON as ``application/vc+ld+json`` (``application/ld+json`` or
    ``application/json`` also allowed) and a compact JWS as ``text/plain``; a baked image as its
    image type. ``form`` is "json", "jwt", "png" or "svg"."""
    served = (media_type or "").split(";")[0].strip().lower()
    allowed = {"json": JSON_MEDIA_TYPES, "jwt": JWS_MEDIA_TYPES, **IMAGE_MEDIA_TYPES}[form]
    if served in allowed:
        better = "" if served == allowed[0] or form != "json" else f" (OB 3.0 prefers {allowed[0]})"
        return passed(f"served as {served}{better}")
    return failed(f"served as {media_type or 'no Content-Type'}: OB 3.0 serves {form.upper()} as "
                  f"{' or '.join(allowed)}", subject="Content-Type")


@check("LCA-01", Category.STRUCTURE)
def artefact_is_as_described(described: Mapping[str, str], observed: Mapping[str, str | None]) -> Verdict:
    """Each thing the vendor said an artefact is (``issuer.artefacts[].is`` and ``issuer.id``) is
    what lerconf found in it: type, VC version, securing mechanism, status, baking, issuer.
    A field lerconf could not observe (e.g. a status list it could not reach) is named, not judged."""
    if not described:
        return passed("the vendor described nothing about this artefact: nothing to contradict")
    wrong = [f"{name}: said {said!r}, is {observed[name]!r}" for name, said in described.items()
             if observed.get(name) is not None and observed[name] != said]
    unseen = [name for name in described if observed.get(name) is None]
    if wrong:
        return failed("not what the vendor said it is: " + "; ".join(wrong), contradictions=wrong, not_observed=unseen)
    note = f" (not observed: {', '.join(unseen)})" if unseen else ""
    agreed = [name for name in described if name not in unseen]
    return passed(f"as described: {', '.join(agreed) or 'nothing observable'}{note}", not_observed=unseen)
