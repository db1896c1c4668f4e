@verify
Feature: A running DRBD pair checked against the runbook's end state, read-only (verify)
  For a cluster in service (staging, or production): nothing here changes a node. The runbook's DRBD
  chapter leaves the resource configured alike on both hosts, replicating, Primary on one of them with
  the filesystem mounted there. Each failure names the host, the file or command, what was expected and
  what was found. On an embedded lab (every host disposable) the Background first brings the book's cluster
  up if it is not serving; on any other host it only looks.

  Background:
    Given the cluster serves: Heartbeat on both nodes, the group on one of them

  Scenario: the resource is configured alike on every node, as the site's profile says
    Then drbdadm dump of the resource is the same on every node
    And it is the profile's resource: its name, device, backing disks, addresses and protocol
    And DRBD's global section says usage-count no on every node

  Scenario: the pair replicates, Primary on exactly one node, the filesystem mounted there only
    Then each node reads Connected, UpToDate/UpToDate and oos:0, one of them Primary with the filesystem mounted, the other not mounted
