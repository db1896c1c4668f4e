@drbd @destructive
Feature: An Inconsistent replica is never made Primary (fault catalogue)
  Beyond the book: vm02 falls behind (disconnected while vm01 writes 64 MiB), then reconnects and resyncs,
  slowly; while it is SyncTarget, its data a mix of old and new blocks, vm01 loses power. DRBD must refuse
  to make vm02 Primary: a filesystem mounted there would be one that never existed. When vm01 is back,
  the resync goes on from where it stopped and completes.

  Scenario: vm01 loses power while vm02 resyncs; vm02 is not made Primary until the resync is done
    Given the resource test is replicating with protocol C, vm01 Primary and /data mounted on vm01
    When vm02 falls behind: disconnected while vm01 writes 64 MiB to /data
    And vm02 reconnects with its resync slowed to 256 KiB/s
    And vm01's power is cut while vm02 is SyncTarget, its data Inconsistent
    Then vm02 sees its peer gone, its data still Inconsistent
    And drbdadm primary on vm02 is refused: it needs access to UpToDate data
    When vm01 is powered on and DRBD started on it, and drbd.conf's resync rate is back on both nodes
    Then the resync goes on and completes: both nodes UpToDate, oos:0, vm02 never Primary
