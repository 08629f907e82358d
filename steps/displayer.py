"""Steps of features/displayer/: a displayer and a verifier web page, tested by a person (one line
each into lerconf.scenarios.displayer and lerconf.scenarios.page_verifier)."""
from __future__ import annotations

from pytest_bdd import given, parsers, then

from lerconf.evidence import Evidence
from lerconf.scenarios import displayer as judge
from lerconf.scenarios import page_verifier as page
from lerconf.scenarios.harness import Harness, VendorUnderTest


@given(parsers.parse('the {status} badge lerconf made for VC "{vc_version}" was opened in the displayer under test'),
       target_fixture="opened")
def _(harness: Harness, vendor: VendorUnderTest, status: str, vc_version: str) -> tuple[str, str]:
    return judge.opened(harness, vendor, vc_version, status)


@then(parsers.parse("the operator saw it shown as {status}"))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, opened: tuple[str, str], status: str) -> None:
    judge.displayer_shows_status(harness, vendor, evidence, *opened)


@then("the operator saw its details shown as lerconf issued them")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, opened: tuple[str, str]) -> None:
    judge.displayer_shows_details(harness, vendor, evidence, *opened)


@then("lerconf's endpoints saw the displayer fetch the badge's status list")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, opened: tuple[str, str]) -> None:
    judge.displayer_fetched_status_list(harness, vendor, evidence, opened[0])


@then("lerconf's endpoints saw the displayer fetch the issuer's DID document")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, opened: tuple[str, str]) -> None:
    judge.displayer_resolved_issuer_key(harness, vendor, evidence, opened[0])


@given(parsers.parse('the {kind} badge lerconf made for VC "{vc_version}" was checked on the verifier page under test'),
       target_fixture="checked")
def _(harness: Harness, vendor: VendorUnderTest, kind: str, vc_version: str) -> tuple[str, str]:
    return page.checked(harness, vendor, vc_version, kind)


@then("the operator saw the page show it as valid")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, checked: tuple[str, str]) -> None:
    page.page_shows_valid(harness, vendor, evidence, *checked)


@then("the operator saw the page refuse it")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, checked: tuple[str, str]) -> None:
    page.page_refuses(harness, vendor, evidence, *checked)


@then("the operator saw the page name the defect as the reason")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, checked: tuple[str, str]) -> None:
    page.page_names_reason(harness, vendor, evidence, *checked)


@given(parsers.parse('the badge lerconf made for VC "{vc_version}" naming the recipient by a hashed email was checked '
                     'on the verifier page under test against that email'), target_fixture="checked")
def _(harness: Harness, vendor: VendorUnderTest, vc_version: str) -> tuple[str, str]:
    return page.checked(harness, vendor, vc_version, "recipient")


@given(parsers.parse('the badge lerconf made for VC "{vc_version}" naming another person by a hashed email was checked '
                     "on the verifier page under test against the first recipient's email"), target_fixture="checked")
def _(harness: Harness, vendor: VendorUnderTest, vc_version: str) -> tuple[str, str]:
    return page.checked(harness, vendor, vc_version, "other-recipient")


@then("the operator saw the page say the badge is that recipient's")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, checked: tuple[str, str]) -> None:
    page.page_confirms_recipient(harness, vendor, evidence, *checked)


@then("the operator saw the page say the badge is not that recipient's")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, checked: tuple[str, str]) -> None:
    page.page_tells_other_recipient(harness, vendor, evidence, *checked)
