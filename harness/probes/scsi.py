"""The SCSI disks a node sees (lsblk), with what names a disk uniquely: its serial and its WWN."""

from __future__ import annotations

import json
from dataclasses import dataclass

from harness.node import Node
from harness.probes.errors import ParseError

COMMAND = "lsblk --json --nodeps -o NAME,HCTL,SIZE,SERIAL,WWN,VENDOR,MODEL,TRAN"


@dataclass(frozen=True)
class ScsiDisk:
    name: str        # sda
    size: str        # 1G
    serial: str
    wwn: str
    vendor: str
    model: str
    transport: str   # iscsi
    lun: int         # the last field of host:channel:target:lun


    @property
    def by_id(self) -> str:
        """The device's stable name, the same on every node that sees this LUN."""
        return f"/dev/disk/by-id/wwn-{self.wwn}"


def parse(text: str, transport: str | None = "iscsi") -> list[ScsiDisk]:
    """lsblk's JSON: the disks of that transport (the iSCSI ones), or every disk with a WWN (None)."""
    try:
        devices = json.loads(text)["blockdevices"]
    except (ValueError, KeyError, TypeError):
        raise ParseError("lsblk --json", '{"blockdevices": [...]}', text) from None
    return [ScsiDisk(d["name"], d.get("size") or "", (d.get("serial") or "").strip(), d.get("wwn") or "",
                     (d.get("vendor") or "").strip(), (d.get("model") or "").strip(), d.get("tran") or "",
                     int((d.get("hctl") or "0:0:0:-1").rsplit(":", 1)[1]))
            for d in devices if (d.get("tran") == transport if transport else d.get("wwn"))]


def iscsi_disks(node: Node) -> list[ScsiDisk]:
    return parse(node.run(COMMAND).stdout)


def wwn_disks(node: Node) -> list[ScsiDisk]:
    """Every disk the node sees with a WWN, whatever carries it (iSCSI, Fibre Channel, SAS)."""
    return parse(node.run(COMMAND).stdout, transport=None)
