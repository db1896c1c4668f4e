@rhcs @destructive
Feature: node1 and node2 lose power at once, then come back one after the other (fault catalogue)
  Not in the book. A power failure of the whole rack: both members go down mid-write while the storage
  node stays up. When power returns the members boot one after the other. The first one back, alone,
  must not start the service: it cannot tell whether its peer is running it, so its cluster waits for the
  peer (votequorum's wait_for_all, which two-node clusters turn on), with no quorum, no resource and no
  fencing. Once both are up the cluster forms, fences no one, and starts mysql_service on node1, where the
  failover domain prefers it. MariaDB flushes its redo log at every commit, so InnoDB's crash recovery on
  the shared LUN must give back every row the canary saw acknowledged; its start, recovery included, is
  measured from MariaDB's journal.

  Background:
    Given mysql_service runs on node1

  Scenario: 7.3: node1 and node2 lose power at once while the canary writes; node1 back first waits for node2
    Given MariaDB on node1 flushes its log to disk at every commit (innodb_flush_log_at_trx_commit = 1)
    And the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When node1 and node2 lose power at once while the canary writes
    And node1's power returns and it starts its cluster while node2 is still off
    Then for 20 seconds node1 waits for its peer: no quorum, no resource started, no fencing
    When node2's power returns and it starts its cluster
    Then crm_mon (the book's clustat) shows node1 and node2 online, with quorum
    And node1 runs mysql_service: /data mounted, the VIP up and mysqld running
    And neither node1 nor node2 was fenced, as their fence devices' records show
    And every row the canary saw acknowledged is in MariaDB on node1
    And InnoDB's crash recovery on node1 is recorded with the outage and the phases from node1's pacemaker log
    And no invariant was broken
