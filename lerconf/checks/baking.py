"""OB-19 / OB-20: a badge baked into an image the way Open Badges 3.0 §"Image Format" says.

The image is read by lerconf.documents.baked; these checks turn what it found into results. The
credential found inside is then verified like any other (lerconf verify, artefact runs)."""
from __future__ import annotations

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.documents.baked import KEYWORD, NAMESPACE, Baked
from lerconf.results import Category

__all__ = ["png_baking_follows_the_spec", "svg_baking_follows_the_spec"]


@check("OB-19", Category.STRUCTURE)
def png_baking_follows_the_spec(baked: Baked) -> Verdict:
    """A baked PNG has exactly one uncompressed iTXt chunk with keyword ``openbadgecredential``
    holding the credential's JSON or compact JWS."""
    if baked.image != "png":
        return not_applicable("not a PNG")
    if baked.findings:
        return failed("; ".join(baked.findings), subject=KEYWORD)
    return passed(f"one uncompressed iTXt chunk with keyword {KEYWORD!r} holds the credential")


@check("OB-20", Category.STRUCTURE)
def svg_baking_follows_the_spec(baked: Baked) -> Verdict:
    """A baked SVG declares ``xmlns:openbadges`` and has exactly one ``<openbadges:credential>`` with a
    ``verify`` attribute (compact JWS) or the JSON as its content."""
    if baked.image != "svg":
        return not_applicable("not an SVG")
    if baked.findings:
        return failed("; ".join(baked.findings), subject="openbadges:credential")
    return passed(f"one <openbadges:credential> element in the {NAMESPACE} namespace holds the credential")
