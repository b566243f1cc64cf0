"""The HTML report: one self-contained file (plotly.js embedded once, no network) with the corpus, topics,
markers, links, maps and a methods section generated from the runs' parameters and provenance.

Each section is a function of :data:`SECTIONS` (or its own module, as :mod:`qatysu.reports.topic_sections`);
the table of contents is built from the sections the page holds. Topics are named by their labels everywhere,
never by bare ids.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from qatysu.reports.maps import choropleth, tile_map
from qatysu.reports.page import CAVEAT, Page, cell_text, html_table
from qatysu.reports.petitions import petitions_section
from qatysu.reports.scenarios import scenarios_section
from qatysu.reports.topic_sections import Views, topic_effects_section, topic_views_section, topics_in_time_section

DIRECTION_COLOURS = {"higher": "#2a9d8f", "lower": "#e76f51", "positive": "#2a9d8f", "negative": "#e76f51",
                     "no evidence": "#b0b0b0"}


def _corpus(page: Page, t: dict[str, pd.DataFrame]) -> None:
    total = int(t["posts_by_platform"]["posts"].sum()) if not t["posts_by_platform"].empty else 0
    page.section("corpus", "Corpus")
    page.add(f"<p>{total:,} posts.</p>")
    monthly = t["posts_by_month"]
    if monthly.empty:
        return
    partial = monthly[monthly["partial"]]
    fig = px.bar(monthly.assign(coverage=monthly["partial"].map({True: "partial month", False: "whole month"})),
                 x="month", y="posts", color="coverage", title="Posts per month",
                 color_discrete_map={"whole month": "#4a7fb5", "partial month": "#e9c46a"},
                 hover_data=["first_day", "last_day"])
    page.figure(fig.update_yaxes(rangemode="tozero"))
    if not partial.empty:
        spans = "; ".join(f"{r.month:%B %Y} only from {r.first_day:%d %b} to {r.last_day:%d %b}"
                          for r in partial.itertuples())
        page.add(f"<p class='muted partial'>Partial months (the collection covers only part of them, so their "
                 f"counts are not comparable): {html.escape(spans)}.</p>")
    page.add('<div class="grid">')
    for name, col, title in (("posts_by_language", "lang", "By language"),
                             ("posts_by_source_kind", "source_kind", "By kind of source"),
                             ("posts_by_platform", "platform", "By platform")):
        page.figure(px.bar(t[name], x=col, y="posts", title=title).update_yaxes(rangemode="tozero"))
    regions = t["posts_by_region"]
    page.figure(px.bar(regions, x="region_code", y="posts", hover_data=["name_en"], title="By region (any method)")
                .update_yaxes(rangemode="tozero"))
    page.add("</div>")


def _sources(page: Page, t: dict[str, pd.DataFrame]) -> None:
    sources = t["posts_by_source"]
    page.section("sources", "Posts per source")
    if sources.empty:
        page.add('<p class="muted">No posts.</p>')
        return
    top = sources.head(25).iloc[::-1]
    page.add(f"<p>{len(sources):,} sources; the largest holds {sources['share'].iloc[0]:.0%} of the posts, the five "
             f"largest {sources['share'].head(5).sum():.0%}. Findings that rest on a few large sources say more "
             "about them than about the public.</p>")
    fig = px.bar(top, x="posts", y="source_id", orientation="h", hover_data=["title", "kind", "region_code"],
                 title=f"Posts per source (the {len(top)} largest)")
    page.figure(fig.update_xaxes(rangemode="tozero").update_layout(height=160 + 22 * len(top)))
    page.add(html_table(sources, limit=25))


def _maps(page: Page, t: dict[str, pd.DataFrame]) -> None:
    regions = t["posts_by_region"]
    names = dict(zip(regions["region_code"], regions["name_en"]))
    posts = {c: float(n) for c, n in zip(regions["region_code"], regions["posts"]) if n}
    page.section("map", "Map")
    page.add("<p>Posts attributed to each region (its source's region, or a region named in the text).</p>")
    page.figure(tile_map(posts, names, "Posts by region (tile map)", "posts"))
    links = t["theme_links"]
    strongest = links[links["boundary_version"] == "post-2022-06"].dropna(subset=["rho"]) if not links.empty else links
    if not strongest.empty:
        top = strongest.iloc[0]
        rates = t["region_theme_rates"]
        rates = rates[(rates["theme"] == top["theme"]) & (rates["boundary_version"] == "post-2022-06")]
        page.figure(tile_map(dict(zip(rates["region_code"], rates["rate"])), names,
                             f"Share of posts in {top['theme_label']}<br>(the strongest link: {top['indicator']}, "
                             f"ρ = {top['rho']:.2f}, q = {top['q']:.3f})", "share"))
    boundaries = page.context.get("boundaries")
    if boundaries:
        page.figure(choropleth(boundaries, posts, names, "Posts by region (boundaries)", "posts"))
        attribution = page.context.get("attribution")
        page.add(f"<p class='attribution'>{html.escape(attribution)}</p>" if attribution else
                 "<p class='attribution'>Boundaries: the licence of this boundary file may require an attribution: "
                 "give it with --boundaries-attribution.</p>")


def _topics(page: Page, t: dict[str, pd.DataFrame]) -> None:
    page.section("topics", "Topics")
    left_out = t["models_left_out"]
    if t["topics"].empty:
        page.add('<p class="muted">No topic model was fitted.</p>')
        return
    page.add(html_table(t["topic_models"].drop(columns=["params"]), floats=3))
    if not left_out.empty:
        reasons = "; ".join(f"{r.model_id} ({r.reason})" for r in left_out.itertuples())
        page.add(f"<p class='muted'>Not in this report: {len(left_out)} fitted model(s): {html.escape(reasons)}. "
                 "`qatysu report --model ID` reports one of them.</p>")
    for model_id, topics in t["topics"].groupby("model_id", sort=False):
        page.add(f"<h3>{html.escape(model_id)}</h3>" + html_table(topics.drop(columns=["model_id"]), limit=60))
        monthly = t["topics_by_month"]
        monthly = monthly[(monthly["model_id"] == model_id) & (monthly["topic_id"] >= 0)]
        if not monthly.empty:
            page.figure(px.line(monthly, x="month", y="share", color="label", markers=True,
                                title=f"Topics over time — {model_id}").update_yaxes(rangemode="tozero"))
        regional = t["topics_by_region"]
        regional = regional[(regional["model_id"] == model_id) & (regional["topic_id"] >= 0)]
        if not regional.empty:
            grid = regional.pivot_table(index="label", columns="region_code", values="share", fill_value=0)
            page.figure(go.Figure(go.Heatmap(z=grid.values, x=list(grid.columns), y=list(grid.index),
                                             colorscale="Blues", colorbar={"title": "share"}))
                        .update_layout(title=f"Region × topic — {model_id}", height=120 + 28 * len(grid),
                                       margin={"l": 320}))


def _markers(page: Page, t: dict[str, pd.DataFrame]) -> None:
    page.section("markers", "Marker words")
    page.add("<p>Two methods. <b>Per-post log-odds</b>: for each word, phrase, lexicon category "
             "and topic on its own, the posts that contain it vs those that do not among high- and low-engagement "
             "posts (terciles of engagement relative to each source's own level), weighted log-odds with an "
             "informative Dirichlet prior; z &gt; 0 goes with higher engagement. <b>Engagement model</b>: Poisson "
             "regression of each post's interactions on the strongest words and phrases and every category "
             "together, within sources (source fixed effects, log views as exposure, errors clustered by source); "
             "a ratio above 1 goes with higher engagement, the other candidates held fixed. A finding needs "
             f"q ≤ {page.context['q_level']}, with one Benjamini–Hochberg family per kind of unit across all scopes. "
             "Associations with engagement, not effects.</p>")
    m = t["markers"]
    if m.empty:
        page.add('<p class="muted">No marker run.</p>')
        return
    for _, g in t["marker_groups"].dropna(subset=["detectable_ratio"]).iterrows():
        page.add(f"<p class='muted'>Scope {html.escape(str(g['scope']))}: {g['posts_high']:,} high- and "
                 f"{g['posts_low']:,} low-engagement posts. Detectable effect: a word in {g['word_share']:.0%} of "
                 f"posts is found {g['power']:.0%} of the time when it is at least ×{g['detectable_ratio']:.2f} as "
                 f"common among high- as among low-engagement posts (BH threshold for one discovery among "
                 f"{g['term_family']:,} terms); <code>bench/power.py</code> gives recall by engagement effect.</p>")
    for unit, label in (("term", "Words"), ("phrase", "Phrases"), ("category", "Lexicon categories"),
                        ("topic", "Topics")):
        part = m[(m["scope"] == "all") & (m["unit"] == unit)]
        if part.empty:
            continue
        shown = pd.concat([part.nlargest(15, "z"), part.nsmallest(15, "z")]).drop_duplicates("term").sort_values("z")
        fig = px.bar(shown, x="z", y="label", orientation="h", color="engagement",
                     color_discrete_map=DIRECTION_COLOURS, hover_data=["count_high", "count_low", "q"],
                     title=f"{label}, per-post log-odds (scope: all)")
        page.figure(fig.update_layout(height=160 + 22 * len(shown)))
        page.add(html_table(shown.sort_values("z", ascending=False)[
            ["label", "lang", "z", "delta", "q", "count_high", "count_low", "engagement"]]))
    both = t["markers_compared"]
    if not both.empty:
        counts = both[both["agreement"] != "neither"].groupby("agreement").size()
        summary = "; ".join(f"{k}: {v}" for k, v in counts.items()) or "neither method found anything"
        page.add(f"<h3>Where the two methods agree</h3><p>Findings by method (all scopes): {html.escape(summary)}. "
                 "A word found by the log-odds only often travels with a true marker, which the model holds "
                 "fixed.</p>")
        page.add(html_table(both.round(4), limit=40))


def _links(page: Page, t: dict[str, pd.DataFrame]) -> None:
    page.section("links", "Themes and regional participation")
    page.add(f"<p class='caveat'>{CAVEAT} Each indicator is compared "
             "with theme rates from the posts of a window before its vote (or within its period), never with posts "
             "written after it. Spearman ρ across n regions with an adaptive permutation p-value, a 95% bootstrap "
             "interval and Benjamini–Hochberg q across every theme × indicator test of the run; direction is the "
             "sign of the association.</p>")
    skipped = t["links_not_tested"]
    if not skipped.empty:
        page.add("<h3>Indicators not tested</h3>")
        page.add(html_table(skipped, limit=60))
    links = t["theme_links"].dropna(subset=["rho"])
    if links.empty:
        page.add('<p class="muted">No link run, or no indicator with enough posts in its window.</p>')
        return
    top = links.head(20).iloc[::-1]
    fig = go.Figure(go.Scatter(
        x=top["rho"], y=top["theme_label"] + " ~ " + top["indicator"], mode="markers",
        error_x={"type": "data", "symmetric": False, "array": top["ci_high"] - top["rho"],
                 "arrayminus": top["rho"] - top["ci_low"]},
        marker={"color": [DIRECTION_COLOURS.get(d, "#888") for d in top["direction"]], "size": 9},
        hovertext=[f"n = {n} regions, window {a} – {b}, q = {q:.3f}"
                   for n, a, b, q in zip(top["n_regions"], top["window_start"], top["window_end"], top["q"])]))
    fig.add_vline(x=0, line_color="#999")
    page.figure(fig.update_layout(title="Strongest links (ρ with 95% bootstrap interval)", height=160 + 26 * len(top),
                                  xaxis={"range": [-1, 1], "title": "Spearman ρ"}, margin={"l": 420}))
    page.add(html_table(links.drop(columns=["theme"]), limit=30))


def _methods(page: Page, t: dict[str, pd.DataFrame]) -> None:
    page.section("methods", "Methods and provenance")
    items = []
    for _, r in t["topic_models"].iterrows():
        params = json.loads(r["params"])
        items.append(f"<li>Topic model <b>{html.escape(r['model_id'])}</b>: {r['method']} on {r['n_docs']:,} "
                     f"{r['lang']} posts, {r['n_terms']:,} terms, K = {r['k']}; C_v {r['coherence_cv']:.3f}; "
                     f"{'deterministic' if r['deterministic'] else 'not deterministic'}; parameters "
                     f"<code>{html.escape(json.dumps(params, ensure_ascii=False))}</code></li>")
    for _, r in t["runs"].iterrows():
        items.append(f"<li>Run <b>{html.escape(r['run_id'])}</b> ({r['step']}, {r['status']}, {r['started_at']}): "
                     f"parameters <code>{cell_text(r['params'])}</code>; inputs <code>{cell_text(r['inputs'])}</code>; "
                     f"outputs <code>{cell_text(r['outputs'])}</code></li>")
    page.add("<ul>" + "".join(items) + "</ul>")
    versions = t["runs"]["versions"].dropna()
    if not versions.empty:
        page.add(f"<p class='muted'>Software: {cell_text(versions.iloc[-1])}</p>")
    page.add("<p class='muted'>Engagement: interactions (reactions + comments + forwards) per view, smoothed "
             "((interactions + 0.5) / (views + 1)), divided by the rolling median of the post's source (51 posts); "
             "posts without counters are left out. Marker scores: Monroe, Colaresi &amp; Quinn (2008) on a per-post "
             "binomial (posts with vs without the unit), natural logarithms, the prior centred on the unit's share "
             "of the scope's posts and sized as a share of the groups; engagement model: pyfixest fepois with "
             "source fixed effects and source-clustered errors (docs/methods.md). Topic effects: "
             "Roberts, Stewart &amp; Tingley's method of composition (stm's estimateEffect).</p>")


def _petitions(page: Page, t: dict[str, pd.DataFrame]) -> None:
    petitions_section(page, t, page.context["q_level"])


Section = Callable[[Page, dict[str, pd.DataFrame]], None]
SECTIONS: list[Section] = [_corpus, _sources, _maps, _topics, topics_in_time_section, topic_views_section,
                           topic_effects_section, _markers, _links, scenarios_section, _petitions,
                           _methods]


def write_html(path: Path, tables: dict[str, pd.DataFrame], *, demo: dict | None, boundaries: Path | None,
               q_level: float, attribution: str | None = None, views: Views | None = None,
               title: str = "Qatysu report") -> int:
    """Write the report; returns the number of charts in it. Markers and links are findings at q ≤ ``q_level``."""
    page = Page({"demo": demo, "boundaries": boundaries, "attribution": attribution, "views": views or {},
                 "q_level": q_level})
    page.add(f"<h1>{html.escape(title)}</h1><p class='muted'>Marker words and themes of political participation "
             "in Kazakhstan's public posts, region by region.</p>")
    if demo:
        planted = "".join(f"<li>{html.escape(line)}</li>" for line in demo.get("planted", []))
        page.add(f"<div class='banner'><b>Synthetic corpus.</b> {html.escape(demo.get('summary', ''))} Planted "
                 f"effects, which the methods below should find (and nothing else):<ul>{planted}</ul></div>")
    page.add(f"<p class='caveat'>{CAVEAT}</p>")
    for section in SECTIONS:
        section(page, tables)
    path.write_text(page.render(title), encoding="utf-8")
    return page.figures
