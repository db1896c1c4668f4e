@drbd @destructive
Feature: Partition the DRBD disk (book 7.2 step 3)
  Each host has a second disk, /dev/sdb (1073 MB in the book), that DRBD will replicate. The book makes
  one primary partition of type 83 (Linux) over all of it with fdisk.

  Scenario: 7.2 (3) one primary partition /dev/sdb1 of type 83 fills /dev/sdb
    Given /dev/sdb on each node holds no partition table
    When fdisk /dev/sdb is answered n, p, 1, default start, default end, w on each node
    Then /dev/sdb on each node has exactly one partition, /dev/sdb1, of type 83
    And /dev/sdb1 reaches from the first usable sector to the end of /dev/sdb
