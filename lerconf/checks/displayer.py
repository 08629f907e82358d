"""What a displayer showed and a verifier web page said, and what they fetched (OB-30, OB-31, OB-28, LCD-01…04).

Two kinds of evidence, never mixed: the operator's answers (what a person saw on the screen:
*attested*) and lerconf's own endpoints (which status lists and DID documents were fetched:
*automated*). Each check names which it reads. Plain data in, a verdict out: the questions the
operator answered are lerconf.clients.manual.session.Question values, their answers strings.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed, warning
from lerconf.results import Category, CheckResult

__all__ = ["DETAIL_FIELDS", "PAGE_REFUSALS", "REASONS", "RECIPIENT_ANSWERS", "STATUS_WORDS", "displayed_details",
           "displayed_status", "issuer_key_resolved", "page_checked_the_recipient", "page_names_the_reason",
           "page_shows_valid_as_valid", "status_list_fetched"]

#: the fields OB-31 names, as the operator page asks about them (image only when the badge was baked)
DETAIL_FIELDS = {"image": "image", "name": "badge name", "description": "description", "issuer": "issuer name",
                 "issued": "issue date"}
#: what the displayer may show as a badge's status (the operator picks one, without being told the answer)
STATUS_WORDS = {"valid": "valid / verified", "expired": "expired", "revoked": "revoked",
                "invalid": "invalid / not verified, without saying why", "none": "no status shown"}
#: why a verifier page may say it refused a badge
REASONS = {"signature": "the signature or proof is wrong", "schema": "the content or format is wrong (schema)",
           "expired": "expired", "revoked": "revoked", "other": "another reason", "none": "no reason given"}
#: what a verifier page may say about the recipient it was given (OB-28)
RECIPIENT_ANSWERS = {"match": "the badge is this recipient's", "mismatch": "the badge is not this recipient's",
                     "unchecked": "the page did not check the recipient"}
#: the forms a badge was opened in that carry its image (OB-19 / OB-20 baking)
BAKED_FORMS = ("png", "svg")


@check("OB-30", Category.STATUS)
def displayed_status(expected: str, how: str, reported: str) -> Verdict:
    """The displayer distinguishes valid, expired and revoked badges (attested: the operator says
    which status the screen showed, asked without being told the answer)."""
    if how == "error":
        return failed(f"the operator reported that the displayer could not open the {expected} badge")
    if reported == expected:
        return passed(f"the operator reported the {expected} badge shown as {STATUS_WORDS[expected]}")
    shown = STATUS_WORDS.get(reported, reported)
    return failed(f"the operator reported the {expected} badge shown as {shown}, not as {expected}")


@check("OB-31", Category.STRUCTURE)
def displayed_details(answers: Mapping[str, str], how: str, form: str) -> Verdict:
    """The displayer shows the badge's image (if baked), name, description, issuer name and issue
    date (attested: the operator compares each with what lerconf issued, printed beside it)."""
    if how == "error":
        return failed("the operator reported that the displayer could not open the badge")
    wrong = []
    for key, label in DETAIL_FIELDS.items():
        answer = answers.get(key, "missing")
        if key == "image" and form not in BAKED_FORMS:
            continue  # a badge opened as JSON or a link carries no baked image to show
        if answer != "same":
            wrong.append(f"{label} {'not shown' if answer == 'missing' else 'shown differently'}")
    if wrong:
        return failed(f"the operator reported (opened as {form}): " + "; ".join(wrong))
    shown = [label for key, label in DETAIL_FIELDS.items() if key != "image" or form in BAKED_FORMS]
    return passed(f"the operator reported {', '.join(shown)} shown as issued (opened as {form})")


@check("LCD-01", Category.STATUS)
def status_list_fetched(list_url: str | None, during: int, earlier: int) -> Verdict:
    """The displayer fetched the revoked badge's status list while showing it, or earlier (automated:
    lerconf's own endpoints recorded the fetches)."""
    if list_url is None:
        return not_applicable("the badge names no status list on lerconf's reference")
    if during:
        return passed(f"lerconf's endpoints saw {list_url} fetched {during} time(s) while the badge was open")
    if earlier:
        return passed(f"lerconf's endpoints saw {list_url} fetched {earlier} time(s) in earlier steps (a cached list)")
    return failed(f"lerconf's endpoints never saw {list_url} fetched: the displayer cannot have checked whether the "
                  "badge is revoked")


