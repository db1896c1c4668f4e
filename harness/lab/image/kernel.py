"""The UML kernel: Debian's user-mode-linux package, taken from a suite whose kernel runs on this host.

bookworm's user-mode-linux (6.1) and trixie's (6.12) die at the first guest process on hosts with a
large XSAVE area (AVX-512, AMX): "userspace - ptrace set fp regs failed, errno = 14". The package of
a newer suite (7.x) runs there. It needs a newer glibc than bookworm's, so the package's binary is
given the same suite's libc6 as its own interpreter and library path (patchelf), beside it in the
cache; nothing is installed on the machine. Both packages come by name through apt, from the
machine's own Debian mirror. The kernel is fetched once and kept until `hadrill image --refresh-kernel`.

`HADRILL_UML_VERSION` pins the package's version (else the suite's current one); the package's SHA-256 is
recorded with it and shown by `hadrill image`. A kernel without what the book needs (DRBD 8.4, dlm, gfs2,
the iSCSI initiator and target modules) is refused at fetch, saying what is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness import progress
from harness.lab.image import sources
from harness.paths import cache_dir, remove_tree

SUITE = os.environ.get("HADRILL_UML_SUITE", "forky")
PIN = os.environ.get("HADRILL_UML_VERSION", "")      # e.g. 7.2um1; empty: the suite's current version
PACKAGES = ("user-mode-linux", "libc6")
# What the book needs of the kernel: module file -> what its .modinfo must say (b"" if only present)
NEEDED_MODULES = {"drbd.ko": b"version=8.4.", "dlm.ko": b"", "gfs2.ko": b"", "iscsi_tcp.ko": b"",
                  "iscsi_target_mod.ko": b"", "target_core_mod.ko": b""}


class KernelRefused(RuntimeError):
    """The fetched kernel lacks what the book needs, or is not the pinned version."""


@dataclass(frozen=True)
class Kernel:
    """A runnable linux.uml with the modules of the same build."""

    binary: Path
    modules: Path        # .../lib/modules/<release>
    release: str         # e.g. 7.2.7
    version: str         # the package version, e.g. 7.2um1
    sha256: str = ""     # the package's (empty: fetched before it was recorded)

    @property
    def ident(self) -> str:
        """The kernel in the image's recipe (its key)."""
        return f"{self.release} ({self.version})"

    @property
    def described(self) -> str:
        """The kernel as `hadrill image` shows it, with its package's checksum."""
        return f"{self.ident}, package sha256 {self.sha256 or 'not recorded (fetched before 0.6)'}"


def kernel_dir() -> Path:
    return cache_dir() / "kernel" / SUITE


def cached() -> Kernel | None:
    """The kernel fetched earlier, if any."""
    meta = kernel_dir() / "kernel.json"
    if not meta.exists():
        return None
    data = json.loads(meta.read_text())
    kernel = Kernel(Path(data["binary"]), Path(data["modules"]), data["release"], data["version"],
                    data.get("sha256", ""))
    if PIN and kernel.version != PIN:
        return None       # another version is pinned: fetch it
    return kernel if kernel.binary.exists() and kernel.modules.is_dir() else None


def ensure(refresh: bool = False) -> Kernel:
    """The cached kernel, fetched first when missing (or when asked to refresh)."""
    kernel = None if refresh else cached()
    return kernel or _fetch()


def _apt_options(root: Path) -> list[str]:
    lines = [ln for ln in sources.debian_lines() if ln.split()[-2] == sources.SUITE]
    suite_lines = [ln.replace(f" {sources.SUITE} ", f" {SUITE} ") for ln in lines]
    (root / "sources.list").write_text("\n".join(suite_lines) + "\n")
    for sub in ("lists/partial", "cache/archives/partial"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "status").write_text("")
    opts = [f"Dir::Etc::SourceList={root / 'sources.list'}", "Dir::Etc::SourceParts=/dev/null",
            f"Dir::State::Lists={root / 'lists'}", f"Dir::Cache={root / 'cache'}",
            f"Dir::State::status={root / 'status'}", "APT::Sandbox::User=root"]
    opts += [o.replace(" ", "=", 1).replace('"', "") for o in sources.apt_options()]
    return [arg for o in opts for arg in ("-o", o)]


