@heartbeat @destructive
Feature: One of Heartbeat's two channels cut: the other carries the cluster, nothing moves
  Issue 22, scenario 11, on the book's stack. The book's ha.cf has one channel between the nodes; Heartbeat
  takes as many as ha.cf lists and declares a peer dead only when every channel has gone quiet for the
  deadtime. For this feature each node's ha.cf gets a second ucast line, to the peer's address on the
  network the harness reaches the nodes by, and Heartbeat starts again with both. Then the first channel
  is cut on vm01 for 20 s: Heartbeat's UDP port dropped on the cluster interface, both ways (DRBD's
  replication, on the same interface, goes on). vm02's Heartbeat declares that link dead after the deadtime
  and up again after the cut, never vm01 itself; nothing of the group moves; no row is lost.

  Background:
    Given Heartbeat talks over two channels, the second on the network the harness reaches the nodes by; the group on vm01

  Scenario: Heartbeat's first channel is cut on vm01 for 20 s while the second carries the cluster; nothing moves
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When Heartbeat's first channel is cut on vm01 for 20 seconds
    Then vm02's Heartbeat saw its link to vm01 on the first channel dead while the second stayed up, and never vm01 dead
    And the VIP stayed on vm01 and vm02 took nothing
    And the cut of the first channel is recorded with the canary's outage and the link's times
    And no invariant was broken
