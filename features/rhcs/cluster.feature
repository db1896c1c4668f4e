@rhcs @destructive
Feature: The cluster is made with pcs: the book's luci, ricci and cman (book 7.3 steps 1-4)
  The book installs luci, ricci, cman and rgmanager and makes the cluster in luci's web pages. Today
  (RHEL 7 and later, Debian's pacemaker): pcsd stands for ricci and luci, corosync 3 for cman, pacemaker
  for rgmanager, and `crm_mon` for `clustat`. The book's steps: /etc/hosts with both nodes, the services
  started, the cluster created with its nodes, then a fence device. Two nodes: corosync's two-node quorum.

  Scenario: 7.3 steps 2-4: the cluster of node1 and node2 is created and started with pcs
    Given node1 and node2 share the storage and no cluster is configured
    When /etc/hosts names both nodes and pcsd (the book's ricci) runs with the hacluster password on both
    And the cluster is created from node1 with pcs cluster setup and started on both nodes (the book's cman start)
    Then crm_mon (the book's clustat) shows node1 and node2 online, with quorum
    And corosync-quorumtool shows two-node quorum: 2 votes expected, the quorum 1
    When a fence device per node is added: fence_ipmilan to the node's BMC, and stonith is enabled
    Then crm_mon shows each fence device started on the other node
