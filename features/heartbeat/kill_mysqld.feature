@heartbeat @destructive
Feature: MySQL dies on the master: does the VIP move? (book 7.2 step 14)
  The book: "if ... MySQL on it is stopped, the VIP moves to the standby". Heartbeat in haresources mode
  starts and stops its resources but never watches them, so this is a claim to test, not to assume.
  mysqld (MariaDB's mariadbd) is killed on vm01 with SIGKILL, as a crash would, and with SIGTERM, as a
  clean stop would. For 30 s (three times the deadtime of 10 s, the longest Heartbeat takes to act on
  anything it notices) the harness records where the group is and whether the canary's writes go
  through. Under systemd, MariaDB's unit restarts a crashed server itself (Restart=on-abnormal), not a
  cleanly stopped one.

  Background:
    Given Heartbeat runs on both nodes with auto_failback off, the group on vm01

  Scenario Outline: 7.2 step 14: mysqld on vm01 is killed with <signal>
    Given the canary writes a row through the VIP every 100 ms
    And the invariant monitor samples both nodes
    When mysqld on vm01 is killed with <signal> and the cluster is watched for 30 seconds
    Then the VIP stayed on vm01 and vm02 took nothing
    And mysqld on vm01 is <after>
    And the loss of mysqld is recorded with the canary's outage
    And no invariant was broken
    And the book's claim "if MySQL on the master is stopped, the VIP moves to the standby" is judged by where the group went

    Examples:
      | signal  | after                           |
      | SIGKILL | running again, restarted by systemd |
      | SIGTERM | still stopped                   |
