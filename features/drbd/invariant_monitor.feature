@drbd @destructive
Feature: The invariant monitor sees what it watches for (its negative controls)
  Every fault scenario ends with "no invariant was broken", judged by the invariant monitor from what each
  node held, read ten times a second on the node. A monitor that cannot see a short double VIP or a brief
  double Primary would pass a cluster that has them, so both are staged here on purpose, one after the
  other, and the monitor must report each, having read both nodes throughout. Each staging undoes itself:
  the extra VIP is removed after 300 ms; the node made Primary by force goes back to Secondary after a
  second and reconnects discarding its data, as the book repairs a split brain.

  Scenario: a staged 300 ms double VIP and a staged 1 s double Primary are each reported
    Given the resource test is replicating with vm01 Primary, nothing mounted
    And vm01 holds the VIP
    And the invariant monitor samples both nodes
    When vm02 also holds the VIP for 300 ms
    And vm02 disconnects and is made Primary by force for 1 second, then reconnects discarding its data
    Then the invariant monitor reports the VIP on vm01 and vm02, for less than 1 second
    And it reports DRBD Primary on vm01 and vm02
    And it read every node throughout, none unread for longer than its bound
