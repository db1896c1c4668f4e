"""The book's drbd.conf as hadrill renders it, and `drbdadm dump` as the lab printed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.ops.drbd import DrbdResource, Peer, render_conf
from harness.probes.drbd_conf import HostBlock, parse_dump
from harness.probes.errors import ParseError

DATA = Path(__file__).parent / "data"
PEERS = (Peer("vm01", "192.168.8.22", "/dev/sdb1"), Peer("vm02", "192.168.8.23", "/dev/sdb1"))


def test_the_book_resource_rendered() -> None:
    text = render_conf(DrbdResource(PEERS, "s3cret-value"))
    assert "global { usage-count no; }" in text and "usage-count yes" not in text
    assert "common { syncer { rate 100M; } }" in text
    assert "resource test {\n  protocol C;\n" in text
    assert 'net { cram-hmac-alg sha1; shared-secret "s3cret-value"; }' in text
    for peer in PEERS:
        assert (f"  on {peer.name} {{\n    device /dev/drbd1;\n    disk /dev/sdb1;\n"
                f"    address {peer.address}:7789;\n    meta-disk internal;\n  }}\n") in text
    assert text.count("{") == text.count("}")


def test_the_protocol_changes_its_own_line_only() -> None:
    c = render_conf(DrbdResource(PEERS, "x" * 8)).splitlines()
    a = render_conf(DrbdResource(PEERS, "x" * 8, protocol="A")).splitlines()
    assert len(a) == len(c)
    assert [(x, y) for x, y in zip(c, a, strict=True) if x != y] == [("  protocol C;", "  protocol A;")]


@pytest.mark.parametrize(("secret", "protocol", "match"), [
    ('with"quote', "C", "double quote"), ("fine-secret", "D", "A, B or C")])
def test_bad_values_are_refused(secret: str, protocol: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        render_conf(DrbdResource(PEERS, secret, protocol=protocol))


def test_dump_as_drbdadm_read_it() -> None:
    conf = parse_dump((DATA / "drbdadm_dump_test.txt").read_text())
    assert conf.name == "test" and conf.options["protocol"] == "C"
    assert conf.options["cram-hmac-alg"] == "sha1" and conf.options["shared-secret"] == "***"
    assert conf.hosts["vm02"] == HostBlock("/dev/drbd1", 1, "/dev/sdb1", "192.168.8.23:7789", "internal")


def test_dump_without_a_resource_fails_loudly() -> None:
    with pytest.raises(ParseError, match="resource NAME"):
        parse_dump("# nothing here\n")
