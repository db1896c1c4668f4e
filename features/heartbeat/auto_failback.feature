@heartbeat @destructive
Feature: The master comes back after a power cut: auto_failback (book 7.2 steps 11 and 14)
  The book: "when the master is repaired the VIP stays on the standby (no second interruption)", which is
  what `auto_failback off` promises. With `auto_failback on` the group moves back to the master when it
  returns, and that second outage is measured. The repaired vm01 is brought back as the book has it:
  powered on, DRBD started by hand (it must not start at boot), then Heartbeat started by hand.
  The book prints `auto_failback on` in ha.cf and advises off on the standby, so its two nodes differ;
  Heartbeat's documentation wants the same value on both. The third example runs the book's files as
  printed: vm01's says on, vm02's off (Heartbeat logs nothing about the difference).
  Once vm01 is back and DRBD has resynced, an online verify compares the two replicas block by block: a
  failover and a return must leave them equal.

  Scenario Outline: 7.2 step 14: vm01 returns after a power cut, auto_failback <setting>
    Given Heartbeat runs on both nodes with auto_failback <setting>, the group on vm01
    And the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When vm01's power is cut while the canary writes
    Then vm02 holds the group: DRBD Primary, /data mounted, the VIP up and mysqld running
    When vm01 is powered on, then DRBD and Heartbeat are started on it by hand
    Then the group is on <where> once vm01 has rejoined
    And every row the canary saw acknowledged is in MariaDB on <where>
    And the return of vm01 is recorded with the outage it caused
    And no invariant was broken
    And the book's claim "when the master is repaired the VIP stays on the standby (no second interruption)" is judged by whether the group stayed on vm02 without a second outage
    And an online verify (drbdadm verify) finds no block out of sync between the nodes

    Examples:
      | setting                                           | where |
      | off                                               | vm02  |
      | on                                                | vm01  |
      | on for vm01, off for vm02, as the book prints it  | vm02  |
