"""Topic models fitted on real posts of the shared corpus and on synthetic Russian/Kazakh posts."""

from collections import Counter

import numpy as np
import pytest

from qatysu.flows.config import ProcessConfig
from qatysu.flows.process import process_posts
from qatysu.flows.topics import load_documents
from qatysu.synthetic.corpus import generate, vocabulary
from qatysu.models.topics import fit_bertopic, fit_lda, load_model
from qatysu.warehouse import Warehouse, init_warehouse, upsert_posts
from qatysu.warehouse.topic_store import CorpusFilter

from helpers import REGIONS, invoke, shared_posts


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Warehouse:
    """1,200 real posts from all 24 channels of the shared corpus, processed."""
    wh = Warehouse.at(tmp_path_factory.mktemp("real") / "qatysu.duckdb")
    init_warehouse(wh)
    with wh.writer() as con:
        upsert_posts(con, shared_posts(1200))
    process_posts(wh, ProcessConfig())
    return wh


def fit(wh: Warehouse, *args: str) -> str:
    result = invoke("topics", "fit", "--db", str(wh.path), *args)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.split("Fitted ")[1].split(":")[0]


def main_topics(wh: Warehouse, model_id: str) -> dict[str, int]:
    with wh.reader() as con:
        return dict(con.execute("SELECT post_uid, topic_id FROM doc_topics WHERE model_id = ? AND is_main",
                                [model_id]).fetchall())


@pytest.mark.slow
@pytest.mark.parametrize("method, options", [("lda", ["--k-grid", "4,8"]), ("bertopic", [])])
def test_fit_on_real_posts_stores_lemma_topics_for_every_post_and_repeats_with_the_seed(real, method, options):
    first = fit(real, "--method", method, "--seed", "7", *options)
    second = fit(real, "--method", method, "--seed", "7", *options)
    with real.reader() as con:
        modelled = {r[0] for r in con.execute(
            "SELECT post_uid FROM post_lemmas WHERE lang IN ('ru', 'mixed')").fetchall()}
        vocabulary_ = {r[0] for r in con.execute("SELECT DISTINCT unnest(lemmas) FROM post_lemmas").fetchall()}
        terms = [t for r in con.execute("SELECT top_terms FROM topics WHERE model_id = ? AND topic_id >= 0",
                                        [first]).fetchall() for t in r[0]]
        coherence = con.execute("SELECT k, coherence_cv, chosen FROM topic_coherence WHERE model_id = ? ORDER BY k",
                                [first]).fetchall()
        registered = con.execute("SELECT method, n_docs, versions->>'qatysu', corpus_filter->>'lang' "
                                 "FROM topic_models WHERE model_id = ?", [first]).fetchone()
    # terms are lemmas (phrases are lemmas joined with _), never surface forms
    assert terms and all(part in vocabulary_ for t in terms for part in t.split("_"))
    assert set(main_topics(real, first)) == modelled
    assert main_topics(real, first) == main_topics(real, second)
    assert registered[0] == method and registered[1] == len(modelled) and registered[2] and registered[3] == "ru"
    if method == "lda":
        assert [k for k, _, _ in coherence] == [4, 8]
        assert all(cv is not None and 0 < cv < 1 for _, cv, _ in coherence)
        assert sum(chosen for *_, chosen in coherence) == 1
    shown = invoke("topics", "show", first, "--db", str(real.path))
    assert shown.returncode == 0 and "posts)" in shown.stdout
    listed = invoke("topics", "list", "--db", str(real.path), "--format", "csv")
    assert first in listed.stdout and second in listed.stdout


@pytest.mark.parametrize("method, options", [("lda", ["--k", "5"]),
                                             pytest.param("bertopic", [], marks=pytest.mark.slow)])
def test_a_model_fitted_on_a_sample_gives_every_post_its_topic(real, method, options):
    model = fit(real, "--method", method, "--fit-sample", "400", "--coherence-sample", "300", *options)
    with real.reader() as con:
        modelled = {r[0] for r in con.execute(
            "SELECT post_uid FROM post_lemmas WHERE lang IN ('ru', 'mixed')").fetchall()}
        n_docs, n_fit, assignment, coherence_docs = con.execute(
            "SELECT n_docs, n_fit, assignment, params->>'coherence_docs' FROM topic_models WHERE model_id = ?",
            [model]).fetchone()
        sizes = dict(con.execute("SELECT topic_id, size FROM topics WHERE model_id = ? AND size > 0",
                                 [model]).fetchall())
        rows_per_post = con.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM doc_topics WHERE model_id = ? "
                                    "AND is_main GROUP BY post_uid)", [model]).fetchone()[0]
    mains = main_topics(real, model)
    assert (n_docs, n_fit, coherence_docs) == (len(modelled), 400, "300")
    assert assignment.endswith("in batches of 20000")
    assert set(mains) == modelled and rows_per_post == 1
    assert sizes == dict(Counter(mains.values()))  # sizes count every post, not only the sample's
    assert Counter(mains.values()).get(-1, 0) < 0.5 * len(mains)


def test_time_and_region_views_sum_to_one_per_month(real):
    model = fit(real, "--method", "lda", "--k", "5")
    with real.reader() as con:
        months = con.execute("SELECT month, sum(share) FROM v_topic_shares_monthly WHERE model_id = ? GROUP BY 1",
                             [model]).fetchall()
    assert months and all(0.94 < total <= 1.0 + 1e-9 for _, total in months)  # θ below 0.05 is not stored


