"""`lerconf run --displayer HOW` / `--page-verifier HOW`: a product tested by hand without a profile.
The profile lerconf writes loads with the sections asked for; combining with --vendor is a usage error."""
from __future__ import annotations

from pathlib import Path

import pytest

from lerconf.profile.load import load_profile
from lerconf.run.cli import main, person_profile


def test_the_profile_has_the_sections_asked_for(tmp_path: Path) -> None:
    both = load_profile(person_profile(tmp_path, "https://viewer.example/", "https://viewer.example/verify", 8700))
    assert both.displayer.open == "https://viewer.example/" and both.displayer.page_port == 8700
    assert both.page_verifier.page_port == 0  # two operator pages cannot share one fixed port
    assert both.displayer.vc_versions == ("2.0", "1.1")
    only = load_profile(person_profile(tmp_path, None, "the page on the kiosk", 0))
    assert only.displayer is None and only.page_verifier.open == "the page on the kiosk"


def test_with_a_vendor_profile_it_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "v.yaml"
    profile.write_text("name: V\ndisplayer: {open: x}\n", encoding="utf-8")
    assert main(["run", "--vendor", str(profile), "--displayer", "https://viewer.example/"]) == 2
    assert "--displayer and --page-verifier test a product that has no profile" in capsys.readouterr().err
