"""The roles lerconf tests, named once.

A vendor profile describes the VC API roles (``issuer``, ``verifier``, ``holder``) and the OpenID
roles (``oid4vci_issuer``, ``oid4vp_verifier``, ``wallet``) and the 1EdTech REST API
roles (``ob_provider``: an Open Badges 3.0 / CLR 2.0 host; ``ob_consumer``: a client of one, an issuer
pushing badges or a wallet pulling them), the VCALM exchange roles (``vcalm_issuer``, ``vcalm_verifier``:
lerconf plays the wallet; ``vcalm_wallet``: lerconf runs the exchanges) and ``artefact_issuer`` (an issuer judged by the files and links it
delivered, ``issuer.artefacts``) and the roles only a person can drive (``displayer``: a wallet or page that
shows badges; ``page_verifier``: a verifier that is only a web page), judged partly by attested evidence;
a run can be limited to any of them.
Scenarios are also tagged ``lifecycle`` (issue → present → revoke across roles) and ``interop``
(one vendor's issuer against another's verifier): those combine the roles above.
"""
from __future__ import annotations

from collections.abc import Collection

__all__ = [
    "ARTEFACT_ROLES",
    "OBAPI_ROLES",
    "OPENID_ROLES",
    "PERSON_ROLES",
    "REPORT_ROLE_ORDER",
    "SCENARIO_ROLES",
    "SELECTABLE_ROLES",
    "VCALM_ROLES",
    "VCALM_WALLET_ROLE",
    "VCAPI_ROLES",
    "WALLET_ROLES",
    "vendor_role",
]

#: the VC API roles: profile sections, and what an embedded reference without a profile plays
VCAPI_ROLES = ("issuer", "verifier", "holder")
#: the OpenID roles: lerconf plays the wallet against the first two, the issuer and verifier against a wallet
OPENID_ROLES = ("oid4vci_issuer", "oid4vp_verifier", "wallet")
#: the 1EdTech REST API roles: lerconf plays the Service Consumer against an OB 3.0 / CLR 2.0 host
#: (ob_provider), and the host with its authorization server for a consumer (ob_consumer)
OBAPI_ROLES = ("ob_provider", "ob_consumer")
#: VCALM workflows with exchanges: lerconf plays the wallet against a vendor's issuing or verifying workflow
VCALM_ROLES = ("vcalm_issuer", "vcalm_verifier")
#: a wallet in VCALM exchanges: lerconf runs the issuing and verifying exchanges, the vendor's wallet takes part
VCALM_WALLET_ROLE = "vcalm_wallet"
#: an issuer judged by what it delivered (badge files, baked images, links), not by a live endpoint
ARTEFACT_ROLES = ("artefact_issuer",)
#: roles only a person can drive: lerconf hands an operator badges to open and asks what the screen showed
PERSON_ROLES = ("displayer", "page_verifier")
#: roles whose vendor is a learner's wallet (one device, one holder): a run split over workers or CI jobs
#: keeps each wallet's scenarios together, one after another (lerconf.run.plugin, lerconf.shards)
WALLET_ROLES = ("wallet", VCALM_WALLET_ROLE)
#: roles a run can be limited to (--role); lifecycle and interop run whenever their roles do
SELECTABLE_ROLES = (*VCAPI_ROLES, *OPENID_ROLES, *OBAPI_ROLES, *VCALM_ROLES, VCALM_WALLET_ROLE, *ARTEFACT_ROLES,
                    *PERSON_ROLES)
#: the role tags of scenarios, in the order a scenario's role is read from its tags
SCENARIO_ROLES = ("issuer", "verifier", "holder", "lifecycle", "interop", *OPENID_ROLES, *OBAPI_ROLES, *VCALM_ROLES,
                  VCALM_WALLET_ROLE, *ARTEFACT_ROLES, *PERSON_ROLES)
#: the order reports list the VC API roles in (others follow)
REPORT_ROLE_ORDER = ("issuer", "holder", "verifier", "lifecycle")


def vendor_role(role: str, tags: Collection[str]) -> str:
    """The vendor role a scenario tests: its role tag, except the wallet lifecycles (tagged
    ``lifecycle`` and ``oid4vci``, or ``lifecycle`` and ``vcalm_wallet``), where lerconf plays issuer
    and verifier and the vendor is the wallet."""
    if role == "lifecycle" and VCALM_WALLET_ROLE in tags:
        return VCALM_WALLET_ROLE
    return "wallet" if role == "lifecycle" and "oid4vci" in tags else role