def _run(cmd: list[str], cwd: Path | None = None) -> str:
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, stdin=subprocess.DEVNULL)
    if res.returncode:
        raise RuntimeError(f"{' '.join(cmd[:3])} ... failed (exit {res.returncode}):\n{res.stderr[-2000:]}")
    return res.stdout


def _fetch() -> Kernel:
    with progress.stage(f"kernel: fetch user-mode-linux from Debian {SUITE}"), \
            tempfile.TemporaryDirectory(prefix="hadrill-kernel-") as tmp:
        work = Path(tmp)
        opts = _apt_options(work)
        _run(["apt-get", *opts, "update"])
        wanted = [f"{PACKAGES[0]}={PIN}" if PIN else PACKAGES[0], *PACKAGES[1:]]
        try:
            _run(["apt-get", *opts, "download", *wanted], cwd=work)
        except RuntimeError as exc:
            if not PIN:
                raise
            said = str(exc).strip().splitlines()[-1]
            raise KernelRefused(f"HADRILL_UML_VERSION={PIN}: Debian {SUITE} has no such user-mode-linux "
                                f"({said}); the cached kernel is kept") from None
        deb = next(work.glob("user-mode-linux_*.deb"))
        version, digest = _deb_version(deb), hashlib.sha256(deb.read_bytes()).hexdigest()
        dest = kernel_dir()
        remove_tree(dest, ignore_errors=True)
        root = dest / "root"
        root.mkdir(parents=True)
        for deb in sorted(work.glob("*.deb")):
            _run(["dpkg-deb", "-x", str(deb), str(root)])
        return _install(dest, root, version, digest)


def _deb_version(deb: Path) -> str:
    return _run(["dpkg-deb", "-f", str(deb), "Version"]).strip()


def check_modules(modules: Path) -> None:
    """KernelRefused unless every module the book needs is there (DRBD's of version 8.4)."""
    found = {p.name: p for p in modules.rglob("*.ko*")}
    missing = [f"{name} ({want.decode()}x)" if want and name in found else name
               for name, want in NEEDED_MODULES.items()
               if name not in found or (want and want not in found[name].read_bytes())]
    if missing:
        raise KernelRefused(f"the UML kernel in {modules} lacks what the book needs: {', '.join(missing)}; "
                            "pin one that has it with HADRILL_UML_VERSION")


def _install(dest: Path, root: Path, version: str, digest: str) -> Kernel:
    modules_root = root / "usr/lib/uml/modules"
    releases = sorted(p.name for p in modules_root.iterdir())
    if len(releases) != 1:
        raise RuntimeError(f"expected one kernel release in the package, found {releases}")
    binary = dest / "linux.uml"
    shutil.copy2(root / "usr/bin/linux.uml", binary)
    _run(["patchelf", "--set-interpreter", str(root / "usr/lib64/ld-linux-x86-64.so.2"),
          "--set-rpath", str(root / "usr/lib/x86_64-linux-gnu"), str(binary)])
    _run([str(binary), "--version"])  # it loads: the interpreter and libraries are right
    check_modules(modules_root / releases[0])
    kernel = Kernel(binary, modules_root / releases[0], releases[0], version, digest)
    meta = {"binary": str(binary), "modules": str(kernel.modules), "release": kernel.release,
            "version": version, "sha256": digest, "suite": SUITE}
    (dest / "kernel.json").write_text(json.dumps(meta, indent=2) + "\n")
    progress.say(f"kernel: linux.uml {kernel.described} from {SUITE}")
    return kernel
