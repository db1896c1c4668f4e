"""Binds features/verify: a running cluster checked against the runbook's end state, read-only."""

from pytest_bdd import scenarios

for _feature in ("drbd", "heartbeat"):
    scenarios(f"verify/{_feature}.feature")
