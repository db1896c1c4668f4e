@verify
Feature: A running Pacemaker cluster on shared storage checked against the runbook's end state, read-only (verify)
  The runbook's 7.3 chapter, on today's stack, ends with a configuration that crm_verify finds nothing
  wrong in, fencing on and a fence device for every member that answers, votequorum's two-node settings,
  the service placed as its failover domain says, the same shared disks on every member, and a GFS2
  journal per member. Nothing here changes a node. On an embedded lab (every host disposable) the
  Background first brings the service and GFS2 up where they do not run; on any other host it only looks.

  Background:
    Given the cluster serves: mysql_service on one member, GFS2 mounted by the cluster on every member

  Scenario: the configuration is valid, every member can be fenced, and the quorum suits two nodes
    Then crm_verify finds no error or warning in the live configuration
    And every member is online, and a started fence device that can fence it answers its agent's monitor
    And every member is quorate, with votequorum's two_node and wait_for_all where there are two

  Scenario: the service and the shared storage are as the failover domain and the cluster's resources say
    Then mysql_service's location preferences are its failover domain: node1 100, node2 50
    And every member sees the same shared disks, each disk the cluster mounts among them
    And each GFS2 filesystem the cluster mounts has a journal for every member
