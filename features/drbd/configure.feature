@drbd @destructive
Feature: Configure the resource test (book 7.2 step 5)
  /etc/drbd.conf describes the resource `test`: protocol C, peers authenticated with an HMAC over a
  shared secret, one `on` block per host with /dev/drbd1 backed by /dev/sdb1 on port 7789, metadata
  inside the partition, and a resync rate of 100M. The file must be identical on both hosts (the book
  copies it with scp).
  The book writes `usage-count yes`, which makes drbdadm report every install to DRBD's online usage
  counter. A lab must not call out, and most data centres forbid it: hadrill renders `usage-count no`.
  The shared secret is never written in a feature: it comes from the lab's secrets (the drbd lab's
  default is the book's own value) or from a secrets file.
  The book's drbd.conf replicates over 192.168.1.66 and 192.168.1.67 while its /etc/hosts and ha.cf put
  the same hosts on 192.168.8.22 and 192.168.8.23: two labs mixed in print. hadrill uses one network, each
  node's cluster address (the drbd lab's 192.168.8.22 and .23, or the site's): DRBD and Heartbeat share
  one link, the one the cable fault pulls.

  Background:
    Given /dev/sdb1 exists on each node and /etc/drbd.conf is still the package's own

  Scenario: 7.2 (5) the book's drbd.conf, identical on both hosts
    When the book's drbd.conf for resource test is written to /etc/drbd.conf on each node
    Then /etc/drbd.conf has the same checksum on both nodes
    And drbdadm on each node reads resource test with protocol C, port 7789, /dev/drbd1 on /dev/sdb1
    And the configuration says usage-count no, cram-hmac-alg sha1, meta-disk internal and syncer rate 100M
    And the shared secret in /etc/drbd.conf is the lab's secret, and the file is readable by root only
