"""Faults.undo tries every undo whatever the one before it raised, and reports each failure (a provider
whose restores fail in two different ways stands in for the lab: what is tested is the bookkeeping)."""

from __future__ import annotations

from harness.lab.faults import Faults
from harness.lab.providers.base import ProviderError


class FailingRestores:
    """Faults land; both restores fail, one with the provider's error, one with another."""

    name = "stub"

    def __init__(self) -> None:
        self.tried: list[str] = []

    def powered_off(self) -> list[str]:
        return []

    def cut_link(self, node: str) -> None:
        pass

    def freeze(self, node: str) -> None:
        pass

    def restore_link(self, node: str) -> None:
        self.tried.append(f"restore link {node}")
        raise OSError("iptables-restore: not found")

    def thaw(self, node: str) -> None:
        self.tried.append(f"thaw {node}")
        raise ProviderError(f"{node} is not frozen")


def test_every_undo_is_tried_and_every_failure_reported() -> None:
    lab = FailingRestores()
    faults = Faults(lab, {})  # type: ignore[arg-type]
    faults.cut_link("vm01")
    faults.freeze("vm02")
    failed = faults.undo()
    assert lab.tried == ["thaw vm02", "restore link vm01"]          # newest first, the second one too
    assert failed == ["thaw vm02: ProviderError: vm02 is not frozen",
                      "restore link vm01: OSError: iptables-restore: not found"]
