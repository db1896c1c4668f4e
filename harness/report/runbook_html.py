"""The living runbook as one HTML page (that also prints cleanly), and both files written."""

from __future__ import annotations

import time
from html import escape
from pathlib import Path
from typing import Any

from harness.report import figures, stacks, timeline
from harness.report.book_steps import BookStep
from harness.report.runbook import TITLE, Chapter, Command, Scenario, Step, date_of
from harness.report.runbook_md import to_markdown

SIDE_BY_SIDE = "side-by-side"
CSS = """
body { font-family: sans-serif; max-width: 70em; margin: 2em auto; color: #222; line-height: 1.4; }
h2 { border-bottom: 2px solid #4a7bd0; padding-bottom: .2em; margin-top: 2em; }
.path { color: #666; font-size: .9em; }
.desc { white-space: pre-wrap; color: #333; }
.result { padding: 0 .4em; border-radius: 3px; font-size: .85em; }
.passed { background: #d4f5d4; } .failed, .broken { background: #f8d0d0; }
.skipped, .not-run { background: #eee; }
.step { margin: .5em 0; } .kw { font-weight: bold; }
.destructive-step { border-left: 4px solid #c0392b; padding-left: .5em; }
.badge { color: #fff; background: #c0392b; border-radius: 3px; padding: 0 .3em; font-size: .8em; }
pre { background: #f6f6f6; padding: .3em .6em; margin: .2em 0 .2em 1.5em; overflow-x: auto; }
pre.out { background: #fff; border: 1px dashed #ccc; color: #444; margin-left: 3em; }
.cmd-destructive { border-left: 3px solid #c0392b; } .cmd-change { border-left: 3px solid #e0a030; }
.src { color: #777; font-size: .85em; }
.claim { margin: .6em 0; padding: .3em .6em; border-left: 4px solid #4a7bd0; background: #f0f4fb; }
.held { background: #d4f5d4; } .not-held { background: #f8e0b0; }
.book { margin: .6em 0; padding: .3em .8em; border: 1px solid #c9b98a; background: #fdf9ec; }
.book pre { background: #fffdf5; margin-left: 0; }
.known { margin: .5em 0; color: #555; } .known summary { cursor: pointer; }
table.figures { border-collapse: collapse; margin: .5em 0; }
table.figures td, table.figures th { border: 1px solid #ddd; padding: .15em .6em; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  nav, .src.made { display: none; }
  h2 { break-before: page; } h4, .book, .claim, table.figures, svg { break-inside: avoid; }
  pre { white-space: pre-wrap; overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"""


def _command(c: Command) -> str:
    kind = "" if c.kind == "read" else f" ({c.kind})"
    code = "" if c.exit_code is None else f"  # exit {c.exit_code}"
    code += f" ({c.times} times)" if c.times > 1 else ""
    out = f'<pre class="out">{escape(c.output)}</pre>' if c.output else ""
    return (f'<pre class="cmd-{c.kind}">[{escape(c.node)}]{escape(kind)} $ '
            f"{escape(c.command)}{escape(code)}</pre>{out}")


def _step(st: Step) -> str:
    cls = "step destructive-step" if st.destructive else "step"
    badge = ' <span class="badge">destructive</span>' if st.destructive else ""
    result = st.result.replace(" ", "-")
    head = (f'<div class="{cls}"><span class="kw">{escape(st.keyword)}</span> {escape(st.text)}{badge} '
            f'<span class="result {result}">{escape(st.result)}</span> '
            f'<span class="src">({escape(st.source)})</span>')
    note = f'<div class="src">({escape(st.note)})</div>' if st.note else ""
    return head + "".join(_command(c) for c in st.commands) + note + "</div>"


def _claim(verdict: dict[str, str]) -> str:
    result = verdict["verdict"].replace(" ", "-")
    return (f'<div class="claim">The book\'s claim &ldquo;{escape(verdict["claim"])}&rdquo;: '
            f'<span class="result {result}">{escape(verdict["verdict"])}</span> '
            f'<span class="src">({escape(verdict["evidence"])})</span></div>')


def _book(step: BookStep) -> str:
    printed = f"<pre>{escape(chr(10).join(step.printed))}</pre>" if step.printed else ""
    today = "".join(f"<li>today: <code>{escape(what)}</code>: {escape(why)}</li>" for what, why in step.today)
    notes = "".join(f"<li>{escape(note)}</li>" for note in step.notes)
    return (f'<div class="book"><b>The book, {escape(step.key)}</b>: {escape(step.title)}{printed}'
            f"<ul>{today}{notes}</ul></div>")


