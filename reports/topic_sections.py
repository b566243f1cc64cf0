"""Report sections on topics beyond their list: words of each topic month by month and shares by region × month,
the topic models' own views (BERTopic's intertopic distance map, hierarchy and term bars, handed in by the
caller, who loads the models), and topic effects as coefficient plots."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from qatysu.reports.page import Page, html_table

Views = dict[str, list[go.Figure | str]]  # model id → its own figures, or a note on a view that could not be drawn
MAX_POINTS = 120  # estimates in one coefficient plot; beyond, only those whose interval leaves out 0


def topics_in_time_section(page: Page, t: dict[str, pd.DataFrame]) -> None:
    words, cells = t["topic_words_by_month"], t["topics_by_region_month"]
    if words.empty and cells.empty:
        return
    page.section("topics-in-time", "Topics month by month and by region")
    page.add("<p>Each topic's own words month by month (c-TF-IDF over the posts whose main topic it is, as "
             "BERTopic's topics over time), and its share of posts by region and month. Months and regions with "
             "few posts are noisy: the tables give the posts behind every cell.</p>")
    for model_id, part in words.groupby("model_id", sort=False):
        grid = part.pivot_table(index="label", columns="month", values="words", aggfunc="first")
        grid.columns = [f"{m:%Y-%m}" for m in grid.columns]
        page.add(f"<h3>{html.escape(model_id)}: words of each topic by month</h3>"
                 + html_table(grid.reset_index().fillna(""), limit=40))
    for model_id, part in cells.groupby("model_id", sort=False):
        top = part.groupby("label")["posts"].sum().idxmax()  # the topic over most posts, as an example
        one = part[part["label"] == top]
        grid = one.pivot_table(index="region_code", columns="month", values="share")
        page.figure(go.Figure(go.Heatmap(
            z=grid.values, x=[f"{m:%Y-%m}" for m in grid.columns], y=list(grid.index), colorscale="Blues",
            colorbar={"title": "share"}, hoverongaps=False))
            .update_layout(title=f"Share of “{top}” by region and month — {model_id}", height=160 + 22 * len(grid)))
        page.add("<p class='muted'>Every topic's region × month shares: sheet topics_by_region_month.</p>")


def topic_views_section(page: Page, t: dict[str, pd.DataFrame]) -> None:
    views: Views = page.context.get("views") or {}
    if not any(views.values()):
        return
    page.section("topic-views", "Topic models' own views")
    page.add("<p>BERTopic's intertopic distance map, topic hierarchy and term bar charts, drawn offline with the "
             "page's own plotly.</p>")
    for model_id, figures in views.items():
        page.add(f"<h3>{html.escape(model_id)}</h3>")
        for figure in figures:
            if isinstance(figure, str):
                page.add(f"<p class='muted'>{html.escape(figure)}</p>")
            else:
                page.figure(figure)


def topic_effects_section(page: Page, t: dict[str, pd.DataFrame]) -> None:
    effects = t["topic_effects"]
    if effects.empty:
        return
    page.section("topic-effects", "Topic effects")
    page.add("<p>How each topic's share of a post differs between levels of a covariate and its reference level, "
             "the other covariates held fixed (a linear model per draw of the posts' topic proportions, pooled as "
             "in STM's estimateEffect). 95% intervals carry the uncertainty of the topic proportions. Differences "
             "in share, on the 0–1 scale; associations, not effects.</p>")
    for model_id, part in effects.groupby("model_id", sort=False):
        intercept = part[part["covariate"] == "(intercept)"]
        reference = intercept["level"].iloc[0] if not intercept.empty else ""
        page.add(f"<h3>{html.escape(model_id)}</h3><p class='muted'>Reference levels: {html.escape(reference)}; "
                 f"{int(part['n_docs'].iloc[0]):,} posts, {int(part['draws'].iloc[0])} draws "
                 f"(run {html.escape(part['run_id'].iloc[0])}).</p>")
        for covariate, rows in part[part["covariate"] != "(intercept)"].groupby("covariate", sort=False):
            page.figure(_coefficients(rows, f"{covariate} — {model_id}"))


def _coefficients(rows: pd.DataFrame, title: str) -> go.Figure:
    """Estimates with their intervals, one row per topic × level, coloured by whether the interval leaves out 0."""
    shown = rows
    note = ""
    if len(rows) > MAX_POINTS:
        shown = rows[(rows["ci_low"] > 0) | (rows["ci_high"] < 0)]
        note = f" (the {len(shown)} of {len(rows)} estimates whose interval leaves out 0)"
    shown = shown.sort_values(["label", "level"], ascending=False)
    clear = (shown["ci_low"] > 0) | (shown["ci_high"] < 0)
    fig = go.Figure(go.Scatter(
        x=shown["estimate"], y=shown["label"].str.slice(0, 48) + " | " + shown["level"].astype(str), mode="markers",
        error_x={"type": "data", "symmetric": False, "array": shown["ci_high"] - shown["estimate"],
                 "arrayminus": shown["estimate"] - shown["ci_low"]},
        marker={"color": ["#2a6fb5" if c else "#b0b0b0" for c in clear], "size": 8},
        hovertext=[f"{r.label}<br>{r.covariate} = {r.level}: {r.estimate:+.3f} [{r.ci_low:+.3f}, {r.ci_high:+.3f}]"
                   for r in shown.itertuples()], hoverinfo="text"))
    fig.add_vline(x=0, line_color="#999")
    return fig.update_layout(title=f"Difference in topic share by {title}{note}", height=160 + 20 * len(shown),
                             xaxis={"title": "difference in share (95% interval)"}, margin={"l": 420})
