"""What the wheel will carry, checked from the source tree (building one is slow; see
test_installed_wheel.py): every directory with Python modules under lerconf/ is a package, and
every data file under lerconf/ (features/, steps/ and fixtures/ through their symbolic links)
matches a package-data pattern of pyproject.toml, expanded the way setuptools expands them
(glob relative to the package directory, recursive ``**``). A feature file added one folder
deeper, or a new data file, fails here instead of silently missing from the installed tool.
"""
from __future__ import annotations

import glob
import os
import tomllib
from pathlib import Path

import setuptools

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "lerconf"
LINKED = ("features", "steps", "fixtures")
_SKIP_DIRS = {"__pycache__"}


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _walk() -> list[tuple[Path, list[str]]]:
    """(directory, file names) under lerconf/, symbolic links followed, caches and dot-folders left out."""
    found = []
    for top, dirs, files in os.walk(PACKAGE, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        found.append((Path(top), sorted(f for f in files if not f.startswith(".") and not f.endswith((".pyc", ".pyo")))))
    return found


def _package_of(directory: Path) -> str | None:
    """The dotted name of ``directory`` when it and every folder above it up to lerconf/ is a package."""
    parts = directory.relative_to(PACKAGE).parts
    for depth in range(len(parts) + 1):
        if not (PACKAGE.joinpath(*parts[:depth]) / "__init__.py").is_file():
            return None
    return ".".join(("lerconf", *parts))


def _shipped_data() -> set[Path]:
    """Data files the package-data patterns select, each relative to lerconf/."""
    patterns: dict[str, list[str]] = _pyproject()["tool"]["setuptools"]["package-data"]
    shipped: set[Path] = set()
    for package, globs in patterns.items():
        root = PACKAGE.joinpath(*package.split(".")[1:])
        for pattern in globs:
            for match in glob.glob(str(root / pattern), recursive=True):
                if Path(match).is_file():
                    shipped.add(Path(match).relative_to(PACKAGE))
    return shipped


def test_the_three_links_point_into_the_checkout() -> None:
    for name in LINKED:
        link = PACKAGE / name
        assert link.is_symlink(), f"lerconf/{name} must be a symbolic link to ../{name}"
        assert link.resolve() == (REPO / name).resolve(), link.resolve()


def test_every_directory_with_modules_is_a_package() -> None:
    """setuptools finds packages by __init__.py and does not look below a folder without one."""
    missing = [str(top.relative_to(PACKAGE)) for top, files in _walk()
               if any(f.endswith(".py") for f in files) and _package_of(top) is None]
    assert missing == [], f"folders under lerconf/ with modules but no __init__.py (on the way): {missing}"


def test_the_package_finder_sees_every_package() -> None:
    found = set(setuptools.find_packages(str(REPO), include=_pyproject()["tool"]["setuptools"]["packages"]["find"]["include"]))
    expected = {name for top, files in _walk() if any(f.endswith(".py") for f in files) and (name := _package_of(top))}
    assert expected - found == set()
    assert {"lerconf.features", "lerconf.steps", "lerconf.fixtures"} <= found


def test_every_feature_file_is_package_data() -> None:
    features = {p.relative_to(PACKAGE) for p in (PACKAGE / "features").rglob("*.feature")}
    assert features, "no feature files found under lerconf/features"
    dropped = sorted(str(p) for p in features - _shipped_data())
    assert dropped == [], ("these feature files match no [tool.setuptools.package-data] \"lerconf.features\" "
                           f"pattern and would be missing from the wheel: {dropped}")


def test_every_vendor_profile_is_package_data() -> None:
    profiles = {p.relative_to(PACKAGE) for p in (PACKAGE / "fixtures" / "vendors").rglob("*") if p.suffix in (".yaml", ".yml")}
    assert Path("fixtures/vendors/reference.yaml") in profiles
    dropped = sorted(str(p) for p in profiles - _shipped_data())
    assert dropped == [], f"vendor profiles the wheel would miss: {dropped}"


def test_every_data_file_under_the_package_is_shipped() -> None:
    """Anything under lerconf/ that is not a module must be package data (the runner needs pytest.ini,
    the reports need their JSON, the CLI its fixtures)."""
    data = {(top / f).relative_to(PACKAGE) for top, files in _walk() for f in files if not f.endswith(".py")}
    dropped = sorted(str(p) for p in data - _shipped_data())
    assert dropped == [], f"files under lerconf/ that no package-data pattern selects: {dropped}"
