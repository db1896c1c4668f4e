"""Build the node image (cached by recipe hash) with mmdebstrap and mkfs.ext4 -d."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from harness import progress
from harness.lab.image import kernel as kn
from harness.lab.image import recipe as rc
from harness.lab.image import sources
from harness.paths import cache_dir, remove_tree

HEADROOM_BYTES = 3 << 30  # free space in the image for what the book installs and writes


@dataclass(frozen=True)
class Image:
    """A built image: the read-only base file that every node's copy-on-write file sits on."""

    path: Path
    digest: str
    kernel: kn.Kernel


def image_dir(digest: str) -> Path:
    return cache_dir() / "images" / digest


def cached(recipe: rc.Recipe, kernel: kn.Kernel) -> Image | None:
    """The image for this recipe if it was built already."""
    folder = image_dir(recipe.digest())
    if (folder / "manifest.json").exists() and (folder / "base.img").exists():
        return Image(folder / "base.img", recipe.digest(), kernel)
    return None


def ensure(force: bool = False, refresh_kernel: bool = False) -> Image:
    """The image of the current recipe, built first if it is not in the cache."""
    (cache_dir() / "images").mkdir(parents=True, exist_ok=True)
    with open(cache_dir() / "images" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time; a waiter then finds it cached
        kernel = kn.ensure(refresh=refresh_kernel)
        recipe = rc.current("\n".join(sources.debian_lines()), kernel)
        image = None if force else cached(recipe, kernel)
        return image or _build(recipe, kernel, image_dir(recipe.digest()))


def _build(recipe: rc.Recipe, kernel: kn.Kernel, folder: Path) -> Image:
    start = time.monotonic()
    work = folder / "build"
    remove_tree(work, ignore_errors=True)
    root = work / "root"
    work.mkdir(parents=True)
    progress.say(f"building node image {recipe.digest()} ({len(recipe.packages)} packages)")
    with progress.stage("image: install packages (mmdebstrap)"):
        mmdebstrap(recipe.packages, recipe.sources, root, work)
    with progress.stage("image: customize"):
        _customize(root, recipe, kernel)
    with progress.stage("image: make ext4 file system"):
        mkfs_ext4(root, work / "base.img")
    os.replace(work / "base.img", folder / "base.img")
    manifest = {"digest": recipe.digest(), "kernel": recipe.kernel_release,
                "packages": list(recipe.packages), "build_seconds": round(time.monotonic() - start, 1),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    remove_tree(work)
    progress.say(f"image ready: {folder / 'base.img'} in {manifest['build_seconds']} s")
    return Image(folder / "base.img", recipe.digest(), kernel)


def mmdebstrap(packages: tuple[str, ...], sources_text: str, root: Path, work: Path) -> None:
    """A minbase bookworm tree with these packages, from the machine's own mirror."""
    src = work / "sources.list"
    src.write_text(sources_text + "\n")
    cmd = ["mmdebstrap", "--mode=root", "--variant=minbase", "--format=directory",
           "--include=" + ",".join(packages)]
    cmd += [f"--aptopt={opt}" for opt in sources.apt_options()]
    cmd += [sources.SUITE, str(root), str(src)]
    log = work / "mmdebstrap.log"
    with open(log, "w") as out:
        stderr = None if progress.interactive() else out
        result = subprocess.run(cmd, stdout=out, stderr=stderr, stdin=subprocess.DEVNULL)
    if result.returncode:
        tail = log.read_text(errors="replace").splitlines()[-25:]
        raise RuntimeError(f"mmdebstrap failed (exit {result.returncode}); last lines of {log}:\n"
                           + "\n".join(tail))


def install_file(data: bytes, dest: Path, mode: int = 0o644) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
    dest.chmod(mode)


def _customize(root: Path, recipe: rc.Recipe, kernel: kn.Kernel) -> None:
    files = dict(recipe.files)
    prepare_tree(root, files, "hadrill-node", "/dev/ubda / ext4 rw,noatime 0 0")
    shutil.copytree(kernel.modules, root / "usr/lib/modules" / kernel.release, dirs_exist_ok=True)
    install_file(files["hadrill-node"], root / "usr/local/sbin/hadrill-node", 0o755)
    install_file(files["hadrill-node.service"], root / "etc/systemd/system/hadrill-node.service")
    systemctl(root, "enable", ["hadrill-node.service"])


def prepare_tree(root: Path, files: dict[str, bytes], hostname: str, fstab: str) -> None:
    """What every node's tree gets (the lab's image and the Vagrant box): no SSH host keys (each node
    gets or makes its own, pinned by the harness), an empty machine-id (made at first boot), a hostname
    and fstab, hadrill's sshd and journald settings, and the book's services off at boot."""
    for key in root.glob("etc/ssh/ssh_host_*"):
        key.unlink()
    (root / "etc/machine-id").write_text("")
    (root / "etc/hostname").write_text(hostname + "\n")
    (root / "etc/fstab").write_text(fstab + "\n")
    install_file(files["sshd-hadrill.conf"], root / "etc/ssh/sshd_config.d/hadrill.conf")
    install_file(files["journald-hadrill.conf"], root / "etc/systemd/journald.conf.d/hadrill.conf")
    _services_as_in_the_book(root)


def _services_as_in_the_book(root: Path) -> None:
    """The book starts its services by hand: none starts at boot; timers that only wake nodes masked."""
    systemctl(root, "disable", list(rc.services_off()))
    systemctl(root, "mask", list(rc.SERVICES_MASKED))
    systemctl(root, "set-default", ["multi-user.target"])


def systemctl(root: Path, verb: str, units: list[str]) -> None:
    for unit in units:  # one at a time: a unit that a package does not ship is not an error
        subprocess.run(["systemctl", f"--root={root}", verb, unit],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def mkfs_ext4(root: Path, image: Path, label: str = "hadrill-root") -> None:
    """An ext4 image of the tree, with room to spare for what the book installs and writes."""
    used = int(subprocess.run(["du", "-sb", str(root)], capture_output=True, text=True,
                              check=True).stdout.split()[0])
    size_mib = (used + HEADROOM_BYTES) // (1 << 20)
    subprocess.run(["mkfs.ext4", "-q", "-F", "-L", label, "-E", "root_owner=0:0",
                    "-d", str(root), str(image), f"{size_mib}M"], check=True, stdout=subprocess.DEVNULL)
