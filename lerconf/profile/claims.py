"""Claims against needs: is a scenario within what a vendor's profile says it supports?

A scenario whose needs the vendor does not claim is skipped "not claimed: …", never failed.
Needs come from the scenario's role tag and its example row (securing, vc_version, format, …).
"""
from __future__ import annotations

from typing import Any

from lerconf.ecosystems import profile_for_tag
from lerconf.profile.ecosystems import not_claimed as ecosystem_not_claimed
from lerconf.profile.load import CLAIM_FIELDS, VendorProfile
from lerconf.profile.oid4vp import not_claimed as oid4vp_not_claimed
from lerconf.profile.person import PERSON_SECTIONS
from lerconf.profile.person import not_claimed as person_not_claimed
from lerconf.profile.vcalm import not_claimed as vcalm_not_claimed
from lerconf.profile.vcalm_wallet import not_claimed as vcalm_wallet_not_claimed
from lerconf.profile.wallet import not_claimed as wallet_not_claimed
from lerconf.roles import VCALM_ROLES, VCALM_WALLET_ROLE, VCAPI_ROLES, vendor_role

#: the user property a scenario run in a draft mode carries; results.json's ``spec_mode``
SPEC_MODE_PROPERTY = "spec_mode"
DRAFT_ONLY = "draft-only"


def mark_draft_only(node: Any, spec: str) -> None:
    """Label the running scenario "draft-only: <spec>": it ran in a pre-final protocol mode the
    vendor's profile claims (OID4VCI draft 13, a pre-final OID4VP draft). The report never counts
    such a result as final-spec conformance. ``node`` is a pytest item or a ``request`` fixture."""
    item = getattr(node, "node", node)
    label = f"{DRAFT_ONLY}: {spec}"
    if (SPEC_MODE_PROPERTY, label) not in item.user_properties:
        item.user_properties.append((SPEC_MODE_PROPERTY, label))


def spec_mode(node: Any) -> str:
    """The scenario's draft-only labels ("" when it ran against the final specifications)."""
    labels = [str(v) for k, v in getattr(node, "user_properties", ()) if k == SPEC_MODE_PROPERTY]
    return "; ".join(dict.fromkeys(labels))

#: example-table columns that express a need the vendor's claims must cover
CLAIM_COLUMNS = {"securing": "securing", "vc_version": "vc_versions", "credential_type": "credential_types",
                 "status": "status"}


def not_claimed(profile: VendorProfile, meta: dict[str, Any]) -> str | None:
    """Why ``profile`` does not claim what the scenario described by ``meta`` needs, or None."""
    role = meta["role"]
    ecosystem = profile_for_tag(meta["tags"])
    if ecosystem is not None and (reason := ecosystem_not_claimed(profile.ecosystems, profile.name, ecosystem)):
        return reason  # an ecosystem profile's scenario runs only for a vendor claiming that profile
    if role in PERSON_SECTIONS:  # a displayer or verifier web page, driven by a person (lerconf/profile/person.py)
        return person_not_claimed(getattr(profile, role), profile.name, role, meta["example"])
    if role == "oid4vp_verifier":
        return oid4vp_not_claimed(profile.oid4vp_verifier, profile.name, meta["example"])
    if vendor_role(role, meta["tags"]) == VCALM_WALLET_ROLE:  # the wallet in VCALM exchanges (lerconf/profile/vcalm_wallet.py)
        return vcalm_wallet_not_claimed(profile.vcalm_wallet, profile.name, meta["tags"], meta["example"])
    if vendor_role(role, meta["tags"]) == "wallet":
        # the wallet section's claims vs the scenario (lerconf/wallet/profile.py); in the OpenID
        # lifecycle (features/lifecycle/wallet-*) the vendor is the wallet, lerconf the rest

        reason = wallet_not_claimed(profile.wallet, profile.name, meta["tags"], meta["example"])
        if reason is None and meta["example"].get("verifier") == "the vendor's verifier":
            section = profile.oid4vp_verifier
            if section is None:
                return f"{profile.name} has no oid4vp_verifier section"
            if section.verdict_from != "result_hook":
                return ("the vendor's verifier has no result hook: the wallet receives its direct_post answer, "
                        "so lerconf cannot observe the verdict")
        return reason
    if role == "lifecycle" and "ob_provider" in meta["tags"]:  # the lifecycle through the vendor's badge host
        host = profile.ob_provider
        if host is None:
            return f"{profile.name} has no ob_provider section (the host the badge is stored on)"
        lacking = sorted({need for operation in ("read", "write")
                          for need in host.not_claimed({"api": "ob", "operation": operation, "format": "ldp_vc"})})
        return f"ob_provider does not claim {', '.join(lacking)}" if lacking else None
    if role == "lifecycle" and "vcapi" in meta["tags"] and not any(profile.role(r) for r in VCAPI_ROLES):
        # lerconf would play every part itself: nothing of this vendor would be tested
        return f"{profile.name} has no VC API issuer, verifier or holder role"
    if role == "lifecycle" and "vcapi" in meta["tags"] and meta["example"]:
        return _lifecycle_parties_not_claimed(profile, meta["example"])
    if role == "oid4vci_issuer":  # the section's claims vs the example row (lerconf/oid4vc/profile.py)
        section = profile.oid4vci_issuer
        if section is None:
            return f"{profile.name} has no oid4vci_issuer section"
        missing = section.not_claimed(meta["example"])
        return f"oid4vci_issuer does not claim {', '.join(missing)}" if missing else None
    if role == "ob_provider":  # the section's claims vs the example row (lerconf/profile/obapi.py)
        host = profile.ob_provider
        if host is None:
            return f"{profile.name} has no ob_provider section"
        lacking = host.not_claimed(meta["example"])
        return f"ob_provider does not claim {', '.join(lacking)}" if lacking else None
    if role in VCALM_ROLES:  # a VCALM exchange section's claims vs the example row (lerconf/profile/vcalm.py)
        return vcalm_not_claimed(getattr(profile, role), profile.name, role, meta["example"])
    if role == "ob_consumer":  # the section's claims vs the example row (lerconf/profile/obconsumer.py)
        consumer = profile.ob_consumer
        if consumer is None:
            return f"{profile.name} has no ob_consumer section"
        lacking = consumer.not_claimed(meta["example"])
        return f"ob_consumer does not claim {', '.join(lacking)}" if lacking else None
    if role == "artefact_issuer" and profile.artefacts is None:  # which forms were delivered is known once read
        return f"{profile.name} has no issuer.artefacts (files or links it delivered)"
    if role in ("issuer", "verifier", "holder"):
        endpoints = profile.role(role)
        if endpoints is None:
            return f"{profile.name} has no {role} role"
        needs = {CLAIM_COLUMNS[k]: v for k, v in meta["example"].items() if k in CLAIM_COLUMNS}
        missing = endpoints.claims.missing(**needs)
        if missing:
            return f"{role} does not claim {', '.join(missing)}"
    return None


