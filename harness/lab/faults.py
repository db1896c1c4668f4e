"""Faults injected by a scenario, each with its undo; undone in reverse order when the scenario ends.

Modelled on pytest's MonkeyPatch: a scenario leaves the lab as it found it (link plugged back, node
thawed, fence device repaired), whether it passed or failed. One undo waits: a node whose power was cut
stays off until something needs it, so it is not booted twice in a row: where DRBD is used, the scenario's
DRBD audit brings it back to see the pair whole; elsewhere the next Background powers it on, or puts a
kept state back, which boots every node anyway (a feature without a Background says `Given every node of
the lab is powered on`; the session powers it on at its end when the lab stays up).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from harness import kinds
from harness.lab.providers.base import Provider, ProviderError
from harness.node import CommandFailed, Node
from harness.ops import clock, drbd_faults, traffic
from harness.probes import host
from harness.report.transcript import TRANSCRIPT, Entry
from harness.waiting import eventually

BOOT_TIMEOUT_S = 180.0    # a node fenced while a fault was on it: until it answers again
ON_ALREADY = ": on already (a fence device powered it on), nothing issued"   # said of a power-on not needed


class Faults:
    """The faults of one scenario against a provider; the nodes' connections are dropped as needed."""

    def __init__(self, lab: Provider, nodes: dict[str, Node]):
        self.lab = lab
        self.nodes = nodes
        self._undo: list[tuple[str, str, Callable[[], object]]] = []   # (action, node, how)
        self.log: list[tuple[float, str]] = []   # (monotonic time, what was done)

    @property
    def to_undo(self) -> list[str]:
        """What is left to undo (a node to power on among it), each as its undo and node, oldest first."""
        return [f"{action} {node}" for action, node, _ in self._undo]

    def _note(self, action: str, node: str, remark: str = "") -> float:
        """Log the fault, in the run's transcript too (under the node, with the kind of the fault)."""
        at = time.monotonic()
        what = f"{action} {node}{remark}"
        self.log.append((at, what))
        transcript = self.nodes[node].transcript if node in self.nodes else TRANSCRIPT
        transcript.add(Entry(node, f"({self.lab.name} provider) {what}", 0, 0.0, "", "",
                             kind=kinds.current().value))
        return at

    def _permit(self, action: str, node: str) -> None:
        """The guard's word on this action, before it is done (GuardRefused, in the transcript, if not)."""
        if node in self.nodes:
            self.nodes[node].permit(f"({self.lab.name} provider) {action} {node}")

    @kinds.destructive
    def power_off(self, node: str) -> float:
        """Cut the node's power; returns the monotonic time of the cut."""
        self._permit("power off", node)
        self.lab.power_off(node)
        at = self._note("power off", node)
        self.nodes[node].close()
        self._undo.append(("power on", node, lambda: self._power_on(node)))
        return at

    def _power_on(self, node: str) -> str:
        """The node powered on if it is off; what to add to the note of it (found on already)."""
        return switch_on(self.lab, self.nodes, node) if node in self.lab.powered_off() else ""

    @kinds.destructive
    def freeze(self, node: str) -> float:
        self._permit("freeze", node)
        self.lab.freeze(node)
        self._undo.append(("thaw", node, lambda: self._thaw(node)))
        return self._note("freeze", node)

    def let_go(self, node: str, frozen_pid: int | None) -> str:
        """Thaw a frozen node now, unless a fence got there first; says which it was (`frozen_pid`: the
        node's kernel when it was frozen)."""
        now = self.lab.node_pid(node)
        if now == frozen_pid:
            said = f"SIGCONT sent to the frozen kernel (PID {now})"
        else:
            said = (f"nothing to thaw: the frozen kernel (PID {frozen_pid}) is gone; {node} runs as PID {now}"
                    if now else f"nothing to thaw: {node} is off")
        try:
            self.thaw(node)
        except ProviderError as exc:     # powered off between the look and the thaw
            said += f" ({exc})"
        return said

    def _thaw(self, node: str) -> None:
        """SIGCONT, unless a fence has powered the node off meanwhile (nothing is left to thaw then)."""
        if node not in self.lab.powered_off():
            self.lab.thaw(node)

    @kinds.destructive
    def cut_link(self, node: str) -> float:
        self._permit("cut link", node)
        self.lab.cut_link(node)
        self._undo.append(("restore link", node, lambda: self.lab.restore_link(node)))
        return self._note("cut link", node)

    @kinds.destructive
    def drop_port(self, node: str, interface: str, port: int) -> float:
        """Drop the node's TCP and UDP traffic to and from `port` on `interface` (one service's link cut, the
        rest of the link up); returns the monotonic time it was done."""
        return self._on_interface(node, f"drop port {port} on {interface}",
                                  f"pass port {port} on {interface}",
                                  lambda n: traffic.drop_port(n, interface, port),
                                  lambda n: traffic.pass_port(n, interface))

    @kinds.destructive
    def slow_link(self, node: str, interface: str, delay_ms: int) -> float:
        """Hold back every packet the node sends on `interface` delay_ms; returns the monotonic time."""
        return self._netem(node, interface, f"hold back {delay_ms} ms",
                           lambda n: traffic.hold_back(n, interface, delay_ms))

    @kinds.destructive
    def lossy_link(self, node: str, interface: str, loss_pct: int) -> float:
        """Lose loss_pct % of the packets the node sends on `interface`; returns the monotonic time."""
        return self._netem(node, interface, f"lose {loss_pct} %",
                           lambda n: traffic.lose(n, interface, loss_pct))

    def _netem(self, node: str, interface: str, what: str, change: Callable[[Node], object]) -> float:
        """A netem impairment of what the node sends on `interface`, undone by `full_speed`."""
        return self._on_interface(node, f"{what} on {interface}", f"full speed on {interface}", change,
                                  lambda n: traffic.let_go_at_speed(n, interface))

    def _on_interface(self, node: str, what: str, undo_action: str, change: Callable[[Node], object],
                      undo: Callable[[Node], object]) -> float:
        """A change to the node's interface (its qdiscs), with its undo; where the undo fails, fine if the
        node has booted since (the change went with the boot). Returns the monotonic time it was done."""
        self._permit(what, node)
        boot = host.boot_id(self.nodes[node])
        change(self.nodes[node])
        self._undo.append((undo_action, node, lambda: self._unless_booted(node, boot, undo)))
        return self._note(what, node)

    def _unless_booted(self, node: str, boot: str, undo: Callable[[Node], object]) -> None:
        try:
            undo(self.nodes[node])
        except CommandFailed:
            if not self._booted_since(node, boot):
                raise

    @kinds.destructive
    def fail_disk_writes(self, node: str, minor: int, resource: str) -> float:
        """Every data write to the backing disk of DRBD's minor on the node fails from now on; undone by
        healing the disk and attaching it again. Returns the monotonic time it began."""
        what = f"fail every data write to the backing disk of drbd{minor}"
        self._permit(what, node)
        drbd_faults.fail_data_writes(self.nodes[node], minor)
        self._undo.append(("heal disk", node, lambda: self._heal(node, resource)))
        return self._note(what, node)

    def _heal(self, node: str, resource: str) -> None:
        drbd_faults.heal(self.nodes[node], resource)

    @kinds.change
    def heal_disk(self, node: str) -> float:
        """The failing disk healed and attached again now; returns the monotonic time it was done."""
        return self._settle("heal disk", node)

    @kinds.change
    def full_speed(self, node: str, interface: str) -> float:
        """The node's packets on `interface` sent at once again; returns the monotonic time it was done."""
        return self._settle(f"full speed on {interface}", node)

    def _booted_since(self, node: str, boot: str) -> bool:
        """The node is off, or has booted since its boot ID was `boot` (waiting for it to answer)."""
        if node in self.lab.powered_off():
            return True
        return eventually(lambda: host.boot_id_afresh(self.nodes[node]), bool, timeout=BOOT_TIMEOUT_S,
                          interval=2.0, describe=f"{node} answering after a boot") != boot

    @kinds.change
    def pass_port(self, node: str, interface: str, port: int) -> float:
        """Let the port's traffic through again now; returns the monotonic time it was done."""
        return self._settle(f"pass port {port} on {interface}", node)

    @kinds.destructive
    def step_clock(self, node: str, seconds: float) -> float:
        """Step the node's wall clock by seconds; undone by setting it to this machine's time."""
        what = f"step clock by {seconds:+.0f} s"
        self._permit(what, node)
        clock.step(self.nodes[node], seconds)
        self._undo.append(("set clock right", node, lambda: self._set_clock_right(node)))
        return self._note(what, node)

    def _set_clock_right(self, node: str) -> None:
        clock.set_to_harness(self.nodes[node])

    @kinds.destructive
    def break_fence(self, node: str) -> float:
        """Stop the node's fence device: its BMC no longer answers."""
        self._permit("break fence", node)
        self.lab.stop_bmc(node)
        self._undo.append(("repair fence", node, lambda: self.lab.start_bmc(node)))
        return self._note("break fence", node)

    @kinds.change
    def repair_fence(self, node: str) -> float:
        """Start the node's fence device again now; returns the monotonic time it was done."""
        return self._settle("repair fence", node)

    @kinds.disruptive
    def power_on(self, node: str) -> float:
        """Power the node on again now (the scenario's own repair); returns when it answers SSH."""
        return self._settle("power on", node)

    @kinds.change
    def thaw(self, node: str) -> float:
        """Let a frozen node go on now; returns the monotonic time it was done."""
        return self._settle("thaw", node)

    @kinds.change
    def restore_link(self, node: str) -> float:
        """Plug the node's cluster cable back in now; returns the monotonic time it was done."""
        return self._settle("restore link", node)

    def _settle(self, action: str, node: str) -> float:
        """Run the pending undo of action on node now, drop it from the list, and log it."""
        for i, (pending, on, how) in enumerate(self._undo):
            if (pending, on) == (action, node):
                self._permit(action, node)
                del self._undo[i]
                remark = how()
                return self._note(action, node, remark if isinstance(remark, str) else "")
        what = f"{action} {node}"
        raise ValueError(f"nothing to undo by {what!r}")

    @kinds.change
    def undo(self) -> list[str]:
        """Undo every fault, newest first, a node left powered off aside (see the module's docstring);
        returns what could not be undone (each one is still tried)."""
        failed = []
        while self._undo:
            action, node, how = self._undo.pop()
            if action == "power on":
                self._note("left off until needed:", node)
                continue
            try:
                how()
            except Exception as exc:     # every undo is tried, whatever the one before it raised
                failed.append(f"{action} {node}: {type(exc).__name__}: {exc}")
                continue
            with contextlib.suppress(Exception):
                self._note(f"undo: {action}", node)
        return failed


@kinds.disruptive
def power_on_any_off(lab: Provider, nodes: dict[str, Node]) -> list[str]:
    """Power on every node left off (its old connection dropped first); the nodes it powered on."""
    off = lab.powered_off()
    for name in off:
        power_on(lab, nodes, name)
    return off


@kinds.disruptive
def power_on(lab: Provider, nodes: dict[str, Node], name: str) -> None:
    """Power on one node (the guard's word first where hadrill has the node); said in the transcript."""
    what = f"({lab.name} provider) power on {name}"
    node = nodes.get(name)
    if node is not None:
        node.permit(what)
    wall, started = time.time(), time.monotonic()
    what += switch_on(lab, nodes, name)
    (node.transcript if node is not None else TRANSCRIPT).add(
        Entry(name, what, 0, time.monotonic() - started, "", "", started=wall, kind=kinds.current().value))


def switch_on(lab: Provider, nodes: dict[str, Node], name: str) -> str:
    """Power one node on, its old connection dropped first (the one way both Faults and power_on do it);
    ON_ALREADY where the provider found it on and issued nothing, else ""."""
    node = nodes.get(name)
    if node is not None:
        node.close()
    return "" if lab.power_on(name) else ON_ALREADY
