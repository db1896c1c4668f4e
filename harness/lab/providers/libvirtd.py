"""A libvirtd of the lab's own: in a network namespace the lab creates and a mount namespace of its own.

libvirt's directories (/etc/libvirt, /run/libvirt, /var/lib/libvirt, ...) are bind-mounted from the
lab's state folder inside that mount namespace only, so the machine's libvirt (if any) is neither read
nor changed, and every network libvirt makes (Vagrant's management network, the cluster network) lives
in the lab's network namespace. Clients reach it by its socket, through the state folder.
qemu runs as root without a security driver or cgroups (a container has neither); its console output
goes to files, so no virtlogd is needed.
"""

from __future__ import annotations

import functools
import os
import select
import shlex
import shutil
import subprocess
import time
from pathlib import Path

from harness.lab.providers import netns, procs
from harness.lab.providers.base import ProviderError

LIBVIRTD = "/usr/sbin/libvirtd"
MOUNTS = {"etc": "/etc/libvirt", "run": "/run/libvirt", "lib": "/var/lib/libvirt",
          "cache": "/var/cache/libvirt", "log": "/var/log/libvirt"}
START_TIMEOUT_S = 30.0

LIBVIRTD_CONF = """\
unix_sock_rw_perms = "0700"
unix_sock_ro_perms = "0700"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
"""
QEMU_CONF = """\
user = "root"
group = "root"
dynamic_ownership = 0
security_driver = "none"
cgroup_controllers = [ ]
stdio_handler = "file"
"""
# Debian's libvirt names qemu's user at build time and looks it up before it reads qemu.conf.
ACCOUNTS = {"passwd": "libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin\n",
            "group": "libvirt-qemu:x:64055:\nkvm:x:64056:\nlibvirt:x:64057:\n"}


class LibvirtError(ProviderError):
    """The lab's libvirtd could not be started or asked."""


def uri(folder: Path) -> str:
    """The connection URI of the libvirtd whose state lies in `folder`."""
    return f"qemu+unix:///system?socket={folder / 'run' / 'libvirt-sock'}"


def write_config(folder: Path) -> None:
    """libvirt's folders and configuration, and the account files the daemon's namespace sees."""
    for sub in MOUNTS:
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "etc" / "libvirtd.conf").write_text(LIBVIRTD_CONF)
    (folder / "etc" / "qemu.conf").write_text(QEMU_CONF)
    for name, extra in ACCOUNTS.items():
        base = Path("/etc", name).read_text()
        known = {ln.split(":", 1)[0] for ln in base.splitlines()}
        lines = [ln for ln in extra.splitlines(keepends=True) if ln.split(":", 1)[0] not in known]
        (folder / name).write_text(base + "".join(lines))


def _script(folder: Path) -> str:
    """What runs inside the new mount namespace: the bind mounts, then libvirtd itself (same PID)."""
    binds = [f"mkdir -p {target} && mount --bind {shlex.quote(str(folder / sub))} {target}"
             for sub, target in MOUNTS.items()]
    binds += [f"mount --bind {shlex.quote(str(folder / name))} /etc/{name}" for name in ACCOUNTS]
    return " && ".join([*binds, f"exec {LIBVIRTD} --config /etc/libvirt/libvirtd.conf"])


def start(folder: Path, ns: str) -> procs.Started:
    """libvirtd started in the namespace `ns` (which must exist); returns it once its socket answers."""
    if not Path(LIBVIRTD).exists():
        raise LibvirtError(f"{LIBVIRTD} is missing: install libvirt-daemon and libvirt-daemon-driver-qemu")
    write_config(folder)
    cmd = [*netns.exec_prefix(ns), "unshare", "--mount", "--propagation", "private",
           "sh", "-c", _script(folder)]
    with open(folder / "daemon.log", "ab") as out:
        child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    started = procs.await_exec(child.pid, LIBVIRTD, timeout=10)
    _wait_answers(folder, child)
    return started


