@rhcs @destructive
Feature: node1 freezes; node2 fences it before it can wake up and write (book 7.3, part 4)
  A frozen node (all its processes stopped, as a hung kernel or a long pause) still holds /data mounted;
  if it woke up after node2 had mounted /data too, both would write the same ext4 filesystem and corrupt
  it. Fencing prevents that: node2 powers node1 off through its BMC before it mounts. When the harness
  later lets the frozen node go on, there is nothing left to thaw: the fence has already powered it off.

  Background:
    Given mysql_service runs on node1

  Scenario: 7.3: node1 is frozen while the canary writes; node2 fences it and takes the service
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When node1 is frozen while the canary writes
    Then node2 fences node1 and only then mounts /data, as node2's pacemaker log shows
    And node2 runs mysql_service: /data mounted, the VIP up and mysqld running
    And every row the canary saw acknowledged is in MariaDB on node2
    When the frozen node1 is let go on
    Then the frozen node1 had already been powered off by the fence: its frozen processes are gone
    And the failover is recorded with its outage and the phases from node2's pacemaker log
    And no invariant was broken
    And the book's claim "only after the fence device confirms does the standby take over" is judged by the order of fencing and mount
