@drbd @destructive
Feature: Format and mount the replicated device (book 7.2 steps 7 and 8)
  The filesystem is made once, on the Primary only; the Secondary cannot even open /dev/drbd1. Mounted on
  /data, df shows the ext3 filesystem. The DRBD service must not start at boot: Heartbeat starts it.
  ext3 is kept as the book prints it: today's kernels mount it with the ext4 driver (ext3 has had no
  driver of its own since Linux 4.3), and df still reports the type ext3 the book shows. The 7.3 area
  makes ext4 instead, today's default for a new filesystem.

  Background:
    Given the resource test is replicating with vm01 Primary, nothing mounted

  Scenario: 7.2 (7) mkfs.ext3 on the primary only
    When "mkfs.ext3 /dev/drbd1" is run on vm01
    Then /dev/drbd1 holds an ext3 filesystem on vm01
    And vm02, the Secondary, cannot open /dev/drbd1

  Scenario: 7.2 (8) mount /dev/drbd1 on /data; df shows ext3
    Given /dev/drbd1 holds an ext3 filesystem
    When "mount /dev/drbd1 /data" is run on vm01
    Then df on vm01 shows /dev/drbd1 of type ext3 on /data, about 1004M as in the book
    And /proc/drbd on vm01 reads "cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate"
    And /proc/drbd on vm02 reads "cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate"

  Scenario: 7.2 (8) the DRBD service does not start at boot
    Then the drbd service is not enabled at boot on either node
