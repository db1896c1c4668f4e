@rhcs @destructive
Feature: Two corosync links, the first one cut: the second carries the cluster, nothing moves (fault catalogue)
  Not in the book, whose 7.3 cluster talks over one network. corosync 3's knet can carry the cluster over
  several links and sends over the best one that answers, so a second link on another network keeps the
  members together when the first is cut: no member lost, no fencing, no failover, and corosync-cfgtool
  shows the cut link disconnected. For the scenario the lab's cluster is given link 1 on the network the
  harness reaches the members by (ring1_addr beside each member's ring0_addr, corosync.conf read again
  on every member, as `pcs cluster link add` does), then link 0 is cut on node1 (corosync's UDP 5405
  dropped on its cluster interface, as in partition.feature) for 20 s. Link 1 is taken away at the end.

  Background:
    Given mysql_service runs on node1

  Scenario: 7.3: corosync's link 0 is cut on node1 while link 1 carries the cluster; nothing moves
    Given corosync carries the cluster over a second link, on the network the harness reaches the members by
    And the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When corosync's link 0 is cut on node1 for 20 seconds
    Then corosync-cfgtool on node1 showed link 0 to its peer disconnected and link 1 connected while it was cut
    And corosync on node1 and node2 lost no member, as their corosync logs show
    And neither node1 nor node2 was fenced, as their fence devices' records show
    And no part of mysql_service was started or stopped on node1 or node2, as their pacemaker logs show
    And node1 runs mysql_service: /data mounted, the VIP up and mysqld running
    And every row the canary saw acknowledged is in MariaDB on node1
    And the cut of link 0 is recorded with what corosync logged and the canary's longest gap
    And no invariant was broken
