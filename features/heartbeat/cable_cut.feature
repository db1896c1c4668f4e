@heartbeat @destructive
Feature: The cluster cable is pulled, with no fencing: both nodes take the group (book 7.2 steps 10 and 14)
  The book's cluster has one link between the nodes and no fencing (STONITH). Pulling vm01's cluster cable
  makes each node think the other dead: vm02 takes the group while vm01 keeps it, so the VIP and DRBD
  Primary are on both nodes, and the clients that reach vm02 write there. When the cable is back, both
  Heartbeats see the partition, give everything up and restart; one of them takes the group again, on its
  own data (which one is not fixed: vm01 or vm02), and DRBD, Primary on both sides before, is in split
  brain. The harness reports this as the unsafe configuration it is, repairs with the book's
  procedure (7.2 step 10), the node left without the group the victim, and counts the acknowledged rows
  the repair throws away. The cable stays out 35 s: the deadtime (10 s) before vm02 declares vm01 dead,
  vm02's takeover (about 15 s here), then some 10 s with the group on both while the canary writes.

  Background:
    Given Heartbeat runs on both nodes with auto_failback off, the group on vm01

  Scenario: vm01's cluster cable is pulled for 35 s, then plugged back
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When vm01's cluster cable is pulled while the canary writes
    Then vm02 takes the group while vm01 keeps it: the VIP and DRBD Primary on both nodes
    When the cable is plugged back after 35 seconds
    Then the group is on one node once both Heartbeats have restarted
    And DRBD has dropped the connection: StandAlone on a node that detected the split brain, StandAlone or WFConnection on the other
    And the kernel log of each node that detected it says "Split-Brain detected but unresolved"
    And the invariant monitor saw the VIP and DRBD Primary on both nodes
    When the split brain is repaired with the book's procedure, the node without the group the victim
    Then the resync after the repair was a bitmap resync, not a full one
    And the acknowledged rows the repair threw away are counted, all of them written while the cable was out
    And an online verify (drbdadm verify) finds no block out of sync between the nodes