@check("LCD-02", Category.ISSUER_BINDING)
def issuer_key_resolved(did_url: str | None, during: int, earlier: int) -> Verdict:
    """The displayer resolved the issuer's did:web document (the key that signed the badge) while
    showing it, or earlier (automated: lerconf's own endpoints)."""
    if did_url is None:
        return not_applicable("the badge's issuer is not lerconf's did:web")
    if during:
        return passed(f"lerconf's endpoints saw {did_url} fetched {during} time(s) while the badge was open")
    if earlier:
        return passed(f"lerconf's endpoints saw {did_url} fetched {earlier} time(s) in earlier steps (a cached document)")
    return failed(f"lerconf's endpoints never saw {did_url} fetched: the displayer cannot have verified the badge's "
                  "signature with its issuer's key")


@check("LCD-03", Category.PROOF)
def page_shows_valid_as_valid(how: str, verdict: str, reason: str) -> Verdict:
    """A verifier web page shows a valid badge as valid (attested: the operator reports the page's verdict)."""
    if how == "error":
        return failed("the operator reported that the page could not take the valid badge")
    if verdict == "valid":
        return passed("the operator reported the valid badge shown as valid")
    return failed(f"the operator reported the valid badge shown as not valid ({REASONS.get(reason, reason)})")


def _refusal(requirement: str, category: Category, what: str) -> Callable[..., CheckResult]:
    @check(requirement, category)
    def page_refuses(*, how: str, verdict: str) -> Verdict:
        """A verifier web page refuses the defective badge (attested: the operator reports the page's verdict)."""
        if how == "error":
            return passed(f"the operator reported that the page would not take the badge {what}")
        if verdict == "invalid":
            return passed(f"the operator reported the badge {what} shown as not valid")
        return failed(f"the operator reported the badge {what} shown as valid")

    return page_refuses


#: defect -> (the check of the page refusing it, the reason the page should name)
PAGE_REFUSALS: dict[str, tuple[Callable[..., CheckResult], str]] = {
    "broken-signature": (_refusal("DI-15", Category.PROOF, "whose signature is broken"), "signature"),
    "schema-defect": (_refusal("OB-21", Category.SCHEMA, "with a schema defect signed after it was made"), "schema"),
    "expired": (_refusal("OB-27", Category.DATES, "that expired (validly signed)"), "expired"),
    "revoked": (_refusal("BSL-18", Category.STATUS, "that was revoked"), "revoked"),
}


@check("LCD-04", Category.PROOF)
def page_names_the_reason(expected: str, how: str, verdict: str, reason: str) -> Verdict:
    """A verifier web page that refuses a badge names the defect it has (attested: the operator
    reports the reason the page gave; a wrong reason is marked as such)."""
    if how == "error" or verdict != "invalid":
        return not_applicable("the page did not refuse the badge, so it gave no reason to judge")
    if reason == expected:
        return passed(f"the operator reported the page's reason: {REASONS[expected]}")
    if reason == "none":
        return warning(f"right verdict, no reason: the page gave none (the badge is {REASONS[expected]})")
    return warning(f"right verdict, wrong reason: the page said {REASONS.get(reason, reason)!r}; the badge's "
                   f"defect is {REASONS[expected]!r}")


@check("OB-28", Category.STRUCTURE)
def page_checked_the_recipient(expected: str, how: str, answer: str) -> Verdict:
    """A verifier web page given the expected recipient says whether the badge is theirs: it matches the
    badge's (hashed) IdentityObject against that email address (Open Badges 3.0 verification step 5;
    attested: the operator reports what the page said about the recipient)."""
    want = RECIPIENT_ANSWERS[expected]
    if how == "error":
        return failed(f"the operator reported that the page could not take the badge (expected: {want})")
    if answer == expected:
        return passed(f"the operator reported the page's answer: {want}")
    said = RECIPIENT_ANSWERS.get(answer, answer or "nothing")
    return failed(f"the operator reported the page's answer: {said}; the badge {'names' if expected == 'match' else 'does not name'} "
                  "the recipient lerconf gave")
