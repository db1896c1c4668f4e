@drbd @destructive
Feature: What each replication protocol loses when the primary loses power (book 7.2, the protocol table)
  The book's table: with protocol A a write returns once it is on the local disk and in the send buffer;
  with B once the peer has received it; with C once the peer has written it too. "Protocol C is what is
  generally used." A writer on vm01 appends numbered records to /data, fsync'ing each, and the harness
  keeps every acknowledgement as it arrives. vm01's power is cut, vm02 is promoted, and the acknowledged
  records missing on vm02 are counted.

  A power cut alone: B and C must lose none (vm02 has received, or written, every acknowledged record).
  Whether A loses any then depends on what its send buffer held at that instant, so A is shown with its
  cluster cable pulled first: nothing vm01 sends afterwards reaches vm02. A keeps acknowledging from the
  send buffer and must lose records; C acknowledges nothing it cannot deliver and must lose none. The power
  is cut 2 s after the pull, well inside DRBD's ack timeout (the book sets none: 6 s), after which vm01
  would end the connection and write on alone, losing records under any protocol; the step checks that
  vm01's /proc/drbd still reads Connected just before the cut.

  Scenario Outline: 7.2 protocol <protocol>: power cut on the primary
    Given the resource test is replicating with protocol <protocol>, vm01 Primary and /data mounted on vm01
    When a writer on vm01 appends fsync'ed numbered records to /data/records for 3 seconds
    And vm01's power is cut while the writer runs
    Then vm02 sees its peer gone
    When vm02 is made Primary and mounts /data
    Then the acknowledged records missing on vm02 are counted and recorded for protocol <protocol>
    And protocol <protocol> lost <allowed> acknowledged records

    Examples:
      | protocol | allowed |
      | B        | no      |
      | C        | no      |

  Scenario Outline: 7.2 protocol <protocol>: vm01's cable pulled, then its power cut, while the writer runs
    Given the resource test is replicating with protocol <protocol>, vm01 Primary and /data mounted on vm01
    When a writer on vm01 appends fsync'ed numbered records to /data/records for 3 seconds
    And vm01's cluster cable is pulled while the writer runs
    And vm01's power is cut 2 seconds later, while its /proc/drbd still reads Connected
    Then vm02 sees its peer gone
    When vm02 is made Primary and mounts /data
    Then the acknowledged records missing on vm02 are counted and recorded for protocol <protocol>
    And protocol <protocol> lost <allowed> acknowledged records

    Examples:
      | protocol | allowed |
      | A        | some    |
      | C        | no      |
