"""Marker scores, engagement, the lexicon and links to regional indicators, validated on synthetic posts with
planted effects and on null data, through real warehouse files."""

import math

import numpy as np
import pytest

from qatysu.flows.config import LinkConfig, MarkersConfig
from qatysu.flows.link import link_themes
from qatysu.flows.markers import score_markers
from qatysu.models.lexicon import load_lexicon, validate
from qatysu.models.markers import benjamini_hochberg, weighted_log_odds
from qatysu.synthetic.corpus import PlantedEffects, generate, vocabulary
from qatysu.nlp.pipeline import analyze
from qatysu.warehouse import Warehouse, init_warehouse

from helpers import REGIONS, invoke, load_synthetic

PLANTED = {"голосовать": 2.0, "подписать": 2.0, "бірге": 2.0, "фальсификация": 0.5, "бесполезно": 0.5}


def test_log_odds_matches_a_hand_calculation():
    # high i = (10, 5, 1), low j = (4, 6, 8), α = (2, 1, 1): nⁱ = 16, nʲ = 18, α₀ = 4
    res = weighted_log_odds(np.array([10, 5, 1]), np.array([4, 6, 8]), np.array([2.0, 1.0, 1.0]))
    # word 1: ln(12/8) − ln(6/16) = ln 4;  σ² = 1/12 + 1/6 = 1/4
    # word 2: ln(6/14) − ln(7/15) = ln(45/49);  σ² = 1/6 + 1/7 = 13/42
    # word 3: ln(2/18) − ln(9/13) = ln(13/81);  σ² = 1/2 + 1/9 = 11/18
    expected_delta = [math.log(4), math.log(45 / 49), math.log(13 / 81)]
    expected_sigma = [0.5, math.sqrt(13 / 42), math.sqrt(11 / 18)]
    assert np.allclose(res.delta, expected_delta, rtol=0, atol=1e-9)
    assert np.allclose(res.sigma, expected_sigma, rtol=0, atol=1e-9)
    assert np.allclose(res.z, [d / s for d, s in zip(expected_delta, expected_sigma)], rtol=0, atol=1e-9)


def test_benjamini_hochberg_by_hand():
    # p sorted 0.01, 0.02, 0.03, 0.5 (n = 4): p·n/rank = 0.04, 0.04, 0.04, 0.5, then running minimum from the top
    assert np.allclose(benjamini_hochberg(np.array([0.03, 0.5, 0.01, 0.02])), [0.04, 0.5, 0.04, 0.04])


def warehouse_with(tmp_path, corpus) -> Warehouse:
    wh = Warehouse.at(tmp_path / f"sim{corpus.seed}.duckdb")
    init_warehouse(wh)
    load_synthetic(wh, corpus)
    return wh


def significant_terms(wh: Warehouse, run_id: str) -> dict[str, float]:
    with wh.reader() as con:
        return dict(con.execute("SELECT term, z FROM marker_scores WHERE run_id = ? AND unit = 'term' AND q <= 0.1",
                                [run_id]).fetchall())


@pytest.mark.slow
def test_planted_markers_are_found_across_sources_of_very_different_size(tmp_path):
    found, planted_total, false_found, tested = 0, 0, 0, 0
    for seed in range(3):
        corpus = generate(8000, REGIONS, seed=seed, effects=PlantedEffects(markers=PLANTED))
        wh = warehouse_with(tmp_path, corpus)
        run = score_markers(wh, MarkersConfig(scopes=["all"])).run_id
        hits = significant_terms(wh, run)
        for lemma, factor in PLANTED.items():
            planted_total += 1
            found += lemma in hits and (hits[lemma] > 0) == (factor > 1)
        false_found += len(set(hits) - set(PLANTED))
        with wh.reader() as con:
            tested += con.execute("SELECT count(*) FROM marker_scores WHERE run_id = ? AND unit = 'term'",
                                  [run]).fetchone()[0]
    assert found / planted_total >= 0.9
    assert false_found / max(1, false_found + found) <= 0.1  # the false discovery proportion stays at the level
    sizes = [s.subscribers for s in corpus.sources]
    assert max(sizes) / min(sizes) > 100


