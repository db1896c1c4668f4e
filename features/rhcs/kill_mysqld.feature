@rhcs @destructive
Feature: mysqld dies under Pacemaker: the cluster notices and starts it again (book 7.2 step 14, today's stack)
  The book promises that when MySQL stops on the master, the VIP moves to the standby. Heartbeat in
  haresources mode never watches its resources, so on the 7.2 lab the claim does not hold. Pacemaker
  does watch them: the mysql resource (systemd:mariadb) is monitored every 10 s, a failed monitor adds one
  to the resource's fail count on that node, and Pacemaker recovers it. With no migration-threshold set
  (Pacemaker's default is INFINITY) the recovery is a restart on the same node; with a threshold of 1 the
  group would move. Pacemaker's own drop-in for a unit it manages sets Restart=no, so the restart is
  Pacemaker's, not systemd's. mysqld (mariadbd) is killed on node1 with SIGKILL, as a crash, and with
  SIGTERM, as a clean stop that no one asked for. The fail count is cleaned up afterwards, as an operator
  would once the cause is known.

  Background:
    Given mysql_service runs on node1

  Scenario Outline: 7.3: mysqld on node1 is killed with <signal>; Pacemaker starts it again on node1
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When mysqld on node1 is killed with <signal> while the canary writes
    Then Pacemaker counts one failure of mysql on node1 and starts it again there, not systemd
    And node2 took nothing while mysqld was down on node1
    And every row the canary saw acknowledged is in MariaDB on node1
    And the restart is recorded with its outage and the phases from node1's pacemaker log
    And no invariant was broken
    And the book's claim "if MySQL on the master is stopped, the VIP moves to the standby" is judged by where mysql_service went
    And the failure of mysql is cleaned up with pcs resource cleanup

    Examples:
      | signal  |
      | SIGKILL |
      | SIGTERM |
