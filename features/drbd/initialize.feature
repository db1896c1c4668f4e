@drbd @destructive
Feature: Initialize and start the resource, promote vm01 (book 7.2 step 6)
  `drbdadm create-md test` writes DRBD's metadata at the end of /dev/sdb1. If the partition already
  holds a filesystem, create-md refuses, and the book zeroes its start with dd and runs it again.
  The DRBD service is started on both hosts (it waits for the peer), and only vm01 is made Primary:
  the book's `drbdsetup /dev/drbd1 primary -o` is DRBD 8.3's spelling; where drbd-utils refuses it,
  `drbdadm primary --force test` does the same. Then the initial sync copies vm01's disk to vm02.

  Background:
    Given the book's drbd.conf is on both nodes and the resource test is down

  Scenario: 7.2 (6) create-md on a blank partition succeeds at once
    Given /dev/sdb1 on each node holds neither a filesystem nor DRBD metadata
    When "drbdadm create-md test" is run on each node
    Then it succeeded on each node and reported "New drbd meta data block successfully created."

  Scenario: 7.2 (6) create-md over a filesystem: the book's dd fallback
    Given /dev/sdb1 on each node holds an ext3 filesystem
    When "drbdadm create-md test" is run on each node
    Then it was refused on each node, saying it found an ext3 filesystem
    When "dd if=/dev/zero bs=1M count=1 of=/dev/sdb1" is run on each node
    And "drbdadm create-md test" is run on each node
    Then it succeeded on each node and reported "New drbd meta data block successfully created."

  Scenario: 7.2 (6) start on both hosts, promote vm01, watch the initial sync
    Given /dev/sdb1 on each node holds fresh DRBD metadata
    When "/etc/init.d/drbd start" is run on both nodes at once
    Then /proc/drbd on vm01 reads "cs:Connected ro:Secondary/Secondary ds:Inconsistent/Inconsistent"
    When vm01 is made Primary with the book's "drbdsetup /dev/drbd1 primary -o"
    Then /proc/drbd on vm01 shows the initial sync running as SyncSource
    And within 180 seconds /proc/drbd on vm01 reads "cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate"
    And /proc/drbd on vm02 reads "cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate"
    And the counters read as the book prints them: vm01 sent (ns) and read (dr) the whole disk, vm02 received (nr) and wrote (dw) it
