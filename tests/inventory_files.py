"""An inventory written to a file and loaded, or the problems its loading found (for the tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.lab.inventory import Inventory, InventoryError, load


def loaded(tmp_path: Path, text: str) -> Inventory:
    path = tmp_path / "inventory.yaml"
    path.write_text(text)
    return load(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InventoryError) as err:
        loaded(tmp_path, text)
    return err.value.problems
