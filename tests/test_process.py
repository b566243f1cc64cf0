"""The processing step over a real warehouse: real Russian posts from the shared corpus plus Kazakh and
mixed posts, through `qatysu process`."""

import json

import pytest

from qatysu.warehouse import upsert_posts, upsert_sources

from helpers import invoke, shared_posts

KAZAKH = [
    "Сайлауға барлығыңыз қатысыңыздар! Қарағанды облысында учаскелер ашылды",
    "Шымкентте коммуналдық тарифтерге қарсы наразылық акциясы өтті",
    "Петицияға қол қойыңыздар, тұрғындар баспана мәселесін шешуді талап етеді",
    "Алматы облысы әкімі тұрғындармен кездесті",
    "Бәріміз бірге сайлауға барайық. Приходите на выборы, каждый голос важен",
]


@pytest.fixture
def corpus(wh):
    posts = shared_posts(120) + [
        {"platform": "telegram", "source": "kz_akimat", "post_id": i, "published_at": "2024-05-01T10:00:00+05:00",
         "text": t} for i, t in enumerate(KAZAKH)
    ] + [{"platform": "import", "source": "survey", "post_id": "x1", "published_at": "2024-05-02", "text":
          "Митинг против тарифов", "region_code": "KZ-55"}]
    with wh.writer() as con:
        upsert_sources(con, [{"platform": "telegram", "handle": "kz_akimat", "region_code": "KZ-35"}])
        upsert_posts(con, posts)
    return wh


def test_process_writes_lemmas_languages_and_regions_for_every_post(corpus):
    result = invoke("process", "--db", str(corpus.path), "--batch-size", "50")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Processed 126 posts" in result.stdout
    with corpus.reader() as con:
        missing = con.execute("SELECT count(*) FROM posts LEFT JOIN post_lemmas USING (post_uid) "
                              "WHERE post_lemmas.post_uid IS NULL").fetchone()[0]
        langs = dict(con.execute("SELECT post_id, lang FROM posts WHERE source_id = 'telegram:kz_akimat'").fetchall())
        shared_langs = con.execute("SELECT l.lang, count(*) FROM post_lemmas l JOIN posts USING (post_uid) "
                                   "WHERE source_id LIKE 'telegram:channel_%' GROUP BY 1").fetchall()
        lemmas = con.execute("SELECT lemmas FROM post_lemmas WHERE post_uid = 'telegram:kz_akimat:0'").fetchone()[0]
        regions = con.execute("SELECT post_uid, region_code, method FROM post_regions "
                              "WHERE post_uid LIKE 'telegram:kz_akimat:%' OR post_uid LIKE 'import:%' "
                              "ORDER BY 1, 2, 3").fetchall()
    assert missing == 0
    assert langs == {"0": "kk", "1": "kk", "2": "kk", "3": "kk", "4": "mixed"}
    assert dict(shared_langs).get("ru", 0) >= 118
    assert lemmas[:3] == ["сайлау", "қатысу", "қарағанды"]  # барлық is a stop word
    assert ("telegram:kz_akimat:0", "KZ-35", "text") in regions
    assert ("telegram:kz_akimat:1", "KZ-79", "text") in regions
    assert ("telegram:kz_akimat:3", "KZ-19", "text") in regions
    assert ("telegram:kz_akimat:3", "KZ-75", "text") not in regions  # «Алматы облысы» is the region
    assert ("telegram:kz_akimat:2", "KZ-35", "source") in regions
    assert ("import:survey:x1", "KZ-55", "given") in regions


def test_process_is_incremental_and_follows_edits(corpus):
    assert invoke("process", "--db", str(corpus.path), "--workers", "1").returncode == 0
    again = invoke("process", "--db", str(corpus.path))
    assert "nothing to do" in again.stdout
    with corpus.writer() as con:
        upsert_posts(con, [{"platform": "telegram", "source": "kz_akimat", "post_id": 1,
                            "text": "Павлодарда жиналыс өтті"}])
    edited = invoke("process", "--db", str(corpus.path))
    assert "Processed 1 posts" in edited.stdout
    with corpus.reader() as con:
        lemmas, hash_ok = con.execute(
            "SELECT lemmas, l.content_hash = p.content_hash FROM post_lemmas l JOIN posts p USING (post_uid) "
            "WHERE post_uid = 'telegram:kz_akimat:1'").fetchone()
        regions = con.execute("SELECT region_code FROM post_regions WHERE post_uid = 'telegram:kz_akimat:1' "
                              "AND method = 'text'").fetchall()
    assert lemmas == ["павлодар", "жиналыс", "өту"] and hash_ok
    assert regions == [("KZ-55",)]
    everything = invoke("process", "--reprocess", "--db", str(corpus.path))
    assert "Processed 126 posts" in everything.stdout


