@heartbeat @disruptive
Feature: Heartbeat and MariaDB configured as the book has them (book 7.2 steps 11-12)
  Heartbeat 3 (the distribution's package) runs in the book's haresources mode. The scan lost the values
  of keepalive and deadtime: hadrill chooses keepalive 1 s and deadtime 10 s (a peer silent for 10 s is
  dead), keeps the book's warntime 4, initdead 12 and udpport 694, and checks that they make sense:
  deadtime more than twice keepalive, warntime between them, initdead at least deadtime. The book's
  `ping_group` and `ipfail` lines are left out: Heartbeat 3 has no ipfail. The node names are those of
  `uname -n` (the book's `node vm1` does not match its hosts, vm01 and vm02). `mysql` in haresources is
  MariaDB's init script. MariaDB is set up as on a single server, its datadir on the DRBD mount /data.

  Background:
    Given MariaDB's data is on /data and Heartbeat is configured on both nodes but stopped

  Scenario: 7.2 steps 11-12: ha.cf, authkeys, haresources and MariaDB's settings
    Then ha.cf on each node names the nodes as uname -n does and sends heartbeats to the other node
    And the timings make sense: keepalive 1 s, deadtime 10 s, warntime 4 s, initdead 12 s
    And authkeys on each node reads "auth 1" and "1 crc" with mode 600
    And haresources on each node reads "vm01 drbddisk::test Filesystem::/dev/drbd1::/data::ext3 192.168.8.100 mysql"
    And the resource script mysql on each node is MariaDB's init script
    And MariaDB on each node keeps its data in /data/mysql with innodb_flush_log_at_trx_commit = 1
    And neither Heartbeat, DRBD nor MariaDB is enabled at boot on any node

  Scenario: 7.2 step 11: Heartbeat refuses an authkeys file that others can read
    When authkeys on vm02 is made mode 644 and Heartbeat is started there
    Then Heartbeat is not running on vm02
    And the ha-log of vm02 says "Bad permissions on keyfile"
