"""The living runbook: the features as one document, chapter by book section, each step with the commands
it runs per node (from the last run, else from the plan), its last result and date, destructive steps marked.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

CHAPTERS = {
    "lab": "The embedded lab: the harness's own checks",
    "drbd": "7.2 DRBD: a disk replicated between two hosts",
    "heartbeat": "7.2 Heartbeat and MySQL: a failover pair on DRBD",
    "rhcs": "7.3 Red Hat Cluster Suite on shared iSCSI storage (today: Pacemaker)",
}
TITLE = "hadrill runbook: the HA chapter of the book, executable"
LINE_SUFFIX = re.compile(r" \(line \d+\)$")


@dataclass
class Command:
    node: str
    kind: str
    command: str
    exit_code: int | None = None    # None: planned, not run (or it did not finish)
    times: int = 1                  # run this many times in a row (a poll)


@dataclass
class Step:
    keyword: str
    text: str
    commands: list[Command]
    source: str                     # "last run" or "plan"
    result: str                     # passed, failed, broken, skipped, or "not run"
    note: str = ""
    planned_destructive: bool = False   # the plan has a destructive command in it

    @property
    def destructive(self) -> bool:
        return self.planned_destructive or any(c.kind == "destructive" for c in self.commands)


@dataclass
class Scenario:
    name: str
    result: str
    date: str
    steps: list[Step]
    claims: list[dict[str, str]] = field(default_factory=list)   # the book's claims judged, with verdicts


@dataclass
class Feature:
    path: str
    name: str
    description: str
    scenarios: list[Scenario] = field(default_factory=list)


@dataclass
class Chapter:
    area: str
    title: str
    features: list[Feature] = field(default_factory=list)


def load_transcript(path: Path) -> dict[tuple[str, str], list[Command]]:
    """The last run's commands by (scenario, "Keyword step text")."""
    by_step: dict[tuple[str, str], list[Command]] = {}
    if not path.exists():
        return by_step
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        scenario, sep, step = entry["section"].partition(" / ")
        if sep:
            key = (scenario, LINE_SUFFIX.sub("", step))
            by_step.setdefault(key, []).append(
                Command(entry["node"], entry.get("kind", "read"), entry["command"], entry["exit_code"]))
    return by_step


def collapsed(commands: list[Command]) -> list[Command]:
    """Runs of the same command on the same node (a poll) as one, with how many times it ran."""
    out: list[Command] = []
    for c in commands:
        last = out[-1] if out else None
        if last and (last.node, last.kind, last.command) == (c.node, c.kind, c.command):
            out[-1] = Command(c.node, c.kind, c.command, c.exit_code, last.times + 1)
        else:
            out.append(c)
    return out


def load_results(folder: Path) -> dict[str, dict[str, Any]]:
    """The latest Allure result of each scenario, by its name."""
    latest: dict[str, dict[str, Any]] = {}
    for file in folder.glob("*-result.json") if folder.is_dir() else []:
        result = json.loads(file.read_text())
        name = result.get("name", "")
        if name not in latest or result.get("stop", 0) > latest[name].get("stop", 0):
            latest[name] = result
    return latest


def _date(seconds: float | None) -> str:
    """A moment as the runbook shows it (UTC, to the minute); "" for none."""
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(seconds)) if seconds else ""


def _step(planned: dict[str, Any], scenario: str, ran: dict[tuple[str, str], list[Command]],
          statuses: dict[str, str]) -> Step:
    label = f"{planned['keyword']} {planned['text']}"
    result = statuses.get(label, "not run")
    destroys = any(c["kind"] == "destructive" for c in planned["commands"])
    if result != "not run":
        commands = collapsed(ran.get((scenario, label), []))
        return Step(planned["keyword"], planned["text"], commands, "last run", result,
                    planned_destructive=destroys)
    commands = [Command(c["node"], c["kind"], c["command"]) for c in planned["commands"]]
    return Step(planned["keyword"], planned["text"], commands, "plan", result, planned.get("stopped", ""),
                destroys)


def build(planned: list[dict[str, Any]], ran: dict[tuple[str, str], list[Command]],
          results: dict[str, dict[str, Any]], verdicts: list[dict[str, str]] | None = None) -> list[Chapter]:
    """The chapters, in the order the scenarios run, from the plan, the transcript, the results and the
    verdicts on the book's claims."""
    chapters: dict[str, Chapter] = {}
    for sc in planned:
        area = Path(sc["feature"]).parent.name
        chapter = chapters.setdefault(area, Chapter(area, CHAPTERS.get(area, area)))
        if not chapter.features or chapter.features[-1].path != sc["feature"]:
            chapter.features.append(Feature(sc["feature"], sc["feature_name"], sc.get("description", "")))
        result = results.get(sc["name"], {})
        statuses = {s["name"]: s.get("status", "") for s in result.get("steps", [])}
        steps = [_step(st, sc["name"], ran, statuses) for st in sc["steps"]]
        judged = [v for v in verdicts or [] if v.get("title") == sc["name"]]
        chapter.features[-1].scenarios.append(Scenario(
            sc["name"], result.get("status", "not run"), _date(result.get("stop", 0) / 1000), steps, judged))
    return list(chapters.values())


