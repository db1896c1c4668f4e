@drbd_pacemaker @destructive
Feature: Book 7.2 on today's stack: DRBD promoted by pacemaker, the group on the Promoted node, fencing
  Heartbeat is what the book runs over DRBD; a cluster built today runs pacemaker. Here corosync and
  pacemaker (made with pcs) run on vm01 and vm02, each node with a fence device (fence_ipmilan through its
  virtual BMC) and stonith on. DRBD is a promotable clone (ocf:linbit:drbd): pacemaker promotes it on one
  node only, then starts the book's group there, in order: the filesystem on /dev/drbd1 at /data, the
  VIP, MariaDB. DRBD itself fences at the resource level: `fencing resource-and-stonith` with the
  crm-fence-peer.sh handler, so a Primary that loses its peer freezes its writes until the cluster has
  forbidden the Promoted role to that peer, and crm-unfence-peer.sh lifts the ban once the peer has resynced.

  Scenario: DRBD is Promoted on vm01 with the group; each node has a fence device; DRBD fences its peer
    Given pacemaker runs mysql_service on vm01, DRBD Promoted there
    Then crm_mon shows drbd_data Promoted on vm01 only and mysql_service started on vm01
    And vm01 is DRBD Primary with /data, the VIP and mysqld, and vm02 is Secondary with none of them
    And stonith is enabled with a started fence device for each node
    And each node's drbd.conf has `fencing resource-and-stonith` and the crm-fence-peer.sh handlers
    And a client on the cluster network writes rows through the VIP and reads them back
