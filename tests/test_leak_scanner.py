"""The hostile beds' leak scanner finds a secret in any of its forms, in the one blob of many that holds it."""
from __future__ import annotations

import base64

from hostile.leaks import LeakScanner

SECRET = "s3cr3t-Token_value-0123456789"


def _blobs(extra: bytes = b"") -> list[tuple[str, bytes]]:
    return [*((f"file-{i}", f'{{"n": {i}, "text": "nothing here {i * 7919}"}}'.encode()) for i in range(300)),
            ("holder", b'{"header": "Basic ' + extra + b'"}')]


def test_scan_all_names_the_blob_holding_a_form_of_the_secret() -> None:
    basic = base64.b64encode(f"client-id:{SECRET}".encode())
    found = LeakScanner({"token": SECRET}).scan_all(_blobs(basic))
    assert found == [("holder", ["token"])]


def test_scan_all_finds_nothing_where_nothing_is() -> None:
    assert LeakScanner({"token": SECRET}).scan_all(_blobs(b"Y2xpZW50LWlkOm90aGVy")) == []


def test_scan_all_agrees_with_scanning_each_blob() -> None:
    scanner = LeakScanner({"token": SECRET, "other": "another-secret-abcdef"})
    blobs = [*_blobs(SECRET.encode()), ("second", b"x another-secret-abcdef y")]
    assert scanner.scan_all(blobs) == [(name, scanner.scan(blob)) for name, blob in blobs if scanner.scan(blob)]
