"""The HTML report's page: sections with a table of contents built from them, figures sharing one embedded copy
of plotly.js (the file opens offline), and the helpers sections use for tables and text.

A section is a function ``section(page, tables)``: it opens itself with :meth:`Page.section`, which gives it an
anchor and its line in the table of contents, and adds markup and figures. ``page.context`` carries what is
not a table (the demo's description, the boundary file and its attribution, topic models' own figures).
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

CAVEAT = ("Links are associations across at most 20 regions (17 on the pre-2022 map) — a small sample — "
          "and not causation: a region's posts are not its voters.")

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}
h1{margin-bottom:.2em} h2{border-bottom:2px solid #e4e4e4;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.88em;margin:.8em 0;width:100%} td,th{border:1px solid #ddd;padding:4px 6px;
vertical-align:top} th{background:#f4f4f4;text-align:left}
.banner{background:#fff4d6;border:1px solid #e9c46a;padding:.8em 1em;border-radius:6px}
.caveat{background:#eef4fb;border-left:4px solid #4a7fb5;padding:.6em 1em} .muted{color:#777;font-size:.9em}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.toc{background:#f7f7f7;border:1px solid #e4e4e4;border-radius:6px;padding:.5em 1.2em;margin:1em 0}
.toc ol{columns:2;margin:.3em 0} .attribution{color:#555;font-size:.85em;margin-top:-.4em}
.partial{color:#8a5a00}
"""


def cell_text(value) -> str:
    """Escaped text of a cell; empty for NULL (which pandas reads as NaN or None)."""
    return "" if value is None or (isinstance(value, float) and value != value) else html.escape(str(value))


def html_table(df: pd.DataFrame, limit: int = 40, floats: int = 3) -> str:
    """The first ``limit`` rows as an HTML table, floats rounded; the rest are in the XLSX and CSV files."""
    if df.empty:
        return '<p class="muted">None.</p>'
    shown = df.head(limit).copy()
    for c in shown.select_dtypes("float").columns:
        shown[c] = shown[c].round(floats)
    more = f'<p class="muted">{len(df) - limit} more rows in the XLSX and CSV files.</p>' if len(df) > limit else ""
    return shown.to_html(index=False, escape=True, na_rep="", border=0) + more


class Page:
    """Collects sections; figures share one embedded copy of plotly.js."""

    def __init__(self, context: dict[str, Any] | None = None) -> None:
        self.parts: list[str] = []
        self.figures = 0
        self.sections: list[tuple[str, str, int]] = []  # (anchor, title, index of its heading in parts)
        self.context = context or {}

    def section(self, anchor: str, title: str) -> None:
        """Open a section: its heading, with an anchor the table of contents links to."""
        self.sections.append((anchor, title, len(self.parts)))
        self.parts.append(f'<h2 id="{html.escape(anchor)}">{html.escape(title)}</h2>')

    def contents(self) -> str:
        items = "".join(f'<li><a href="#{html.escape(a)}">{html.escape(t)}</a></li>' for a, t, _ in self.sections)
        return f'<nav class="toc"><b>Contents</b><ol>{items}</ol></nav>'

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def figure(self, fig: go.Figure) -> None:
        self.figures += 1
        fig.update_layout(template="plotly_white", margin={"l": 40, "r": 20, "t": 50, "b": 40})
        self.parts.append(fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"figure-{self.figures}",
                                      config={"displaylogo": False, "responsive": True}))

    def render(self, title: str) -> str:
        """The page, the table of contents placed before the first section."""
        first = self.sections[0][2] if self.sections else len(self.parts)
        parts = [*self.parts[:first], self.contents(), *self.parts[first:]]
        return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
                f"<style>{STYLE}</style><script>{get_plotlyjs()}</script></head><body>"
                + "\n".join(parts) + "</body></html>")


