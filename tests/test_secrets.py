"""Secret values: the lab's defaults, a secrets file over them, and the refusals of a bad file."""

from __future__ import annotations

from pathlib import Path

import audited
import pytest

from harness.lab.providers.uml import UmlLab
from harness.lab.topology import TopologyError, load, parse
from harness.report.secrets import REDACTOR, SecretsError, load_file, resolve

BASE = """
name: mini
cluster: {subnet: 192.168.8.0/24, client: 192.168.8.254, vip: 192.168.8.100}
nodes:
  a: {address: 192.168.8.1}
"""


def test_the_drbd_lab_defaults_to_the_books_secret() -> None:
    assert load("drbd").secrets["drbd_shared_secret"] == "FooFunFactory"
    assert set(load("drbd").secrets) == {"drbd_shared_secret", "mariadb_canary_password"}
    assert set(load("rhcs").secrets) == {"hacluster_password", "bmc_password", "mariadb_canary_password"}


def test_bad_secrets_in_a_topology_are_named() -> None:
    with pytest.raises(TopologyError) as err:
        parse(BASE + "secrets: {Bad-Name: longenough, short: ab}\n", "lab.yaml")
    text = str(err.value)
    assert "lab.yaml: secrets.Bad-Name: a secret's name must match" in text
    assert "lab.yaml: secrets.short: expected a text of at least 3 characters" in text


def _file(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "secrets.yaml"
    path.write_text(text)
    path.chmod(mode)
    return path


def test_a_secrets_file_overrides_the_defaults_and_is_redacted(tmp_path: Path) -> None:
    values = resolve({"drbd_shared_secret": "FooFunFactory", "other": "keep-me"},
                     _file(tmp_path, "drbd_shared_secret: Zq9-unit-test-secret\n"))
    assert values == {"drbd_shared_secret": "Zq9-unit-test-secret", "other": "keep-me"}
    assert REDACTOR.redact("shared-secret Zq9-unit-test-secret;") == "shared-secret ***;"


def test_a_file_others_may_read_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SecretsError, match=r"other users may read it \(mode 644\); chmod 600"):
        load_file(_file(tmp_path, "a: bcd\n", 0o644))


def test_bad_yaml_is_refused_without_echoing_the_text(tmp_path: Path) -> None:
    with pytest.raises(SecretsError) as err:
        load_file(_file(tmp_path, "drbd_shared_secret: [unclosed-Xy7secret\n"))
    assert "not valid YAML" in str(err.value) and "Xy7secret" not in str(err.value)


def test_a_missing_file_and_a_list_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SecretsError, match="cannot read the secrets file"):
        load_file(tmp_path / "absent.yaml")
    with pytest.raises(SecretsError, match="a mapping of secret names to text values"):
        load_file(_file(tmp_path, "- a\n- b\n"))


def test_a_labs_own_use_of_a_secret_takes_the_runs_value() -> None:
    """The BMCs of a lab are started with lab.secrets()['bmc_password']: the run's value when it gave one."""
    lab = UmlLab("rhcs", "tsecrets")
    default = lab.secrets()["bmc_password"]
    lab.use_secrets({"bmc_password": default + "-other"})
    assert lab.secrets()["bmc_password"] == default + "-other"
    assert lab.secrets()["hacluster_password"] == UmlLab("rhcs", "tsecrets").secrets()["hacluster_password"]


def test_a_secrets_file_others_may_read_stops_the_run_before_any_lab_boots(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.yaml"
    secrets.write_text("bmc_password: x\n")
    secrets.chmod(0o644)
    done, seen = audited.run(["run", "lab", "--name", "tsecrets", "--secrets", str(secrets)], tmp_path)
    said = done.stdout + done.stderr
    assert done.returncode == 2, said
    assert "other users may read it (mode 644); chmod 600 it" in said
    assert not [p for p in audited.programs(seen) if "linux" in p or "ip netns" in p], audited.programs(seen)
