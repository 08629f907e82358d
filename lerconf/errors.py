"""lerconf errors: harness faults only. Vendor misbehaviour is a CheckResult, never an exception.

* LerconfError
  + ProfileError            bad or unsupported vendor profile
  + ResolutionError         a context, schema, DID or status list could not be obtained
  |                         under the resolution rules (offline, unregistered, digest mismatch)
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

    def __init__(self, message: str, url: str | None = None, *, setup: bool = False) -> None:
        super().__init__(message)
        self.url = url
        #: True when a *registered* document is unavailable: the harness is not set up (exit 2),
        #: as opposed to a credential naming something unobtainable (a failed check).
        self.setup = setup


class VectorError(LerconfError):
    """A test vector or its manifest is missing or does not match."""


class InputError(LerconfError):
    """Input cannot be parsed as a credential, presentation or JWT."""
