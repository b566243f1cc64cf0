"""The link step: each theme's rate by region (lexicon categories, topics) against each participation indicator,
with permutation p-values, bootstrap intervals and BH q; the run's parameters and counts go to ``analysis_runs``.

Time is respected: an indicator is linked only to the posts of its window — the ``window_days`` days before a
vote (``warehouse/queries/indicator_windows.sql``, the same window as ``vote_windows.sql``), or the indicator's
own period — so posts written after a vote are never linked to it. An indicator is not tested, and the run says why, when fewer than ``min_regions`` regions have
``min_posts`` posts in its window, or when its values are macro-region values copied to the regions (they are not
independent observations, and a handful of macro-regions cannot reach significance in a family of tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qatysu.flows.config import LinkConfig
from qatysu.flows.markers import lexicon_of
from qatysu.flows.provenance import recorded_run
from qatysu.models.lexicon import Lexicon
from qatysu.models.links import Link, adjust, link, max_permutations
from qatysu.models.markers import Q_LEVEL
from qatysu.warehouse import Warehouse
from qatysu.warehouse.marker_store import (
    IndicatorWindow,
    indicator_values_by_map,
    region_theme_rates,
    register_lexicon,
    store_rows,
    indicator_windows,
)
from qatysu.warehouse.topic_store import latest_topic_model

CAVEAT = ("Association across at most 20 regions (17 on the pre-2022 map), not causation: a small sample, "
          "and a region's posts are not its voters.")


@dataclass(frozen=True)
class LinkSummary:
    run_id: str
    tests: int
    found: int
    themes: int
    indicators: int
    window_days: int
    not_tested: dict[str, str]  # indicator → why


def link_themes(
    wh: Warehouse,
    config: LinkConfig = LinkConfig(),
    *,
    model_ids: Sequence[str] | None = None,
    lexicon: Lexicon | None = None,
    lexicon_files: Sequence[Path] = (),
) -> LinkSummary:
    """Spearman ρ between each theme's regional rate in an indicator's window and the indicator, with adaptive
    permutation p, bootstrap CI and BH q over all tests of the run."""
    lex = lexicon_of(lexicon, lexicon_files)
    with wh.reader(live=True) as con:
        if model_ids is None:
            model_ids = [m for m in (latest_topic_model(con, lang=lang) for lang in ("ru", "kk", "all")) if m]
    params = {**config.model_dump(mode="json"), "indicators": config.indicators or "all",
              "model_ids": list(model_ids), "lexicon_version": lex.version, "q_level": Q_LEVEL, "caveat": CAVEAT,
              "window": "posts of the window_days days before a vote (Asia/Almaty days; polling day excluded), "
                        "or of the indicator's period"}
    with recorded_run(wh, "link", params, ("scipy",)) as run:
        with wh.writer(publish=False) as con:
            register_lexicon(con, lex.rows())
            values = {v[0]: v[3] for v in indicator_values_by_map(con, config.indicators)}
            missing = sorted(set(config.indicators or ()) - set(values))
            if missing:
                raise ValueError(f"no values for indicator(s) {', '.join(missing)}: "
                                 "`qatysu indicators list` shows them")
            windows = indicator_windows(con, config.window_days, config.indicators)
            rates = {key: region_theme_rates(con, model_ids, *key)
                     for key in {(w.boundary_version, w.start, w.end) for w in windows if not w.macro_region}}
        rate_rows = [{"run_id": run["run_id"], "theme": t, "boundary_version": b, "region_code": r,
                      "window_start": start, "window_end": end, "posts": n, "rate": rate}
                     for (b, start, end), rows in rates.items() for t, r, n, rate in rows]
        themes = sorted({r["theme"] for r in rate_rows})
        plan, not_tested, regions = _plan(windows, values, rates, themes, config)
        n_tests = sum(len(rates_by_theme) for _, rates_by_theme in plan.values())
        max_perm = max_permutations(n_tests)
        links: list[tuple[IndicatorWindow, Link, str | None]] = []
        for w in windows:
            if w.indicator_id in plan:
                by_theme = plan[w.indicator_id][1]
                links += [(w, link(theme, w.indicator_id, by_theme[theme], values[w.indicator_id],
                                   min_regions=config.min_regions, max_perm=max_perm, n_boot=config.n_boot,
                                   seed=config.seed), None) for theme in themes]
            else:
                links += [(w, Link(theme, w.indicator_id, regions[w.indicator_id], None, None, None, None),
                           not_tested[w.indicator_id]) for theme in themes]
        adjusted = adjust([lk for _, lk, _ in links])
        link_rows = [{"run_id": run["run_id"], "theme": lk.theme, "indicator": lk.indicator,
                      "boundary_version": w.boundary_version, "n_regions": lk.n_regions, "rho": lk.rho,
                      "ci_low": lk.ci_low, "ci_high": lk.ci_high, "p": lk.p, "q": lk.q, "direction": lk.direction,
                      "window_start": w.start, "window_end": w.end, "permutations": lk.permutations, "note": note}
                     for (w, _, note), lk in zip(links, adjusted)]
        found = sum(r["direction"] != "no evidence" for r in link_rows)
        with wh.writer(publish=False) as con:
            store_rows(con, "region_theme_rates", rate_rows)
            store_rows(con, "theme_links", link_rows)
        tests = sum(r["p"] is not None for r in link_rows)
        run["inputs"] = {"themes": len(themes), "indicators": len(windows)}
        run["outputs"] = {"tests": tests, "found": found, "max_permutations": max_perm, "not_tested": not_tested}
        if not link_rows:  # no theme or no indicator; untested indicators are recorded with their reasons
            run["status"] = "nothing to do"
    return LinkSummary(run["run_id"], tests, found, len(themes), len(windows), config.window_days, not_tested)


def _plan(windows: list[IndicatorWindow], values: dict[str, dict[str, float]], rates: dict, themes: list[str],
          config: LinkConfig) -> tuple[dict[str, tuple[IndicatorWindow, dict]], dict[str, str], dict[str, int]]:
    """Which indicators are tested, with each theme's rates in the regions that have enough posts in the window;
    why the others are not; and each indicator's regions with enough posts (macro-regions: its macro-regions)."""
    plan, not_tested, counts = {}, {}, {}
    for w in windows:
        span = f"{w.start} – {w.end} (exclusive)"
        if w.macro_region:
            counts[w.indicator_id] = w.macro_regions
            not_tested[w.indicator_id] = (f"macro-region values ({w.macro_regions} macro-regions copied to "
                                          f"{len(values[w.indicator_id])} regions): left out")
            continue
        by_theme: dict[str, dict[str, float]] = {t: {} for t in themes}
        for theme, region, posts, rate in rates[(w.boundary_version, w.start, w.end)]:
            if posts >= config.min_posts and region in values[w.indicator_id]:
                by_theme[theme][region] = rate
        counts[w.indicator_id] = regions = max((len(r) for r in by_theme.values()), default=0)
        if regions < config.min_regions:
            not_tested[w.indicator_id] = (f"window {span}: {regions} region(s) with ≥ {config.min_posts} posts, "
                                          f"fewer than {config.min_regions}")
            continue
        plan[w.indicator_id] = (w, by_theme)
    return plan, not_tested, counts
