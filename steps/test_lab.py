"""Binds features/lab."""

from pytest_bdd import scenarios

scenarios("lab")
