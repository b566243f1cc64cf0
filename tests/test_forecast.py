"""The region × vote panel, the panel model's intervals on simulated panels, the backtest on the real turnout data,
scenario arithmetic, and the ``qatysu forecast`` command, on real warehouse files."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from qatysu.flows.config import ForecastConfig
from qatysu.flows.forecast import forecast_step
from qatysu.models.forecast import Prediction, backtest, national
from qatysu.models.panel import fit_effect
from qatysu.models.scenarios import Baseline, Change, Coefficient, Scenario, apply
from qatysu.synthetic.corpus import PlantedEffects, generate
from qatysu.synthetic.demo import DEMO_PANEL_THEME, vote_windows
from qatysu.warehouse import Warehouse, init_warehouse, upsert_posts, upsert_sources
from qatysu.warehouse.forecast_store import turnout_panel
from qatysu.warehouse.reference import reference_dir

from helpers import REGIONS, invoke, load_synthetic

FAST = ForecastConfig(reps=199)


def simulated_panel(rng: np.random.Generator, beta: float) -> pd.DataFrame:
    """20 regions × 7 votes like the real panel: shares confounded with the region effect, skewed; errors with
    heavy tails and a spread of their own per region; a sixth of the region-votes missing (no posts); the three
    regions split in 2022 share a cluster with their parent."""
    regions, votes = [f"R{i:02d}" for i in range(20)], [f"V{j}" for j in range(7)]
    cluster = {r: (regions[i - 17] if i >= 17 else r) for i, r in enumerate(regions)}
    rows = []
    alpha, gamma, spread = rng.normal(0, 6, 20), rng.normal(0, 5, 7), rng.uniform(1, 4, 20)
    for i, r in enumerate(regions):
        for j, v in enumerate(votes):
            share = max(0.0, 10 + 0.8 * alpha[i] + rng.gamma(2, 2))
            y = 60 + alpha[i] + gamma[j] + beta * share + spread[i] * rng.standard_t(5)
            rows.append((r, v, cluster[r], share, y))
    frame = pd.DataFrame(rows, columns=["region", "vote", "cluster", "share", "turnout"])
    return frame[rng.random(len(frame)) > 1 / 6]


def test_panel_interval_covers_the_true_effect_and_the_null_is_rejected_at_the_nominal_rate():
    # 200 panels of each (the issue asks for 100): at a true coverage of 95 % a run of 100 falls below 90 in about
    # one seed of a hundred, while 180 of 200 leaves room for the Monte Carlo noise without hiding a real shortfall
    rng = np.random.default_rng(19)
    covered = rejected = 0
    panels = 200
    for i in range(panels):
        for beta in (0.5, 0.0):
            d = simulated_panel(rng, beta)
            effect = fit_effect(d["turnout"].to_numpy(), d["share"].to_numpy(), d["region"].tolist(),
                                d["vote"].tolist(), d["cluster"].tolist(), reps=199, seed=i)
            assert effect.clusters == 17 and effect.n == len(d)
            if beta:
                covered += effect.ci_low <= beta <= effect.ci_high
            else:
                rejected += effect.p < 0.05
    assert covered >= 0.9 * panels, covered
    # 5 % nominal: 200 null panels reject more than 18 times with probability under 0.01
    assert rejected <= 18, rejected


def _reference_turnout() -> pd.DataFrame:
    """Turnout of the three referendums on the 20-unit map, read straight from the shipped CSV files."""
    with (reference_dir() / "regions.csv").open(encoding="utf-8") as fh:
        parent = {r["region_code"]: r["split_from"] or r["region_code"] for r in csv.DictReader(fh)}
    with (reference_dir() / "indicator_values.csv").open(encoding="utf-8") as fh:
        values = {(r["indicator_id"], r["region_code"]): float(r["value"]) for r in csv.DictReader(fh)}
    # the 2022 referendum (5 June) was held on the 17-unit map: each part of a split region takes its figure
    rows = [("turnout_referendum_2022", region, values[("turnout_referendum_2022", parent[region])])
            for region in parent]
    rows += [(v, region, values[(v, region)]) for v in ("turnout_referendum_2024_npp",
                                                         "turnout_referendum_2026_constitution")
             for region in parent if (v, region) in values]
    return pd.DataFrame(rows, columns=["vote", "region", "turnout"])


def test_backtest_of_the_last_value_on_the_real_referendums(wh):
    with wh.reader() as con:
        panel = turnout_panel(con)
    rows, errors = backtest(panel, ["referendum"])
    by_model = {r.model: r for r in rows}
    assert set(by_model) == {"last_value", "region_mean", "swing", "mixed"}
    # 20 + 20 regions, and 16 in 2026 (the final count lacks four regions)
    assert {r.n for r in rows} == {56}
    # last value: 2022 is predicted by the next referendum (there is none before), 2024 by 2022, 2026 by 2024
    ref = _reference_turnout().pivot(index="region", columns="vote", values="turnout")
    r22, r24, r26 = ref["turnout_referendum_2022"], ref["turnout_referendum_2024_npp"], \
        ref["turnout_referendum_2026_constitution"]
    expected = pd.concat([(r22 - r24).abs(), (r24 - r22).abs(), (r26 - r24).abs().dropna()]).mean()
    assert by_model["last_value"].mae == pytest.approx(expected, abs=1e-9)
    for r in rows:
        assert 0 <= r.coverage80 <= r.coverage95 <= 1
    assert set(errors["vote_id"]) == {"referendum_2022", "referendum_2024_npp", "referendum_2026_constitution"}


def test_scenario_arithmetic_on_a_hand_made_case():
    coefficients = {("category:distrust", "share"): Coefficient(0.5, 0.1, 0.9),
                    ("category:fear", "engagement_share"): Coefficient(0.3, 0.3, 0.3)}
    current = {("category:distrust", "share", "A"): 10.0, ("category:distrust", "share", "B"): 98.0,
               ("category:fear", "engagement_share", "A"): 20.0}
    baselines = {"A": Baseline(60.0, 5.0), "B": Baseline(50.0, 4.0)}
    national = Baseline(57.5, 4.0)
    scenario = Scenario(name="s", changes=[Change(theme="category:distrust", share_pp=4)])
    a, b, kz = apply(scenario, coefficients, current, baselines, {"A": 3.0, "B": 1.0}, national)
    # se = (0.9 − 0.1) / (2 · 1.959964) = 0.204086; A: Δ = 0.5 · 4 = 2, ± 1.959964 · 4 · 0.204086 = ± 1.6
    assert (a.delta, a.delta_lo95, a.delta_hi95) == pytest.approx((2.0, 0.4, 3.6), abs=1e-9)
    # level: 62 ± 1.959964 · √(5² + 0.816342²) = 62 ± 9.929577
    assert (a.point, a.lo95, a.hi95) == pytest.approx((62.0, 52.070423, 71.929577), abs=1e-5)
    # B sits at 98 %: the share can rise by 2 points only
    assert b.delta == pytest.approx(1.0, abs=1e-9)
    # country: weights 3 : 1, so the shift is (3 · 4 + 1 · 2) / 4 = 3.5 points, Δ = 1.75
    assert kz.delta == pytest.approx(1.75, abs=1e-9) and kz.point == pytest.approx(59.25, abs=1e-9)
    # engagement on «fear» doubles in A: its engagement share goes from 20 % to 0.4 / 1.2 = 33.33 %
    doubled = Scenario(name="e", changes=[Change(theme="category:fear", engagement_factor=2, regions=["A"])])
    a, b, _ = apply(doubled, coefficients, current, baselines, {"A": 3.0, "B": 1.0}, national)
    assert a.delta == pytest.approx(0.3 * (100 / 3 - 20), abs=1e-9) and b.delta == 0
    missing = Scenario(name="m", changes=[Change(theme="category:protest", share_pp=5)])
    assert all(r.delta is None and "category:protest" in r.note
               for r in apply(missing, coefficients, current, baselines, {}, national))


def test_national_figures_are_weighted_when_weights_are_loaded_and_equal_otherwise():
    pred = Prediction(pd.Series({"A": 60.0, "B": 50.0}), pd.Series({"A": 5.0, "B": 4.0}))
    # registered voters 3 : 1 → (3·60 + 50) / 4 = 57.5; the errors moving together: (3·5 + 4) / 4 = 4.75
    assert national(pred, {"A": 3_000_000.0, "B": 1_000_000.0}) == pytest.approx((57.5, 4.75))
    assert national(pred, {}) == pytest.approx((55.0, 4.5))


def _post(source: str, post_id: int, when: datetime, text: str, counters: bool = True) -> dict:
    return {"platform": "telegram", "source": source, "post_id": post_id, "published_at": when, "text": text,
            "views": 100 if counters else None, "reactions": 3 if counters else None}


def test_region_panel_counts_posts_in_the_window_before_each_vote_on_the_current_map(wh):
    from qatysu.warehouse.nlp_store import ProcessedBatch, store_processed

    almaty_evening = timezone(timedelta(hours=5))
    posts = [
        _post("abai_news", 1, datetime(2019, 5, 30, 12, tzinfo=almaty_evening), "выборы"),  # 10 days before 2019
        _post("abai_news", 2, datetime(2019, 6, 9, 8, tzinfo=almaty_evening), "выборы"),  # on the vote day
        _post("abai_news", 3, datetime(2018, 11, 20, 12, tzinfo=almaty_evening), "выборы"),  # 201 days before
        # no counters: the engagement of Almaty's window is unknown
        _post("almaty_news", 1, datetime(2024, 10, 1, 12, tzinfo=almaty_evening), "выборы город", False),
        _post("almaty_news", 2, datetime(2024, 10, 2, 12, tzinfo=almaty_evening), "город", False),
    ]
    lemmas = {("abai_news", 1): ["выборы"], ("abai_news", 2): ["выборы"], ("abai_news", 3): ["выборы"],
              ("almaty_news", 1): ["выборы", "город"], ("almaty_news", 2): ["город"]}
    with wh.writer() as con:
        upsert_sources(con, [{"platform": "telegram", "handle": "abai_news", "region_code": "KZ-10"},
                             {"platform": "telegram", "handle": "almaty_news", "region_code": "KZ-75"}])
        upsert_posts(con, posts)
        rows = [(uid, h, "ru", lemmas[(source, int(post_id))], 1, 1, [], [], [], [])
                for uid, h, source, post_id in con.execute(
                    "SELECT post_uid, content_hash, split_part(source_id, ':', 2), post_id FROM posts").fetchall()]
        store_processed(con, ProcessedBatch.from_rows(rows, []), datetime.now(timezone.utc))
    summary = forecast_step(wh, ForecastConfig(reps=199, min_posts=1), window_days=180)
    with wh.reader() as con:
        panel = con.execute("SELECT * FROM v_region_panel").df().set_index(["vote_id", "region_code"])
        per_vote = dict(con.execute("SELECT vote_id, count(*) FROM v_region_panel GROUP BY 1").fetchall())
    assert per_vote == {"pres_2019": 20, "mazhilis_2021": 20, "referendum_2022": 20, "president_2022": 20,
                        "mazhilis_2023": 20, "referendum_2024_npp": 20, "referendum_2026_constitution": 16}
    abai = panel.loc[("pres_2019", "KZ-10")]
    # Abai was part of East Kazakhstan (KZ-63) in 2019: its 84.9 % is carried, and flagged
    assert abai["turnout"] == 84.9 and bool(abai["carried"]) and abai["kind"] == "presidential"
    assert abai["posts"] == 1 and abai["theme_shares"]["category:electoral"] == 100.0
    almaty = panel.loc[("referendum_2024_npp", "KZ-75")]
    assert almaty["turnout"] == 25.39 and not almaty["carried"] and almaty["posts"] == 2
    assert almaty["theme_shares"]["category:electoral"] == 50.0
    assert pd.isna(almaty["engagement"]) and pd.isna(almaty["engagement_shares"]["category:electoral"])
    with wh.reader() as con:  # posts without counters: engagement unknown, stored as NULL (not NaN)
        assert con.execute("SELECT count(*) FROM region_panel WHERE isnan(engagement)").fetchone()[0] == 0
        # Almaty before the 2024 referendum, and in the current window (the 180 days up to its latest post)
        assert con.execute("SELECT vote_id FROM region_panel WHERE engagement IS NULL ORDER BY 1").fetchall() == [
            ("current",), ("referendum_2024_npp",)]
    quiet = panel.loc[("pres_2019", "KZ-75")]
    assert quiet["turnout"] == 52.2 and quiet["posts"] == 0 and pd.isna(quiet["theme_shares"])
    assert "no panel model" in summary.panel_note
    with wh.reader() as con:
        forecasts = con.execute("SELECT kind, role, count(*) FROM forecasts WHERE run_id = ? GROUP BY ALL",
                                [summary.run_id]).fetchall()
    assert {(k, n) for k, role, n in forecasts if role == "chosen"} == {
        ("presidential", 21), ("parliamentary", 21), ("referendum", 21)}


def test_the_panel_recovers_the_theme_effect_planted_in_the_demo(tmp_path):
    wh = Warehouse.at(tmp_path / "demo.duckdb")
    init_warehouse(wh)
    with wh.reader() as con:
        windows = vote_windows(turnout_panel(con))
    corpus = generate(6000, REGIONS, n_sources=40, seed=2026,
                      effects=PlantedEffects(windows=windows, window_theme=DEMO_PANEL_THEME))
    load_synthetic(wh, corpus)
    summary = forecast_step(wh, FAST, window_days=180)
    with wh.reader() as con:
        effect = con.execute("SELECT estimate, ci_low, q, n FROM panel_effects WHERE run_id = ? AND "
                             "theme = 'category:electoral' AND measure = 'share'", [summary.run_id]).fetchone()
        scenarios = con.execute("SELECT count(*) FROM scenario_results WHERE run_id = ? AND region_code = 'KZ' "
                                "AND delta IS NOT NULL", [summary.run_id]).fetchone()[0]
    assert effect is not None and effect[1] > 0 and effect[2] <= 0.1, effect
    assert scenarios > 0


def test_forecast_command_reports_the_backtest_and_refuses_a_bad_scenario_file(wh, tmp_path):
    done = invoke("forecast", "--kind", "referendum", "--db", str(wh.path))
    assert done.returncode == 0, done.stderr
    assert "last_value" in done.stdout and "referendum" in done.stdout and "no panel model" in done.stdout
    bad = tmp_path / "what_if.yaml"
    bad.write_text("scenarios:\n  - name: x\n    changes:\n      - {theme: 'category:fear', share_pp: 1, "
                   "engagement_factor: 2}\n", encoding="utf-8")
    refused = invoke("forecast", "--scenarios", str(bad), "--db", str(wh.path))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "either share_pp or engagement_factor" in refused.stderr
    old = Warehouse.at(tmp_path / "old.duckdb")
    init_warehouse(old, upto=6)  # made before the forecast tables existed
    stale = invoke("forecast", "--db", str(old.path))
    assert stale.returncode == 1 and "`qatysu init` upgrades it" in stale.stderr and "Traceback" not in stale.stderr
