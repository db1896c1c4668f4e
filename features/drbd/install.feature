@drbd
Feature: Install DRBD and load its module (book 7.2 steps 1, 2 and 4)
  The book builds DRBD from source (./configure --prefix=/ --with-km; make; make install). Today the
  distribution's drbd-utils package brings the tools, and the kernel ships the DRBD 8.4 module the book
  describes. Both hosts must know each other by name.

  Background:
    Given every node of the lab is powered on

  Scenario: 7.2 (1) the DRBD tools are installed on both hosts
    Then the package drbd-utils is installed on each node
    And drbdadm on each node talks to a DRBD 8.4 kernel module

  Scenario: 7.2 (2) /etc/hosts holds both names on both hosts
    When the names and cluster addresses of both hosts are written to /etc/hosts on each node
    Then on each node every host name resolves to its cluster address

  Scenario: 7.2 (4) modprobe drbd loads the module
    When "modprobe drbd" is run on each node
    Then lsmod | grep drbd shows the module on each node
