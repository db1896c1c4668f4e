"""The Debian mirror for the image, taken from this machine's own apt configuration."""

from __future__ import annotations

import subprocess
from pathlib import Path

SUITE = "bookworm"  # the Debian release of the node image

APT_DIR = Path("/etc/apt")
# apt options of the machine that the image build must share to reach the same mirror.
APT_OPTION_KEYS = ("Acquire::http::Proxy", "Acquire::https::Proxy",
                   "Acquire::Check-Valid-Until", "Acquire::Check-Date")


def _deb822_stanzas(text: str) -> list[dict[str, str]]:
    stanzas: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in [*text.splitlines(), ""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if current:
                stanzas.append(current)
            current = {}
        elif line[0].isspace():
            continue  # continuation of a multi-line field (an inline key): not needed here
        elif ":" in line:
            key, value = line.split(":", 1)
            current[key.strip().lower()] = value.strip()
    return stanzas


def _from_deb822(text: str) -> list[str]:
    lines = []
    for st in _deb822_stanzas(text):
        if "deb" not in st.get("types", "").split() or st.get("enabled", "yes") == "no":
            continue
        opts = f"[signed-by={st['signed-by']}] " if st.get("signed-by", "").startswith("/") else ""
        for uri in st.get("uris", "").split():
            for suite in st.get("suites", "").split():
                lines.append(f"deb {opts}{uri} {suite} {st.get('components', 'main')}")
    return lines


def _from_one_line(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip().startswith("deb ")]


def _suite_of(line: str) -> str:
    words = [w for w in line.split() if not w.startswith("[") and not w.endswith("]")]
    return words[2] if len(words) > 2 else ""


def debian_lines(apt_dir: Path = APT_DIR) -> list[str]:
    """The machine's enabled `deb` lines for this suite (and its -updates, -security)."""
    lines: list[str] = []
    main = apt_dir / "sources.list"
    if main.exists():
        lines += _from_one_line(main.read_text())
    for path in sorted((apt_dir / "sources.list.d").glob("*")):
        if path.suffix == ".list":
            lines += _from_one_line(path.read_text())
        elif path.suffix == ".sources":
            lines += _from_deb822(path.read_text())
    wanted = [ln for ln in lines if _suite_of(ln).split("-")[0] == SUITE]
    if not wanted:
        raise RuntimeError(f"no enabled '{SUITE}' entry in {apt_dir}/sources.list(.d): "
                           "the image is built from this machine's Debian mirror")
    return wanted


def apt_options() -> list[str]:
    """The machine's apt options (proxy, date checks) that the build must use as well."""
    out = subprocess.run(["apt-config", "dump"], capture_output=True, text=True, check=True)
    keep = []
    for line in out.stdout.splitlines():
        key = line.split(" ", 1)[0]
        if key in APT_OPTION_KEYS:
            keep.append(line.rstrip(";"))
    return keep
