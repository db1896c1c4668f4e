@lab
Feature: The embedded lab is fit to run the book
  Every procedure of the book stands on two things: nodes that answer under the names the
  book gives them, and a kernel with the DRBD 8.4 module whose /proc/drbd the book prints.
  These checks come first; when one fails, nothing after it means much.

  Background:
    Given every node of the lab is powered on

  Scenario: Each node answers under its own name
    Then each node answers over SSH and uname -n prints its name

  Scenario: Each node has the book's disk /dev/sdb of 1 GiB
    Then on each node /dev/sdb is a block device of 1024 MiB

  Scenario: The kernel has the DRBD 8.4 module (book 7.2 step 4)
    When modprobe drbd is run on each node
    Then lsmod | grep drbd shows the module on each node
    And /proc/drbd on each node starts with a version line of DRBD 8.4

  Scenario: The peers answer on the cluster network
    Then each node pings every other node at its cluster address

  Scenario: The host key each node presents is the pinned one
    Then each node's SSH host key is the one pinned in the lab's known_hosts
    And a connection that expects another host key is refused

  Scenario: Each node has an identity of its own
    Then machine-id, MAC addresses, SSH host key and iSCSI initiator name differ between the nodes
