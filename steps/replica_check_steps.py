"""Steps of features/drbd/replica_checks.feature: the online verify's and the DRBD audit's negative
controls, with blocks of one replica changed past DRBD on purpose."""

from __future__ import annotations

from pytest_bdd import then, when

from harness.clusters.drbd import DrbdPair
from harness.ops import drbd as ops
from harness.ops import drbd_verify, staging
from harness.report import attachments
from harness.verdicts.drbd_audit import DrbdAudit

from . import book

NOT_WHOLE_BOUND_S = 3.0     # the pair is read a few times; the blocks stay out of sync until resynced


@when(book.parse("{kib:d} KiB of {name}'s backing partition are overwritten past DRBD, {offset:d} MiB in"))
def _(pair: DrbdPair, name: str, kib: int, offset: int) -> None:
    staging.overwrite_behind_drbd(pair.node(name), pair.res.peer(name).disk, offset, kib)


@then(book.parse("an online verify from {source} finds {kib:d} KiB out of sync"))
def _(pair: DrbdPair, source: str, kib: int) -> None:
    peer = next(n for n in pair.names if n != source)
    result = drbd_verify.verify(pair.node(source), pair.node(peer), pair.res)
    attachments.attach_text(f"the kernel of {source} on the verify", result.kernel_says)
    assert result.out_of_sync_kib == kib, f"the verify found {result.out_of_sync_kib} KiB, not {kib}"


@then(book.parse("the audit after a fault finds DRBD not whole, with oos:{kib:d} on {name}"))
def _(pair: DrbdPair, kib: int, name: str) -> None:
    audit = _audit(pair, NOT_WHOLE_BOUND_S)
    assert any(f"oos:{kib}" in line for line in audit.failures.get(name, [])), audit.render()


@when(book.parse("{name} disconnects and connects resource test again"))
def _(pair: DrbdPair, name: str) -> None:
    ops.disconnect(pair.node(name), pair.res)
    ops.connect(pair.node(name), pair.res)


@then("the audit after a fault finds DRBD whole on both nodes")
def _(pair: DrbdPair) -> None:
    audit = _audit(pair)
    assert audit.used and not audit.failures and not audit.unread, audit.render()
    assert set(audit.found) == set(pair.names), audit.render()


def _audit(pair: DrbdPair, *bound: float) -> DrbdAudit:
    audit = DrbdAudit().finish({n: pair.node(n) for n in pair.names}, [], *bound)
    attachments.parameter("DRBD audit", audit.render())
    return audit
