@rhcs
Feature: Shared storage over iSCSI (book 7.3, figure 7-4)
  The book's lab: two MySQL nodes on shared iSCSI storage. The storage node exports its disks as one
  iSCSI target (the kernel's own, LIO, which fence_scsi's reservations need); node1 and node2 log in with
  open-iscsi, each with its own initiator name, which the target's ACL names. Both must see the same
  disks: the same serial and the same WWN, LUN by LUN.

  Background:
    Given every node of the lab is powered on

  Scenario: 7.3: the storage node exports two LUNs, and node1 and node2 see the same disks
    Given the storage node exports /dev/sdb and /dev/sdc as LUNs over iSCSI with the kernel's target
    When node1 and node2 log in to the target with open-iscsi
    Then node1 and node2 see the same 2 iSCSI disks, with the same serial and WWN
    And the target lists a session from each node's own initiator name
