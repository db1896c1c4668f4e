@drbd_pacemaker @destructive
Feature: mysqld dies on vm01 under pacemaker: the cluster notices and starts it again (book 7.2 step 14)
  The book promises that when MySQL stops on the master, the VIP moves to the standby. Heartbeat 1 never
  watches its resources (the heartbeat area's kill_mysqld: nothing happens). Pacemaker monitors the mysql
  resource every 10 s; a failed monitor adds one to its fail count on vm01 and pacemaker recovers it, by
  default (migration-threshold INFINITY) with a restart on the same node: DRBD stays Promoted on vm01, the
  VIP does not move. mariadbd is killed with SIGKILL, as a crash. The fail count is cleaned up afterwards.

  Background:
    Given pacemaker runs mysql_service on vm01, DRBD Promoted there

  Scenario: mysqld on vm01 is killed with SIGKILL; pacemaker starts it again on vm01
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When mysqld on vm01 is killed with SIGKILL while the canary writes
    Then Pacemaker counts one failure of mysql on vm01 and starts it again there, not systemd
    And vm02 took nothing while mysqld was down on vm01
    And every row the canary saw acknowledged is in MariaDB on vm01
    And the restart is recorded with its outage and the phases from vm01's pacemaker log
    And no invariant was broken
    And the book's claim "if MySQL on the master is stopped, the VIP moves to the standby" is judged by where mysql_service went
    And the failure of mysql is cleaned up with pcs resource cleanup
