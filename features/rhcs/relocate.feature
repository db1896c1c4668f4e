@rhcs @destructive
Feature: A planned relocation, the book's clusvcadm -r (book 7.3, part 5)
  rgmanager's `clusvcadm -r SERVICE -m NODE` moves a service to another member; today it is
  `pcs resource move` (and `pcs resource clear` to drop the move's constraint). The service must move
  to node2 and back to node1 with no acknowledged row lost, and the outage of each move is measured.

  Background:
    Given mysql_service runs on node1

  Scenario: 7.3: mysql_service is relocated to node2 and back with pcs resource move
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When mysql_service is relocated to node2 (the book's clusvcadm -r mysql_service -m node2)
    Then node2 runs mysql_service: /data mounted, the VIP up and mysqld running
    When mysql_service is relocated to node1 (the book's clusvcadm -r mysql_service -m node1)
    Then node1 runs mysql_service: /data mounted, the VIP up and mysqld running
    And every row the canary saw acknowledged is in MariaDB on node1
    And both relocations are recorded with their outages
    And no invariant was broken
