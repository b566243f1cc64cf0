"""Synthetic petitions with planted effects on signatures per day, written as the file ``qatysu import petitions``
reads.

Each petition has a theme, Russian or Kazakh text from the synthetic vocabulary, a region, a platform and a pace
(signatures per day). Realistic trouble is built in: paces are heavy-tailed (log-normal, σ = 0.9), the platforms
differ fivefold in their usual pace, and the word «петиция» is common on the fast platform and rare on the slow
one, so an analysis that pooled platforms would call it a marker although it has no effect. Each platform has a
threshold (a goal, on change.org) that about a third of its petitions reach in their 90 days, so the threshold
outcome has the same planted markers; readings taken while petitions are still open leave some undecided
(censored). Planted: a lemma
multiplies the pace of every petition that contains it by its factor; every other marker word of the
vocabulary occurs just as often with no effect. Readings are taken at any time: the count is the pace times the
days open up to then (or to closing), with a little day-to-day noise.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from qatysu.synthetic.corpus import Word, _sentence, vocabulary

PETITION_MARKERS = {"подписать": 2.5, "бірге": 2.5, "бесполезно": 0.4}
CONFOUNDED = "петиция"  # no effect, but far more common on the faster platform
THEMES = ("housing", "tariffs", "ecology", "healthcare", "elections")
# platform → (usual signatures per day, share of petitions, threshold, share of petitions naming «петиция», target)
PLATFORMS = {
    "egov": (20.0, 0.7, 3_000, 0.5, "Правительство Республики Казахстан"),
    "change.org": (4.0, 0.3, 500, 0.05, "Акимат"),
}
FIELDS = ("platform", "petition_id", "title", "text", "url", "author", "created_at", "closes_at", "status",
          "target", "region", "topic_tags", "signatures", "threshold", "observed_at")


@dataclass(frozen=True)
class SyntheticPetition:
    platform: str
    petition_id: str
    lang: str
    title: str
    text: str
    lemmas: list[str]  # content lemmas of title and text, as processing gives them
    theme: str
    region_code: str
    created_at: datetime
    closes_at: datetime
    pace: float  # true signatures per day

    def signatures_at(self, when: datetime, rng: np.random.Generator) -> int:
        days = max((min(when, self.closes_at) - self.created_at).total_seconds() / 86400, 0.0)
        return int(rng.poisson(self.pace * days * rng.lognormal(0, 0.05)))


def _words(rng: np.random.Generator, lang: str, theme: str, extra: Sequence[Word]) -> tuple[str, list[str]]:
    vocab = vocabulary()
    theme_words, filler = vocab["themes"][theme][lang], vocab["filler"][lang]
    words: list[Word | str] = [theme_words[i] for i in rng.choice(len(theme_words), size=rng.integers(3, 6))]
    words += [filler[i] for i in rng.choice(len(filler), size=rng.integers(2, 5))]
    words += [vocab["function"][lang][i] for i in rng.choice(len(vocab["function"][lang]), size=2)]
    words += list(extra)
    return _sentence([words[i] for i in rng.permutation(len(words))])


def generate_petitions(n: int, regions: Sequence[str], *, markers: Mapping[str, float] = PETITION_MARKERS,
                       seed: int = 0, kk_share: float = 0.3, marker_rate: float = 0.12,
                       start: datetime = datetime(2025, 1, 1, tzinfo=timezone.utc), days: int = 240
                       ) -> list[SyntheticPetition]:
    """``n`` petitions opened over ``days`` from ``start``, each open 90 days, with ``markers`` planted."""
    rng = np.random.default_rng(seed)
    names = list(PLATFORMS)
    shares = np.array([PLATFORMS[p][1] for p in names])
    petitions = []
    for i in range(n):
        platform = names[rng.choice(len(names), p=shares / shares.sum())]
        base, _, _, confounded_rate, _ = PLATFORMS[platform]
        lang = "kk" if rng.random() < kk_share else "ru"
        theme = THEMES[rng.integers(len(THEMES))]
        marker_words = [w for w in vocabulary()["markers"][lang]
                        if rng.random() < (confounded_rate if w.lemma == CONFOUNDED else marker_rate)]
        title, title_lemmas = _words(rng, lang, theme, [])
        body, body_lemmas = _words(rng, lang, theme, marker_words)
        lemmas = title_lemmas + body_lemmas
        factor = float(np.prod([markers.get(lemma, 1.0) for lemma in set(lemmas)]))
        created = start + timedelta(seconds=float(rng.uniform(0, days * 86400)))
        petitions.append(SyntheticPetition(
            platform, str(10_000 + i), lang, title, body, lemmas, theme, regions[rng.integers(len(regions))],
            created, created + timedelta(days=90), base * factor * float(rng.lognormal(0, 0.9))))
    return petitions


def write_petitions_file(path: Path, petitions: Sequence[SyntheticPetition], observed_at: datetime,
                         *, seed: int = 0) -> Path:
    """The petitions as read at ``observed_at``, as CSV or JSON Lines (by the file's suffix); authors are
    made-up names, pseudonymised by the import."""
    rng = np.random.default_rng(seed)
    rows = []
    for p in petitions:
        _, _, threshold, _, target = PLATFORMS[p.platform]
        rows.append({
            "platform": p.platform, "petition_id": p.petition_id, "title": p.title, "text": p.text,
            "url": f"https://{p.platform}.example/petitions/{p.petition_id}", "author": f"Автор {p.petition_id}",
            "created_at": p.created_at.isoformat(), "closes_at": p.closes_at.isoformat(),
            "status": "open" if observed_at < p.closes_at else "closed", "target": target, "region": p.region_code,
            "topic_tags": p.theme, "signatures": p.signatures_at(observed_at, rng), "threshold": threshold,
            "observed_at": observed_at.isoformat(),
        })
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, FIELDS)
            writer.writeheader()
            writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)
    else:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def describe(markers: Mapping[str, float] = PETITION_MARKERS) -> list[str]:
    """The planted petition effects in words, for the demo's description."""
    return [f"petitions containing «{m}» gather ×{f:g} the signatures per day of comparable petitions"
            for m, f in sorted(markers.items(), key=lambda x: -x[1])] + [
        f"«{CONFOUNDED}» has no effect but is ten times as common on the faster platform (a confound that "
        "comparing petitions within their platform must not report)"]
