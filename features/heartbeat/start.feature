@heartbeat @disruptive
Feature: Heartbeat takes the group on the preferred node (book 7.2 step 13)
  The book: before Heartbeat starts, DRBD is Secondary on both hosts; then `/etc/init.d/heartbeat start`
  on both. vm01, first in haresources, takes the whole group in order: DRBD Primary, /data mounted, the
  VIP 192.168.8.100, mysqld. A client on the cluster network (the harness, in the lab's namespace)
  then reaches MariaDB through the VIP.

  Background:
    Given MariaDB's data is on /data and Heartbeat is configured on both nodes but stopped

  Scenario: 7.2 step 13: Heartbeat started on both nodes; vm01 serves MariaDB through the VIP
    Then DRBD is Secondary on both nodes
    When Heartbeat is started on both nodes with /etc/init.d/heartbeat start
    Then the book's claim "started on both nodes, the node first in haresources takes the whole group" is judged by this start
    And vm01 holds the group: DRBD Primary, /data mounted, the VIP up and mysqld running
    And vm02 holds none of it
    And a client on the cluster network writes rows through the VIP and reads them back