def _figures(measured: dict[str, Any]) -> str:
    rows = "".join(f"<tr><td>{escape(label)}</td><td>{escape(value)}</td></tr>"
                   for label, value in figures.rows(measured))
    phases = dict(figures.phases(measured))
    return f'<table class="figures">{rows}</table>' + (timeline.svg(phases) if phases else "")


def _known_state(steps: list[Step]) -> str:
    if not steps:
        return ""
    return (f'<details class="known"><summary>Known state: {len(steps)} step(s) that bring the nodes to '
            "where the procedure starts (the harness's set-up, not the book's procedure)</summary>"
            + "".join(_step(st) for st in steps) + "</details>")


def _scenario(sc: Scenario) -> str:
    result = sc.result.replace(" ", "-")
    head = (f'<h4>{escape(sc.name)} <span class="result {result}">{escape(sc.result)}</span> '
            f'<span class="src">{escape(sc.date)}</span></h4>')
    return "\n".join([head, *map(_book, sc.book), _known_state(sc.setup), *map(_step, sc.procedure),
                      *map(_claim, sc.claims), _found(sc.found), *map(_figures, sc.figures)])


def _found(found: list[tuple[str, str]]) -> str:
    items = "".join(f"<li>{escape(name)}: <b>{escape(value)}</b></li>" for name, value in found)
    return f'<div class="found">What the run noted:<ul>{items}</ul></div>' if found else ""


def _row(cells: list[str], tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{escape(cell)}</{tag}>" for cell in cells) + "</tr>"


def _side_by_side(compared: stacks.SideBySide) -> list[str]:
    names, heads = list(stacks.STACKS), list(stacks.STACKS.values())
    faults = [_row(["fault", *heads], "th")] + [_row([r.fault, *(r.on[n].said() for n in names)])
                                                 for r in compared.faults]
    claims = [_row(["the book's claim", *heads], "th")] + [_row([f"“{r.claim}”", *(r.said(n) for n in names)])
                                                           for r in compared.claims]
    alone = [f'<p class="src">Measured on {escape(stacks.STACKS[n])} only: {escape(", ".join(f))}</p>'
             for n, f in compared.one_stack_only.items() if f]
    return [f'<h2 id="{SIDE_BY_SIDE}">{escape(stacks.TITLE)}</h2>', f"<p>{escape(stacks.INTRO)}</p>",
            f'<table class="figures side">{"".join(faults)}</table>', *alone,
            f'<table class="figures side">{"".join(claims)}</table>']


def _nav(chapters: list[Chapter], compared: stacks.SideBySide | None) -> str:
    links = [(ch.area, ch.title) for ch in chapters] + ([(SIDE_BY_SIDE, stacks.TITLE)] if compared else [])
    return "<nav><ol>" + "".join(f'<li><a href="#{escape(a)}">{escape(t)}</a></li>' for a, t in links) + \
        "</ol></nav>"


def to_html(chapters: list[Chapter], made: str, site: str = "") -> str:
    body = [f"<h1>{escape(TITLE)}</h1>", f'<p class="src made">Made {escape(made)} from features/, the last '
            "run's transcript, results and figures (reports/), and the plan where a step has not run.</p>"]
    body += [f'<p class="site">Ran on: {escape(site)}</p>'] if site else []
    compared = stacks.compare(chapters)
    body.append(_nav(chapters, compared))
    for ch in chapters:
        body.append(f'<h2 id="{escape(ch.area)}">{escape(ch.title)}</h2>')
        for feat in ch.features:
            body += [f"<h3>{escape(feat.name)}</h3>", f'<div class="path">{escape(feat.path)}</div>',
                     f'<p class="desc">{escape(feat.description)}</p>', *map(_scenario, feat.scenarios)]
    body += _side_by_side(compared) if compared else []
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(TITLE)}</title>'
            f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def write(chapters: list[Chapter], out: Path, site: str = "") -> tuple[Path, Path]:
    """index.html and runbook.md in the folder out; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    html, md = out / "index.html", out / "runbook.md"
    html.write_text(to_html(chapters, date_of(time.time()), site))
    md.write_text(to_markdown(chapters, site))
    return html, md
