@drbd @destructive
Feature: What each replication protocol loses when the primary loses power (book 7.2, the protocol table)
  The book's table: with protocol A a write returns once it is on the local disk and in the send buffer;
  with B once the peer has received it; with C once the peer has written it too. "Protocol C is what is
  generally used." A writer on vm01 appends numbered records to /data, fsync'ing each, and the harness
  keeps every acknowledgement as it arrives. vm01's power is cut, vm02 is promoted, and the acknowledged
  records missing on vm02 are counted. C must lose none; A and B are reported as measured.

  Scenario Outline: 7.2 protocol <protocol>: power cut on the primary, run <run>
    Given the resource test is replicating with protocol <protocol>, vm01 Primary and /data mounted on vm01
    When a writer on vm01 appends fsync'ed numbered records to /data/records for 3 seconds
    And vm01's power is cut while the writer runs
    Then vm02 sees its peer gone
    When vm02 is made Primary and mounts /data
    Then the acknowledged records missing on vm02 are counted and recorded for protocol <protocol>
    And protocol <protocol> lost <allowed> acknowledged records

    Examples:
      | protocol | run | allowed                 |
      | A        | 1   | what it lost            |
      | B        | 1   | what it lost            |
      | C        | 1   | no                      |
      | C        | 2   | no                      |
      | C        | 3   | no                      |
