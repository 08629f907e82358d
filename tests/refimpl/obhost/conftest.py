"""Fixtures for the reference OB 3.0 / CLR 2.0 host: a consumer per API, the imsx schema."""
from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.conftest import SCHEMAS_DIR
from tests.refimpl.obhost._flow import CLR_BASE, OB_BASE, Consumer


@pytest.fixture(scope="module")
def ob(client: httpx.Client) -> Consumer:
    return Consumer(client, OB_BASE)


@pytest.fixture(scope="module")
def clr(client: httpx.Client) -> Consumer:
    return Consumer(client, CLR_BASE)


@pytest.fixture(scope="session")
def imsx_schema() -> dict[str, Any]:
    """The shipped Imsx_StatusInfo schema (from LERCONF_SCHEMAS_DIR), not lerconf's idea of it."""
    return dict(json.loads((SCHEMAS_DIR / "ob_v3p0" / "ob_v3p0_imsx_statusinfo_schema.json").read_text("utf-8")))

