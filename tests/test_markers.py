"""Marker scores, engagement, the lexicon and links to regional indicators, validated on synthetic posts with
planted effects and realistic noise and on null data, through real warehouse files."""

import dataclasses
import math
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from qatysu.flows.config import LinkConfig, MarkersConfig
from qatysu.flows.link import link_themes
from qatysu.flows.markers import score_markers
from qatysu.models.lexicon import load_lexicon, validate
from qatysu.models.markers import benjamini_hochberg, per_post_log_odds
from qatysu.nlp.pipeline import analyze
from qatysu.synthetic.corpus import PlantedEffects, SyntheticCorpus, SyntheticPost, SyntheticSource, generate, vocabulary
from qatysu.warehouse import Warehouse, init_warehouse

from helpers import REGIONS, invoke, load_synthetic

PLANTED = {"голосовать": 2.0, "подписать": 2.0, "бірге": 2.0, "фальсификация": 0.5, "бесполезно": 0.5}
VOTE_2023 = datetime(2023, 3, 19, tzinfo=timezone.utc)  # turnout_mazhilis_2023


def test_per_post_log_odds_match_a_hand_calculation():
    # one unit: in 8 of 20 high posts, 6 of 30 low posts, 20 of 70 posts of the scope; α₀ = 10
    # π = (20 + ½) / (70 + 1) = 20.5/71, a = 10π = 205/71, b = 10(1 − π) = 505/71
    # with: 8 + 205/71 = 773/71, 6 + 205/71 = 631/71; without: 12 + 505/71 = 1357/71, 24 + 505/71 = 2209/71
    res = per_post_log_odds(np.array([8]), np.array([6]), 20, 30, np.array([20]), 70, 10.0)
    delta = math.log(773 / 1357) - math.log(631 / 2209)
    sigma = math.sqrt(71 / 773 + 71 / 1357 + 71 / 631 + 71 / 2209)
    assert abs(res.delta[0] - delta) < 1e-9 and abs(res.sigma[0] - sigma) < 1e-9
    assert abs(res.z[0] - delta / sigma) < 1e-9
    assert abs(res.p[0] - math.erfc(abs(delta / sigma) / math.sqrt(2))) < 1e-9


def test_one_units_score_does_not_move_when_another_unit_is_enriched():
    # the multinomial's shared denominator pushed every other unit the other way; the per-post binomial does not
    base = per_post_log_odds(np.array([30, 40]), np.array([30, 40]), 100, 100, np.array([90, 120]), 300, 5.0)
    other = per_post_log_odds(np.array([30, 90]), np.array([30, 10]), 100, 100, np.array([90, 120]), 300, 5.0)
    assert base.z[0] == other.z[0] == 0.0


def test_benjamini_hochberg_by_hand():
    # p sorted 0.01, 0.02, 0.03, 0.5 (n = 4): p·n/rank = 0.04, 0.04, 0.04, 0.5, then running minimum from the top
    assert np.allclose(benjamini_hochberg(np.array([0.03, 0.5, 0.01, 0.02])), [0.04, 0.5, 0.04, 0.04])
    # two tests carried out in a family of four (two screened out count as p = 1): 0.01·4/1, 0.04·4/2
    assert np.allclose(benjamini_hochberg(np.array([0.04, 0.01]), family_size=4), [0.08, 0.04])


def warehouse_with(tmp_path, corpus) -> Warehouse:
    wh = Warehouse.at(tmp_path / f"sim{corpus.seed}.duckdb")
    init_warehouse(wh)
    load_synthetic(wh, corpus)
    return wh


