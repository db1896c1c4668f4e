@rhcs @destructive
Feature: Maintenance mode: the cluster stack restarted under a running service (fault catalogue)
  Not in the book. An operator who must restart or upgrade corosync and pacemaker first puts the cluster
  in maintenance mode (`pcs property set maintenance-mode=true`): Pacemaker then neither monitors,
  starts nor stops any resource, and a member whose pacemaker stops leaves its resources running. The
  stack is stopped on both members and started again, then the cluster manages its resources again
  (`maintenance-mode=false`). Nothing of the service may start, stop or move, and the canary's writes must
  go on throughout.

  Background:
    Given mysql_service runs on node1

  Scenario: corosync and pacemaker restarted on node1 and node2 in maintenance mode; mysql_service never stops
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When the cluster is put in maintenance mode
    And corosync and pacemaker are stopped on node1 and node2, then started again
    And the cluster manages its resources again
    Then crm_mon (the book's clustat) shows node1 and node2 online, with quorum
    And no part of mysql_service was started or stopped on node1 or node2, as their pacemaker logs show
    And node1 runs mysql_service: /data mounted, the VIP up and mysqld running
    And every row the canary saw acknowledged is in MariaDB on node1
    And the maintenance is recorded with the canary's longest gap
    And no invariant was broken
