"""The LMC oid4-ecdsa profile's issuer rules (``LMC-OE-*``), judged on badges the vendor's OID4VCI
issuer issues to lerconf playing the wallet.

The profile's badge comes from the ``ldp_vc`` OpenBadgeCredential configuration the profile names
(``options.configurations.ldp_vc``) when its metadata advertises ``ecdsa-rdfc-2019``, else the first
that does, else the vendor's ``ldp_vc`` configuration (judged as it is). lerconf has one badge
issued through each grant the vendor claims (pre-authorized code, authorization code), once per run
and vendor: LMC-OE-05 is whether a badge came through both; the badge rules (VCDM 2.0
OpenBadgeCredential, the ECDSA P-256 proof, verified by lerconf's engine, and its key, the issuer's
own status list, validUntil) are judged on every badge that came, each named by its grant; the TLS
rule on every endpoint the profile section, the issuer metadata and its authorization server's
metadata name.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lerconf.checks import lmc as checks
from lerconf.checks.ecosystem import TlsFacts
from lerconf.clients.tls_probe import ProbeLimits, probe_tls
from lerconf.evidence import Evidence
from lerconf.results import Category, CheckResult, Status
from lerconf.scenarios import oid4vci_flow as flow
from lerconf.scenarios.ecosystem_lmc import issuer_badge_facts
from lerconf.scenarios.expect import expect_checkable, expect_requirement_met
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.oid4vci_issuance import issue_with_code
from lerconf.scenarios.vcapi import verify
from lerconf.verdicts import Broken, CannotJudge

__all__ = ["ecdsa_configuration", "issuer_rules", "oid4vci_tls", "tls_rule"]

#: the issuer metadata's endpoints, probed for TLS besides the profile section's
METADATA_ENDPOINTS = ("credential_endpoint", "nonce_endpoint", "deferred_credential_endpoint", "notification_endpoint")
#: the authorization server metadata's endpoints, probed too
AS_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "pushed_authorization_request_endpoint")
OPEN_BADGE = "OpenBadgeCredential"
#: the parts of lerconf's verification that say whether the badge's proof holds (LMC-OE-02 includes them)
PROOF_PARTS = frozenset({Category.PARSE, Category.PROOF})


def _ecdsa_open_badge(config: Any) -> bool:
    if not isinstance(config, Mapping) or config.get("format") != "ldp_vc":
        return False
    algs = config.get("credential_signing_alg_values_supported")
    definition = config.get("credential_definition")
    types = definition.get("type") if isinstance(definition, Mapping) else None
    return isinstance(algs, list) and checks.ECDSA_SUITE in algs and isinstance(types, list) and OPEN_BADGE in types


def ecdsa_configuration(session: flow.VciSession) -> str:
    """The configuration the profile's badge is asked for from (see the module docstring)."""
    configurations = session.require_metadata().get("credential_configurations_supported")
    offered = configurations if isinstance(configurations, Mapping) else {}
    named = session.section.configuration_for("ldp_vc")
    if named is not None and _ecdsa_open_badge(offered.get(named)):
        return named
    found = next((str(cid) for cid, config in offered.items() if _ecdsa_open_badge(config)), None)
    return found or session.configuration("ldp_vc")


@dataclass
class Issued:
    """What the vendor issued to lerconf through each grant, once per run: the badge or why none came."""

    configuration: str
    badges: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    #: the grants whose flow got no usable answer (a 5xx, a timeout): no verdict on them, never a failure
    unanswered: set[str] = field(default_factory=set)

    def outcome(self) -> dict[str, str | None]:
        return {grant: None if grant in self.badges else self.missing.get(grant, "not tried") for grant in checks.GRANTS}


def _issued(session: flow.VciSession, evidence: Evidence, grant: str) -> tuple[Mapping[str, Any] | None, str | None]:
    """(the badge issued through ``grant`` or None, why none came): a flow that was refused or went wrong on
    the way is this grant's missing badge (LMC-OE-05), never another rule's failure; one that got no usable
    answer raises Broken (the caller keeps it apart)."""
    try:
        issuance = flow.issue(session, evidence, "ldp_vc") if grant == "pre-authorized_code" else \
            issue_with_code(session, evidence, "ldp_vc")
    except (CannotJudge, AssertionError) as exc:
        return None, str(exc)
    document = flow.credential_document(issuance)
    if document is None:
        step = "the token request" if issuance.token is not None and issuance.answer is issuance.token else \
            "the credential request"
        return None, f"{step} was answered {issuance.answer.exchange.reason}"
    return document, None


