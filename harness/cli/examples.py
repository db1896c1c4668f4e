"""The examples each command's --help ends with (`hadrill CMD --help`), one place for all of them."""

from __future__ import annotations

import argparse

EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "image": [("hadrill image", "build the node image, or say the cached one (kernel version, checksum)"),
              ("hadrill image --refresh-kernel --force", "fetch the UML kernel again and rebuild")],
    "lab": [("hadrill lab up --topology rhcs", "boot the rhcs lab (storage node, node1, node2)"),
            ("hadrill lab status", "every lab on this machine and its nodes")],
    "lab up": [("hadrill lab up", "the book's DRBD pair (topology drbd), named drbd"),
               ("hadrill lab up --topology renamed --name site1", "another topology, under a name of yours"),
               ("hadrill lab up --topology ./my-lab.yaml", "a topology file of your own")],
    "lab down": [("hadrill lab down --name drbd", "stop the lab drbd and remove what it made"),
                 ("hadrill lab down --all", "every lab on this machine")],
    "lab status": [("hadrill lab status", "labs and their nodes"),
                   ("hadrill lab status --name rhcs --json", "one lab, as JSON")],
    "lab ssh": [("hadrill lab ssh node1", "a shell on node1 of the only lab up"),
                ("hadrill lab ssh --name rhcs node1 -- pcs status --full", "one command; its exit code")],
    "lab inventory": [("hadrill lab inventory > site.yaml", "the hosts, an inventory for --provider ssh"),
                      ("hadrill lab inventory --not-disposable", "the same, hosts hadrill must not break")],
    "lab reset": [("hadrill lab reset --name drbd", "back to freshly booted nodes with empty disks")],
    "lab fault": [("hadrill lab fault --name rhcs freeze node2", "stop node2's kernel (thaw undoes it)"),
                  ("hadrill lab fault --name rhcs cut-link node1", "pull node1's cable (restore-link)")],
    "run": [("hadrill run", "every area, each on the lab of its topology; the report in reports/"),
            ("hadrill run drbd -- -k split_brain", "one area; pytest's own options after --"),
            ("hadrill run lab --name a --reports /tmp/a", "a run beside another: its own lab and folder"),
            ("hadrill run --provider ssh --inventory site.yaml --secrets s.yaml verify",
             "read-only checks of your own cluster")],
    "plan": [("hadrill plan heartbeat", "each step's commands, per host, reaching no host"),
             ("hadrill plan --inventory site.yaml verify", "a run on your hosts, and the guard's word")],
    "report": [("hadrill report", "reports/html from the last run's results"),
               ("hadrill report --merge shard1 shard2", "the shards of one run gathered, then the report")],
    "docs": [("hadrill docs", "the living runbook: reports/runbook/index.html and runbook.md"),
             ("hadrill docs drbd --reports /tmp/book", "one area's chapter, elsewhere"),
             ("hadrill docs --pdf", "also reports/runbook/runbook.pdf, to print or hand over")],
}


def of(command: str) -> str:
    """The examples of `hadrill COMMAND`, as an argparse epilog."""
    return "examples:\n" + "\n".join(f"  {line}\n      {what}" for line, what in EXAMPLES[command])


def add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser], command: str,
                help_text: str) -> argparse.ArgumentParser:
    """`hadrill COMMAND` (its last word the parser's name), its help ending with its examples."""
    return sub.add_parser(command.rsplit(" ", 1)[-1], help=help_text, epilog=of(command),
                          formatter_class=argparse.RawDescriptionHelpFormatter)
