@heartbeat @destructive
Feature: The master loses power; the standby takes the group (book 7.2 step 14)
  The book's promise: "if the master is shut down, the VIP moves to the standby and the DRBD partition is
  mounted there". A canary on the LAN inserts a numbered row through the VIP every 100 ms and keeps each
  acknowledgement with the time it came. vm01's power is cut. vm02 must take the whole group and hold
  every row the canary saw acknowledged (DRBD protocol C, InnoDB flushing each commit). The outage is the
  longest time without an acknowledgement; its phases come from vm02's ha-log (whole seconds). An
  invariant monitor samples both nodes twice a second: VIP on at most one node, DRBD Primary on at most
  one, /data mounted only where Primary, mysqld only where /data is mounted.

  Background:
    Given Heartbeat runs on both nodes with auto_failback off, the group on vm01

  Scenario Outline: 7.2 step 14: vm01's power is cut while the canary writes, run <run>
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When vm01's power is cut while the canary writes
    Then vm02 holds the group: DRBD Primary, /data mounted, the VIP up and mysqld running
    And every row the canary saw acknowledged is in MariaDB on vm02
    And the failover is recorded with its outage and the phases from vm02's ha-log
    And no invariant was broken
    And the book's claim "if the master is shut down, the VIP moves to the standby and the DRBD partition is mounted there" is judged by where the group went

    Examples:
      | run |
      | 1   |
      | 2   |
      | 3   |
