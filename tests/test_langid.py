"""Language identification on 205 hand-labelled posts and on the real Russian corpus."""

import collections
import json
from pathlib import Path

from qatysu.nlp.langid import detect, runs
from qatysu.nlp.normalize import normalize

from helpers import SHARED

GOLD = Path(__file__).parent / "gold" / "langid.tsv"


def labelled() -> list[tuple[str, str]]:
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t", 1)) for line in lines if line.strip() and not line.startswith("#")]


def test_labelled_set_covers_three_labels():
    counts = collections.Counter(label for label, _ in labelled())
    assert sum(counts.values()) >= 200 and set(counts) == {"ru", "kk", "mixed"} and min(counts.values()) >= 40


def test_accuracy_on_labelled_posts():
    rows = labelled()
    wrong = [(label, detect(normalize(text).text).lang, text) for label, text in rows]
    wrong = [w for w in wrong if w[0] != w[1]]
    accuracy = 1 - len(wrong) / len(rows)
    print(f"\nlanguage id accuracy {accuracy:.1%} on {len(rows)} posts; wrong: {wrong}")
    assert accuracy >= 0.95, wrong


def test_real_russian_posts_are_russian():
    texts = []
    for path in sorted((SHARED / "corpora" / "ru_telegram_posts").glob("*_messages.json"))[:8]:
        texts += [m["text"] for m in json.loads(path.read_text(encoding="utf-8")) if m["text"]]
    langs = collections.Counter(detect(normalize(t).text).lang for t in texts)
    assert langs["ru"] / sum(langs.values()) >= 0.99, langs
    assert langs["kk"] == 0


def test_other_scripts_and_empty_text():
    assert detect("Breaking news from the parliament today, more soon").lang == "other"
    assert detect("🔥🔥 123").lang == "und"


def test_runs_split_a_code_switching_post():
    words = "Бәріміз бірге болайық мы вместе не молчи".split()
    assert runs(words, "ru") == [("kk", 0, 3), ("ru", 3, 7)]