# -- Markdown ------------------------------------------------------------------------------------------
def _md_command(c: Command) -> str:
    mark = {"destructive": " **(destructive)**", "disruptive": " **(disruptive)**", "read": ""}.get(
        c.kind, " (change)")
    first, *more = c.command.splitlines()
    tail = f" … ({len(more) + 1} lines)" if more else ""
    times = f" ({c.times} times)" if c.times > 1 else ""
    return f"    - `{c.node}`{mark}: `{first}`{tail}{times}"


def to_markdown(chapters: list[Chapter]) -> str:
    out = [f"# {TITLE}", ""]
    for ch in chapters:
        out += [f"## {ch.title}", ""]
        for feat in ch.features:
            out += [f"### {feat.name}", "", f"`{feat.path}`", "", feat.description, ""]
            for sc in feat.scenarios:
                out += [f"#### {sc.name}", "", f"Last result: **{sc.result}** {sc.date}".rstrip(), ""]
                for st in sc.steps:
                    flag = " ⚠ destructive" if st.destructive else ""
                    out.append(f"1. **{st.keyword}** {st.text} — {st.result} ({st.source}){flag}")
                    out += [_md_command(c) for c in st.commands]
                    if st.note:
                        out.append(f"    - ({st.note})")
                out += [f"\n> The book's claim \"{v['claim']}\": **{v['verdict']}** ({v['evidence']})"
                        for v in sc.claims]
                out.append("")
    return "\n".join(out)


# -- HTML ----------------------------------------------------------------------------------------------
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
.cmd-destructive { border-left: 3px solid #c0392b; } .cmd-change { border-left: 3px solid #e0a030; }
.src { color: #777; font-size: .85em; }
.claim { margin: .6em 0; padding: .3em .6em; border-left: 4px solid #4a7bd0; background: #f0f4fb; }
.held { background: #d4f5d4; } .not-held { background: #f8e0b0; }
"""


def _html_command(c: Command) -> str:
    kind = "" if c.kind == "read" else f" ({c.kind})"
    code = "" if c.exit_code is None else f"  # exit {c.exit_code}"
    code += f" ({c.times} times)" if c.times > 1 else ""
    return (f'<pre class="cmd-{c.kind}">[{escape(c.node)}]{escape(kind)} $ '
            f"{escape(c.command)}{escape(code)}</pre>")


def _html_step(st: Step) -> str:
    cls = "step destructive-step" if st.destructive else "step"
    badge = ' <span class="badge">destructive</span>' if st.destructive else ""
    result = st.result.replace(" ", "-")
    head = (f'<div class="{cls}"><span class="kw">{escape(st.keyword)}</span> {escape(st.text)}{badge} '
            f'<span class="result {result}">{escape(st.result)}</span> '
            f'<span class="src">({escape(st.source)})</span>')
    note = f'<div class="src">({escape(st.note)})</div>' if st.note else ""
    return head + "".join(_html_command(c) for c in st.commands) + note + "</div>"


def _html_claim(verdict: dict[str, str]) -> str:
    result = verdict["verdict"].replace(" ", "-")
    return (f'<div class="claim">The book\'s claim &ldquo;{escape(verdict["claim"])}&rdquo;: '
            f'<span class="result {result}">{escape(verdict["verdict"])}</span> '
            f'<span class="src">({escape(verdict["evidence"])})</span></div>')


def to_html(chapters: list[Chapter], made: str) -> str:
    body = [f"<h1>{escape(TITLE)}</h1>", f'<p class="src">Made {escape(made)} from features/, the last '
            "run's transcript and results (reports/), and the plan where a step has not run.</p>"]
    body.append("<nav><ol>" + "".join(f'<li><a href="#{escape(ch.area)}">{escape(ch.title)}</a></li>'
                                     for ch in chapters) + "</ol></nav>")
    for ch in chapters:
        body.append(f'<h2 id="{escape(ch.area)}">{escape(ch.title)}</h2>')
        for feat in ch.features:
            body += [f"<h3>{escape(feat.name)}</h3>", f'<div class="path">{escape(feat.path)}</div>',
                     f'<p class="desc">{escape(feat.description)}</p>']
            for sc in feat.scenarios:
                result = sc.result.replace(" ", "-")
                body.append(f'<h4>{escape(sc.name)} <span class="result {result}">{escape(sc.result)}</span> '
                            f'<span class="src">{escape(sc.date)}</span></h4>')
                body += [_html_step(st) for st in sc.steps] + [_html_claim(v) for v in sc.claims]
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(TITLE)}</title>'
            f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def write(chapters: list[Chapter], out: Path) -> tuple[Path, Path]:
    """index.html and runbook.md in the folder out; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    html, md = out / "index.html", out / "runbook.md"
    html.write_text(to_html(chapters, _date(time.time())))
    md.write_text(to_markdown(chapters))
    return html, md
