@rhcs @destructive
Feature: node1 loses power; node2 fences it, then takes the service (book 7.3, parts 4 and 5)
  The book's promise: the standby takes over only after the fence device has confirmed. A canary on the
  LAN inserts a numbered row through the VIP every 100 ms. node1's power is cut. node2 must see node1 lost,
  fence it through node1's BMC, and only then mount /data (the order is read from node2's pacemaker log),
  raise the VIP and start MariaDB. Every row the canary saw acknowledged must be there (InnoDB flushes
  each commit to the shared LUN). The outage and its phases (detection, fencing, filesystem, IP,
  database) are recorded. /data (ext4) must never be mounted on two nodes.

  Background:
    Given mysql_service runs on node1

  Scenario Outline: 7.3: node1's power is cut while the canary writes, run <run>
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When node1's power is cut while the canary writes
    Then node2 fences node1 and only then mounts /data, as node2's pacemaker log shows
    And node2 runs mysql_service: /data mounted, the VIP up and mysqld running
    And every row the canary saw acknowledged is in MariaDB on node2
    And the failover is recorded with its outage and the phases from node2's pacemaker log
    And no invariant was broken
    And the book's claim "only after the fence device confirms does the standby take over" is judged by the order of fencing and mount

    Examples:
      | run |
      | 1   |
      | 2   |
      | 3   |
