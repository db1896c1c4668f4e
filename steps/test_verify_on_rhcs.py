"""Binds features/verify's checks of a Pacemaker cluster (book 7.3), which run on the rhcs topology."""

from pytest_bdd import scenarios

scenarios("verify/pacemaker.feature")