def test_nlp_analyze_prints_one_json_object_per_text(tmp_path):
    f = tmp_path / "texts.txt"
    f.write_text("Выборы акимов в Шымкенте\nСайлауға қатысыңыздар\n", encoding="utf-8")
    result = invoke("nlp", "analyze", "--file", str(f), "--json")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["lang"] for r in rows] == ["ru", "kk"]
    assert [t["lemma"] for t in rows[0]["tokens"]] == ["выборы", "аким", "в", "шымкент"]
    assert [t["is_stop"] for t in rows[0]["tokens"]] == [False, False, True, False]
    assert rows[0]["regions"][0]["region_code"] == "KZ-79"
    assert [t["lemma"] for t in rows[1]["tokens"]] == ["сайлау", "қатысу"]


def _outputs(wh):
    with wh.reader(live=True) as con:
        return (con.execute("SELECT post_uid, lang, lemmas, tokens, hashtags, mentions, urls, emoji FROM post_lemmas "
                            "ORDER BY post_uid").fetchall(),
                con.execute("SELECT * FROM post_regions ORDER BY ALL").fetchall(),
                con.execute("SELECT * FROM post_phrases ORDER BY ALL").fetchall())


def test_worker_processes_store_what_one_process_stores(tmp_path):
    from qatysu.flows.config import ProcessConfig
    from qatysu.flows.process import process_posts
    from qatysu.warehouse import Warehouse, init_warehouse

    posts = shared_posts(600)
    stored = []
    for workers in (1, 2):
        wh = Warehouse.at(tmp_path / f"w{workers}.duckdb")
        init_warehouse(wh)
        with wh.writer() as con:
            upsert_posts(con, posts)
        summary = process_posts(wh, ProcessConfig(workers=workers, batch_size=70))  # batches of uneven chunks, several in flight
        assert summary.processed == 600
        stored.append(_outputs(wh))
    one, two = stored
    assert len(one[0]) == 600 and one[1] and one[2]
    assert one == two


def test_phrases_are_gensims(shared_lemma_lists):
    """The phrase model counts and joins at C speed; what it learns and joins is what gensim's Phrases does."""
    from gensim.models.phrases import Phrases

    from qatysu.nlp.phrases import PhraseModel, phrases_of

    docs = [d for d in shared_lemma_lists if d]
    model, joined = PhraseModel.train_and_join(shared_lemma_lists, min_count=3)
    bigrams = Phrases(docs, min_count=3, threshold=0.5, scoring="npmi", delimiter="_").freeze()
    trigrams = Phrases(bigrams[docs], min_count=3, threshold=0.5, scoring="npmi", delimiter="_").freeze()
    assert model.bigrams.phrasegrams == bigrams.phrasegrams and len(bigrams.phrasegrams) > 50
    assert model.trigrams.phrasegrams == trigrams.phrasegrams and len(trigrams.phrasegrams) > 50
    assert model.join(docs).to_pylist() == [trigrams[bigrams[d]] for d in docs]
    assert joined.to_pylist() == model.join(shared_lemma_lists).to_pylist()
    assert phrases_of(joined).to_pylist() == [[t for t in d if "_" in t] for d in joined.to_pylist()]


def test_phrases_are_gensims_where_tokens_spell_alike():
    """Random small corpora whose tokens include the delimiter (a_b, b_c): pairs spelt alike (a_b + c,
    a + b_c; a + b and the token a_b) add up in gensim's vocabulary, and so they do here."""
    import random

    from gensim.models.phrases import Phrases

    from qatysu.nlp.phrases import PhraseModel

    for seed in range(150):
        rng = random.Random(seed)
        words = ["a", "b", "c", "d", "a_b", "b_c", "e", "f"][:rng.randint(3, 8)]
        docs = [[rng.choice(words) for _ in range(rng.randint(0, 12))] for _ in range(rng.randint(5, 60))]
        min_count, threshold = rng.choice([1, 2, 3]), rng.choice([-0.5, 0.0, 0.3])
        model, joined = PhraseModel.train_and_join(docs, min_count=min_count, threshold=threshold)
        kept = [d for d in docs if d]
        bigrams = Phrases(kept, min_count=min_count, threshold=threshold, scoring="npmi", delimiter="_").freeze()
        trigrams = Phrases(bigrams[kept], min_count=min_count, threshold=threshold, scoring="npmi",
                           delimiter="_").freeze()
        assert model.bigrams.phrasegrams == bigrams.phrasegrams, seed
        assert model.trigrams.phrasegrams == trigrams.phrasegrams, seed
        assert joined.to_pylist() == [trigrams[bigrams[d]] for d in docs], seed
