"""A libvirt Vagrant box made from the node image's own recipe, for machines that cannot fetch one.

The same package list as the embedded lab's image (packages.txt), plus a Debian kernel. The disk holds
an ext4 root file system and no boot loader: the box's Vagrantfile has libvirt boot the kernel and
initrd that lie beside it. The box follows Vagrant's conventions (user vagrant with Vagrant's public
key, replaced at the first `vagrant up`; passwordless sudo), so the project's Vagrantfile treats it
like the public bookworm box. Cached by recipe hash, like the image.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from harness import progress
from harness.lab.image import build, recipe, sources
from harness.paths import cache_dir, remove_tree

BOX_VERSION = "1"   # bump when this module changes what it does to the tree
EXTRA_PACKAGES = ("linux-image-amd64", "sudo")
BOX_PREFIX = "hadrill/bookworm-"
VAGRANT_PUBLIC_KEY_GLOB = "/usr/share/rubygems-integration/all/gems/vagrant-*/keys/vagrant.pub"


@dataclass(frozen=True)
class Box:
    """A built box file and the name Vagrant knows it by once added."""

    path: Path
    name: str


def kernel_of(box: Box) -> Path:
    """The box's kernel as a file beside it (taken out of the box once): what the KVM probe boots."""
    kernel = box.path.parent / "vmlinuz"
    if not kernel.exists():
        with tarfile.open(box.path) as packed:
            member = packed.extractfile("vmlinuz")
            if member is None:
                raise RuntimeError(f"{box.path} holds no vmlinuz")
            tmp = kernel.with_suffix(f".{os.getpid()}.tmp")     # two labs coming up at once: each its own
            tmp.write_bytes(member.read())
            tmp.replace(kernel)
    return kernel


def box_files() -> dict[str, bytes]:
    """The files of harness/lab/image/box, by name."""
    folder = resources.files(__package__).joinpath("box")
    return {f.name: f.read_bytes() for f in folder.iterdir() if f.is_file()}


def digest(sources_text: str) -> str:
    """A short hash of everything that shapes the box."""
    h = hashlib.sha256()
    for part in (BOX_VERSION, sources.SUITE, sources_text, *recipe.packages(), *EXTRA_PACKAGES,
                 *recipe.services_off(), *recipe.SERVICES_MASKED):
        h.update(part.encode() + b"\0")
    for name, data in sorted({**dict(recipe.image_files()), **box_files()}.items()):
        h.update(name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()[:16]


def vagrant_public_key() -> str:
    """Vagrant's well-known public key, as the vagrant package ships it (replaced at the first up)."""
    found = sorted(glob.glob(VAGRANT_PUBLIC_KEY_GLOB))
    if not found:
        raise RuntimeError(f"Vagrant's public key is not at {VAGRANT_PUBLIC_KEY_GLOB}: is vagrant installed?")
    return Path(found[-1]).read_text()


def ensure(force: bool = False) -> Box:
    """The box of the current recipe, built first if it is not in the cache."""
    sources_text = "\n".join(sources.debian_lines())
    key = digest(sources_text)
    folder = cache_dir() / "boxes" / key
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        box = Box(folder / "hadrill.box", BOX_PREFIX + key)
        if force or not box.path.exists():
            _build(sources_text, folder, box)
        return box


def _build(sources_text: str, folder: Path, box: Box) -> None:
    start = time.monotonic()
    work = folder / "build"
    remove_tree(work, ignore_errors=True)
    root = work / "root"
    work.mkdir(parents=True)
    packages = (*recipe.packages(), *EXTRA_PACKAGES)
    progress.say(f"building Vagrant box {box.name} ({len(packages)} packages)")
    with progress.stage("box: install packages (mmdebstrap)"):
        build.mmdebstrap(packages, sources_text, root, work)
    with progress.stage("box: customize"):
        _customize(root)
        boot = work / "box"
        boot.mkdir()
        _take_kernel(root, boot)
    with progress.stage("box: make the disk (ext4, qcow2)"):
        build.mkfs_ext4(root, work / "root.img")
        subprocess.run(["qemu-img", "convert", "-O", "qcow2", str(work / "root.img"), str(boot / "box.img")],
                       check=True)
        _write_box_metadata(boot, (work / "root.img").stat().st_size)
        _pack(boot, work / "hadrill.box")
    (work / "hadrill.box").replace(box.path)
    manifest = {"name": box.name, "packages": list(packages),
                "build_seconds": round(time.monotonic() - start, 1),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    remove_tree(work)
    progress.say(f"box ready: {box.path} in {manifest['build_seconds']} s")


def _customize(root: Path) -> None:
    files = {**dict(recipe.image_files()), **box_files()}
    build.prepare_tree(root, files, "hadrill-box", "/dev/vda / ext4 rw,noatime 0 1")
    build.install_file(files["ssh-hostkeys.conf"], root / "etc/systemd/system/ssh.service.d/hostkeys.conf")
    build.install_file(files["10-mgmt.network"], root / "etc/systemd/network/10-mgmt.network")
    build.install_file(files["sudoers-vagrant"], root / "etc/sudoers.d/vagrant", 0o440)
    _add_vagrant_user(root)
    build.systemctl(root, "enable", ["systemd-networkd.service"])


def _add_vagrant_user(root: Path) -> None:
    # Password "*": no password login, yet not "locked" (sshd without PAM refuses a locked account's keys).
    subprocess.run(["chroot", str(root), "useradd", "--create-home", "--shell", "/bin/bash",
                    "--password", "*", "vagrant"], check=True)
    home = root / "home/vagrant"
    build.install_file(vagrant_public_key().encode(), home / ".ssh/authorized_keys", 0o600)
    (home / ".ssh").chmod(0o700)
    subprocess.run(["chroot", str(root), "chown", "-R", "vagrant:vagrant", "/home/vagrant"], check=True)


def _take_kernel(root: Path, boot: Path) -> None:
    """The kernel and initrd the box boots, copied out of the tree's /boot."""
    kernels = sorted((root / "boot").glob("vmlinuz-*"))
    if not kernels:
        raise RuntimeError(f"no kernel in {root / 'boot'}: linux-image-amd64 did not install")
    release = kernels[-1].name.removeprefix("vmlinuz-")
    shutil.copy(kernels[-1], boot / "vmlinuz")
    shutil.copy(root / "boot" / f"initrd.img-{release}", boot / "initrd.img")


def _write_box_metadata(boot: Path, disk_bytes: int) -> None:
    gib = -(-disk_bytes // (1 << 30))
    (boot / "metadata.json").write_text(json.dumps({"provider": "libvirt", "format": "qcow2",
                                                    "virtual_size": gib}) + "\n")
    (boot / "Vagrantfile").write_bytes(box_files()["Vagrantfile"])


def _pack(boot: Path, dest: Path) -> None:
    """A .box is a tar of the box folder (uncompressed: the qcow2 is what takes the room)."""
    with tarfile.open(dest, "w") as tar:
        for item in sorted(boot.iterdir()):
            tar.add(item, arcname=item.name)
