@rhcs @destructive
Feature: The cluster is made with pcs: the book's luci, ricci and cman (book 7.3 steps 1-4)
  The book installs luci, ricci, cman and rgmanager and makes the cluster in luci's web pages. Today
  (RHEL 7 and later, Debian's pacemaker): pcsd stands for ricci and luci, corosync 3 for cman, pacemaker
  for rgmanager, and `crm_mon` for `clustat`. The book's steps: /etc/hosts with both nodes, the services
  started, the cluster created with its nodes, then a fence device. Two nodes: corosync's two-node quorum.

  Scenario: 7.3 step 1: today's cluster packages are installed on node1 and node2, the book's are gone
    Then each of the packages "pacemaker corosync pcs fence-agents resource-agents dlm-controld gfs2-utils" is installed on node1 and node2
    And none of the book's packages "luci ricci cman openais rgmanager" is installed on node1 or node2

  Scenario: 7.3 steps 2-4: the cluster of node1 and node2 is created and started with pcs
    Given node1 and node2 share the storage and no cluster is configured
    When /etc/hosts names both nodes and pcsd (the book's ricci) runs with the hacluster password on both
    And the cluster is created from node1 with pcs cluster setup and started on both nodes (the book's cman start)
    Then crm_mon (the book's clustat) shows node1 and node2 online, with quorum
    And corosync-quorumtool shows two-node quorum: 2 votes expected, the quorum 1
    When a fence device per node is added: fence_ipmilan to the node's BMC, and stonith is enabled
    Then crm_mon shows each fence device started on the other node

  # The book's CCS keeps cluster.conf the same on every node. Today corosync.conf is copied by pcs (and
  # `pcs cluster sync` copies it again), and pacemaker keeps the CIB alike on every member itself.
  Scenario: 7.3 part 3: one configuration on every member; pcs cluster sync mends a drifted copy (the book's CCS)
    Given the cluster runs on node1 and node2 with a fence device per node
    Then corosync.conf is the same on every member, and so is the CIB's configuration version
    When node2's corosync.conf drifts: a comment is added to it
    Then the check finds node2's copy of corosync.conf differs from the others'
    When pcs cluster sync is run on node1 (the book's ccs_tool update)
    And every member flushes its copy to disk with sync (pcsd writes it in place, without fsync)
    Then corosync.conf is the same on every member, and so is the CIB's configuration version