def _wait_answers(folder: Path, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    last = ""
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise LibvirtError(f"libvirtd exited ({child.returncode}); see {folder / 'log' / 'libvirtd.log'}")
        res = virsh(folder, "version", check=False)
        if res.returncode == 0:
            return
        last = res.stderr.strip()
        time.sleep(0.2)
    raise LibvirtError(f"libvirtd did not answer in {START_TIMEOUT_S:.0f} s: {last}")


def virsh(folder: Path, *args: str, check: bool = True,
          timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """virsh against the lab's libvirtd."""
    res = subprocess.run(["virsh", "-c", uri(folder), *args], capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, timeout=timeout)
    if check and res.returncode:
        raise LibvirtError(f"virsh {' '.join(args)} failed: {res.stderr.strip() or res.stdout.strip()}")
    return res


def keep_logs(folder: Path, dest: Path) -> None:
    """libvirtd's log and qemu's per-domain logs copied to `dest` (before the lab's folder goes)."""
    logs = [folder / "log" / "libvirtd.log", *sorted((folder / "log" / "qemu").glob("*.log"))]
    for log in logs:
        if log.exists():
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy(log, dest / log.name)


def installed() -> bool:
    """The programs the vagrant provider runs are on this machine."""
    programs = ("virsh", "vagrant", "qemu-system-x86_64", "qemu-img")
    return all(shutil.which(p) for p in programs) and os.path.exists(LIBVIRTD)


KVM_PROBE_S = 30.0
# Asked over QMP, answered only once the vCPU's registers are set (where a refusing host aborts qemu).
_QMP_STATUS = ('{"execute": "qmp_capabilities"}\n{"execute": "query-status"}\n'
               '{"execute": "quit"}\n')


@functools.cache
def kvm_works(kernel: Path | None = None) -> bool:
    """Whether qemu can start a vCPU under KVM here (some hosts offer /dev/kvm but refuse a stock CPU
    model's registers: qemu then aborts as it resets the vCPU) and, given a kernel, whether that kernel
    gets as far as its banner under KVM (seen: a host whose KVM runs SeaBIOS and the kernel's real-mode
    set-up, then hangs the guest at 100 % of a core with nothing more on its console)."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    return accel_works("kvm", "host") and (kernel is None or kernel_boots("kvm", "host", kernel))


def accel_works(accel: str, cpu: str) -> bool:
    """Whether qemu starts a vCPU with this accelerator and CPU model: a paused qemu is asked its status
    over QMP, which it answers only after the vCPU's reset. No qemu, or no answer in time, is a no."""
    if shutil.which("qemu-system-x86_64") is None:
        return False          # not installed yet (make vagrant-setup)
    try:
        done = subprocess.run(["qemu-system-x86_64", "-accel", accel, "-cpu", cpu, "-display", "none",
                               "-nodefaults", "-S", "-m", "64", "-qmp", "stdio"], input=_QMP_STATUS,
                              capture_output=True, text=True, timeout=KVM_PROBE_S)
    except subprocess.TimeoutExpired:
        return False          # subprocess.run has killed its own child
    return '"status": "prelaunch"' in done.stdout


KERNEL_PROBE_S = 20.0
BANNER = b"Linux version"


def kernel_boots(accel: str, cpu: str, kernel: Path) -> bool:
    """Whether this kernel prints its banner on the serial console within KERNEL_PROBE_S under this
    accelerator (no disk: it stops at its root file system, and qemu is killed as soon as it is seen)."""
    cmd = ["qemu-system-x86_64", "-accel", accel, "-cpu", cpu, "-m", "128", "-display", "none", "-nodefaults",
           "-serial", "stdio", "-no-reboot", "-kernel", str(kernel),
           "-append", "console=ttyS0 earlyprintk=ttyS0 panic=-1"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        return proc.stdout is not None and _says_within(proc.stdout.fileno(), BANNER, KERNEL_PROBE_S)
    finally:
        proc.kill()        # the qemu started here, by its PID
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def _says_within(fd: int, text: bytes, seconds: float) -> bool:
    """Whether `text` comes out of the pipe before `seconds` pass or it closes."""
    deadline, seen = time.monotonic() + seconds, b""
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return False
        chunk = os.read(fd, 4096)
        if not chunk:
            return False
        seen = (seen + chunk)[-4096:]
        if text in seen:
            return True
    return False


def driver(kernel: Path | None = None) -> str:
    """libvirt's domain type: HADRILL_LIBVIRT_DRIVER if set, else kvm where it works (where the VMs' kernel
    is known: where it boots), else qemu (software emulation)."""
    return os.environ.get("HADRILL_LIBVIRT_DRIVER") or ("kvm" if kvm_works(kernel) else "qemu")
