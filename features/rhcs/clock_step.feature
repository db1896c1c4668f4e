@rhcs @destructive
Feature: node1's clock stepped backwards under the service (fault catalogue)
  Not in the book. A node's clock can jump: a wrong time server, an operator's `date`, a VM restored from
  a snapshot. corosync and pacemaker time their tokens and timers on the monotonic clock, so a step of
  the wall clock must not change the cluster's roles. node1's clock is set 120 s back while it serves,
  and for 40 s the harness watches: no member lost, none fenced, nothing of the service started, stopped
  or moved, the writes go on. The harness converts a node's log times with that node's clock offset,
  read when it reads the log, so it must read node1 as 120 s behind. node1's clock is set right again
  when the scenario ends.

  Background:
    Given mysql_service runs on node1

  Scenario: node1's clock is stepped 120 s back while it serves; the cluster keeps its roles
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When node1's clock is stepped 120 seconds back and the cluster is watched for 40 seconds
    Then no part of mysql_service was started or stopped on node1 or node2, as their pacemaker logs show
    And neither node1 nor node2 was fenced, as their fence devices' records show
    And crm_mon (the book's clustat) shows node1 and node2 online, with quorum
    And node1 runs mysql_service: /data mounted, the VIP up and mysqld running
    And the harness reads node1's clock about 120 s further behind this machine's than before the step
    And every row the canary saw acknowledged is in MariaDB on node1
    And the clock step is recorded with the canary's longest gap
    And no invariant was broken
