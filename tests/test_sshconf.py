"""ssh_config and known_hosts: strict host key checking, pinned keys, nothing unsafe."""

from __future__ import annotations

from pathlib import Path

import paramiko
import pytest

from harness.lab.sshconf import SshHost, public_key_text, render_config, render_known_hosts

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHWFtZESxjsLUfHtSe2YW0phd4REGXKqZck1EQWUA7xe"
HOSTS = [SshHost("vm01", "10.254.0.11", KEY, proxy_command="ip netns exec hadrill-x socat STDIO TCP:%h:%p"),
         SshHost("vm02", "10.254.0.12", KEY)]


def test_config_is_strict_and_uses_our_files(tmp_path: Path) -> None:
    text = render_config(HOSTS, tmp_path / "id", tmp_path / "known_hosts")
    assert "StrictHostKeyChecking yes" in text
    assert "StrictHostKeyChecking no" not in text and "accept-new" not in text
    assert f"UserKnownHostsFile {tmp_path / 'known_hosts'}" in text
    assert "GlobalKnownHostsFile /dev/null" in text
    assert "ServerAliveInterval" in text
    cfg = paramiko.SSHConfig.from_text(text)
    vm01 = cfg.lookup("vm01")
    assert vm01["hostname"] == "10.254.0.11" and vm01["user"] == "root"
    assert vm01["proxycommand"].startswith("ip netns exec hadrill-x socat")
    assert "proxycommand" not in cfg.lookup("vm02")


def test_known_hosts_pins_alias_and_address(tmp_path: Path) -> None:
    path = tmp_path / "known_hosts"
    path.write_text(render_known_hosts(HOSTS))
    keys = paramiko.HostKeys(str(path))
    for name in ("vm01", "10.254.0.11", "vm02", "10.254.0.12"):
        assert keys.lookup(name) is not None, name
    assert keys.lookup("vm03") is None


def test_non_default_port_is_bracketed() -> None:
    text = render_known_hosts([SshHost("h", "127.0.0.1", KEY, port=2222)])
    assert text.startswith("[h]:2222,[127.0.0.1]:2222 ssh-ed25519 ")


def test_paths_with_spaces_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="white space"):
        render_config(HOSTS, tmp_path / "my keys" / "id", tmp_path / "kh")


def test_public_key_text_drops_comment(tmp_path: Path) -> None:
    pub = tmp_path / "k.pub"
    pub.write_text(KEY + " vm01@lab\n")
    assert public_key_text(pub) == KEY
    pub.write_text("not a key\n")
    with pytest.raises(ValueError, match="not an OpenSSH public key"):
        public_key_text(pub)
