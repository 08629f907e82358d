"""The LMC oid4-ecdsa profile's issuer rules (``LMC-OE-*``), judged on badges the vendor's OID4VCI
issuer issues to lerconf playing the wallet.

The profile's badge comes from an ``ldp_vc`` OpenBadgeCredential configuration whose metadata
advertises ``ecdsa-rdfc-2019`` (else from the vendor's ``ldp_vc`` configuration, judged as it is).
lerconf has one badge issued through each grant (pre-authorized code, then authorization code):
LMC-OE-05 is whether both came; the badge rules (VCDM 2.0 OpenBadgeCredential, the ECDSA P-256
proof and key, the issuer's own status list, validUntil) are judged on the first that came; the TLS
rule on every endpoint the profile section and the issuer's metadata name.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf.checks import lmc as checks
from lerconf.checks.ecosystem import TlsFacts
from lerconf.clients.tls_probe import ProbeLimits, probe_tls
from lerconf.evidence import Evidence
from lerconf.results import CheckResult
from lerconf.scenarios import oid4vci_flow as flow
from lerconf.scenarios.ecosystem_lmc import issuer_badge_facts
from lerconf.scenarios.expect import expect_checkable, expect_requirement_met
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.oid4vci_issuance import issue_with_code
from lerconf.verdicts import Broken

__all__ = ["ecdsa_configuration", "issuer_rules", "oid4vci_tls", "tls_rule"]

#: the metadata endpoints an issuer names (its own and its authorization server's), probed for TLS too
METADATA_ENDPOINTS = ("credential_endpoint", "nonce_endpoint", "deferred_credential_endpoint")


def ecdsa_configuration(session: flow.VciSession) -> str:
    """The ldp_vc OpenBadgeCredential configuration advertising ecdsa-rdfc-2019 (else the vendor's ldp_vc one)."""
    configurations = session.require_metadata().get("credential_configurations_supported")
    for cid, config in (configurations.items() if isinstance(configurations, Mapping) else []):
        if not isinstance(config, Mapping) or config.get("format") != "ldp_vc":
            continue
        algs = config.get("credential_signing_alg_values_supported")
        if isinstance(algs, list) and checks.ECDSA_SUITE in algs:
            return str(cid)
    return session.configuration("ldp_vc")


def _issued(session: flow.VciSession, evidence: Evidence, grant: str) -> tuple[Any, str | None]:
    """(the badge issued through ``grant`` or None, why none came)."""
    try:
        issuance = flow.issue(session, evidence, "ldp_vc") if grant == "pre-authorized_code" else \
            issue_with_code(session, evidence, "ldp_vc")
    except Broken as exc:
        return None, str(exc)
    document = flow.credential_document(issuance)
    if document is None:
        return None, f"the credential request was answered {issuance.answer.exchange.reason}"
    return document, None


def issuer_rules(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, session: flow.VciSession,
                 requirement: str) -> None:
    """One of LMC-OE-01..05 and -07: badges issued through both grants, judged against the profile."""
    claimed = vendor.profile.oid4vci_issuer.grants if vendor.profile.oid4vci_issuer is not None else ()
    config = ecdsa_configuration(session)
    session.preferred["ldp_vc"] = config
    evidence.notes.append(f"the profile's badge is asked for from the configuration {config}")
    issued: dict[str, str | None] = {}
    badge: Mapping[str, Any] | None = None
    for grant in checks.GRANTS:
        if grant not in claimed:
            issued[grant] = "the vendor's oid4vci_issuer does not claim the grant"
            continue
        document, why = _issued(session, evidence, grant)
        issued[grant] = why
        badge = badge or document
    if requirement == "LMC-OE-05":
        expect_requirement_met(evidence, [checks.oe_issues_through_both_grants(issued)], requirement)
        return
    if badge is None:
        raise Broken("prerequisite: no badge was issued through either grant: " + "; ".join(
            f"{g}: {w}" for g, w in issued.items()))
    results = _badge_results(harness, badge, requirement)
    expect_checkable(results, evidence=evidence)
    expect_requirement_met(evidence, results, requirement)


def _badge_results(harness: Harness, badge: Mapping[str, Any], requirement: str) -> list[CheckResult]:
    facts = issuer_badge_facts(harness, badge)
    return {
        "LMC-OE-01": lambda: [checks.oe_vcdm2_open_badge(badge)],
        "LMC-OE-02": lambda: [checks.oe_ecdsa_rdfc_assertion_proof(badge, facts.controller, facts.relationships)],
        "LMC-OE-03": lambda: [checks.oe_did_web_or_key_p256(facts.issuer, facts.method_type, facts.curve)],
        "LMC-OE-04": lambda: [checks.oe_own_bitstring_status_list(badge, facts.status_list, facts.list_key,
                                                                  facts.list_problem)],
        "LMC-OE-07": lambda: [checks.oe_valid_until(badge)],
    }[requirement]()


def oid4vci_tls(vendor: VendorUnderTest, evidence: Evidence, session: flow.VciSession) -> list[TlsFacts]:
    """TLS handshakes with the section's endpoints and every endpoint the metadata names (for LMC-OE-06)."""
    profile, section = vendor.profile, vendor.profile.oid4vci_issuer
    urls = list(section.urls.values()) if section is not None else []
    document = session.metadata.document or {}
    urls += [str(document[k]) for k in METADATA_ENDPOINTS if isinstance(document.get(k), str)]
    ca_files = [profile.tls_ca_file] if profile.tls_ca_file is not None else []
    http = vendor.http  # the probe connects where, and as long as, the vendor's calls may
    limits = ProbeLimits(connect=http.timeouts.connect, total=http.timeouts.total,
                         allowed_hosts=frozenset(http.allowed_hosts), allow_private=http.allow_private)
    facts = [probe_tls(url, ca_files, limits) for url in dict.fromkeys(urls)]
    evidence.notes.append("endpoints probed: " + ", ".join(dict.fromkeys(urls)))
    return facts


def tls_rule(evidence: Evidence, facts: list[TlsFacts]) -> None:
    """LMC-OE-06 on what the handshakes showed."""
    expect_requirement_met(evidence, [checks.oe_endpoints_tls12(facts)], "LMC-OE-06")
