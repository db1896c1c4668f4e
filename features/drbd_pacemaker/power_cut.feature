@drbd_pacemaker @destructive
Feature: vm01 loses power; vm02 fences it, is promoted, then serves (book 7.2 step 14 on pacemaker)
  The book's failover test, with the canary writing through the VIP every 100 ms. vm01's power is cut.
  vm02 must see vm01 lost, fence it through its BMC, and only then promote DRBD and start the group
  (the order read from vm02's pacemaker log): /data, the VIP, MariaDB. Every acknowledged row must be
  there (protocol C: vm02 had each one before vm01 acknowledged it). vm01 then comes back, rejoins the
  cluster and resyncs from vm02, and the fence-peer constraint vm02 placed on its promotion is lifted.

  Background:
    Given pacemaker runs mysql_service on vm01, DRBD Promoted there

  Scenario: vm01's power is cut while the canary writes; vm02 fences it, is promoted and serves
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When vm01's power is cut while the canary writes
    Then vm02 fences vm01 and only then mounts /data, as vm02's pacemaker log shows
    And vm02 runs mysql_service: /data mounted, the VIP up and mysqld running
    And the book's claim "if the master is shut down, the VIP moves to the standby and the DRBD partition is mounted there" is judged by where mysql_service went
    And every row the canary saw acknowledged is in MariaDB on vm02
    And the failover is recorded with its outage and the phases from vm02's pacemaker log
    And no invariant was broken
    And vm01, back from its fence, rejoins: DRBD resynced from vm02, the constraint lifted
