"""Accuracy of Qatysu's language processing on the hand-labelled gold sets of tests/gold, with the offline
detector lingua (lingua-language-detector) measured on the same texts as a second opinion.

Prints: lemma accuracy for Russian forms, Kazakh forms, Kazakh words inside Russian or mixed sentences and
informal Kazakh typed with Russian letters; the share of those Kazakh words read as Kazakh (Qatysu's run
language against lingua's word language in context); language-id accuracy on the labelled posts and on
texts in neighbouring languages (which must come out ``other``, never ``kk`` or ``ru``), for both; region
precision and recall on sentences labelled with the regions they name. Each figure comes with its count.
Run: python bench/nlp_gold.py [--misses]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold"


def rows(name: str, fields: int) -> list[list[str]]:
    lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t", fields - 1) for line in lines if line.strip() and not line.startswith("#")]


def lemma_accuracy(name: str, show: bool) -> tuple[float, int, dict[str, list[str]]]:
    from qatysu.nlp.pipeline import analyze

    gold = rows(name, 3)
    sentences = sorted({s for s, _, _ in gold})
    analysed = dict(zip(sentences, analyze(sentences)))
    langs: dict[str, list[str]] = {}
    misses = []
    for sentence, form, lemma in gold:
        found = [t for t in analysed[sentence].tokens if t.text.lower() == form.lower()]
        got = found[0].lemma if found else None
        langs.setdefault(sentence, []).append(found[0].lang if found else None)
        if got != lemma.replace("ё", "е"):
            misses.append((form, lemma, got))
    if show and misses:
        print(f"  {name} misses: {misses}")
    return 1 - len(misses) / len(gold), len(gold), langs


def kazakh_word_share(name: str) -> tuple[float, float | None, int]:
    """Share of the gold Kazakh words read as Kazakh: Qatysu's token language, lingua's word language in
    context (the language of the span of its multi-language detection that covers the word)."""
    from qatysu.nlp.pipeline import analyze

    gold = rows(name, 3)
    ours = lingua_hits = 0
    detector = lingua_detector()
    for sentence, form, _ in gold:
        tokens = next(analyze([sentence])).tokens
        found = [t for t in tokens if t.text.lower() == form.lower()]
        ours += bool(found and found[0].lang == "kk")
        if detector is not None:
            start = sentence.lower().find(form.lower())
            spans = detector.detect_multiple_languages_of(sentence)
            for span in spans:
                if span.start_index <= start < span.end_index:
                    lingua_hits += span.language.name == "KAZAKH"
                    break
    return ours / len(gold), (lingua_hits / len(gold) if detector else None), len(gold)


_DETECTOR = []


def lingua_detector():
    if not _DETECTOR:
        try:
            from lingua import Language, LanguageDetectorBuilder
        except ImportError:
            _DETECTOR.append(None)
        else:
            # every Cyrillic language lingua knows, so a neighbour can come out as itself
            langs = [Language.KAZAKH, Language.RUSSIAN, Language.UKRAINIAN, Language.BELARUSIAN,
                     Language.BULGARIAN, Language.MACEDONIAN, Language.SERBIAN, Language.MONGOLIAN,
                     Language.ENGLISH]
            _DETECTOR.append(LanguageDetectorBuilder.from_languages(*langs).build())
    return _DETECTOR[0]


def lingua_label(text: str) -> str:
    """ru, kk, mixed or other from lingua: ``mixed`` when its multi-language spans hold both Kazakh and
    Russian with at least two words each."""
    detector = lingua_detector()
    spans = detector.detect_multiple_languages_of(text)
    words = Counter()
    for span in spans:
        words[span.language.name] += span.word_count
    kk, ru = words["KAZAKH"], words["RUSSIAN"]
    if kk >= 2 and ru >= 2:
        return "mixed"
    if not words:
        return "und"
    top = words.most_common(1)[0][0]
    return {"KAZAKH": "kk", "RUSSIAN": "ru"}.get(top, "other")


def langid(show: bool) -> dict[str, tuple[float, int]]:
    from qatysu.nlp.langid import detect
    from qatysu.nlp.normalize import normalize

    posts = rows("langid.tsv", 2)
    neighbours = rows("langid_neighbours.tsv", 2)
    out = {}
    for who, label_of in (("qatysu", lambda t: detect(normalize(t).text).lang), ("lingua", lingua_label)):
        if who == "lingua" and lingua_detector() is None:
            continue
        started = time.perf_counter()
        wrong = [(label, got, text) for label, text in posts if (got := label_of(text)) != label]
        near = [(lang, label_of(text), text) for lang, text in neighbours]
        elapsed = time.perf_counter() - started
        near_wrong = [n for n in near if n[1] != "other"]
        total = len(posts) + len(near)
        out[who] = {
            "posts": (1 - len(wrong) / len(posts), len(posts)),
            "neighbours": (1 - len(near_wrong) / len(near), len(near)),
            "neighbours_kk": (sum(n[1] == "kk" for n in near), len(near)),
            "overall": (1 - (len(wrong) + len(near_wrong)) / total, total),
            "texts_per_s": (total / elapsed, total),
        }
        if show:
            print(f"  {who} langid misses: {wrong}")
            print(f"  {who} neighbour misses: {near_wrong}")
    return out


def regions(show: bool) -> tuple[float, float, int]:
    from qatysu.nlp.pipeline import analyze, lemmatize_phrase
    from qatysu.nlp.regions import RegionMatcher
    from qatysu.warehouse.reference import region_aliases

    matcher = RegionMatcher(((a, code, kind) for a, _, code, _, kind in region_aliases()), lemmatize_phrase)
    gold = rows("regions.tsv", 2)
    tp = fp = fn = 0
    misses = []
    for codes, sentence in gold:
        expected = set() if codes == "-" else set(codes.split(","))
        a = next(analyze([sentence]))
        found = {m.region_code for m in matcher.find(a.word_lemmas, a.name_evidence)}
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        if found != expected:
            misses.append((sentence, sorted(expected), sorted(found)))
    if show:
        print(f"  region misses: {misses}")
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), len(gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="print every miss")
    args = parser.parse_args()
    for name, label in (("lemmas_ru.tsv", "Russian lemmas"), ("lemmas_kk.tsv", "Kazakh lemmas"),
                        ("lemmas_kk_heldout.tsv", "Kazakh lemmas (held out)"),
                        ("lemmas_kk_mixed.tsv", "Kazakh lemmas in Russian/mixed sentences"),
                        ("lemmas_kk_informal.tsv", "informal Kazakh lemmas")):
        acc, n, _ = lemma_accuracy(name, args.misses)
        print(f"{label}: {acc:.1%} of {n} forms")
    for name, label in (("lemmas_kk_mixed.tsv", "in Russian/mixed sentences"),
                        ("lemmas_kk_informal.tsv", "informal")):
        ours, theirs, n = kazakh_word_share(name)
        lingua = f", lingua {theirs:.1%}" if theirs is not None else ""
        print(f"Kazakh words {label} read as Kazakh: qatysu {ours:.1%}{lingua} of {n}")
    results = langid(args.misses)
    for who, r in results.items():
        print(f"{who} language id: posts {r['posts'][0]:.1%} of {r['posts'][1]}, neighbours `other` "
              f"{r['neighbours'][0]:.1%} of {r['neighbours'][1]} ({r['neighbours_kk'][0]} read as kk), "
              f"overall {r['overall'][0]:.1%} of {r['overall'][1]}; {r['texts_per_s'][0]:,.0f} texts/s")
    precision, recall, n = regions(args.misses)
    print(f"regions: precision {precision:.1%}, recall {recall:.1%} on {n} sentences")
    q = results["qatysu"]["overall"][0]
    print(f"nlp_gold: language id {q:.1%} overall, region precision {precision:.1%} / recall {recall:.1%}")


if __name__ == "__main__":
    main()
