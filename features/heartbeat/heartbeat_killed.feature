@heartbeat @destructive
Feature: Heartbeat itself is killed on the master: nothing starts it again, and DRBD keeps the peer out
  Issue 22, scenario 9, on the book's stack. Heartbeat's master control process on vm01 is killed with
  SIGKILL while vm01 serves, as a crash would end it. Heartbeat's other processes on vm01 see their master
  gone and end themselves; nothing starts Heartbeat again (its unit does not restart it). vm01 keeps its
  group, unmanaged. vm02 hears nothing for the deadtime, declares vm01 dead and tries to take the group; the
  first resource of the group, drbddisk, cannot make vm02 Primary while vm01 is Primary and connected, so
  vm02 gives the whole group up: DRBD's place at the head of haresources is what keeps a second VIP off the
  network. Started again by hand beside the group left running, vm01's Heartbeat takes nothing: by its own
  account it holds none of the group while the group runs there, unmanaged; the operator's repair is a stop
  of Heartbeat on both nodes and a fresh start.

  Background:
    Given Heartbeat runs on both nodes with auto_failback off, the group on vm01

  Scenario: vm01's Heartbeat is killed while the canary writes; vm02 cannot take the group, nothing moves
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When Heartbeat's master control process on vm01 is killed with SIGKILL and the cluster is watched for 30 seconds
    Then every Heartbeat process on vm01 has ended, and nothing started Heartbeat again
    And vm02 declared vm01 dead, and gave the group up when DRBD refused to make it Primary
    And the VIP stayed on vm01 and vm02 took nothing
    And the loss of Heartbeat is recorded with the canary's outage
    And no invariant was broken
    When Heartbeat is started again on vm01 by hand
    Then vm01's Heartbeat holds none of the group by its own account, while the group runs on vm01
    And Heartbeat is stopped on both nodes and the group released, the operator's repair
