"""A Pacemaker cluster's configuration, read without changing it: crm_verify's findings on the live CIB,
the CIB's resources (their agents and parameters) and location constraints, the devices that can fence a
node, and a fence device's own agent asked whether it answers (its `monitor`, as the fencer asks it)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from harness.node import Node, Result
from harness.probes.errors import ParseError

VERIFY = "crm_verify --live-check --verbose"
RESOURCES = "cibadmin --query --scope resources"
CONSTRAINTS = "cibadmin --query --scope constraints"
FINDING = re.compile(r"^\s*\(?[\w:-]*\)?\s*(error|warning):\s*(.*)$")
AGENT_NAME = re.compile(r"fence_[a-z0-9_]+")
DEVICES_FOUND = re.compile(r"^\d+ fence devices? found$")


@dataclass(frozen=True)
class Verified:
    """crm_verify's word on the live configuration: its exit code and each error or warning it printed."""
    exit_code: int
    findings: tuple[str, ...]

    @property
    def clean(self) -> bool:
        return self.exit_code == 0 and not self.findings


@dataclass(frozen=True)
class Primitive:
    id: str
    standard: str                 # stonith, ocf, systemd, ...
    agent: str                    # fence_ipmilan, Filesystem, mariadb, ...
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Location:
    resource: str
    node: str
    score: str


@dataclass(frozen=True)
class PromotedOnlyOn:
    """A rule that leaves a clone's Promoted role to one node only (-INFINITY where #uname is another):
    what DRBD's crm-fence-peer.sh places while its peer is cut off."""
    id: str
    resource: str
    node: str


def parse_verify(exit_code: int, text: str) -> Verified:
    """crm_verify's output: its error and warning lines (its other chatter left out)."""
    found = tuple(f"{m.group(1)}: {m.group(2)}" for line in text.splitlines() if (m := FINDING.match(line)))
    return Verified(exit_code, found)


def _root(text: str, tag: str, what: str) -> ET.Element:
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        raise ParseError(what, f"<{tag}>", text) from None
    if root.tag != tag:
        raise ParseError(what, f"<{tag}>", text)
    return root


def parse_resources(text: str) -> dict[str, Primitive]:
    """`cibadmin --query --scope resources`: every primitive, in a group or a clone or alone."""
    root = _root(text, "resources", RESOURCES)
    return {p.get("id", ""): Primitive(p.get("id", ""), p.get("class", ""), p.get("type", ""),
                                       {nv.get("name", ""): nv.get("value", "")
                                        for nv in p.findall("instance_attributes/nvpair")})
            for p in root.iter("primitive")}


def parse_locations(text: str) -> list[Location]:
    """`cibadmin --query --scope constraints`: the location constraints that name a node and a score."""
    root = _root(text, "constraints", CONSTRAINTS)
    return [Location(c.get("rsc", ""), c.get("node", ""), c.get("score", ""))
            for c in root.findall("rsc_location") if c.get("node")]


def parse_promoted_only_on(text: str) -> list[PromotedOnlyOn]:
    """`cibadmin --query --scope constraints`: each rule that forbids the Promoted (Master) role on every
    node but one."""
    root = _root(text, "constraints", CONSTRAINTS)
    return [PromotedOnlyOn(c.get("id", ""), c.get("rsc", ""), e.get("value", ""))
            for c in root.findall("rsc_location") for rule in c.findall("rule")
            if rule.get("role") in ("Promoted", "Master") and rule.get("score") == "-INFINITY"
            for e in rule.findall("expression")
            if (e.get("attribute"), e.get("operation")) == ("#uname", "ne")]


def parse_device_list(text: str) -> list[str]:
    """`stonith_admin --list NODE`: the devices that can fence the node, then their count."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or not DEVICES_FOUND.match(lines[-1]):
        raise ParseError("stonith_admin --list", "device names, then 'N fence devices found'", text)
    return lines[:-1]


def verify(node: Node) -> Verified:
    done = node.run(VERIFY, warn=True)
    return parse_verify(done.exit_code, done.stdout + done.stderr)


def resources(node: Node) -> dict[str, Primitive]:
    return parse_resources(node.run(RESOURCES).stdout)


def locations(node: Node) -> list[Location]:
    return parse_locations(node.run(CONSTRAINTS).stdout)


def promoted_only_on(node: Node) -> list[PromotedOnlyOn]:
    return parse_promoted_only_on(node.run(CONSTRAINTS).stdout)


def devices_for(node: Node, target: str) -> list[str]:
    done = node.sh("stonith_admin", "--list", target, warn=True)
    return parse_device_list(done.stdout) if done.ok else []


def fencing_levels(node: Node) -> str:
    """`pcs stonith level config`: the fencing topology in words, empty when there is none."""
    return node.run("pcs stonith level config").stdout.strip()


def agent_answers(node: Node, device: Primitive, timeout: float = 120) -> Result:
    """The device's agent run on the node with its CIB parameters on stdin and `action=monitor`, as the
    fencer runs it (pacemaker's own pcmk_* parameters left out); its exit code says if it answers."""
    if device.standard != "stonith" or not AGENT_NAME.fullmatch(device.agent):
        raise ValueError(f"{device.id}: not a fence agent ({device.standard}:{device.agent})")
    params = "".join(f"{k}={v}\n" for k, v in device.params.items() if not k.startswith("pcmk_"))
    return node.run(f"/usr/sbin/{device.agent}", stdin="action=monitor\n" + params, warn=True,
                    timeout=timeout)


def count_journals(text: str) -> int:
    """`gfs2_edit -p jindex DEVICE`: the journal index's entries journal0, journal1, ..."""
    found = re.findall(r"\bFile\s+journal\d+\s*$", text, flags=re.MULTILINE)
    if not found:
        raise ParseError("gfs2_edit -p jindex", "journal0, journal1, ... entries", text)
    return len(found)


def gfs2_journals(node: Node, device: str) -> int:
    """How many journals the GFS2 filesystem on the device has (its jindex, read with gfs2_edit)."""
    return count_journals(node.sh("gfs2_edit", "-p", "jindex", device).stdout)


CIB_ROOT = re.compile(r"<cib\b[^>]*>")


@dataclass(frozen=True)
class CibVersion:
    """The configuration's version in a CIB: admin_epoch, then epoch (num_updates counts status changes
    and is left out: two members with the same configuration may differ in it for a moment)."""
    admin_epoch: int
    epoch: int


def parse_cib_version(xml: str) -> CibVersion:
    """The version from the CIB's root element (`cibadmin --query --local`)."""
    root = CIB_ROOT.search(xml)
    if not root:
        raise ParseError("cibadmin --query", "a <cib ...> element", xml[:500])
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', root.group(0)))
    try:
        return CibVersion(int(attrs["admin_epoch"]), int(attrs["epoch"]))
    except (KeyError, ValueError) as exc:
        raise ParseError("cibadmin --query", "admin_epoch and epoch on <cib>", root.group(0)) from exc


def cib_version(node: Node) -> CibVersion:
    """This member's own copy of the CIB (--local: not the one the DC hands out)."""
    return parse_cib_version(node.sh("cibadmin", "--query", "--local").stdout)
