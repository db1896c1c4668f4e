@verify
Feature: A running Heartbeat cluster and its MariaDB checked against the runbook's end state, read-only (verify)
  The runbook's Heartbeat chapter leaves the same authkeys (mode 600) and haresources on both nodes, ha.cf
  naming the nodes as `uname -n` does with consistent timings, no cluster service started at boot, one
  node holding the whole group, and MariaDB answering through the VIP, its data on the replicated
  filesystem, a commit on disk when it is acknowledged. What the book's own settings leave weak (initdead
  below twice deadtime, one communication path) is said as a warning; the scenario still passes.

  Background:
    Given the cluster serves: Heartbeat on both nodes, the group on one of them

  Scenario: Heartbeat's files are alike on both nodes and consistent
    Then authkeys is mode 600, owned by root, and the same on every node
    And haresources is the same on every node
    And ha.cf names the nodes as their uname -n does, with consistent timings
    And no node starts Heartbeat, DRBD or MariaDB at boot

  Scenario: one node holds the group and MariaDB answers through the VIP, durably
    Then one node holds the whole group and the other none of it
    And MariaDB greets a client on the cluster network through the VIP
    And MariaDB keeps its data on the replicated filesystem with innodb_flush_log_at_trx_commit = 1
