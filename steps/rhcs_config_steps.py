"""The steps of 7.3's packages and its CCS (one configuration on every member): today's package set read on
each node, corosync.conf and the CIB's version compared across members, a drifted copy mended with
`pcs cluster sync`."""

from __future__ import annotations

from pytest_bdd import then, when

from harness.clusters.pacemaker import PacemakerCluster
from harness.ops import pacemaker as pm
from harness.probes import files, pcmk_config
from harness.report import attachments
from harness.verdicts import pacemaker_checks as checks
from harness.waiting import eventually
from steps import book


def _installed(pcmk: PacemakerCluster, hosts: list[str], names: str) -> dict[str, dict[str, str | None]]:
    found: dict[str, dict[str, str | None]] = {}
    for host in hosts:
        packages = [pcmk.node(host).host.package(p) for p in names.split()]
        found[host] = {p.name: p.version if p.is_installed else None for p in packages}
    attachments.attach_json("packages read on each node", found)
    return found


@then(book.parse('each of the packages "{names}" is installed on {a} and {b}'))
def _(pcmk: PacemakerCluster, names: str, a: str, b: str) -> None:
    missing = checks.packages_missing(_installed(pcmk, [a, b], names))
    assert not missing, "\n".join(missing)


@then(book.parse('none of the book\'s packages "{names}" is installed on {a} or {b}'))
def _(pcmk: PacemakerCluster, names: str, a: str, b: str) -> None:
    found = _installed(pcmk, [a, b], names)
    present = [f"{host}: {p} {v}" for host, got in found.items() for p, v in got.items() if v is not None]
    assert not present, f"the book's packages are here: {present}"
    assert len(checks.packages_missing(found)) == 2 * len(names.split())   # the checker names each one


def _sums(pcmk: PacemakerCluster) -> dict[str, str | None]:
    return {n: files.checksum(pcmk.node(n), pm.COROSYNC_CONF) or None for n in pcmk.names}


def _versions(pcmk: PacemakerCluster) -> dict[str, str | None]:
    return {n: "{0.admin_epoch}:{0.epoch}".format(pcmk_config.cib_version(pcmk.node(n))) for n in pcmk.names}


@then("corosync.conf is the same on every member, and so is the CIB's configuration version")
def _(pcmk: PacemakerCluster) -> None:
    conf = checks.copies_alike(pm.COROSYNC_CONF, _sums(pcmk))
    versions = eventually(lambda: _versions(pcmk), lambda v: not checks.copies_alike("the CIB", v),
                          timeout=30, describe="the same CIB version on every member")
    attachments.parameter("CIB version", next(iter(versions.values())))
    assert not conf, "\n".join(conf)


@when(book.parse("{name}'s corosync.conf drifts: a comment is added to it"))
def _(pcmk: PacemakerCluster, name: str) -> None:
    pm.drift_corosync_conf(pcmk.node(name), "a copy edited by hand on this member only")


@then(book.parse("the check finds {name}'s copy of corosync.conf differs from the others'"))
def _(pcmk: PacemakerCluster, name: str) -> None:
    problems = checks.copies_alike(pm.COROSYNC_CONF, _sums(pcmk))
    attachments.attach_text("the check's findings", "\n".join(problems) or "(none)")
    assert len(problems) == 1 and "differs between the members" in problems[0] and name in problems[0], \
        f"the check missed the drifted copy: {problems}"


@when(book.parse("pcs cluster sync is run on {name} (the book's ccs_tool update)"))
def _(pcmk: PacemakerCluster, name: str) -> None:
    pcmk.ensure_pcsd()
    pm.cluster_sync(pcmk.node(name))


@when("every member flushes its copy to disk with sync (pcsd writes it in place, without fsync)")
def _(pcmk: PacemakerCluster) -> None:
    pcmk.flush_members()
