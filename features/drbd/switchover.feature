@drbd @destructive
Feature: Check that the standby has the data: a manual switch-over (book 7.2 step 9)

  Background:
    Given the resource test is replicating with vm01 Primary and a fresh ext3 filesystem on /data on vm01

  Scenario: 7.2 (9) aa.txt written on vm01 is on vm02 after the switch-over
    When aa.txt is written to /data on vm01 and its checksum recorded
    And on vm01 "umount /data" and "drbdadm secondary test" are run
    And on vm02 "drbdadm primary test" and "mount /dev/drbd1 /data" are run
    Then "ls /data" on vm02 shows aa.txt and lost+found
    And aa.txt on vm02 has the checksum recorded on vm01
    And /proc/drbd on vm02 reads "cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate"
