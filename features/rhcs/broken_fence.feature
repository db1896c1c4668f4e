@rhcs @destructive
Feature: No fence, no takeover: safety before availability (book 7.3, part 4)
  The book: the standby takes over only after the fence device confirms. So when node1's fence device does
  not answer (its BMC is down) and node1 then fails, node2 must not mount /data or take the VIP: it cannot
  know that node1 has stopped writing. The service stays down until fencing succeeds or an operator, having
  made sure node1 is off, confirms it by hand (`pcs stonith confirm`, the book's era `fence_ack_manual`).

  Background:
    Given mysql_service runs on node1

  Scenario: 7.3: node1's BMC is down and node1 loses power; node2 does not take over
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    And node1's fence device is broken: its BMC does not answer
    Then verify's fence check finds node1's fence device not answering
    When node1's power is cut
    Then node2 tries to fence node1, and fails
    And for 45 seconds node2 does not mount /data, raise the VIP or start mysqld
    And crm_mon shows node1 unclean and mysql_service not moved: pacemaker cannot know it stopped
    When the operator, having checked that node1 is off, confirms it with pcs stonith confirm node1
    Then node2 runs mysql_service: /data mounted, the VIP up and mysqld running
    And every row the canary saw acknowledged is in MariaDB on node2
    And the refusal is recorded as a failover that did not happen while fencing failed
    And no invariant was broken
    And the book's claim "only after the fence device confirms does the standby take over" is judged by what node2 did while the fence failed
