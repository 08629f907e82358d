"""lerconf errors: harness faults only. Vendor misbehaviour is a CheckResult, never an exception.

* LerconfError
  + ProfileError            bad or unsupported vendor profile
  + ResolutionError         a context, schema, DID or status list could not be obtained
  |                         under the resolution rules (offline, unregistered, digest mismatch);
  |                         ``unreached`` when lerconf got no answer at all (with a ``fix``)
  + VectorError             a bundled vector is missing or its digest differs
  + InputError              a file given to `lerconf verify` cannot be read as a credential
"""
from __future__ import annotations


class LerconfError(Exception):
    """Base of every error lerconf raises on purpose."""


class ProfileError(LerconfError):
    """A vendor profile is malformed or names something unsupported."""


class ResolutionError(LerconfError):
    """A document could not be obtained; the message names the URL and how to supply it."""

    def __init__(self, message: str, url: str | None = None, *, setup: bool = False, unreached: bool = False,
                 fix: str = "") -> None:
        super().__init__(message)
        self.url = url
        #: True when a *registered* document is unavailable: the harness is not set up (exit 2),
        #: as opposed to a credential naming something unobtainable (a failed check).
        self.setup = setup
        #: True when lerconf got no answer at all (its address guard refused the host, it is offline
        #: and the URL is not mapped, TLS trust failed, connection refused, timeout, DNS failure):
        #: what depends on the document *could not be checked*. False when the server answered
        #: something unusable (HTTP 4xx/5xx, invalid JSON, too large, a cross-origin redirect):
        #: that is the server's failure.
        self.unreached = unreached
        #: what the user can do so lerconf reaches the document (no secrets), when ``unreached``
        self.fix = fix


class VectorError(LerconfError):
    """A test vector or its manifest is missing or does not match."""


class InputError(LerconfError):
    """Input cannot be parsed as a credential, presentation or JWT."""
