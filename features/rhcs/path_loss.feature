@rhcs @destructive
Feature: node1 loses its path to the shared storage; fence_scsi takes its key, node2 serves (fault catalogue)
  Not in the book, whose 7.3 cluster fences through power switches only. Storage fencing (fence_scsi)
  fences a member by removing its SCSI reservation key from the shared LUN: the target then refuses that
  member's writes, whatever the member still believes. Pacemaker registers each member's key when it
  unfences it. fence_scsi cannot stop a node's other resources (its VIP), so each member's BMC runs right
  after it in the same fencing level, and alone at level 2 should fence_scsi fail. /data gets a second
  monitor that writes to it (OCF_CHECK_LEVEL=20) and fences the member where it fails. Then node1's
  traffic to the iSCSI portal is dropped: its monitor hangs, node2 fences it, takes its key, powers it off
  and on, and runs the service. Back from its reboot (its cluster stack not started, so not unfenced) and
  logged in again, node1 must find the target refusing its writes. Device, levels, monitor and keys are
  taken away at the end.

  Background:
    Given mysql_service runs on node1

  Scenario: 7.3: node1's path to the iSCSI storage is cut; fence_scsi takes its key, node2 takes the service
    Given fence_scsi guards the LUN of /data: at level 1 of each member with its BMC after it, the BMC alone at level 2
    And /data's monitor writes to it every 11 s and fences the member where it fails (OCF_CHECK_LEVEL=20, on-fail=fence)
    And the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When node1's path to the iSCSI portal is cut while the canary writes
    Then node2 fences node1 with fence_scsi first, then its BMC, as node2's pacemaker log shows
    And node1's key is gone from the LUN and node2's holds the reservation
    And node2 runs mysql_service: /data mounted, the VIP up and mysqld running
    And every row the canary saw acknowledged is in MariaDB on node2
    When node1 is back from its reboot and logged in to the target again
    Then node1's write to the LUN is refused with a reservation conflict, and node2's is taken
    And the path loss is recorded with its outage and the phases from node2's pacemaker log
    And no invariant was broken
