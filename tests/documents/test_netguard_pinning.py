"""DNS rebinding: the address decision is made on the address actually connected to.

No test here sends traffic anywhere: the inner backend is a fake that records the address it
would have connected to (or fails the test), and names resolve through a fake resolver.
"""
from __future__ import annotations

from typing import Any

import httpcore
import httpx
import pytest

from lerconf.documents.netguard import PinningBackend, check_url


class RecordingBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.targets: list[tuple[str, int]] = []

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        self.targets.append((host, port))
        raise httpcore.ConnectError("recorded, not connected")


def rebinding_resolver() -> Any:
    """First answer public (what a pre-check sees), then the metadata address (what a second lookup would see)."""
    answers = iter([["93.184.216.34"], ["169.254.169.254"]])
    return lambda host, port: next(answers)


def test_a_name_that_rebinds_to_a_private_address_is_refused_at_connect_time() -> None:
    resolver = rebinding_resolver()
    check_url("https://vendor.example/x", resolver=resolver)  # the pre-check sees a public address
    inner = RecordingBackend()
    backend = PinningBackend(resolver=resolver, inner=inner)
    with pytest.raises(httpcore.ConnectError, match="non-public address 169.254.169.254"):
        backend.connect_tcp("vendor.example", 443)
    assert inner.targets == [], "no connection may be attempted"


def test_the_vetted_address_is_the_one_connected_to() -> None:
    inner = RecordingBackend()
    backend = PinningBackend(resolver=lambda host, port: ["93.184.216.34"], inner=inner)
    with pytest.raises(httpcore.ConnectError, match="recorded"):
        backend.connect_tcp("vendor.example", 443)
    assert inner.targets == [("93.184.216.34", 443)]


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.1", "172.16.0.1", "127.0.0.1", "::1", "fd00::1", "169.254.169.254"])
def test_non_public_addresses_are_refused_unless_named(address: str) -> None:
    inner = RecordingBackend()
    with pytest.raises(httpcore.ConnectError, match="non-public"):
        PinningBackend(resolver=lambda h, p: [address], inner=inner).connect_tcp("vendor.example", 80)
    assert inner.targets == []


def test_named_hosts_and_allow_private_connect_as_given() -> None:
    inner = RecordingBackend()
    for backend in (PinningBackend(allowed_hosts={"127.0.0.1:8000"}, inner=inner),
                    PinningBackend(allow_private=True, inner=inner)):
        with pytest.raises(httpcore.ConnectError, match="recorded"):
            backend.connect_tcp("127.0.0.1", 8000)
    assert inner.targets == [("127.0.0.1", 8000)] * 2
    with pytest.raises(httpcore.ConnectError, match="non-public"):  # the allowance is for that port only
        PinningBackend(allowed_hosts={"127.0.0.1:8000"}, resolver=lambda h, p: ["127.0.0.1"], inner=inner).connect_tcp("127.0.0.1", 9000)


def test_vendor_client_uses_the_pinning_transport_by_default() -> None:
    from lerconf.clients.http import VendorClient
    from lerconf.profile.load import parse_profile

    profile = parse_profile({"name": "v", "verifier": {"verify_credential_url": "http://127.0.0.1:8000/verify"}}, "t")
    client = VendorClient(profile)
    pool = client._client._transport.inner._pool  # type: ignore[attr-defined]  # under the tape transport
    assert isinstance(pool._network_backend, PinningBackend)
    assert "127.0.0.1:8000" in pool._network_backend.allowed_hosts
    client.close()
    assert isinstance(httpx.HTTPTransport()._pool._network_backend, httpcore.SyncBackend)  # seam still where we expect it


def test_the_default_tls_trust_is_built_once_and_still_checks_certificates() -> None:
    import ssl

    from lerconf.documents.netguard import default_tls, pinned_transport

    first, second = pinned_transport(), pinned_transport()
    context = first._pool._ssl_context
    assert context is second._pool._ssl_context is default_tls()  # not rebuilt per transport (issue 19)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert default_tls(trust_env=False) is not context  # each caller keeps its own SSL_CERT_FILE policy
