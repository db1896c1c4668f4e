@drbd @destructive
Feature: The checks of DRBD's replicas see replicas that differ (their negative controls)
  After a repaired split brain an online verify (`drbdadm verify`) compares the two replicas block by
  block, and after every fault scenario hadrill waits for DRBD to be whole again: Connected, UpToDate on
  both sides, nothing out of sync. Checks that could not see two replicas differ would pass a cluster
  whose standby holds other data, so 16 KiB of vm02's backing partition are overwritten here past DRBD, on
  purpose: the verify must count them, the audit after a fault must call the pair not whole, and a
  disconnect and a connect on the Primary (DRBD's own remedy after a verify) must resync them.

  Scenario: 16 KiB changed past DRBD on vm02 are found by the verify and by the audit, then resynced
    Given the resource test is replicating with vm01 Primary, nothing mounted
    When 16 KiB of vm02's backing partition are overwritten past DRBD, 512 MiB in
    Then an online verify from vm01 finds 16 KiB out of sync
    And the audit after a fault finds DRBD not whole, with oos:16 on vm01
    When vm01 disconnects and connects resource test again
    Then the audit after a fault finds DRBD whole on both nodes
