"""Baked badges (issue 15 §2): `lerconf verify` reads the credential out of a PNG (iTXt chunk
``openbadgecredential``) or an SVG (``<openbadges:credential>``), verifies it like any other and
reports how it was baked as OB-19 / OB-20 — each deviation the spec names caught, for the right
reason. Run in process."""
from __future__ import annotations

import json
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import pytest

from lerconf.checks.baking import png_baking_follows_the_spec, svg_baking_follows_the_spec
from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.baked import unbake
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.results import Status
from lerconf.run.cli import EXIT_OK, EXIT_USAGE, main

KEY = Signer.did_key(deterministic_key("verify-baked", "Ed25519"))
#: a compact JWS badge for the SVG that carries both forms (set by the badge_jwt fixture)
BOTH_JWT: list[str] = []


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LERCONF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LERCONF_URL_MAP", raising=False)


@pytest.fixture(scope="module")
def badge(offline_settings: LoaderSettings) -> dict[str, Any]:
    return KEY.sign(ob3_achievement_credential(KEY.controller), "eddsa-rdfc-2022", Processor(DocumentLoader(offline_settings)))


@pytest.fixture(scope="module")
def badge_jwt() -> str:
    return sign_jwt(ob3_achievement_credential(KEY.controller), KEY.key, KEY.verification_method, JwtEncoding.OB30)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _itxt(text: str, *, keyword: str = "openbadgecredential", compressed: bool = False) -> bytes:
    data = zlib.compress(text.encode()) if compressed else text.encode()
    return _chunk(b"iTXt", keyword.encode() + b"\0" + bytes([1 if compressed else 0, 0]) + b"\0\0" + data)


