@rhcs @destructive
Feature: Fencing really powers a node off and on (book 7.3, part 4)
  The book: "the standby first asks a fence device to reboot or power off the failed host; only after the
  fence device confirms does the standby take over". Each node has a BMC on the cluster network (IPMI over
  LAN, run by the lab) whose chassis power acts on that node. pacemaker fences with fence_ipmilan.
  Fencing node2 by hand must power it off (the node's processes end; its boot ID changes) and on again.

  Background:
    Given the cluster runs on node1 and node2 with a fence device per node

  Scenario: 7.3 part 4: pcs stonith fence node2 (the book's fence_node) reboots node2 through its BMC
    When node1 fences node2 with pcs stonith fence node2
    Then node2's fence device powered it off and on again, as its record shows
    And node2 was really powered off: it booted again with a new boot ID
    And crm_mon's fencing history shows node2 rebooted by node1, with success
    When node2 rejoins: its iSCSI session and the cluster started on it
    Then crm_mon (the book's clustat) shows node1 and node2 online, with quorum
