@heartbeat @destructive
Feature: A lossy cluster link: Heartbeat misses packets, asks for them again, and moves nothing
  Issue 22, scenario 10, its lossy half, on the book's stack (one channel). For 30 s a fifth of the packets
  vm01 sends on its cluster interface are lost at random (netem). Heartbeat sends a heartbeat every second and
  declares its peer dead only after the deadtime (10 s) without one, so ten lost in a row would be needed:
  at this rate, about one chance in ten million a window. vm02's Heartbeat notices the gaps in vm01's
  sequence numbers, logs the packets it missed and asks for them again; it never declares the link or
  vm01 dead, and nothing of the group moves. The canary's writes (MariaDB on vm01, DRBD's replication on the
  same interface) are slowed by TCP's retransmissions, and none is lost.

  Background:
    Given Heartbeat runs on both nodes with auto_failback off, the group on vm01

  Scenario: 20 % of vm01's packets lost for 30 s; Heartbeat misses some, moves nothing
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When 20 % of the packets vm01 sends on its cluster interface are lost for 30 seconds
    Then vm02's Heartbeat found packets from vm01 missing, and never declared the link or vm01 dead
    And the VIP stayed on vm01 and vm02 took nothing
    And the lossy link is recorded with the canary's outage and the packets Heartbeat missed
    And no invariant was broken
