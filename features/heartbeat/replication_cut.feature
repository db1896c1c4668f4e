@heartbeat @destructive
Feature: The replica is lost, not the Primary: vm01 goes on alone, then vm02 catches up (fault catalogue)
  Beyond the book, two faults that take the standby's copy away while the service stays on vm01: DRBD's
  own TCP connection cut (its port dropped on vm01) while Heartbeat's link stays up, and the standby's
  power cut. Protocol C holds each write until the peer has it, so the canary waits until DRBD on vm01
  declares the peer lost (its PingAck missing); then vm01 goes on alone (WFConnection, UpToDate/DUnknown)
  and Heartbeat moves nothing. When the peer is back, it takes only the blocks written meanwhile (a bitmap
  resync, never a full one), with no split brain and no acknowledged row lost. Resource-level fencing (the
  peer marked Outdated, its promotion refused) needs a fence-peer handler the book's drbd.conf does not
  have: not run here.

  Background:
    Given Heartbeat runs on both nodes with auto_failback off, the group on vm01

  Scenario: DRBD's port is dropped on vm01 for 20 s while Heartbeat's link stays up
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When DRBD's replication port is dropped on vm01 while the canary writes
    Then vm01 goes on alone: WFConnection, Primary, UpToDate/DUnknown, the canary's rows acknowledged again
    And vm02 stays Secondary and Heartbeat moves nothing: the group on vm01 only
    When the port passes again after 20 seconds
    Then vm02 catches up from vm01 with a bitmap resync: Connected, UpToDate/UpToDate, oos:0, no split brain
    And every row the canary saw acknowledged is in MariaDB on vm01
    And no invariant was broken
    And the replication cut is recorded with the canary's longest wait and the resync

  Scenario: vm02, the standby, loses power while the canary writes, then comes back
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When vm02, the standby, loses power while the canary writes
    Then vm01 goes on alone: WFConnection, Primary, UpToDate/DUnknown, the canary's rows acknowledged again
    When vm02 is powered on, then DRBD and Heartbeat are started on it by hand
    Then vm02 catches up from vm01 with a bitmap resync: Connected, UpToDate/UpToDate, oos:0, no split brain
    And the group is on vm01 once vm02 has rejoined
    And every row the canary saw acknowledged is in MariaDB on vm01
    And no invariant was broken
    And the standby's power cut is recorded with the canary's longest wait and the resync