def _png(*extra: bytes) -> bytes:
    """A 1×1 grey PNG with ``extra`` chunks before its image data."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + b"".join(extra) + _chunk(b"IDAT", zlib.compress(b"\0\x80")) + _chunk(b"IEND", b"")


def _svg(inner: str, *, prefix: str = "openbadges") -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:{prefix}="https://purl.imsglobal.org/ob/v3p0" '
            f'width="10" height="10"><rect width="10" height="10"/>{inner}</svg>').encode()


def _verify(tmp_path: Path, name: str, data: bytes, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any] | str]:
    path = tmp_path / name
    path.write_bytes(data)
    code = main(["verify", "--offline", "--json", "-j", "1", str(path)])
    out = capsys.readouterr()
    return code, json.loads(out.out) if out.out.strip() else out.err


def _baking(report: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in report["checks"] if c["id"] in ("OB-19", "OB-20"))


def test_a_baked_png_is_verified_and_its_baking_passes(tmp_path: Path, badge: dict[str, Any], capsys: Any) -> None:
    code, report = _verify(tmp_path, "badge.png", _png(_itxt(json.dumps(badge))), capsys)
    assert code == EXIT_OK and isinstance(report, dict)
    assert report["verified"] is True and report["conformant"] is True
    assert _baking(report)["id"] == "OB-19" and _baking(report)["status"] == "passed"


@pytest.mark.parametrize(("chunks", "reason"), [
    (lambda b: [_itxt(b, compressed=True)], "is compressed; it must not be"),
    (lambda b: [_itxt(b), _itxt(b)], "2 iTXt chunks with keyword 'openbadgecredential'; exactly one"),
    (lambda b: [_chunk(b"tEXt", b"openbadgecredential\0" + b.encode())], "a tEXt chunk with keyword 'openbadgecredential'"),
    (lambda b: [_itxt(b, keyword="openbadges")], "Open Badges 2.0's keyword 'openbadges'"),
], ids=["compressed", "two-chunks", "tEXt-chunk", "ob2-keyword"])
def test_png_baking_defects_fail_ob19_and_the_credential_is_still_judged(
        tmp_path: Path, badge: dict[str, Any], capsys: Any, chunks: Any, reason: str) -> None:
    _code, report = _verify(tmp_path, "badge.png", _png(*chunks(json.dumps(badge))), capsys)
    assert isinstance(report, dict), report
    baking = _baking(report)
    assert baking["id"] == "OB-19" and baking["status"] == "failed" and reason in baking["message"]
    assert report["verified"] is True and report["conformant"] is False  # the credential itself is fine


def test_a_png_without_a_credential_is_a_usage_error(tmp_path: Path, capsys: Any) -> None:
    code, err = _verify(tmp_path, "logo.png", _png(), capsys)
    assert code == EXIT_USAGE and "a PNG image with no baked credential" in str(err)


def test_png_reading_is_bounded(tmp_path: Path, capsys: Any) -> None:
    """A chunk claiming 4 GB and a decompression bomb end quickly, read as far as they honestly go."""
    lying = _png()[:33] + struct.pack(">I", 0xFFFFFFF0) + b"iTXt" + b"x" * 20
    baked = unbake(lying)
    assert baked is not None and any("runs past the end of the file" in f for f in baked.findings)
    bomb = _chunk(b"iTXt", b"openbadgecredential\0\x01\0\0\0" + zlib.compress(b"{" * (64 * 1024 * 1024), 9))
    started = time.monotonic()
    code, err = _verify(tmp_path, "bomb.png", _png(bomb), capsys)
    assert time.monotonic() - started < 10
    assert code == EXIT_USAGE and "compressed" in str(err)


def test_a_baked_svg_with_json_and_one_with_a_jws_are_verified(tmp_path: Path, badge: dict[str, Any], badge_jwt: str,
                                                              capsys: Any) -> None:
    code, report = _verify(tmp_path, "badge.svg", _svg(f"<openbadges:credential><![CDATA[{json.dumps(badge)}]]>"
                                                      "</openbadges:credential>"), capsys)
    assert code == EXIT_OK and isinstance(report, dict) and report["verified"] and _baking(report)["status"] == "passed"
    jws_svg = _svg(f'<openbadges:credential verify="{badge_jwt}"/>')
    baked = unbake(jws_svg)
    assert baked is not None and baked.payload == badge_jwt  # the verify attribute's compact JWS is what is judged
    code, report = _verify(tmp_path, "jws.svg", jws_svg, capsys)
    assert isinstance(report, dict) and report["verified"] and _baking(report)["status"] == "passed", report
    assert code == EXIT_OK


@pytest.mark.parametrize(("svg", "reason"), [
    (lambda b: _svg(f"<ob:credential><![CDATA[{b}]]></ob:credential>", prefix="ob"), 'does not declare xmlns:openbadges'),
    (lambda b: _svg(f"<openbadges:credential><![CDATA[{b}]]></openbadges:credential>" * 2), "2 <openbadges:credential>"),
    (lambda b: _svg(f'<openbadges:credential verify="{BOTH_JWT[0]}"><![CDATA[{b}]]></openbadges:credential>'),
     "both a verify attribute and content"),
], ids=["other-prefix", "two-elements", "both-forms"])
def test_svg_baking_defects_fail_ob20(tmp_path: Path, badge: dict[str, Any], badge_jwt: str, capsys: Any, svg: Any,
                                     reason: str) -> None:
    BOTH_JWT[:] = [badge_jwt]
    _code, report = _verify(tmp_path, "badge.svg", svg(json.dumps(badge)), capsys)
    assert isinstance(report, dict), report
    baking = _baking(report)
    assert baking["id"] == "OB-20" and baking["status"] == "failed" and reason in baking["message"]


def test_an_svg_with_entities_is_not_expanded(tmp_path: Path, capsys: Any) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>')
    code, err = _verify(tmp_path, "bomb.svg", bomb, capsys)
    assert code == EXIT_USAGE and "declares XML entities" in str(err)


def test_the_checks_apply_only_to_their_image() -> None:
    png, svg = unbake(_png(_itxt("{}"))), unbake(_svg("<openbadges:credential>{}</openbadges:credential>"))
    assert png is not None and svg is not None
    assert png_baking_follows_the_spec(svg).status is Status.NOT_APPLICABLE
    assert svg_baking_follows_the_spec(png).status is Status.NOT_APPLICABLE
    assert png_baking_follows_the_spec(png).status is Status.PASSED and svg_baking_follows_the_spec(svg).status is Status.PASSED
