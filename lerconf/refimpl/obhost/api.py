"""The two 1EdTech APIs the host serves, as data: Open Badges 3.0 and CLR 2.0 have the same
shape (discovery, OAuth 2.0, credentials, profile) and differ only in base path, scopes and the
credential type they carry, so one implementation is parameterised by an :class:`Api`."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["APIS", "CLR", "OB", "Api"]


@dataclass(frozen=True)
class Api:
    """One API: its key, base path, scope prefix and what a credential of it is."""

    key: str                     # "ob" / "clr": names the store and the seeded badges
    base: str                    # "/ims/ob/v3p0"
    scope_prefix: str            # scopes are prefix + "credential.readonly" etc.
    title: str
    #: a posted credential must carry one of these types
    credential_types: frozenset[str]

    def scope(self, name: str) -> str:
        return self.scope_prefix + name

    @property
    def read(self) -> str:
        return self.scope("credential.readonly")

    @property
    def upsert(self) -> str:
        return self.scope("credential.upsert")

    @property
    def profile_read(self) -> str:
        return self.scope("profile.readonly")

    @property
    def profile_update(self) -> str:
        return self.scope("profile.update")

    @property
    def scopes(self) -> tuple[str, ...]:
        return (self.read, self.upsert, self.profile_read, self.profile_update)

    # -- where things are (paths below the base) ------------------------------------------------
    @property
    def discovery(self) -> str:
        return f"{self.base}/discovery"

    @property
    def register(self) -> str:
        return f"{self.base}/auth/register"

    @property
    def authorize(self) -> str:
        return f"{self.base}/auth/authorize"

    @property
    def token(self) -> str:
        return f"{self.base}/auth/token"

    @property
    def revoke(self) -> str:
        return f"{self.base}/auth/revoke"

    @property
    def credentials(self) -> str:
        return f"{self.base}/credentials"

    @property
    def profile(self) -> str:
        return f"{self.base}/profile"

    @property
    def terms(self) -> str:
        return f"{self.base}/terms"

    @property
    def privacy(self) -> str:
        return f"{self.base}/privacy"


OB = Api("ob", "/ims/ob/v3p0", "https://purl.imsglobal.org/spec/ob/v3p0/scope/",
         "lerconf reference Open Badges 3.0 host", frozenset({"OpenBadgeCredential", "AchievementCredential"}))
CLR = Api("clr", "/ims/clr/v2p0", "https://purl.imsglobal.org/spec/clr/v2p0/scope/",
          "lerconf reference CLR 2.0 host", frozenset({"ClrCredential"}))
APIS = (OB, CLR)