def _lifecycle_parties_not_claimed(profile: VendorProfile, example: dict[str, Any]) -> str | None:
    """A VC API lifecycle row (the SD lifecycle: securing, VC version, status method) runs only when
    every part the vendor plays claims it: its issuer and verifier all of the row, its holder the
    securing method and VC version when it derives (names a derive_url; else lerconf derives and the
    vendor's holder takes no part). Parts lerconf plays claim everything."""
    needs = {CLAIM_COLUMNS[k]: v for k, v in example.items() if k in CLAIM_COLUMNS}
    lacking, plays = [], 0
    for name in ("issuer", "holder", "verifier"):
        endpoints = profile.role(name)
        if endpoints is None or (name == "holder" and "derive_url" not in endpoints.urls):
            continue
        plays += 1
        wanted = {k: v for k, v in needs.items() if name != "holder" or k != "status"}
        lacking += [f"{name} does not claim {m}" for m in endpoints.claims.missing(**wanted)]
    if not plays:  # lerconf would play every part: nothing of the vendor's would be judged
        return f"{profile.name} plays no part in it (no issuer, no verifier, no holder with a derive_url)"
    return "; ".join(lacking) or None


#: VC API claims every scenario of a role selects by: a role section that omits one would have all
#: its scenarios skipped "not claimed", so omitting it is a profile error (write [] to claim none)
REQUIRED_CLAIMS = {"issuer": ("vc_versions", "securing"), "verifier": ("vc_versions", "securing"),
                   "holder": ("vc_versions", "securing")}
#: VC API claims that default to "none" when omitted, with a note printed at the start of the run
DEFAULT_NONE_CLAIMS = {"issuer": ("status",), "verifier": ("status",)}


def gaps(profile: VendorProfile) -> tuple[list[str], list[str]]:
    """(errors, notes) for the claims the profile's VC API role sections leave out.

    Errors: a claim every scenario of the role selects by (``REQUIRED_CLAIMS``), named with the
    values it can take. Notes: a claim that defaults to none (``DEFAULT_NONE_CLAIMS``), saying
    which scenarios that leaves out. ``credential_types`` selects no scenario today: omitting it is
    silent."""
    errors, notes = [], []
    for name, role in profile.roles.items():
        for claim in REQUIRED_CLAIMS.get(name, ()):
            if claim in role.omitted_claims:
                errors.append(f"{name}.claims.{claim} is not given: every {name} scenario selects by it and would be "
                              f"skipped as not claimed; list what the {name} supports, some of: "
                              f"{', '.join(CLAIM_FIELDS[claim])} (or {claim}: [] to claim none)")
        for claim in DEFAULT_NONE_CLAIMS.get(name, ()):
            if claim in role.omitted_claims:
                notes.append(f"{name}.claims.{claim} not given: default [] (no {claim} method claimed, so the {name}'s "
                             f"{claim} scenarios are skipped as not claimed); write {claim}: "
                             f"[{CLAIM_FIELDS[claim][0]}] to claim one, or {claim}: [] to silence this note")
    return errors, notes
