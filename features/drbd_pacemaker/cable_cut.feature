@drbd_pacemaker @destructive
Feature: vm01's cluster cable is pulled: vm02 fences it, and DRBD is never Primary on both nodes
  The heartbeat area's cable cut: with no fencing both nodes take the group, DRBD is Primary on both and
  the split brain is repaired afterwards, losing the rows written on one side. Here the same cable is
  pulled under pacemaker. vm01 can reach neither its peer nor vm02's BMC; vm02 can reach vm01's BMC, fences
  vm01, and only then promotes DRBD (its own fence-peer handler finds the peer fenced) and starts the group.
  DRBD is never Primary on two nodes, so no split brain is left to repair and no acknowledged row is lost.
  The cable stays out 30 s; vm01, back from its fence, then rejoins and resyncs from vm02.

  Background:
    Given pacemaker runs mysql_service on vm01, DRBD Promoted there

  Scenario: vm01's cluster cable is pulled for 30 s; vm02 fences vm01, is promoted and serves
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When vm01's cluster cable is pulled under pacemaker while the canary writes
    Then vm02 fences vm01, and vm02 itself is never fenced
    And vm02 fences vm01 and only then mounts /data, as vm02's pacemaker log shows
    And vm02 runs mysql_service: /data mounted, the VIP up and mysqld running
    When the cable is plugged back after 30 seconds
    Then vm01, back from its fence, rejoins: DRBD resynced from vm02, the constraint lifted
    And every row the canary saw acknowledged is in MariaDB on vm02
    And the failover is recorded with its outage and the phases from vm02's pacemaker log
    And no invariant was broken
