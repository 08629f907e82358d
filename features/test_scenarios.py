"""Binds every feature file under features/ to pytest (pytest features --vendor FILE)."""
from pytest_bdd import scenarios

scenarios(".")
