@heartbeat @destructive
Feature: A backing disk fails under DRBD: the node detaches it and the service goes on (fault catalogue)
  Beyond the book. A disk that starts failing its writes must not take the service down: DRBD, on an I/O
  error from the backing disk, detaches it (on-io-error detach, DRBD 8.4's default; the book's drbd.conf
  names no policy) and the node goes on Diskless, reading and writing through its peer. Once the disk is
  healed and attached again, only the blocks written meanwhile are resynced to it. The failing disk is
  made with the DRBD module's own fault injection: every data write DRBD sends to the node's backing disk
  completes with an I/O error, as a dying disk's would. It strikes the Secondary (vm02: the replica is
  lost, vm01 serves alone) and then the Primary (vm01: Diskless, it serves from vm02's disk).

  Background:
    Given Heartbeat runs on both nodes with auto_failback off, the group on vm01

  Scenario Outline: every write to the backing disk of <node>, the <role>, fails while the canary writes; then it is healed
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When every data write to the backing disk of <node> fails while the canary writes
    Then <node> detaches its failing disk, /proc/drbd reading <detached>, and the canary's rows are acknowledged again
    And Heartbeat moves nothing: the group stays on vm01, vm02 holds none of it
    When after 10 seconds the disk of <node> is healed and attached again
    Then <node> catches up with a bitmap resync: /proc/drbd on vm01 reads cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate, oos:0, no split brain
    And every row the canary saw acknowledged is in MariaDB on vm01
    And no invariant was broken
    And the disk failure is recorded with the canary's longest wait and the resync

    Examples:
      | node | role      | detached                                               |
      | vm02 | Secondary | cs:Connected ro:Secondary/Primary ds:Diskless/UpToDate |
      | vm01 | Primary   | cs:Connected ro:Primary/Secondary ds:Diskless/UpToDate |
