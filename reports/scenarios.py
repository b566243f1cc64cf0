"""The report's "Scenarios" section: fan charts of the turnout forecast per region and for the country, the
backtest of the candidate models beside the naive baseline, the panel effects of themes, the scenario table
and the caveats."""

from __future__ import annotations

import html
import json

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

NATIONAL = "KZ"
BANDS = (("lo95", "hi95", "rgba(42,157,143,0.18)", "95%"), ("lo80", "hi80", "rgba(42,157,143,0.38)", "80%"))


def _fan(fig: go.Figure, history: pd.DataFrame, forecast: pd.Series, row: int, col: int, legend: bool) -> None:
    """History of the kind's votes as a line, then the forecast as nested bands one step beyond the last vote."""
    history = history.sort_values("vote_date")
    x_next = "next"
    xs = [str(d)[:4] + " " + k[:4] for d, k in zip(history["vote_date"], history["kind"])] + [x_next]
    fig.add_trace(go.Scatter(x=xs[:-1], y=history["turnout"], mode="lines+markers", line={"color": "#555"},
                             name="turnout", showlegend=legend, legendgroup="turnout"), row=row, col=col)
    last_x, last_y = (xs[-2], float(history["turnout"].iloc[-1])) if not history.empty else (x_next, None)
    for lo, hi, color, label in BANDS:
        fig.add_trace(go.Scatter(x=[last_x, x_next, x_next, last_x], y=[last_y, forecast[lo], forecast[hi], last_y],
                                 fill="toself", fillcolor=color, line={"width": 0}, mode="lines", name=label,
                                 showlegend=legend, legendgroup=label, hoverinfo="skip"), row=row, col=col)
    fig.add_trace(go.Scatter(x=[x_next], y=[forecast["point"]], mode="markers", marker={"color": "#2a9d8f", "size": 8},
                             name="forecast", showlegend=legend, legendgroup="forecast",
                             hovertext=f"{forecast['point']:.1f} (80%: {forecast['lo80']:.1f}–"
                                       f"{forecast['hi80']:.1f}; 95%: {forecast['lo95']:.1f}–"
                                       f"{forecast['hi95']:.1f})"),
                  row=row, col=col)


