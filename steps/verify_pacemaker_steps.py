"""Steps of features/verify/pacemaker.feature: a running Pacemaker cluster (book 7.3) read, never changed,
and checked against the runbook's end state (harness/verdicts/pacemaker_checks.py judges what was read)."""

from __future__ import annotations

from pytest_bdd import given, then

from harness.clusters.pacemaker import PacemakerCluster
from harness.probes import pcmk_config, quorum
from harness.report import attachments
from harness.verdicts import pacemaker_checks as checks

from . import book
from .rhcs_common import fencing_problems, reader
from .verify_steps import judged


@given("the cluster serves: mysql_service on one member, GFS2 mounted by the cluster on every member")
def _(pcmk: PacemakerCluster) -> None:
    if pcmk.can("disposable"):     # an embedded lab only: elsewhere the cluster is looked at, never set up
        pcmk.mysql.ensure()
        pcmk.gfs2.ensure()
    holder = pcmk.status().group_on(pcmk.mysql.name)
    assert holder is not None, f"{pcmk.mysql.name} runs on no member:\n{pcmk.status().resources}"
    attachments.parameter("serving", holder)


@then("crm_verify finds no error or warning in the live configuration")
def _(pcmk: PacemakerCluster) -> None:
    via = reader(pcmk)
    verified = pcmk_config.verify(pcmk.node(via))
    attachments.parameter("crm_verify", f"exit {verified.exit_code}, {len(verified.findings)} findings")
    judged(checks.configuration(via, verified))


@then("every member is online, and a started fence device that can fence it answers its agent's monitor")
def _(pcmk: PacemakerCluster) -> None:
    judged(fencing_problems(pcmk))


@then("every member is quorate, with votequorum's two_node and wait_for_all where there are two")
def _(pcmk: PacemakerCluster) -> None:
    read = {name: quorum.read(pcmk.node(name)) for name in pcmk.names}
    attachments.parameter("votequorum", ", ".join(f"{n}: {' '.join(q.flags)}" for n, q in read.items()))
    judged(checks.two_node_quorum(read))


@then(book.parse("mysql_service's location preferences are its failover domain: {a} {sa:d}, {b} {sb:d}"))
def _(pcmk: PacemakerCluster, a: str, sa: int, b: str, sb: int) -> None:
    domain = pcmk.mysql.definition().domain
    assert tuple(domain) == ((a, sa), (b, sb)), f"the site's failover domain is {domain}"
    found = pcmk_config.locations(pcmk.node(reader(pcmk)))
    judged(checks.failover_domain(found, pcmk.mysql.name, domain))


@then("every member sees the same shared disks, each disk the cluster mounts among them")
def _(pcmk: PacemakerCluster) -> None:
    disks = {name: pcmk.storage.disks(name) for name in pcmk.names}
    mounted = checks.wwn_devices(pcmk_config.resources(pcmk.node(reader(pcmk))))
    attachments.parameter("shared disks", ", ".join(f"{n}: {len(d)}" for n, d in disks.items()))
    judged(checks.same_shared_disks(disks, mounted))


@then("each GFS2 filesystem the cluster mounts has a journal for every member")
def _(pcmk: PacemakerCluster) -> None:
    via = reader(pcmk)
    devices = checks.gfs2_devices(pcmk_config.resources(pcmk.node(via)))
    journals = {device: pcmk_config.gfs2_journals(pcmk.node(via), device) for device in devices}
    attachments.parameter("GFS2 journals", ", ".join(f"{d}: {n}" for d, n in journals.items()) or "no GFS2")
    judged(checks.gfs2_journals(journals, len(pcmk.names)),
           [] if devices else ["the cluster mounts no GFS2 filesystem: nothing to count"])
