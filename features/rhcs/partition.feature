@rhcs @destructive
Feature: The cluster link cut with both nodes up: exactly one node is fenced (fault catalogue)
  Not in the book, and the failure two-node clusters fear most: corosync's link between the members is
  cut while both stay up, the iSCSI storage and the BMCs still in reach. Each member sees the other lost;
  with two-node quorum both keep quorum, and both ask to fence the other. If both fence devices acted at
  once, both nodes would go down. So node1's device, the one that fences the node holding the service,
  waits 5 s before it acts (pcmk_delay_base): node1 fences node2 first and goes on serving. The cut is
  made by dropping corosync's UDP port 5405 on node1's cluster interface. node2 comes back from the fence
  with the link still cut; its cluster, started, must wait for its peer (votequorum's wait_for_all, which
  two_node turns on) and so take no resource and fence no one. When the link is back, node2 joins and the
  service stays on node1. The delay is removed at the end: it would lengthen every other takeover by 5 s.

  Background:
    Given mysql_service runs on node1

  Scenario: corosync's link between node1 and node2 is cut; node1 fences node2 and keeps serving
    Given node1's fence device waits 5 s before it acts, so that node1 wins a fence race
    And the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When corosync's traffic between node1 and node2 is dropped on node1, both nodes up
    Then node1 fences node2, and node1 itself is never fenced
    And node1 runs mysql_service: /data mounted, the VIP up and mysqld running
    When node2, back from the fence, starts its cluster while the link is still cut
    Then for 20 seconds node2 waits for its peer: no quorum, no resource started, no fencing
    When corosync's traffic is let through again
    Then crm_mon (the book's clustat) shows node1 and node2 online, with quorum
    And mysql_service is still on node1 and node2 never held any of it
    And every row the canary saw acknowledged is in MariaDB on node1
    And the partition is recorded with its outage and the phases from node1's pacemaker log
    And no invariant was broken
    And node1's fence device acts at once again
