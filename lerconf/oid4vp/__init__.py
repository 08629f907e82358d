"""OpenID for Verifiable Presentations 1.0, wallet side: lerconf tests a verifier by playing
the wallet (request by value or reference, DCQL for Open Badges 3.0, direct_post, verdicts).

* ``profile``  — the ``oid4vp_verifier`` section of a vendor profile, and its claims
* ``request``  — get and read the authorization request (request_uri, signed request objects)
* ``dcql``     — the credential query an OB 3.0 badge answers
* ``wallet``   — respond with direct_post and observe the verifier's verdict
* ``scenario`` — what scenarios do, and their expectations
"""
from __future__ import annotations

from lerconf.checks import oid4vp as _checks  # noqa: F401  (registers VP-01..04)
from lerconf.oid4vp.dcql import (
           OB3_TYPE_IRIS,
           CredentialQuery,
           credential_queries,
           ob3_query,
)
from lerconf.oid4vp.profile import Oid4vpClaims, Oid4vpVerifierSection, parse_section
from lerconf.oid4vp.request import AuthorizationRequest, RequestObject, client_id_prefix
from lerconf.oid4vp.wallet import Observation, Oid4vpWallet, Seen

__all__ = ["OB3_TYPE_IRIS", "AuthorizationRequest", "CredentialQuery", "Observation", "Oid4vpClaims",
           "Oid4vpVerifierSection", "Oid4vpWallet", "RequestObject", "Seen", "client_id_prefix",
           "credential_queries", "ob3_query", "parse_section"]