def _issued_once(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, session: flow.VciSession) -> Issued:
    key = ("lmc-oid4-ecdsa", vendor.name)
    found: Issued | None = harness.cache.get(key)
    if found is None:
        claimed = vendor.profile.oid4vci_issuer.grants if vendor.profile.oid4vci_issuer is not None else ()
        try:
            config = ecdsa_configuration(session)
        except Broken as exc:
            found = Issued("none", missing={g: str(exc) for g in checks.GRANTS})
        else:
            session.preferred["ldp_vc"] = config
            found = Issued(config)
            for grant in checks.GRANTS:
                if grant not in claimed:
                    found.missing[grant] = "the vendor's oid4vci_issuer does not claim the grant"
                    continue
                try:
                    document, why = _issued(session, evidence, grant)
                except Broken as exc:
                    found.unanswered.add(grant)
                    document, why = None, str(exc)
                if document is not None:
                    found.badges[grant] = document
                else:
                    found.missing[grant] = str(why)
        harness.cache[key] = found
    else:
        evidence.notes.append("the badges were issued once for this vendor, in an earlier LMC oid4-ecdsa scenario")
    evidence.notes.append(f"the profile's badge was asked for from the configuration {found.configuration}")
    for grant, badge in found.badges.items():
        evidence.keep(f"badge issued through {grant}", badge)
    return found


def issuer_rules(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, session: flow.VciSession,
                 requirement: str) -> None:
    """One of LMC-OE-01..05 and -07 (see the module docstring)."""
    issued = _issued_once(harness, vendor, evidence, session)
    if requirement == "LMC-OE-05":
        if issued.unanswered:  # a 5xx or a timeout says nothing about whether the issuer supports the grant
            raise Broken("; ".join(f"{g}: {issued.missing[g]}" for g in sorted(issued.unanswered)))
        expect_requirement_met(evidence, [checks.oe_issues_through_both_grants(issued.outcome())], requirement)
        return
    if not issued.badges:
        raise Broken("prerequisite: no badge was issued through either grant: " + "; ".join(
            f"{g}: {w}" for g, w in issued.outcome().items()))
    results = [dataclasses.replace(r, subject=f"badge issued through {grant}")
               for grant, badge in issued.badges.items() for r in _badge_results(harness, badge, requirement)]
    expect_checkable(results, evidence=evidence)
    expect_requirement_met(evidence, results, requirement)


def _proof_holds(harness: Harness, badge: Mapping[str, Any]) -> list[CheckResult]:
    """lerconf's engine on the badge: the results about its proof (a badge whose ECDSA signature does not
    verify is not signed with ecdsa-rdfc-2019, whatever its proof says it is)."""
    report = verify(harness, dict(badge), "the LMC oid4-ecdsa badge")
    return [r for r in report.checks if r.category in PROOF_PARTS and r.status is not Status.NOT_APPLICABLE]


def _badge_results(harness: Harness, badge: Mapping[str, Any], requirement: str) -> list[CheckResult]:
    facts = issuer_badge_facts(harness, badge)
    return {
        "LMC-OE-01": lambda: [checks.oe_vcdm2_open_badge(badge)],
        "LMC-OE-02": lambda: [checks.oe_ecdsa_rdfc_assertion_proof(badge, facts.controller, facts.relationships),
                              *_proof_holds(harness, badge)],
        "LMC-OE-03": lambda: [checks.oe_did_web_or_key_p256(facts.issuer, facts.method_type, facts.curve)],
        "LMC-OE-04": lambda: [checks.oe_own_bitstring_status_list(badge, facts.status_list, facts.list_key,
                                                                  facts.list_problem)],
        "LMC-OE-07": lambda: [checks.oe_valid_until(badge)],
    }[requirement]()


def oid4vci_tls(vendor: VendorUnderTest, evidence: Evidence, session: flow.VciSession) -> list[TlsFacts]:
    """TLS handshakes with the section's endpoints, every endpoint the issuer metadata names and every one
    its authorization server's metadata names (for LMC-OE-06)."""
    profile, section = vendor.profile, vendor.profile.oid4vci_issuer
    urls = list(section.urls.values()) if section is not None else []
    document = session.metadata.document or {}
    urls += [str(document[k]) for k in METADATA_ENDPOINTS if isinstance(document.get(k), str)]
    servers = document.get("authorization_servers")
    for server in servers if isinstance(servers, list) and servers else [session.metadata.identifier]:
        answer = session.client.authorization_server_metadata(session.metadata, str(server))
        body = answer.body if isinstance(answer.body, Mapping) else {}
        urls += [str(server)] + [str(body[k]) for k in AS_ENDPOINTS if isinstance(body.get(k), str)]
    ca_files = [profile.tls_ca_file] if profile.tls_ca_file is not None else []
    http = vendor.http  # the probe connects where, and as long as, the vendor's calls may
    limits = ProbeLimits(connect=http.timeouts.connect, total=http.timeouts.total,
                         allowed_hosts=frozenset(http.allowed_hosts), allow_private=http.allow_private)
    probed = list(dict.fromkeys(urls))
    evidence.notes.append("endpoints probed: " + ", ".join(probed))
    return [probe_tls(url, ca_files, limits) for url in probed]


def tls_rule(evidence: Evidence, facts: list[TlsFacts], requirement: str = "LMC-OE-06") -> None:
    """LMC-OE-06 on what the handshakes showed."""
    if requirement != "LMC-OE-06":
        raise KeyError(f"{requirement} is not judged on TLS handshakes (LMC-OE-06 is)")
    expect_requirement_met(evidence, [checks.oe_endpoints_tls12(facts)], requirement)
