@rhcs @destructive
Feature: GFS2 on the shared storage, mounted on both nodes at once (book 7.3, part 7)
  The book: GFS is a cluster filesystem several nodes mount at once; writes take DLM locks, and a change
  on one node is seen on the others at once. It needs the cluster (for DLM and fencing). Today: the
  dlm_controld clone and a GFS2 filesystem (lock_dlm, a journal per node) on the second shared LUN,
  mounted on /shared by a cloned Filesystem resource on both nodes. When one node loses power, the other
  fences it, replays its journal and goes on writing.

  Background:
    Given the cluster runs on node1 and node2 with a fence device per node

  Scenario: 7.3 part 7: GFS2 mounted on both nodes; node1 loses power and node2 recovers its journal
    Given GFS2 with 2 journals is on the second shared LUN, mounted on /shared on node1 and node2 by the cluster
    When node1 writes a file to /shared
    Then node2 reads the same file from /shared at once
    When node1's power is cut while node2 writes a line to /shared every 100 ms
    Then node2 fences node1 and recovers node1's journal, as node2's kernel log shows
    And node2 goes on writing to /shared after the recovery, every line it wrote there