@pytest.mark.slow
def test_a_model_reloaded_from_disk_assigns_the_same_topics(real, tmp_path):
    uids, docs = load_documents(real, CorpusFilter("ru"))
    lda = fit_lda(docs, k=6, seed=3)
    lda.save(tmp_path / "lda")
    assert np.array_equal(load_model(tmp_path / "lda").assign(docs), lda.main_topic)
    bert = fit_bertopic(docs, seed=3)
    bert.save(tmp_path / "bertopic")
    assert np.array_equal(load_model(tmp_path / "bertopic").assign(docs), bert.model.assign(docs))


@pytest.mark.slow
def test_guided_bertopic_takes_one_seed_topic_per_lexicon_category(real, tmp_path):
    import json

    from qatysu.models.lexicon import load_lexicon

    mine = tmp_path / "mine.yaml"
    mine.write_text("categories:\n  transport:\n    group: theme\n    direction: mobilising\n"
                    "    description: buses and roads\n    source: my survey coding\n"
                    "    terms:\n      ru: [автобус, дорога]\n", encoding="utf-8")
    model_id = fit(real, "--method", "bertopic", "--guided", "--lexicon", str(mine))
    with real.reader() as con:
        params = json.loads(con.execute("SELECT params FROM topic_models WHERE model_id = ?", [model_id]).fetchone()[0])
    seeds = params["seed_topics"]
    ru_categories = {t.category for t in load_lexicon([mine]).terms if t.lang == "ru"}
    assert len(seeds) == len(ru_categories) and ["автобус", "дорога"] in seeds
    assert all(w.isalpha() or "_" in w for seed in seeds for w in seed)  # multi-word terms as phrase tokens
    refused = invoke("topics", "fit", "--db", str(real.path), "--method", "lda", "--guided")
    assert refused.returncode == 2 and "BERTopic" in refused.stderr


def purity(labels: np.ndarray, truth: list[str]) -> float:
    """Share of documents whose topic's most common true label is their own."""
    hits = 0
    for topic in set(labels.tolist()):
        members = [truth[i] for i in np.flatnonzero(labels == topic)]
        hits += Counter(members).most_common(1)[0][1]
    return hits / len(truth)


@pytest.mark.slow
def test_joint_lda_topics_are_monolingual_so_models_are_fitted_per_language():
    """Why ``--lang`` defaults to one language: Russian and Kazakh share almost no lemmas, so every topic of a
    joint model holds one language (a theme comes back as two unrelated topics, one per language), and with K
    equal to the number of themes a joint model lumps the smaller language together; one model per language
    recovers the themes of each."""
    corpus = generate(3000, REGIONS, seed=5, kk_share=0.5, marker_rate=0.0)
    posts = [p for p in corpus.posts if p.lang != "mixed"]
    docs, langs, themes = [p.lemmas for p in posts], [p.lang for p in posts], [p.theme for p in posts]
    n_themes = len(vocabulary()["themes"])
    assert purity(fit_lda(docs, k=2 * n_themes, seed=1).main_topic, langs) > 0.95
    joint_themes = purity(fit_lda(docs, k=n_themes, seed=1).main_topic, themes)
    for lang in ("ru", "kk"):
        idx = [i for i, lg in enumerate(langs) if lg == lang]
        alone = purity(fit_lda([docs[i] for i in idx], k=n_themes, seed=1).main_topic, [themes[i] for i in idx])
        assert alone > 0.7 and alone > joint_themes


def test_fitting_mixed_kazakh_posts_through_the_warehouse(tmp_path):
    wh = Warehouse.at(tmp_path / "mixed.duckdb")
    init_warehouse(wh)
    corpus = generate(800, REGIONS, seed=9, kk_share=1.0, marker_rate=0.0)
    with wh.writer() as con:
        upsert_posts(con, corpus.post_records())
    process_posts(wh, ProcessConfig())
    model = fit(wh, "--method", "lda", "--lang", "kk", "--k", str(len(vocabulary()["themes"])))
    truth = {f"telegram:{p.handle}:{p.post_id}": p.theme for p in corpus.posts}
    with wh.reader() as con:
        kazakh = {r[0] for r in con.execute("SELECT post_uid FROM post_lemmas WHERE lang IN ('kk', 'mixed')").fetchall()}
    assigned = main_topics(wh, model)
    assert set(assigned) == kazakh and len(kazakh) > 500
    uids = sorted(kazakh)
    assert purity(np.array([assigned[u] for u in uids]), [truth[u] for u in uids]) > 0.7


def test_report_shows_bertopic_views_and_topic_effects_with_labels(real, tmp_path):
    from qatysu.flows.config import ReportConfig
    from qatysu.flows.report import report_step
    from qatysu.warehouse.topic_store import latest_topic_model

    with real.reader() as con:
        bertopic = latest_topic_model(con, method="bertopic") or None
        lda = latest_topic_model(con, method="lda") or None
    bertopic = bertopic or fit(real, "--method", "bertopic")
    lda = lda or fit(real, "--method", "lda", "--k-grid", "4")
    effects = invoke("topics", "effects", lda, "--covariates", "month", "--draws", "5", "--db", str(real.path))
    assert effects.returncode == 0, effects.stderr[-2000:]
    report_step(real, tmp_path, ReportConfig(formats=["html"]))
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Topic models&#x27; own views" in page or "Topic models' own views" in page
    assert "Intertopic Distance Map" in page or "could not be drawn" in page
    assert "Topic effects" in page and "Difference in topic share by month" in page
    assert '<nav class="toc">' in page and 'href="#topic-effects"' in page
    assert "<script src=" not in page  # BERTopic's figures use the page's own plotly.js
    with real.reader() as con:
        labels = [r[0] for r in con.execute("SELECT label FROM topics WHERE model_id = ? AND topic_id >= 0",
                                            [lda]).fetchall()]
    assert any(label in page for label in labels)
