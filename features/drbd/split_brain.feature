@drbd @destructive
Feature: Repair a split brain (book 7.2 step 10)
  After a split brain the hosts stop replicating and the roles no longer hold. The book's repair: on the
  side whose changes are thrown away (the victim), `drbdadm secondary test` and
  `drbdadm connect --discard-my-data test` (8.4 spelling); on the other (the survivor), `cat /proc/drbd`
  and, if it is not in WFConnection, `drbdadm connect test`.
  Here the split brain is made on purpose: both sides disconnected, both Primary, each writing its own files.
  On reconnecting, a side that detects the split brain drops the connection and stays StandAlone; when one
  side drops it before the other has judged the handshake, the other keeps waiting in WFConnection, where
  the book's connect is refused: that victim is disconnected first.
  The book spells the victim's connect as DRBD 8.3 did, `drbdadm -- --discard-my-data connect test`; 8.4's
  drbdadm still takes it beside its own `drbdadm connect --discard-my-data test`. Both are run.

  Background:
    Given the resource test is replicating with vm01 Primary and a fresh ext3 filesystem on /data on vm01

  Scenario Outline: 7.2 (10) split brain detected on both hosts, repaired with vm02 as the victim, <spelling>
    When both nodes disconnect resource test
    And vm02 is made Primary too and mounts /data
    And each node writes files of its own to /data
    And both nodes connect resource test again
    Then /proc/drbd reads StandAlone on a node that detected the split brain, StandAlone or WFConnection on the other
    And the kernel log of each node that detected it says "Split-Brain detected but unresolved, dropping connection!"
    When the split brain is repaired with the book's procedure <spelling>, vm02 the victim and vm01 the survivor
    Then /proc/drbd on vm01 reads "cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate"
    And the resync after the repair was a bitmap resync, not a full one
    And after a switch-over to vm02, /data holds every file vm01 wrote and none of vm02's
    And the report lists the files discarded on vm02, which are exactly the ones vm02 wrote

    Examples:
      | spelling                   |
      | as the book prints it      |
      | in DRBD 8.4's own spelling |
