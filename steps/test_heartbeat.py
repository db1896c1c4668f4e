"""Binds features/heartbeat, in the book's order (7.2 steps 11-14), then the faults beyond the book."""

from pytest_bdd import scenarios

for _feature in ("configure", "start", "power_cut", "auto_failback", "standby", "kill_mysqld", "cable_cut",
                 "replication_cut", "disk_errors", "lossy_link", "heartbeat_killed", "second_channel"):
    scenarios(f"heartbeat/{_feature}.feature")
