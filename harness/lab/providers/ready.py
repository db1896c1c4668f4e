"""Whether a node is up: it answers SSH, and systemd has finished booting it."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def booted(ssh_config: Path, node: str) -> tuple[bool, str]:
    """One look (ssh with the provider's ssh_config): booted or not, and what the node said."""
    res = subprocess.run(["ssh", "-F", str(ssh_config), node, "systemctl is-system-running --wait"],
                         capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    said = (res.stdout + res.stderr).strip()
    return res.returncode == 0 or said.startswith("degraded"), said


def answers(ssh_config: Path, node: str, timeout: float = 15.0) -> bool:
    """Whether the node answers SSH at all now (one quick look; a node that is off does not)."""
    try:
        res = subprocess.run(["ssh", "-F", str(ssh_config), "-o", f"ConnectTimeout={int(timeout)}", node,
                              "true"], capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout + 5)
    except subprocess.TimeoutExpired:
        return False
    return res.returncode == 0


def wait(ssh_config: Path, node: str, timeout: float, interval: float = 1.0,
         check: Callable[[], None] = lambda: None) -> tuple[bool, str]:
    """Look every `interval` s until the node has booted or `timeout` s have passed: (booted, last
    answer). `check` runs before each look and raises when waiting longer is pointless."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        check()
        up, last = booted(ssh_config, node)
        if up:
            return True, last
        time.sleep(interval)
    return False, last
