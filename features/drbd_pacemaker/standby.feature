@drbd_pacemaker @disruptive
Feature: A planned switch-over with pcs node standby (hb_standby's equivalent under pacemaker)
  Maintenance on vm01: `pcs node standby vm01` stops what runs there in reverse order (MariaDB, the VIP,
  /data, DRBD demoted and stopped) and pacemaker promotes DRBD on vm02 and starts the group there. The
  canary must lose no row; the outage is measured. vm01 then leaves standby: DRBD starts on it, resyncs
  the blocks written meanwhile, and the group stays on vm02 (stickiness): going back would be a second
  outage, at a time the operators choose.

  Background:
    Given pacemaker runs mysql_service on vm01, DRBD Promoted there

  Scenario: vm01 hands the group to vm02 with pcs node standby
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When vm01 is put in standby with pcs node standby (hb_standby's equivalent)
    Then vm02 holds the group: DRBD Promoted, /data mounted, the VIP up and mysqld running
    And vm01 holds none of the group, DRBD Unpromoted there
    And every row the canary saw acknowledged is in MariaDB on vm02
    And the switch-over is recorded with its outage and the phases from vm02's pacemaker log
    And no invariant was broken
    And vm01 leaves standby, resyncs and the constraint is lifted; the group stays on vm02