def fan_charts(kind: str, forecasts: pd.DataFrame, panel: pd.DataFrame, names: dict[str, str]) -> list[go.Figure]:
    """One chart for the country, and a grid of small charts for the regions, of the chosen model's forecast."""
    chosen = forecasts[(forecasts["kind"] == kind) & (forecasts["role"] == "chosen")].set_index("region_code")
    if chosen.empty:
        return []
    model = chosen["model"].iloc[0]
    national = panel.groupby(["vote_id", "kind", "vote_date"], as_index=False)["turnout"].mean()
    figures = []
    country = make_subplots(rows=1, cols=1)
    _fan(country, national, chosen.loc[NATIONAL], 1, 1, True)
    figures.append(country.update_layout(title=f"Kazakhstan — next {kind} vote (model: {model}); history: mean of "
                                               "regions", height=340, yaxis_title="turnout, %"))
    regions = [r for r in chosen.index if r != NATIONAL]
    cols = 4
    grid = make_subplots(rows=-(-len(regions) // cols), cols=cols, shared_yaxes=True,
                         subplot_titles=[names.get(r, r) for r in regions], vertical_spacing=0.06)
    for i, region in enumerate(regions):
        _fan(grid, panel[panel["region_code"] == region], chosen.loc[region], i // cols + 1, i % cols + 1, i == 0)
    grid.update_annotations(font_size=11)
    figures.append(grid.update_layout(title=f"Regions — next {kind} vote, 80% and 95% prediction intervals",
                                      height=200 * (-(-len(regions) // cols)) + 80))
    return figures


def scenarios_section(page, tables: dict[str, pd.DataFrame]) -> None:
    """Add the section to a :class:`qatysu.reports.page.Page`."""
    from qatysu.reports.page import html_table as _table  # the report's one table style

    forecasts, backtest = tables["forecasts"], tables["forecast_backtest"]
    page.section("scenarios", "Scenarios")
    if forecasts.empty:
        page.add('<p class="muted">No forecast run: <code>qatysu forecast</code> makes one.</p>')
        return
    run = tables["forecast_run"].iloc[0]
    params = json.loads(run["params"])
    inputs = json.loads(run["inputs"] or "{}")
    outputs = json.loads(run["outputs"] or "{}")
    page.add(
        f"<p class='caveat'>{html.escape(params['caveat'])} Theme shares come from posts in the "
        f"{params['window_days']} days before each vote (Kazakhstan time, posts attributed to regions by source "
        f"or by a region named in the text; at least {params['min_posts']} posts per region and vote). Turnout "
        "before June 2022 is the figure of the old region, carried to each of its parts. National figures: "
        f"{html.escape(inputs.get('weighting', ''))}.</p>")
    names = dict(zip(tables["posts_by_region"]["region_code"], tables["posts_by_region"]["name_en"]))
    panel = tables["forecast_panel"]
    for kind in forecasts["kind"].unique():
        page.add(f"<h3>Next {html.escape(kind)} vote</h3>")
        for fig in fan_charts(kind, forecasts, panel[panel["kind"] == kind], names):
            page.figure(fig)
        page.add(_table(forecasts[forecasts["kind"] == kind].drop(columns=["kind"]), limit=50, floats=1))
    page.add("<h3>Backtest</h3><p>Each vote held out in turn and predicted from all the others. MAE in turnout "
             "points; coverage: the share of held-out region-votes inside each model's own interval (before the "
             "chosen model's intervals are widened to its backtest errors). <b>last_value</b> is the naive "
             "baseline.</p>")
    page.add(_table(backtest, limit=60, floats=2))
    page.add("<h3>Themes in the panel</h3><p>Turnout on a theme's share with region and vote fixed effects; 95% "
             "intervals and p from a wild cluster bootstrap (null imposed, Webb weights) by region on the pre-2022 "
             "map; q: Benjamini–Hochberg across the themes and measures of the run.</p>")
    effects = tables["panel_effects"]
    if effects.empty:
        page.add(f"<p class='muted'>{html.escape(str(outputs.get('panel_note', 'No panel model.')))}</p>")
    else:
        page.add(f"<p class='muted'>{html.escape(str(outputs.get('panel_note', '')))}.</p>")
        page.add(_table(effects.sort_values("p", na_position="last"), limit=30, floats=3))
    page.add("<h3>What-if scenarios</h3><p>Turnout change the panel coefficients imply (delta, with its 95% interval "
             "from the coefficient), and turnout under the scenario (point, with a 95% interval carrying the "
             "coefficient's and the forecast's uncertainty). Country rows: KZ.</p>")
    scen = tables["scenario_results"]
    page.add(_table(scen[scen["region_code"] == NATIONAL], limit=60, floats=2) if not scen.empty
             else '<p class="muted">No scenarios.</p>')


def scenarios_markdown(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The section in the Markdown summary: national forecasts, the backtest and the national scenarios."""
    lines = ["## Scenarios", ""]
    forecasts = tables["forecasts"]
    if forecasts.empty:
        return lines + ["No forecast run.", ""]
    caveat = json.loads(tables["forecast_run"]["params"].iloc[0])["caveat"]
    lines += [f"> {caveat}", "", "### National forecasts", "",
              forecasts[forecasts["region_code"] == NATIONAL].round(1).to_markdown(index=False), "",
              "### Backtest (leave one vote out; last_value is the naive baseline)", "",
              tables["forecast_backtest"].round(2).to_markdown(index=False), ""]
    scen = tables["scenario_results"]
    if not scen.empty:
        lines += ["### Scenarios, national", "", scen[scen["region_code"] == NATIONAL].drop(columns=["region_code"])
                  .round(2).to_markdown(index=False), ""]
    return lines
