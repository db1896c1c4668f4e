"""The image recipe: package list, hash, and the mirror taken from the machine's apt sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.lab.image import kernel
from harness.lab.image.kernel import Kernel
from harness.lab.image.recipe import Recipe, current, packages, read_packages
from harness.lab.image.sources import debian_lines

NEEDED = {"openssh-server", "systemd-sysv", "udev", "dbus", "drbd-utils", "heartbeat", "mariadb-server",
          "pacemaker", "pacemaker-cli-utils", "corosync", "pcs", "crmsh", "fence-agents", "resource-agents",
          "open-iscsi", "tgt", "dlm-controld", "gfs2-utils", "sbd", "ipmitool", "fdisk", "net-tools",
          "iptables", "iputils-ping", "psmisc", "python3"}


def test_package_list_has_what_the_book_needs() -> None:
    assert set(packages()) >= NEEDED


def test_read_packages_skips_comments_and_blanks() -> None:
    assert read_packages("# c\nfoo\n\n bar  # why\n") == ("foo", "bar")


def test_digest_follows_every_input() -> None:
    kernel = Kernel(Path("/k"), Path("/m"), "7.2.7", "7.2um1")
    base = current("deb http://mirror.example/debian bookworm main", kernel)
    assert base.digest() == current("deb http://mirror.example/debian bookworm main", kernel).digest()
    other_kernel = Kernel(Path("/k"), Path("/m"), "7.2.8", "7.2um2")
    variants = [
        Recipe((*base.packages, "vim"), base.files, base.kernel_release, base.sources),
        Recipe(base.packages, base.files[:-1], base.kernel_release, base.sources),
        current("deb http://mirror.example/debian bookworm main", other_kernel),
        current("deb http://other.example/debian bookworm main", kernel),
    ]
    assert len({base.digest(), *(v.digest() for v in variants)}) == 5


DEB822 = """Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://third.example/apt
Suites: nodistro
Components: main
"""


def test_sources_come_from_the_machines_apt_config(tmp_path: Path) -> None:
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / "sources.list.d" / "debian.sources").write_text(DEB822)
    (tmp_path / "sources.list.d" / "old.list").write_text("deb http://mirror.example/debian sid main\n")
    (tmp_path / "sources.list.d" / "off.sources.disabled").write_text(DEB822)
    keyring = "[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]"
    assert debian_lines(tmp_path) == [
        f"deb {keyring} http://mirror.example/debian bookworm main",
        f"deb {keyring} http://mirror.example/debian bookworm-updates main",
        f"deb {keyring} http://mirror.example/debian-security bookworm-security main",
    ]


def test_no_bookworm_source_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "sources.list").write_text("deb http://mirror.example/debian sid main\n")
    with pytest.raises(RuntimeError, match="no enabled 'bookworm' entry"):
        debian_lines(tmp_path)


def test_the_cached_kernel_has_what_the_book_needs() -> None:
    cached = kernel.cached()
    if cached is None:
        pytest.skip("no UML kernel fetched on this machine yet (make image)")
    kernel.check_modules(cached.modules)


def test_a_kernel_without_drbd_8_4_or_gfs2_is_refused(tmp_path: Path) -> None:
    """The check's negative control: a module tree with DRBD 9 and no gfs2."""
    for name in kernel.NEEDED_MODULES:
        if name != "gfs2.ko":
            (tmp_path / name).write_bytes(b"\0license=GPL\0version=9.2.0\0" if name == "drbd.ko" else b"\0")
    with pytest.raises(kernel.KernelRefused, match=r"lacks what the book needs: drbd.ko \(version=8.4.x\), "
                                                   r"gfs2.ko; pin one"):
        kernel.check_modules(tmp_path)
