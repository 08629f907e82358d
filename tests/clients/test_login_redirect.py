"""The login step reads the authorization response only at the registered redirect_uri itself
(RFC 6749 §3.1.2: scheme, host, port and path exactly), so an authorization server that sends the
code to another path is not taken for one that honours the registration."""
from __future__ import annotations

import pytest

from lerconf.clients.login import _at

REDIRECT = "https://wallet.lerconf.invalid/callback"


@pytest.mark.parametrize("location", [f"{REDIRECT}?code=c&state=s", f"{REDIRECT}#code=c", REDIRECT])
def test_the_redirect_uri_itself(location: str) -> None:
    assert _at(location, REDIRECT)


@pytest.mark.parametrize("location", [
    "https://wallet.lerconf.invalid/callback-other?code=c", "https://wallet.lerconf.invalid/callback/x?code=c",
    "http://wallet.lerconf.invalid/callback?code=c", "https://wallet.lerconf.invalid:8443/callback?code=c",
    "https://evil.example/callback?code=c"])
def test_anything_else(location: str) -> None:
    assert not _at(location, REDIRECT)
