"""Facts about a node's system: identity, clock and boot, block devices, modules, services, reachability."""

from __future__ import annotations

from dataclasses import dataclass
from shlex import quote

from harness.node import CommandFailed, Node
from harness.probes.errors import ParseError


@dataclass(frozen=True)
class Identity:
    """What must differ between nodes made from one image."""

    hostname: str
    machine_id: str
    macs: tuple[str, ...]
    host_key: str
    iscsi_initiator: str


def parse_initiator(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("InitiatorName="):
            return line.split("=", 1)[1].strip()
    raise ParseError("/etc/iscsi/initiatorname.iscsi", "a line InitiatorName=iqn...", text)


def identity(node: Node) -> Identity:
    out = node.run("uname -n; cat /etc/machine-id; cat /sys/class/net/eth*/address | tr '\\n' ' '; echo;"
                   " cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub").stdout.splitlines()
    if len(out) != 4:
        raise ParseError("identity of " + node.name, "4 lines", "\n".join(out))
    initiator = parse_initiator(node.run("cat /etc/iscsi/initiatorname.iscsi").stdout)
    return Identity(out[0].strip(), out[1].strip(), tuple(out[2].split()), out[3].strip(), initiator)


def block_size_bytes(node: Node, device: str) -> int:
    """The size of a block device (following symlinks such as /dev/sdb -> ubdb)."""
    text = node.sh("blockdev", "--getsize64", device).stdout.strip()
    if not text.isdigit():
        raise ParseError(f"blockdev --getsize64 {device}", "a number of bytes", text)
    return int(text)


def module_loaded(lsmod: str, module: str) -> bool:
    """True if lsmod's output lists the module."""
    return any(line.split()[0] == module for line in lsmod.splitlines()[1:] if line.split())


def uname(node: Node) -> str:
    """The node's name as `uname -n` prints it."""
    return node.run("uname -n").stdout.strip()


def what_stops_wait_on(node: Node, units: list[str], log: str) -> str:
    """Why a service's stop does not end: the units' state, processes and last journal lines, every
    process in uninterruptible sleep with the kernel function it waits in, and the end of the service's
    own log (for an error message)."""
    status = _output(node, "systemctl status --no-pager --full --lines=15 " + " ".join(map(quote, units)))
    blocked = _output(node, "ps -eo pid,stat,etimes,wchan:32,args | awk 'NR == 1 || $2 ~ /D/'")
    log_end = _output(node, f"tail -n 30 {quote(log)}")
    return (f"{status}\n--- processes in uninterruptible sleep\n{blocked}\n"
            f"--- the end of {log}\n{log_end}")


def why_units_failed(node: Node, units: list[str], lines: int = 40) -> str:
    """Why units did not start: their state, then their journal since boot (the last lines), and whether
    the root file system is writable (a node back from a power cut may have it read-only)."""
    names = " ".join(map(quote, units))
    status = _output(node, f"systemctl status --no-pager --full --lines=0 {names}")
    journal = _output(node, f"journalctl -b --no-pager -o short-precise -n {lines} "
                            + " ".join(f"-u {quote(u)}" for u in units))
    root = _output(node, "findmnt -n -o OPTIONS /")
    return f"{status}\n--- their journal since boot\n{journal}\n--- / mounted with\n{root}"


def _output(node: Node, command: str) -> str:
    """What a command printed, or why nothing was read (the node may be the reason a command hung)."""
    try:
        return node.run(command, warn=True, timeout=30).stdout.rstrip()
    except CommandFailed as exc:
        return f"(not read: {exc.entry.stderr.strip() or 'no answer'})"


def boot_id(node: Node) -> str:
    """The kernel's boot ID: a new one after every boot."""
    return node.sh("cat", "/proc/sys/kernel/random/boot_id").stdout.strip()


def boot_id_afresh(node: Node) -> str:
    """The boot ID of a node that may have been power-cycled: where it cannot be read, the node's
    connection (perhaps one from before the boot) is dropped before the error goes on, so that the next
    try connects anew."""
    try:
        return boot_id(node)
    except Exception:
        node.close()
        raise


def lsmod(node: Node) -> str:
    return node.run("lsmod").stdout


def module_listed(node: Node, module: str) -> bool:
    """The book's check: `lsmod | grep MODULE` finds it."""
    return node.run(f"lsmod | grep {quote(module)}").ok


def ping(node: Node, address: str) -> None:
    """One ping from the node; CommandFailed if no answer came within 2 s."""
    node.sh("ping", "-c", "1", "-W", "2", address)


def enabled_states(node: Node, units: list[str]) -> list[str]:
    """What `systemctl is-enabled` says of each unit, in order."""
    return node.run(f"systemctl is-enabled {' '.join(map(quote, units))}", warn=True).stdout.split()


def unit_state(node: Node, unit: str) -> str:
    """What `systemctl is-active` says of the unit (active, inactive, failed, ...)."""
    return node.run(f"systemctl is-active {quote(unit)}", warn=True).stdout.strip()


def unit_status(node: Node, unit: str) -> str:
    """`systemctl status` of the unit, in full."""
    return node.run(f"systemctl status {quote(unit)} --no-pager -l", warn=True).stdout


def unit_restarts(node: Node, unit: str) -> int:
    """How often systemd has restarted the unit since it was started (NRestarts)."""
    out = node.run(f"systemctl show {quote(unit)} -p NRestarts --value").stdout.strip()
    return int(out) if out.isdigit() else 0


def unit_active(node: Node, unit: str) -> bool:
    """systemd has the unit active (running) on the node."""
    return node.run(f"systemctl is-active --quiet {quote(unit)}", warn=True).ok


def pids(node: Node, program: str) -> list[int]:
    """The PIDs of the program's processes on the node (pidof), none if it does not run."""
    return [int(p) for p in node.sh("pidof", program, warn=True).stdout.split() if p.isdigit()]


def parent_pid(node: Node, pid: int) -> int | None:
    """The parent of a process on the node; None if it has ended."""
    out = node.sh("ps", "-o", "ppid=", "-p", str(pid), warn=True).stdout.strip()
    return int(out) if out.isdigit() else None


def ssh_address(node: Node) -> str:
    """The node's own address on the connection the harness reaches it by (sshd's SSH_CONNECTION)."""
    fields = node.run("echo $SSH_CONNECTION").stdout.split()
    if len(fields) != 4:
        raise AssertionError(f"{node.name}: SSH_CONNECTION is {' '.join(fields)!r}, not four fields")
    return fields[2]


def interface_towards(node: Node, address: str) -> str:
    """The interface the node sends to the address through (`ip route get`: "ADDR dev IFACE src ...")."""
    return route_interface(node.run(f"ip -o route get {quote(address)}").stdout)


def route_interface(said: str) -> str:
    fields = said.split()
    if "dev" not in fields[:-1]:
        raise ParseError("ip route get", "ADDRESS ... dev INTERFACE ...", said)
    return fields[fields.index("dev") + 1]


def interface_of(node: Node, address: str) -> str:
    """The node's interface that holds the IPv4 address."""
    fields = node.run(f"ip -o -4 addr show to {quote(address)}").stdout.split()
    if len(fields) < 2:
        raise AssertionError(f"{node.name} has no interface with the address {address}")
    return fields[1]
