@heartbeat @destructive
Feature: A planned switch-over with hb_standby (Heartbeat 3's way to hand the group over)
  Maintenance on the master: `hb_standby` makes vm01 release the group (mysqld stopped, VIP down, /data
  unmounted, DRBD Secondary) and vm02 take it. The canary must lose no row, and the outage is measured.

  Background:
    Given Heartbeat runs on both nodes with auto_failback off, the group on vm01

  Scenario: vm01 hands the group to vm02 with hb_standby
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When hb_standby is run on vm01
    Then vm02 holds the group: DRBD Primary, /data mounted, the VIP up and mysqld running
    And vm01 holds none of it
    And every row the canary saw acknowledged is in MariaDB on vm02
    And the switch-over is recorded with its outage and the phases from vm02's ha-log
    And no invariant was broken
