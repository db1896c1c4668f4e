@drbd_pacemaker @destructive
Feature: The replication link is cut, pacemaker's stays up: vm02 is fenced off from DRBD's Promoted role
  Under Heartbeat this cut leaves vm02 an UpToDate Secondary that nothing stops from being promoted
  (the heartbeat area's replication cut). With `fencing resource-and-stonith`, vm01's DRBD freezes its
  writes when the peer goes, runs crm-fence-peer.sh, which asks the cluster to leave the Promoted role to
  vm01 only, then marks the peer Outdated and lets the writes go on. Promoting vm02, by pacemaker or by
  hand, is then refused until it has resynced; crm-unfence-peer.sh lifts the constraint once it has.

  Background:
    Given pacemaker runs mysql_service on vm01, DRBD Promoted there

  Scenario: DRBD's port is dropped on vm01 for 20 s: vm02 is Outdated and cannot be promoted
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When DRBD's port is dropped on vm01 while the canary writes, pacemaker's link up
    Then vm01 goes on alone, its peer Outdated by the fence-peer handler: WFConnection, Primary, UpToDate/Outdated, the canary's rows acknowledged again
    And the cluster leaves the Promoted role to vm01 only: crm-fence-peer.sh's constraint
    And vm02 stays Unpromoted and pacemaker moves nothing: the group on vm01 only
    And promoting DRBD on vm02 by hand is refused: its peer is not outdated
    When DRBD's port on vm01 passes again after 20 seconds
    Then vm02 resyncs from vm01 and crm-unfence-peer.sh lifts the constraint: Connected, UpToDate/UpToDate, oos:0
    And every row the canary saw acknowledged is in MariaDB on vm01
    And no invariant was broken
    And the replication cut under pacemaker is recorded with its outage and the resync
