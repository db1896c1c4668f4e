"""What goes into the node image, and the hash that names a build of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

from harness.lab.image.kernel import Kernel
from harness.lab.image.sources import SUITE

RECIPE_VERSION = "1"  # bump when build.py changes what it does to the tree

# Nothing in a lab node reads these; they only slow the boot or wake up during a run.
SERVICES_MASKED = (
    "getty.target", "console-getty.service", "apt-daily.timer", "apt-daily-upgrade.timer",
    "man-db.timer", "e2scrub_all.timer", "e2scrub_reap.service", "fstrim.timer",
    "dpkg-db-backup.timer", "logrotate.timer", "systemd-tmpfiles-clean.timer",
    "remote-fs.target", "systemd-timesyncd.service",
)


@dataclass(frozen=True)
class Recipe:
    """The inputs of an image build; equal recipes give the same image."""

    packages: tuple[str, ...]
    files: tuple[tuple[str, bytes], ...]
    kernel_release: str
    sources: str

    def digest(self) -> str:
        """A short hash of everything that shapes the image."""
        h = hashlib.sha256()
        for part in (RECIPE_VERSION, SUITE, self.kernel_release, self.sources, *self.packages):
            h.update(part.encode() + b"\0")
        for name, data in self.files:
            h.update(name.encode() + b"\0" + data + b"\0")
        h.update(repr((services_off(), SERVICES_MASKED)).encode())
        return h.hexdigest()[:16]


def read_packages(text: str) -> tuple[str, ...]:
    """Names from a list file (packages.txt, services-off.txt): one a line, '#' comments and blanks
    skipped."""
    names = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(name for name in names if name)


def packages() -> tuple[str, ...]:
    """The image's package list (harness/lab/image/packages.txt)."""
    return read_packages(resources.files(__package__).joinpath("packages.txt").read_text())


def services_off() -> tuple[str, ...]:
    """Services the book (or the cluster manager) starts by hand: installed, never enabled at boot
    (harness/lab/image/services-off.txt, also read by the Vagrant provisioning)."""
    return read_packages(resources.files(__package__).joinpath("services-off.txt").read_text())


def image_files() -> tuple[tuple[str, bytes], ...]:
    """The files copied into the image, as (name, content), sorted by name."""
    folder = resources.files(__package__).joinpath("files")
    return tuple(sorted((f.name, f.read_bytes()) for f in folder.iterdir() if f.is_file()))


def current(sources: str, kernel: Kernel) -> Recipe:
    """The recipe as it stands in this checkout, with this kernel's modules."""
    return Recipe(packages(), image_files(), kernel.ident, sources)
