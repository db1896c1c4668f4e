"""An input file found wrong in several places at once: every problem listed, each with its place."""

from __future__ import annotations


class ProblemsError(ValueError):
    """The message lists every problem as SOURCE: place: reason, one a line."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))