@pytest.mark.slow
def test_on_null_data_false_discoveries_stay_at_the_nominal_level(tmp_path):
    runs_with_discoveries, p_values = 0, []
    for seed in range(10, 15):
        wh = warehouse_with(tmp_path, generate(6000, REGIONS, seed=seed))
        run = score_markers(wh, MarkersConfig(scopes=["all"])).run_id
        runs_with_discoveries += bool(significant_terms(wh, run))
        with wh.reader() as con:
            p_values += [r[0] for r in con.execute(
                "SELECT p FROM marker_scores WHERE run_id = ? AND unit = 'term'", [run]).fetchall()]
    assert runs_with_discoveries <= 1  # BH at q = 0.1 under the global null: P(any discovery) ≤ 0.1
    assert np.mean(np.array(p_values) < 0.05) <= 0.08  # z is calibrated: about 5% of null p below 0.05


def test_engagement_is_relative_to_the_source_and_posts_without_counters_are_left_out(tmp_path):
    corpus = generate(3000, REGIONS, seed=3)
    wh = warehouse_with(tmp_path, corpus)
    summary = score_markers(wh, MarkersConfig(scopes=["all", "lang:kk", "region:KZ-75"]))
    without = sum(p.views is None for p in corpus.posts)
    assert summary.groups["all"]["no counters"] == without
    with wh.reader() as con:
        in_view = con.execute("SELECT count(*) FROM v_post_engagement").fetchone()[0]
        median_ok = con.execute(
            """SELECT bool_and(abs(relative - level / source_median) < 1e-12 AND basis = 'per view'
                               AND abs(level - (interactions + 0.5) / (views + 1.0)) < 1e-12)
               FROM v_post_engagement""").fetchone()[0]
        scopes = dict(con.execute("SELECT scope, count(*) FROM marker_scores WHERE run_id = ? GROUP BY 1",
                                  [summary.run_id]).fetchall())
    assert in_view == len(corpus.posts) - without
    assert median_ok
    assert set(scopes) == {"all", "lang:kk", "region:KZ-75"}


@pytest.mark.slow
def test_planted_theme_tracking_turnout_is_linked_and_null_themes_are_not(tmp_path):
    wh = Warehouse.at(tmp_path / "link.duckdb")
    init_warehouse(wh)
    with wh.reader() as con:
        turnout = dict(con.execute("SELECT region_code, value FROM indicator_values "
                                   "WHERE indicator_id = 'turnout_mazhilis_2023'").fetchall())
    effects = PlantedEffects(theme_tracks={"housing": 0.8, "ecology": -0.8}, indicator=turnout,
                             indicator_name="turnout_mazhilis_2023")
    load_synthetic(wh, generate(8000, REGIONS, seed=1, effects=effects))
    summary = link_themes(wh, LinkConfig(n_perm=4999, n_boot=1000))
    with wh.reader() as con:
        links = {(t, i): (n, rho, lo, hi, q, d) for t, i, n, rho, lo, hi, q, d in con.execute(
            "SELECT theme, indicator, n_regions, rho, ci_low, ci_high, q, direction FROM theme_links WHERE run_id = ?",
            [summary.run_id]).fetchall()}
        old_map = con.execute("SELECT count(DISTINCT region_code) FROM region_theme_rates "
                              "WHERE run_id = ? AND boundary_version = 'pre-2022-06'", [summary.run_id]).fetchone()[0]
    n, rho, lo, hi, q, direction = links[("category:housing", "turnout_mazhilis_2023")]
    assert (n, direction) == (20, "raises") and lo < rho < hi and q <= 0.1
    assert links[("category:ecology", "turnout_mazhilis_2023")][-1] == "lowers"
    assert links[("category:housing", "turnout_mazhilis_2021")][0] == 17 and old_map == 17  # the 2021 map
    untracked = [v for (t, i), v in links.items() if i == "turnout_mazhilis_2023"
                 and t not in ("category:housing", "category:ecology")]
    assert untracked and all(v[-1] == "no evidence" for v in untracked)

    null = Warehouse.at(tmp_path / "null.duckdb")
    init_warehouse(null)
    load_synthetic(null, generate(8000, REGIONS, seed=1))
    assert link_themes(null, LinkConfig(n_perm=4999, n_boot=1000)).found == 0


