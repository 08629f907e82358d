"""Named defects of a signed presentation: each breaks exactly one thing after lerconf signed it."""
from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

__all__ = ["OTHER_HOLDER", "holder_changed_after_signing"]

#: the holder a presentation is re-attributed to after signing
OTHER_HOLDER = "did:example:someone-else"


def holder_changed_after_signing(presentation: Mapping[str, Any]) -> dict[str, Any]:
    """The signed presentation attributed to another holder: its proof no longer covers what it says."""
    altered = copy.deepcopy(dict(presentation))
    altered["holder"] = OTHER_HOLDER
    return altered
