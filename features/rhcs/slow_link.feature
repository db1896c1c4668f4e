@rhcs @destructive
Feature: A slow cluster link: every packet node1 sends held back, and no member lost (fault catalogue)
  Not in the book. A congested or far-stretched link delays the cluster's traffic without cutting it.
  corosync (knet) takes a link down when a ping gets no answer within 1.5 s (knet_ping_timeout, derived
  from the 3 s token timeout); it warns of a token late beyond 2.25 s (token_warning, 75 %), and when none
  came round within 3 s it forms the ring again, with whichever members answer. Every packet node1 sends
  on its cluster interface (corosync's, the storage's, the clients') is held back with netem for 30 s.
  At 200 ms the canary's writes slow down and nothing else shows. At 1000 ms each write, a few round
  trips, misses the canary's deadline: the service is up but too slow to use, and its outage says so;
  knet's link may flap, a token come late and time out, and the ring form again with both members (seen
  in one lab run of two): the band between warning and failure. Either way no member may leave the
  membership, no one be fenced, nothing of the service start or stop. A delay that keeps the token away
  beyond the consensus time loses the member: the cut link of partition.feature.

  Background:
    Given mysql_service runs on node1

  Scenario Outline: 7.3: node1's packets held back <delay> ms for 30 s; no member lost, nothing moves
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When every packet node1 sends on its cluster interface is held back <delay> ms for 30 seconds
    Then corosync on node1 and node2 lost no member, as their corosync logs show
    And neither node1 nor node2 was fenced, as their fence devices' records show
    And no part of mysql_service was started or stopped on node1 or node2, as their pacemaker logs show
    And node1 runs mysql_service: /data mounted, the VIP up and mysqld running
    And every row the canary saw acknowledged is in MariaDB on node1
    And the slow link is recorded with what corosync logged and the canary's longest gap
    And no invariant was broken

    Examples:
      | delay |
      | 200   |
      | 1000  |
