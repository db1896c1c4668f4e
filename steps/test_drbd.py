"""Binds features/drbd, in the book's order (7.2 steps 1-10, the invariant monitor's controls, then the
protocol table), then the fault catalogue's DRBD scenarios."""

from pytest_bdd import scenarios

for _feature in ("install", "partition", "configure", "initialize", "format_mount", "switchover",
                 "split_brain", "invariant_monitor", "replica_checks", "protocols", "inconsistent_peer"):
    scenarios(f"drbd/{_feature}.feature")
