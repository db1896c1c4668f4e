"""An inventory written to a file and loaded, or the problems its loading found (for the tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.lab.inventory import Inventory, InventoryError, load

# An inventory's head that reaches nothing: loopback addresses and a closed port; were a test to connect,
# nothing would leave this machine. The secrets come from a variable no one sets.
UNREACHABLE = """\
ssh: {user: root, port: 1, known_hosts: /dev/null}
cluster: {vip: %s}
secrets:
  drbd_shared_secret: {env: HADRILL_TEST_UNSET_SECRET}
  mariadb_canary_password: {env: HADRILL_TEST_UNSET_SECRET}
"""


def loaded(tmp_path: Path, text: str) -> Inventory:
    path = tmp_path / "inventory.yaml"
    path.write_text(text)
    return load(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InventoryError) as err:
        loaded(tmp_path, text)
    return err.value.problems
