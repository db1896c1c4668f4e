"""A fault scenario's phases as a small SVG timeline: seconds after the fault, one bar per phase."""

from __future__ import annotations

from html import escape

ROW = 22
LABEL_W = 150
PLOT_W = 420
PAD = 10


def svg(phases: dict[str, float], title: str = "seconds after the fault") -> str:
    """Bars from the fault (0 s) to each phase, earliest first, with the figure at the bar's end."""
    items = sorted(((name, float(t)) for name, t in phases.items() if t is not None), key=lambda i: i[1])
    end = max([t for _, t in items] + [1.0])
    height = PAD * 2 + ROW * (len(items) + 1)
    width = LABEL_W + PLOT_W + 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             f'<text x="{PAD}" y="{PAD + 12}" font-weight="bold">{escape(title)}</text>']
    for i, (name, t) in enumerate(items, start=1):
        y = PAD + ROW * i
        w = max(1.0, PLOT_W * t / end)
        parts += [f'<text x="{PAD}" y="{y + 14}">{escape(name)}</text>',
                  f'<rect x="{LABEL_W}" y="{y + 3}" width="{w:.1f}" height="{ROW - 8}" fill="#4a7bd0"/>',
                  f'<text x="{LABEL_W + w + 4:.1f}" y="{y + 14}">{t:g} s</text>']
    parts.append("</svg>")
    return "\n".join(parts)
