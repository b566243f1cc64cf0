"""The HTML report: one self-contained file (plotly.js embedded once, no network) with the corpus, topics,
markers, links, maps and a methods section generated from the runs' parameters and provenance."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from qatysu.reports.maps import choropleth, tile_map
from qatysu.reports.scenarios import scenarios_section

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
"""


def _text(value) -> str:
    """Escaped text of a cell; empty for NULL (which pandas reads as NaN or None)."""
    return "" if value is None or (isinstance(value, float) and value != value) else html.escape(str(value))


def _table(df: pd.DataFrame, limit: int = 40, floats: int = 3) -> str:
    if df.empty:
        return '<p class="muted">None.</p>'
    shown = df.head(limit).copy()
    for c in shown.select_dtypes("float").columns:
        shown[c] = shown[c].round(floats)
    more = f'<p class="muted">{len(df) - limit} more rows in the XLSX and CSV files.</p>' if len(df) > limit else ""
    return shown.to_html(index=False, escape=True, na_rep="", border=0) + more


class Page:
    """Collects sections; figures share one embedded copy of plotly.js."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.figures = 0

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def figure(self, fig: go.Figure) -> None:
        self.figures += 1
        fig.update_layout(template="plotly_white", margin={"l": 40, "r": 20, "t": 50, "b": 40})
        self.parts.append(fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"figure-{self.figures}",
                                      config={"displaylogo": False, "responsive": True}))

    def render(self, title: str) -> str:
        return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
                f"<style>{STYLE}</style><script>{get_plotlyjs()}</script></head><body>"
                + "\n".join(self.parts) + "</body></html>")


def _corpus(page: Page, t: dict[str, pd.DataFrame]) -> None:
    total = int(t["posts_by_platform"]["posts"].sum()) if not t["posts_by_platform"].empty else 0
    page.add(f"<h2>Corpus</h2><p>{total:,} posts.</p>")
    if t["posts_by_month"].empty:
        return
    page.figure(px.line(t["posts_by_month"], x="month", y="posts", markers=True, title="Posts per month"))
    page.add('<div class="grid">')
    for name, col, title in (("posts_by_language", "lang", "By language"),
                             ("posts_by_source_kind", "source_kind", "By kind of source"),
                             ("posts_by_platform", "platform", "By platform")):
        page.figure(px.bar(t[name], x=col, y="posts", title=title))
    regions = t["posts_by_region"]
    page.figure(px.bar(regions, x="region_code", y="posts", hover_data=["name_en"], title="By region (any method)"))
    page.add("</div>")


def _maps(page: Page, t: dict[str, pd.DataFrame], boundaries: Path | None) -> None:
    regions = t["posts_by_region"]
    names = dict(zip(regions["region_code"], regions["name_en"]))
    posts = {c: float(n) for c, n in zip(regions["region_code"], regions["posts"]) if n}
    page.add("<h2>Map</h2><p>Posts attributed to each region (its source's region, or a region named in the text).</p>")
    page.figure(tile_map(posts, names, "Posts by region (tile map)", "posts"))
    links = t["theme_links"]
    strongest = links[links["boundary_version"] == "post-2022-06"].dropna(subset=["rho"]) if not links.empty else links
    if not strongest.empty:
        top = strongest.iloc[0]
        rates = t["region_theme_rates"]
        rates = rates[(rates["theme"] == top["theme"]) & (rates["boundary_version"] == "post-2022-06")]
        page.figure(tile_map(dict(zip(rates["region_code"], rates["rate"])), names,
                             f"Share of posts in {top['theme']} (the strongest link: {top['indicator']}, "
                             f"ρ = {top['rho']:.2f}, q = {top['q']:.3f})", "share"))
    if boundaries:
        page.figure(choropleth(boundaries, posts, names, "Posts by region (boundaries)", "posts"))


def _topics(page: Page, t: dict[str, pd.DataFrame]) -> None:
    page.add("<h2>Topics</h2>")
    if t["topics"].empty:
        page.add('<p class="muted">No topic model was fitted.</p>')
        return
    page.add(_table(t["topic_models"].drop(columns=["params"]), floats=3))
    for model_id, topics in t["topics"].groupby("model_id", sort=False):
        page.add(f"<h3>{html.escape(model_id)}</h3>" + _table(topics.drop(columns=["model_id"]), limit=60))
        monthly = t["topics_by_month"]
        monthly = monthly[(monthly["model_id"] == model_id) & (monthly["topic_id"] >= 0)]
        if not monthly.empty:
            page.figure(px.line(monthly, x="month", y="share", color="label", markers=True,
                                title=f"Topics over time — {model_id}"))
        regional = t["topics_by_region"]
        regional = regional[(regional["model_id"] == model_id) & (regional["topic_id"] >= 0)]
        if not regional.empty:
            grid = regional.pivot_table(index="label", columns="region_code", values="share", fill_value=0)
            page.figure(go.Figure(go.Heatmap(z=grid.values, x=list(grid.columns), y=list(grid.index),
                                             colorscale="Blues", colorbar={"title": "share"}))
                        .update_layout(title=f"Region × topic — {model_id}", height=120 + 28 * len(grid)))


def _markers(page: Page, t: dict[str, pd.DataFrame], q_level: float) -> None:
    page.add("<h2>Marker words</h2><p>Weighted log-odds with an informative Dirichlet prior, high- vs "
             "low-engagement posts (terciles of engagement relative to each source's own level). z &gt; 0 goes with "
             f"higher engagement; a finding needs q ≤ {q_level}.</p>")
    m = t["markers"]
    if m.empty:
        page.add('<p class="muted">No marker run.</p>')
        return
    for unit, label in (("term", "Words and phrases"), ("category", "Lexicon categories"), ("topic", "Topics")):
        part = m[(m["scope"] == "all") & (m["unit"] == unit)]
        if part.empty:
            continue
        shown = pd.concat([part.nlargest(15, "z"), part.nsmallest(15, "z")]).drop_duplicates("term").sort_values("z")
        fig = px.bar(shown, x="z", y="term", orientation="h", color="engagement",
                     color_discrete_map={"raises": "#2a9d8f", "lowers": "#e76f51", "no evidence": "#b0b0b0"},
                     hover_data=["count_high", "count_low", "q"], title=f"{label} (scope: all)")
        page.figure(fig.update_layout(height=160 + 22 * len(shown)))
        page.add(_table(shown.sort_values("z", ascending=False)[
            ["term", "lang", "z", "delta", "q", "count_high", "count_low", "engagement"]]))


def _links(page: Page, t: dict[str, pd.DataFrame]) -> None:
    page.add(f"<h2>Themes and regional participation</h2><p class='caveat'>{CAVEAT} Spearman ρ with a permutation "
             "p-value, a 95% bootstrap interval and Benjamini–Hochberg q across every theme × indicator test.</p>")
    links = t["theme_links"].dropna(subset=["rho"])
    if links.empty:
        page.add('<p class="muted">No link run.</p>')
        return
    top = links.head(20).iloc[::-1]
    fig = go.Figure(go.Scatter(
        x=top["rho"], y=top["theme"] + " ~ " + top["indicator"], mode="markers",
        error_x={"type": "data", "symmetric": False, "array": top["ci_high"] - top["rho"],
                 "arrayminus": top["rho"] - top["ci_low"]},
        marker={"color": ["#2a9d8f" if d == "raises" else "#e76f51" if d == "lowers" else "#888"
                          for d in top["direction"]], "size": 9},
        hovertext=[f"n = {n} regions, q = {q:.3f}" for n, q in zip(top["n_regions"], top["q"])]))
    fig.add_vline(x=0, line_color="#999")
    page.figure(fig.update_layout(title="Strongest links (ρ with 95% bootstrap interval)", height=160 + 26 * len(top),
                                  xaxis={"range": [-1, 1], "title": "Spearman ρ"}))
    page.add(_table(links, limit=30))


def _methods(page: Page, t: dict[str, pd.DataFrame]) -> None:
    page.add("<h2>Methods and provenance</h2>")
    items = []
    for _, r in t["topic_models"].iterrows():
        params = json.loads(r["params"])
        items.append(f"<li>Topic model <b>{html.escape(r['model_id'])}</b>: {r['method']} on {r['n_docs']:,} "
                     f"{r['lang']} posts, {r['n_terms']:,} terms, K = {r['k']}; C_v {r['coherence_cv']:.3f}; "
                     f"{'deterministic' if r['deterministic'] else 'not deterministic'}; parameters "
                     f"<code>{html.escape(json.dumps(params, ensure_ascii=False))}</code></li>")
    for _, r in t["runs"].iterrows():
        items.append(f"<li>Run <b>{html.escape(r['run_id'])}</b> ({r['step']}, {r['status']}, {r['started_at']}): "
                     f"parameters <code>{_text(r['params'])}</code>; inputs <code>{_text(r['inputs'])}</code>; "
                     f"outputs <code>{_text(r['outputs'])}</code></li>")
    page.add("<ul>" + "".join(items) + "</ul>")
    versions = t["runs"]["versions"].dropna()
    if not versions.empty:
        page.add(f"<p class='muted'>Software: {_text(versions.iloc[-1])}</p>")
    page.add("<p class='muted'>Engagement: interactions (reactions + comments + forwards) per view, smoothed "
             "((interactions + 0.5) / (views + 1)), divided by the rolling median of the post's source (51 posts); "
             "posts without counters are left out. Marker scores: Monroe, Colaresi &amp; Quinn (2008), presence "
             "counts, natural logarithms, α from the scope's own counts scaled to the prior size.</p>")


def write_html(path: Path, tables: dict[str, pd.DataFrame], *, demo: dict | None, boundaries: Path | None,
               q_level: float, title: str = "Qatysu report") -> int:
    """Write the report; returns the number of charts in it."""
    from qatysu.reports.petitions import petitions_section  # its own module, which builds on this one

    page = Page()
    page.add(f"<h1>{html.escape(title)}</h1><p class='muted'>Marker words and themes of political participation "
             "in Kazakhstan's public posts, region by region.</p>")
    if demo:
        planted = "".join(f"<li>{html.escape(line)}</li>" for line in demo.get("planted", []))
        page.add(f"<div class='banner'><b>Synthetic corpus.</b> {html.escape(demo.get('summary', ''))} Planted "
                 f"effects, which the methods below should find (and nothing else):<ul>{planted}</ul></div>")
    page.add(f"<p class='caveat'>{CAVEAT}</p>")
    _corpus(page, tables)
    _maps(page, tables, boundaries)
    _topics(page, tables)
    _markers(page, tables, q_level)
    _links(page, tables)
    scenarios_section(page, tables)
    petitions_section(page, tables, q_level)
    _methods(page, tables)
    path.write_text(page.render(title), encoding="utf-8")
    return page.figures
