@rhcs @destructive
Feature: The MySQL service: resources, a failover domain, the service (book 7.3 step 4)
  The book's luci pages add the resources (an IP address, an ext3 filesystem, the MySQL script), a
  failover domain with priorities and the service. Today: a pacemaker group of Filesystem (ext4 on the
  first shared LUN, at /data), IPaddr2 (the VIP 192.168.8.100) and MariaDB (systemd:mariadb, its datadir
  on /data), started in that order; the failover domain is a location constraint per node with a score
  (node1 100, node2 50).
  Why each differs: ext4, not ext3, because it is today's default for a new filesystem and the ext4
  driver is what mounts ext3 anyway; `systemd:mariadb`, not the book's /etc/init.d/mysql script, because
  Debian runs MariaDB as the systemd unit mariadb and pacemaker's systemd class waits until the unit says
  it is ready, so the group's start ends when the database serves. rgmanager's ordered domain moves a
  service back to the preferred node when it rejoins unless told `nofailback`; the book sets priorities
  only. hadrill sets `resource-stickiness` 200, above the domain's gap of 50, so the service stays where a
  failover or a move put it: going back is a second outage, at a time the operators choose.

  Scenario: 7.3 step 4: the service runs on node1, the node the failover domain prefers
    Given the cluster runs on node1 and node2 with a fence device per node
    And no service is configured
    When ext4 is made on the first shared LUN and MariaDB's system tables are put in it from node1
    And the resources, the service mysql_service and its failover domain (node1 100, node2 50) are created with pcs
    Then crm_mon shows mysql_service started on node1: data_fs, vip and mysql
    And node1 holds /data, the VIP and mysqld, and node2 none of it
    And a client on the cluster network writes rows through the VIP and reads them back