def months_of_corpora(tmp_path, n: int, posts: int, effects: PlantedEffects = PlantedEffects()) -> tuple:
    """``n`` independent corpora in one warehouse, corpus k in month k of 2021–22 with its own channels, so that
    one markers run scores them all, one scope (period:YYYY-MM) each."""
    wh = Warehouse.at(tmp_path / "months.duckdb")
    init_warehouse(wh)
    scopes, sources, posts_ = [], [], []
    for k in range(n):
        start = datetime(2021 + k // 12, k % 12 + 1, 1, tzinfo=timezone.utc)
        c = generate(posts, REGIONS, seed=100 + k, effects=effects, start=start, days=27, n_sources=30)
        sources += [dataclasses.replace(s, handle=f"{s.handle}_{k}") for s in c.sources]
        posts_ += [dataclasses.replace(p, handle=f"{p.handle}_{k}") for p in c.posts]
        scopes.append(f"period:{start:%Y-%m}")
    load_synthetic(wh, SyntheticCorpus(sources, posts_, effects, 0))
    return wh, scopes


def found(wh: Warehouse, run_id: str, table: str, unit: str) -> list[tuple[str, str, float]]:
    """(scope, term, z or estimate) of the findings (q ≤ 0.1) of one kind of unit."""
    value = "z" if table == "marker_scores" else "estimate"
    with wh.reader() as con:
        return con.execute(f"SELECT scope, term, {value} FROM {table} WHERE run_id = ? AND unit = ? AND q <= 0.1",
                           [run_id, unit]).fetchall()


@pytest.mark.slow
def test_planted_words_of_two_categories_flag_no_other_category(tmp_path):
    planted = {"петиция": 2.0, "шағым": 2.0, "митинг": 2.0, "наразылық": 2.0}  # appeals and protest words only
    wh, scopes = months_of_corpora(tmp_path, 20, 1000, PlantedEffects(markers=planted))
    summary = score_markers(wh, MarkersConfig(scopes=scopes))
    for table in ("marker_scores", "marker_effects"):
        hits = found(wh, summary.run_id, table, "category")
        true = [h for h in hits if h[1] in ("appeals", "protest")]
        assert all(h[2] > 0 for h in true) and len(true) >= 20  # found in at least half of the 20 × 2 chances
        assert len(hits) - len(true) <= 0.1 * len(hits)  # false category discoveries stay at the nominal FDR


def test_ties_are_split_evenly_between_the_groups(tmp_path):
    # 30 posts of one channel with identical counters (the old ranking sent every tied post to the low group)
    source = SyntheticSource("ties", "Ties", "news", "KZ-75", ("ru",), 1000)
    posts = [SyntheticPost("ties", i + 1, datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(hours=i), "ru",
                           "Жители города.", ["житель", "город"], "housing", "KZ-75", 100, 0, 0, 0) for i in range(30)]
    wh = warehouse_with(tmp_path, SyntheticCorpus([source], posts, PlantedEffects(), 0))
    summary = score_markers(wh, MarkersConfig(glm=False))
    assert {k: summary.groups["all"][k] for k in ("low", "mid", "high")} == {"low": 10, "mid": 10, "high": 10}


def test_on_null_data_discoveries_stay_at_the_nominal_level_for_both_methods(tmp_path):
    wh, scopes = months_of_corpora(tmp_path, 6, 1200)
    summary = score_markers(wh, MarkersConfig(scopes=scopes))
    with wh.reader() as con:
        logodds_p = [r[0] for r in con.execute("SELECT p FROM marker_scores WHERE run_id = ? AND unit = 'term'",
                                               [summary.run_id]).fetchall()]
        # categories are all in the model (no selection by log-odds), so their p-values should be uniform
        model_p = [r[0] for r in con.execute("SELECT p FROM marker_effects WHERE run_id = ? AND unit = 'category'",
                                             [summary.run_id]).fetchall()]
    for table in ("marker_scores", "marker_effects"):
        with_findings = {h[0] for unit in ("term", "category") for h in found(wh, summary.run_id, table, unit)}
        assert len(with_findings) <= 1, table  # BH at q = 0.1 under the null: P(any discovery) ≤ 0.1 per family
    assert np.mean(np.array(logodds_p) < 0.05) <= 0.08 and len(model_p) > 50
    assert np.mean(np.array(model_p) < 0.05) <= 0.1


@pytest.mark.slow
def test_the_model_holds_a_true_markers_companion_fixed(tmp_path):
    # «приходить» comes with «голосовать» in 60% of its posts; only «голосовать» changes engagement
    wh = warehouse_with(tmp_path, generate(8000, REGIONS, seed=4, effects=PlantedEffects(markers=PLANTED)))
    summary = score_markers(wh)
    logodds = {h[1]: h[2] for h in found(wh, summary.run_id, "marker_scores", "term")}
    model = {h[1]: h[2] for h in found(wh, summary.run_id, "marker_effects", "term")}
    for lemma, factor in PLANTED.items():
        assert (logodds[lemma] > 0) == (factor > 1) and (model[lemma] > 0) == (factor > 1)
    assert "приходить" not in model
    assert abs(model["голосовать"] - math.log(2.0)) < 0.25  # the model recovers the planted ratio


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


def linked_warehouse(tmp_path, name: str, start: datetime, *, tracked: bool = True, posts: int = 8000) -> Warehouse:
    wh = Warehouse.at(tmp_path / f"{name}.duckdb")
    init_warehouse(wh)
    with wh.reader() as con:
        turnout = dict(con.execute("SELECT region_code, value FROM indicator_values "
                                   "WHERE indicator_id = 'turnout_mazhilis_2023'").fetchall())
    effects = PlantedEffects(theme_tracks={"housing": 0.8, "ecology": -0.8}, indicator=turnout,
                             indicator_name="turnout_mazhilis_2023") if tracked else PlantedEffects()
    load_synthetic(wh, generate(posts, REGIONS, seed=1, effects=effects, start=start, days=170))
    return wh


def links_of(wh: Warehouse, run_id: str) -> dict:
    with wh.reader() as con:
        return {(t, i): (n, rho, lo, hi, q, d, note) for t, i, n, rho, lo, hi, q, d, note in con.execute(
            "SELECT theme, indicator, n_regions, rho, ci_low, ci_high, q, direction, note FROM theme_links "
            "WHERE run_id = ?", [run_id]).fetchall()}


@pytest.mark.slow
def test_planted_theme_tracking_turnout_is_linked_in_the_window_before_the_vote(tmp_path):
    wh = linked_warehouse(tmp_path, "before", VOTE_2023 - timedelta(days=175))
    summary = link_themes(wh)
    links = links_of(wh, summary.run_id)
    n, rho, lo, hi, q, direction, note = links[("category:housing", "turnout_mazhilis_2023")]
    assert (n, direction, note) == (20, "positive", None) and lo < rho < hi and q <= 0.1
    assert links[("category:ecology", "turnout_mazhilis_2023")][5] == "negative"
    untracked = [v for (t, i), v in links.items() if i == "turnout_mazhilis_2023"
                 and t not in ("category:housing", "category:ecology")]
    assert untracked and all(v[5] == "no evidence" for v in untracked)
    # survey values are macro-region values copied to regions: left out, with the reason
    assert "macro-region" in links[("category:housing", "survey2021_protest_pct")][6]
    with wh.reader() as con:
        permutations = con.execute("SELECT max(permutations) FROM theme_links WHERE run_id = ?",
                                   [summary.run_id]).fetchone()[0]
    assert 1 / (1 + permutations) <= 0.1 * 0.1 / summary.tests  # the p floor sits far below BH's threshold

    null = linked_warehouse(tmp_path, "null", VOTE_2023 - timedelta(days=175), tracked=False)
    assert link_themes(null).found == 0


def test_posts_dated_after_a_vote_are_never_linked_to_it(tmp_path):
    wh = linked_warehouse(tmp_path, "after", VOTE_2023 + timedelta(days=1), posts=4000)
    summary = link_themes(wh)
    assert all(rho is None for (_, indicator), (_, rho, *_) in links_of(wh, summary.run_id).items()
               if indicator == "turnout_mazhilis_2023")
    assert summary.found == 0 and "0 region(s)" in summary.not_tested["turnout_mazhilis_2023"]
    # a shorter window leaves the earlier vote's posts out too
    before = linked_warehouse(tmp_path, "short", VOTE_2023 - timedelta(days=175), posts=4000)
    assert "turnout_mazhilis_2023" in link_themes(before, LinkConfig(window_days=3)).not_tested


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
    wh = warehouse_with(tmp_path, generate(4000, REGIONS, seed=2, effects=PlantedEffects(markers=PLANTED),
                                           start=VOTE_2023 - timedelta(days=175), days=170))
    scored = invoke("markers", "score", "--scope", "all", "--scope", "lang:ru", "--db", str(wh.path))
    assert scored.returncode == 0, scored.stderr
    assert "families, one per kind across the scopes" in scored.stdout
    shown = invoke("markers", "show", "--top", "3", "--format", "csv", "--db", str(wh.path))
    lines = shown.stdout.splitlines()
    assert lines[0] == "engagement,term,lang,z,delta,q,count_high,count_low"
    assert lines[1].startswith("higher,") and lines[4].startswith("lower,")
    assert {lines[1].split(",")[1], lines[4].split(",")[1]} <= set(PLANTED)
    glm = invoke("markers", "show", "--method", "glm", "--unit", "category", "--format", "csv",
                     "--db", str(wh.path))
    assert glm.returncode == 0 and glm.stdout.splitlines()[0] == "engagement,term,ratio,ci_low,ci_high,q,posts"
    bad = invoke("markers", "score", "--scope", "oblast:7", "--db", str(wh.path))
    assert bad.returncode == 2 and "unknown scope" in bad.stderr
    linked = invoke("link", "--indicator", "turnout_mazhilis_2023", "--window", "180", "--db", str(wh.path))
    assert linked.returncode == 0, linked.stderr
    assert "not causation" in linked.stdout and "180 days before each vote" in linked.stdout
    later = invoke("link", "--indicator", "turnout_referendum_2024_npp", "--db", str(wh.path))
    assert later.returncode == 0 and "not tested: turnout_referendum_2024_npp: window 2024-04-09" in later.stdout
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
