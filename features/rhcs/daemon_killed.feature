@rhcs @destructive
Feature: A daemon of the cluster stack dies on node1: started again, or node1 fenced (fault catalogue)
  Not in the book. On today's stack pacemakerd starts the cluster's subdaemons (the controller, the
  fencer, the CIB, the executor, the attribute and scheduler daemons), watches them, and starts again one
  that exits without being asked to; the resources node1 runs are not touched. corosync has no such
  watcher (its unit does not restart it): without it node1 leaves the membership, so node2 sees a member
  with resources lost, fences it through its BMC and only then takes the service, as after a power cut.
  The controller is the one subdaemon whose absence the rest of the cluster acts on: a member whose
  controller is gone is, to the scheduler, a member that can no longer be trusted, and fencing it is what
  the stack does when the scheduler runs before pacemakerd's respawn has joined again. Both endings have
  been seen on this lab; either is the stack keeping its promise, as long as one node serves and no row is
  lost. Each daemon is killed with SIGKILL on node1 while it serves, as a crash would end it.

  Background:
    Given mysql_service runs on node1

  Scenario Outline: 7.3: <daemon> on node1 is killed with SIGKILL; pacemakerd starts it again and mysql_service stays
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When the cluster daemon <daemon> on node1 is killed with SIGKILL while the canary writes
    Then pacemakerd on node1 started <daemon> again, as node1's pacemaker log and its process table show
    And neither node1 nor node2 was fenced, as their fence devices' records show
    And no part of mysql_service was started or stopped on node1 or node2, as their pacemaker logs show
    And node1 runs mysql_service: /data mounted, the VIP up and mysqld running
    And every row the canary saw acknowledged is in MariaDB on node1
    And the kill is recorded with the canary's longest gap
    And no invariant was broken
    And the failed actions the kill left are cleaned up with pcs resource cleanup

    Examples:
      | daemon           |
      | pacemaker-fenced |

  Scenario: 7.3: pacemaker-controld on node1 is killed with SIGKILL; pacemakerd starts it again, or node2 fences node1 first
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When the cluster daemon pacemaker-controld on node1 is killed with SIGKILL while the canary writes
    Then pacemakerd on node1 started pacemaker-controld again and nothing was fenced, or node2 fenced node1 and only then mounted /data: either way one node serves, as the pacemaker logs and the fence devices' records show
    And mysql_service runs where the cluster left it: /data mounted, the VIP up and mysqld running
    And every row the canary saw acknowledged is in MariaDB where the cluster left it
    And the kill is recorded with what the cluster did, its outage and its phases
    And no invariant was broken
    And the failed actions the kill left are cleaned up with pcs resource cleanup

  Scenario: 7.3: corosync on node1 is killed with SIGKILL; node2 fences node1, then takes mysql_service
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When the cluster daemon corosync on node1 is killed with SIGKILL while the canary writes
    Then node2 fences node1 and only then mounts /data, as node2's pacemaker log shows
    And node2 runs mysql_service: /data mounted, the VIP up and mysqld running
    And every row the canary saw acknowledged is in MariaDB on node2
    And the failover is recorded with its outage and the phases from node2's pacemaker log
    And no invariant was broken
