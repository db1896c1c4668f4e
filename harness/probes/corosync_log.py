"""corosync's log (/var/log/corosync/corosync.log, as pcs writes corosync.conf) read for what a disturbed
cluster link did: tokens late, the ring formed again (with the same members, or with one left), knet
links gone down.

Lines: `Dec 03 14:42:23 [1678] node1 corosync notice  [TOTEM ] Token has not been received in 2252 ms`,
`... [TOTEM ] A new membership (1.23) was formed. Members left: 2`, `... [KNET  ] link: host: 2 link: 0 is
down`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COROSYNC_LOG = "/var/log/corosync/corosync.log"
MEMBERSHIP_RE = re.compile(r"\[TOTEM \] A new membership \(\S+\) was formed\. Members")
LEFT_RE = re.compile(r"\[TOTEM \] A new membership \(\S+\) was formed\. Members.*\bleft: \d")
LINK_DOWN_RE = re.compile(r"\[KNET  \] link: host: \d+ link: \d+ is down")
LATE_TOKEN_RE = re.compile(r"\[TOTEM \] Token has not been received in \d+ ms")


@dataclass(frozen=True)
class LinkChanges:
    late_tokens: int      # tokens later than token_warning (75 % of the token timeout)
    memberships: int      # the ring formed anew (a token lost, a member gone or back)
    members_left: int     # of those, the ones a member left
    links_down: int       # knet links seen going down


def changes(text: str) -> LinkChanges:
    """What a slice of corosync.log says happened to the token, the membership and the links."""
    lines = text.splitlines()

    def count(pattern: re.Pattern[str]) -> int:
        return sum(bool(pattern.search(line)) for line in lines)

    return LinkChanges(count(LATE_TOKEN_RE), count(MEMBERSHIP_RE), count(LEFT_RE), count(LINK_DOWN_RE))
