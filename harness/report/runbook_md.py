"""The living runbook in Markdown (for diffs in review): the same content as the HTML page."""

from __future__ import annotations

from harness.report import figures, stacks
from harness.report.book_steps import BookStep
from harness.report.runbook import TITLE, Chapter, Command, Scenario, Step

MARKS = {"destructive": " **(destructive)**", "disruptive": " **(disruptive)**", "read": ""}


def _command(c: Command) -> list[str]:
    first, *more = c.command.splitlines()
    tail = f" … ({len(more) + 1} lines)" if more else ""
    times = f" ({c.times} times)" if c.times > 1 else ""
    code = "" if c.exit_code is None else f" → exit {c.exit_code}"
    out = [f"    - `{c.node}`{MARKS.get(c.kind, ' (change)')}: `{first}`{tail}{times}{code}"]
    return out + [f"        > {line}" for line in c.output.splitlines()]


def _step(st: Step) -> list[str]:
    flag = " ⚠ destructive" if st.destructive else ""
    out = [f"1. **{st.keyword}** {st.text} — {st.result} ({st.source}){flag}"]
    out += [line for c in st.commands for line in _command(c)]
    return out + ([f"    - ({st.note})"] if st.note else [])


def _book(step: BookStep) -> list[str]:
    out = [f"**The book, {step.key}**: {step.title}", ""]
    if step.printed:
        out += ["```", *step.printed, "```", ""]
    out += [f"- today: `{what}` — {why}" for what, why in step.today]
    return out + [f"- {note}" for note in step.notes] + [""]


def _figures(measured: dict[str, object]) -> list[str]:
    out = ["| figure | measured |", "|---|---|"]
    out += [f"| {label} | {value} |" for label, value in figures.rows(measured)]
    timeline = ", ".join(f"{name} {t:g} s" for name, t in figures.phases(measured))
    return out + ([f"\nTimeline (after the fault): {timeline}"] if timeline else []) + [""]


def _scenario(sc: Scenario) -> list[str]:
    out = [f"#### {sc.name}", "", f"Last result: **{sc.result}** {sc.date}".rstrip(), ""]
    out += [line for step in sc.book for line in _book(step)]
    if sc.setup:
        out += ["Known state (how the scenario gets there; not the book's procedure):", ""]
        out += [line for st in sc.setup for line in _step(st)] + ["", "Procedure:", ""]
    out += [line for st in sc.procedure for line in _step(st)]
    out += [f"\n> The book's claim \"{v['claim']}\": **{v['verdict']}** ({v['evidence']})" for v in sc.claims]
    if sc.found:
        out += ["", "What the run noted:", *[f"- {name}: **{value}**" for name, value in sc.found]]
    for measured in sc.figures:
        out += ["", *_figures(measured)]
    return [*out, ""]


def _side_by_side(compared: stacks.SideBySide | None) -> list[str]:
    if compared is None:
        return []
    names = list(stacks.STACKS)
    out = [f"## {stacks.TITLE}", "", stacks.INTRO, "", f"| fault | {' | '.join(stacks.STACKS.values())} |",
           "|---|---|---|"]
    out += [f"| {row.fault} | {' | '.join(row.on[n].said() for n in names)} |" for row in compared.faults]
    out += [f"\nMeasured on {stacks.STACKS[n]} only: {', '.join(faults)}" for n, faults in
            compared.one_stack_only.items() if faults]
    out += ["", f"| the book's claim | {' | '.join(stacks.STACKS.values())} |", "|---|---|---|"]
    out += [f"| \"{row.claim}\" | {' | '.join(row.said(n) for n in names)} |" for row in compared.claims]
    return [*out, ""]


def to_markdown(chapters: list[Chapter], site: str = "") -> str:
    out = [f"# {TITLE}", "", *([f"Ran on: {site}", ""] if site else [])]
    for ch in chapters:
        out += [f"## {ch.title}", ""]
        for feat in ch.features:
            out += [f"### {feat.name}", "", f"`{feat.path}`", "", feat.description, ""]
            out += [line for sc in feat.scenarios for line in _scenario(sc)]
    return "\n".join(out + _side_by_side(stacks.compare(chapters)))
