"""netguard: lerconf refuses non-public addresses unless the user named the host.

Every test decides with a fake resolver or an IP literal: nothing here resolves or connects.
"""
from __future__ import annotations

import pytest

from lerconf.documents.netguard import Resolver, check_url, is_public_address
from lerconf.errors import ResolutionError


def resolves_to(*addrs: str) -> Resolver:
    def resolver(host: str, port: int) -> list[str]:
        return list(addrs)
    return resolver


def failing_resolver(host: str, port: int) -> list[str]:
    raise AssertionError(f"resolver must not be asked about {host}:{port}")


NON_PUBLIC = [
    "127.0.0.1", "127.8.9.10", "10.0.0.5", "172.16.3.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "fc12:3456::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.5", "::ffff:169.254.169.254", "2002:a00:5::1", "2002:7f00:1::1",
]


@pytest.mark.parametrize("addr", NON_PUBLIC)
def test_non_public_address_from_resolver_is_refused(addr: str) -> None:
    with pytest.raises(ResolutionError, match=rf"vendor\.example resolves to non-public address {addr}") as info:
        check_url("https://vendor.example/status/1", resolver=resolves_to(addr))
    assert info.value.url == "https://vendor.example/status/1"
    assert "name the host in the vendor profile" in str(info.value)


@pytest.mark.parametrize("host", ["127.0.0.1", "10.0.0.5", "169.254.169.254", "[::1]", "[fd00::1]",
                                  "[::ffff:10.0.0.5]", "[fe80::1]"])
def test_ip_literal_is_decided_without_resolving(host: str) -> None:
    with pytest.raises(ResolutionError, match="non-public address"):
        check_url(f"http://{host}/latest/meta-data", resolver=failing_resolver)


def test_any_non_public_address_among_several_refuses() -> None:
    with pytest.raises(ResolutionError, match="10.0.0.5"):
        check_url("https://vendor.example/", resolver=resolves_to("93.184.215.14", "10.0.0.5"))


@pytest.mark.parametrize("addr", ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_address_is_allowed(addr: str) -> None:
    check_url("https://vendor.example/credentials/verify", resolver=resolves_to(addr))


def test_resolver_is_asked_with_the_default_port() -> None:
    asked: list[tuple[str, int]] = []

    def resolver(host: str, port: int) -> list[str]:
        asked.append((host, port))
        return ["93.184.215.14"]

    check_url("https://vendor.example/a", resolver=resolver)
    check_url("http://vendor.example/a", resolver=resolver)
    check_url("http://vendor.example:8443/a", resolver=resolver)
    assert asked == [("vendor.example", 443), ("vendor.example", 80), ("vendor.example", 8443)]


def test_resolution_failure_is_a_resolution_error() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(ResolutionError, match="cannot resolve host of https://nowhere.example/"):
        check_url("https://nowhere.example/", resolver=resolver)


def test_name_resolving_to_nothing_is_refused() -> None:
    with pytest.raises(ResolutionError, match="no address"):
        check_url("https://vendor.example/", resolver=resolves_to())


def test_allowed_host_without_port_allows_any_port() -> None:
    check_url("http://localhost:8088/issue", allowed_hosts={"localhost"}, resolver=failing_resolver)
    check_url("http://127.0.0.1/x", allowed_hosts={"127.0.0.1"}, resolver=failing_resolver)


def test_allowed_host_with_port_allows_only_that_port() -> None:
    check_url("http://localhost:8088/issue", allowed_hosts={"localhost:8088"}, resolver=failing_resolver)
    with pytest.raises(ResolutionError, match="non-public address 127.0.0.1"):
        check_url("http://localhost:9999/issue", allowed_hosts={"localhost:8088"}, resolver=resolves_to("127.0.0.1"))


def test_allowed_host_match_ignores_case_of_the_url() -> None:
    check_url("http://LocalHost:8088/issue", allowed_hosts={"localhost:8088"}, resolver=failing_resolver)


def test_allow_private_allows_non_public_addresses() -> None:
    check_url("http://10.0.0.5/", allow_private=True, resolver=failing_resolver)
    check_url("http://internal.example/", allow_private=True, resolver=failing_resolver)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://vendor.example/x", "gopher://vendor.example/",
                                 "data:application/json,{}", "javascript:alert(1)", "//vendor.example/x",
                                 "vendor.example/x"])
def test_non_http_schemes_are_refused_even_when_allowed(url: str) -> None:
    with pytest.raises(ResolutionError, match="is not http"):
        check_url(url, allowed_hosts={"vendor.example"}, allow_private=True, resolver=failing_resolver)


def test_url_without_host_is_refused() -> None:
    with pytest.raises(ResolutionError, match="no host"):
        check_url("https:///path", allow_private=True, resolver=failing_resolver)


def test_is_public_address_handles_zone_ids() -> None:
    assert is_public_address("fe80::1%eth0") is False