def test_every_lexicon_term_is_a_lemma_of_the_processing_step():
    lexicon = load_lexicon()
    assert validate(lexicon, lambda text, lang: next(analyze([text], lang=lang)).content_lemmas) == []
    assert {"electoral", "appeals", "protest", "parties_local", "online", "mobilising", "demobilising",
            "housing", "distrust"} <= set(lexicon.categories)
    assert all(t.source for t in lexicon.terms)


def test_synthetic_vocabulary_lemmas_are_what_processing_gives():
    vocab = vocabulary()
    pairs = [(lang, w) for part in ("filler", "markers") for lang, words in vocab[part].items() for w in words]
    pairs += [(lang, w) for theme in vocab["themes"].values() for lang, words in theme.items() for w in words]
    wrong = [(w.form, w.lemma) for lang, w in pairs if next(analyze([w.form], lang=lang)).content_lemmas != [w.lemma]]
    assert wrong == []


def test_lexicon_cli_validates_and_extends(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("version: mine-1\ncategories:\n  tariffs:\n    terms:\n      ru: [газ]\n"
                    "  water:\n    group: theme\n    source: my fieldwork\n    terms:\n      ru: [вода, водой]\n",
                    encoding="utf-8")
    bad = invoke("lexicon", "validate", "--lexicon", str(mine))
    assert bad.returncode == 1 and "«водой» is not in lemma form: processing gives «вода»" in bad.stderr
    mine.write_text(mine.read_text(encoding="utf-8").replace(", водой", ""), encoding="utf-8")
    assert invoke("lexicon", "validate", "--lexicon", str(mine)).returncode == 0
    shown = invoke("lexicon", "show", "--lexicon", str(mine), "--format", "csv")
    assert "water,theme,,ru,вода,my fieldwork" in shown.stdout and "tariffs,theme,mobilising,ru,газ" in shown.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text("categories: [oops", encoding="utf-8")
    result = invoke("lexicon", "show", "--lexicon", str(broken))
    assert result.returncode == 1 and "cannot read it as YAML" in result.stderr


def test_markers_and_link_commands(tmp_path):
    wh = warehouse_with(tmp_path, generate(4000, REGIONS, seed=2, effects=PlantedEffects(markers=PLANTED)))
    scored = invoke("markers", "score", "--scope", "all", "--scope", "lang:ru", "--db", str(wh.path))
    assert scored.returncode == 0, scored.stderr
    shown = invoke("markers", "show", "--top", "3", "--format", "csv", "--db", str(wh.path))
    lines = shown.stdout.splitlines()
    assert lines[0] == "direction,term,lang,z,delta,q,count_high,count_low"
    assert lines[1].startswith("raises,") and lines[4].startswith("lowers,")
    assert {lines[1].split(",")[1], lines[4].split(",")[1]} <= set(PLANTED)
    bad = invoke("markers", "score", "--scope", "oblast:7", "--db", str(wh.path))
    assert bad.returncode == 2 and "unknown scope" in bad.stderr
    linked = invoke("link", "--indicator", "turnout_mazhilis_2023", "--db", str(wh.path))
    assert linked.returncode == 0, linked.stderr
    assert "not causation" in linked.stdout and "turnout_mazhilis_2023" in linked.stdout
    unknown = invoke("link", "--indicator", "turnout_2099", "--db", str(wh.path))
    assert unknown.returncode == 1 and "turnout_2099" in unknown.stderr


@pytest.mark.parametrize("scope", ["region:KZ-7", "period:2025", "lang:de"])
def test_bad_scopes_are_refused_before_anything_is_written(tmp_path, scope):
    wh = Warehouse.at(tmp_path / "w.duckdb")
    init_warehouse(wh)
    with pytest.raises(ValueError, match="unknown scope"):
        score_markers(wh, MarkersConfig(scopes=[scope]))
    with wh.reader() as con:
        assert con.execute("SELECT count(*) FROM analysis_runs").fetchone()[0] == 0
