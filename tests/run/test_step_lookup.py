"""The remembered pytest-bdd step lookup (lerconf.run.step_lookup): found once per file, kind and text,
and still each file's own definitions where two files define the same step text."""
from __future__ import annotations

import gc
import sys
import textwrap
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lerconf.run.step_lookup import install, remembering


@dataclass
class _Step:
    type: str
    name: str


@dataclass
class _Node:
    nodeid: str


class _Manager:
    """Stands for pytest's fixture manager (weakly referenced by the memo)."""


def _counting() -> tuple[list[tuple[str, str, str]], Any]:
    calls: list[tuple[str, str, str]] = []

    def lookup(step: _Step, fixturemanager: _Manager, node: _Node) -> list[str]:
        calls.append((node.nodeid, step.type, step.name))
        return [f"{node.nodeid.split('::')[0]}:{step.type}:{step.name}"]

    return calls, lookup


def test_a_step_text_is_looked_up_once_per_file_and_kind() -> None:
    calls, lookup = _counting()
    find = remembering(lookup)
    manager = _Manager()
    a1, a2, b = _Node("features/a.feature::one"), _Node("features/a.feature::two"), _Node("features/b.feature::one")
    given = _Step("given", "an issuer")
    assert list(find(step=given, fixturemanager=manager, node=a1)) == ["features/a.feature:given:an issuer"]
    assert list(find(step=given, fixturemanager=manager, node=a2)) == ["features/a.feature:given:an issuer"]
    assert len(calls) == 1  # the second scenario of the file was answered from memory
    assert list(find(step=given, fixturemanager=manager, node=b)) == ["features/b.feature:given:an issuer"]
    assert list(find(step=_Step("then", "an issuer"), fixturemanager=manager, node=a1)) == ["features/a.feature:then:an issuer"]
    assert len(calls) == 3


@dataclass
class _Context:
    type: str | None
    text: str

    @property
    def parser(self) -> Any:
        return self

    def is_matching(self, name: str) -> bool:
        return name == self.text


def test_the_definitions_a_file_sees_are_found_once_and_matched_per_text() -> None:
    """With the definitions at hand, pytest is asked once per file; each new text is matched against them
    (a definition of no kind matches any kind; one of another kind does not)."""
    asked: list[str] = []
    given, anything = ("given-def", _Context("given", "an issuer")), ("any-def", _Context(None, "an issuer"))
    then = ("then-def", _Context("then", "it passes"))

    def definitions(fixturemanager: _Manager, node: _Node) -> list[tuple[Any, Any]]:
        asked.append(node.nodeid)
        return [given, anything, then]

    def no_lookup(**_: Any) -> list[Any]:
        raise AssertionError("the full lookup ran although the definitions were at hand")

    find = remembering(no_lookup, definitions)
    manager, node = _Manager(), _Node("a.feature::s")
    assert list(find(step=_Step("given", "an issuer"), fixturemanager=manager, node=node)) == ["given-def", "any-def"]
    assert list(find(step=_Step("when", "an issuer"), fixturemanager=manager, node=node)) == ["any-def"]
    assert list(find(step=_Step("then", "it passes"), fixturemanager=manager, node=node)) == ["then-def"]
    assert list(find(step=_Step("then", "it fails"), fixturemanager=manager, node=node)) == []
    assert asked == ["a.feature::s"]
    list(find(step=_Step("then", "it passes"), fixturemanager=manager, node=_Node("b.feature::s")))
    assert asked == ["a.feature::s", "b.feature::s"]


def test_another_session_looks_up_again() -> None:
    calls, lookup = _counting()
    find = remembering(lookup)
    step, node = _Step("when", "it verifies"), _Node("x.feature::s")
    list(find(step=step, fixturemanager=_Manager(), node=node))
    list(find(step=step, fixturemanager=_Manager(), node=node))
    assert len(calls) == 2


def test_the_memo_dies_with_its_session() -> None:
    """The definitions found hold their session (as pytest's FixtureDefs do): the memo must not keep a
    finished session alive in a process that runs many (a weakly keyed global memo did)."""
    def lookup(step: _Step, fixturemanager: _Manager, node: _Node) -> list[Any]:
        return [("definition", fixturemanager)]

    find = remembering(lookup)
    manager = _Manager()
    gone = weakref.ref(manager)
    list(find(step=_Step("given", "a thing"), fixturemanager=manager, node=_Node("a.feature::s")))
    del manager
    gc.collect()
    assert gone() is None


def test_install_replaces_the_lookup_of_the_pytest_bdd_lerconf_runs_on() -> None:
    """If a pytest-bdd release changes the lookup's signature, install says so instead of patching blind."""
    assert install() is True
    assert getattr(sys.modules["pytest_bdd.scenario"].find_fixturedefs_for_step, "_lerconf_remembers", False)


def test_two_files_defining_the_same_step_text_each_get_their_own(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A real pytest-bdd session, the lookup remembered: each test file's own step definition runs for
    the same step text (a memo keyed by the text alone would hand the second file the first's)."""
    install()
    for name in ("a", "b"):
        (tmp_path / f"{name}.feature").write_text(textwrap.dedent(f"""\
            Feature: same text
              Scenario: one
                Given the thing
                Then the thing is file {name}'s
            """))
        (tmp_path / f"test_{name}.py").write_text(textwrap.dedent(f"""\
            from pytest_bdd import given, scenarios, then
            scenarios("{name}.feature")
            @given("the thing", target_fixture="thing")
            def _():
                return "{name}"
            @then("the thing is file {name}'s")
            def _(thing):
                assert thing == "{name}", thing
            """))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    code = pytest.main([str(tmp_path), "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                        "--rootdir", str(tmp_path), "-c", str(tmp_path / "pytest.ini")])
    assert code == 0
