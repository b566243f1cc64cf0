"""The link step: each theme's rate by region (lexicon categories, topics) against each participation indicator,
with permutation p-values, bootstrap intervals and BH q; the run's parameters and counts go to ``analysis_runs``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qatysu.flows.config import LinkConfig
from qatysu.flows.markers import lexicon_of
from qatysu.flows.provenance import recorded_run
from qatysu.models.lexicon import Lexicon
from qatysu.models.links import Q_LEVEL, adjust, link
from qatysu.warehouse import Warehouse
from qatysu.warehouse.marker_store import indicator_values_by_map, region_theme_rates, register_lexicon, store_rows
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



def link_themes(
    wh: Warehouse,
    params: LinkConfig,
    *,
    model_ids: Sequence[str] | None = None,
    lexicon: Lexicon | None = None,
    lexicon_files: Sequence[Path] = (),
) -> LinkSummary:
    """Spearman ρ between each theme's regional rate and each indicator, with permutation p, bootstrap CI
    and BH q over all tests; regions with fewer than ``min_posts`` posts are left out."""
    lex = lexicon_of(lexicon, lexicon_files)
    with wh.reader(live=True) as con:
        if model_ids is None:
            model_ids = [m for m in (latest_topic_model(con, lang=lang) for lang in ("ru", "kk", "all")) if m]
    indicators = params.indicators
    recorded = {**params.model_dump(mode="json"), "model_ids": list(model_ids), "lexicon_version": lex.version,
                "q_level": Q_LEVEL, "caveat": CAVEAT}
    with recorded_run(wh, "link", recorded, ("scipy",)) as run:
        with wh.writer(publish=False) as con:
            register_lexicon(con, lex.rows())
            values = indicator_values_by_map(con, indicators)
            missing = sorted(set(indicators or ()) - {v[0] for v in values})
            if missing:
                raise ValueError(f"no values for indicator(s) {', '.join(missing)}: "
                                 "`qatysu indicators list` shows them")
            rates = {b: region_theme_rates(con, model_ids, b) for b in {v[1] for v in values}}
        rate_rows = [{"run_id": run["run_id"], "theme": t, "boundary_version": boundary, "region_code": r,
                      "posts": n, "rate": rate} for boundary, rows in rates.items() for t, r, n, rate in rows]
        themes = sorted({r["theme"] for r in rate_rows})
        by_theme: dict[tuple[str, str], dict[str, float]] = {}
        for r in rate_rows:
            if r["posts"] >= params.min_posts:
                by_theme.setdefault((r["theme"], r["boundary_version"]), {})[r["region_code"]] = r["rate"]
        tested = [(boundary, link(theme, indicator, by_theme.get((theme, boundary), {}), by_region,
                                  n_perm=params.n_perm, n_boot=params.n_boot, seed=params.seed))
                  for indicator, boundary, _period, by_region in values for theme in themes]
        adjusted = adjust([lk for _, lk in tested])
        link_rows = [{"run_id": run["run_id"], "theme": lk.theme, "indicator": lk.indicator, "boundary_version": b,
                      "n_regions": lk.n_regions, "rho": lk.rho, "ci_low": lk.ci_low, "ci_high": lk.ci_high,
                      "p": lk.p, "q": lk.q, "direction": lk.direction} for (b, _), lk in zip(tested, adjusted)]
        found = sum(r["direction"] != "no evidence" for r in link_rows)
        with wh.writer(publish=False) as con:
            store_rows(con, "region_theme_rates", rate_rows)
            store_rows(con, "theme_links", link_rows)
        run["inputs"] = {"themes": len(themes), "indicators": len(values)}
        run["outputs"] = {"tests": len(link_rows), "found": found}
        if not link_rows:
            run["status"] = "nothing to do"
    return LinkSummary(run["run_id"], len(link_rows), found, len(themes), len(values))
