"""Synthetic posts with planted effects, to check that the methods find what is there and nothing else.

Posts are written in Russian and Kazakh word forms (``synthetic_vocabulary.yaml``) whose lemmas are
known, across sources of very different size, each registered to a region. Planted effects:

* **markers**: a lemma multiplies the expected interactions of every post that contains it by a factor
  (2.0 doubles them, 0.5 halves them); every other marker word occurs just as often with no effect;
* **theme effects**: every post of a theme (and so, mostly, of the lexicon category of the same name) gets its
  expected interactions multiplied by a factor;
* **theme tracks**: a theme's share of a region's posts rises (slope > 0) or falls with the region's
  standardised value of a participation indicator (turnout);
* **vote windows**: posts fall in windows before several votes, and a theme's share of a region's posts in the
  window before a vote rises with the region's standardised turnout change at that vote (its turnout beyond
  its usual level and the national swing) — what a panel with region and vote fixed effects should recover.

Realistic noise, so that power is not flattered: each post's expected interactions carry a log-normal factor
(sd ``noise_sd``, 0.8 by default: a post can easily get twice or half its source's usual engagement for no
reason); sources differ by three orders of magnitude in audience and in how often they post; some marker words
travel together (the pairs in the vocabulary's ``cooccur``: the second comes with the first in ``cooccur`` of the
posts that have the first), so a method that scores one word at a time flags the companion of a true marker too.
Null data is the same generator with no effect planted. The corpus keeps each post's true lemmas, so the
statistics can be validated without the processing step, and its texts, so the whole pipeline can be.
"""

from __future__ import annotations

import math

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

KINDS = ("news", "official", "akimat", "blogger", "activist")


@dataclass(frozen=True)
class Word:
    form: str
    lemma: str


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The vocabulary: filler, themes and markers, per language, as :class:`Word`."""
    raw = yaml.safe_load((resources.files("qatysu.synthetic") / "synthetic_vocabulary.yaml").read_text("utf-8"))

    def words(items: list[str]) -> list[Word]:
        return [Word(*item.split("/")) for item in items]

    return {
        "function": raw["function"],
        "filler": {lang: words(w) for lang, w in raw["filler"].items()},
        "themes": {t: {lang: words(w) for lang, w in langs.items()} for t, langs in raw["themes"].items()},
        "markers": {lang: words(w) for lang, w in raw["markers"].items()},
        "cooccur": {lang: dict(pairs) for lang, pairs in raw["cooccur"].items()},
    }


@dataclass(frozen=True)
class VoteWindow:
    """Posts dated in the ``days`` before ``vote_day``; ``change`` is each region's standardised turnout change
    at the vote, which the window theme follows."""

    name: str
    vote_day: datetime
    days: int
    change: Mapping[str, float]


@dataclass(frozen=True)
class PlantedEffects:
    markers: Mapping[str, float] = field(default_factory=dict)  # lemma → factor on expected interactions
    themes: Mapping[str, float] = field(default_factory=dict)  # theme → factor on expected interactions
    theme_tracks: Mapping[str, float] = field(default_factory=dict)  # theme → slope per SD of the indicator
    indicator: Mapping[str, float] = field(default_factory=dict)  # region → value the themes track
    indicator_name: str = ""
    windows: Sequence[VoteWindow] = ()  # when given, posts are spread over these windows
    window_theme: Mapping[str, float] = field(default_factory=dict)  # theme → slope per SD of turnout change

    def describe(self) -> list[str]:
        lines = [f"posts containing «{m}» get ×{f:g} the interactions of comparable posts"
                 for m, f in sorted(self.markers.items(), key=lambda x: -x[1])]
        lines += [f"posts on the theme «{t}» get ×{f:g} the interactions of comparable posts"
                  for t, f in sorted(self.themes.items(), key=lambda x: -x[1])]
        lines += [f"the share of theme «{t}» in a region {'rises' if s > 0 else 'falls'} by a factor e^{abs(s):g} "
                  f"per standard deviation of {self.indicator_name or 'the indicator'}"
                  for t, s in self.theme_tracks.items()]
        if self.windows:
            names = ", ".join(w.name for w in self.windows)
            lines += [f"posts fall in the {self.windows[0].days} days before each of {names}; there the share of "
                      f"theme «{t}» in a region {'rises' if s > 0 else 'falls'} by a factor e^{abs(s):g} per "
                      "standard deviation of the region's turnout change at that vote (turnout beyond the region's "
                      "usual level and the national swing): the panel of the Scenarios section should find it"
                      for t, s in self.window_theme.items()]
        return lines or ["none: null data, any finding is a false discovery"]


@dataclass(frozen=True)
class SyntheticSource:
    handle: str
    title: str
    kind: str
    region_code: str
    langs: tuple[str, ...]
    subscribers: int


@dataclass(frozen=True)
class SyntheticPost:
    handle: str
    post_id: int
    published_at: datetime
    lang: str  # ru, kk or mixed
    text: str
    lemmas: list[str]  # content lemmas, in order
    theme: str
    region_code: str
    views: int | None
    reactions: int | None
    comments: int | None
    forwards: int | None


@dataclass
class SyntheticCorpus:
    sources: list[SyntheticSource]
    posts: list[SyntheticPost]
    effects: PlantedEffects
    seed: int

    def source_records(self) -> list[dict[str, Any]]:
        return [{"platform": "telegram", "handle": s.handle, "title": s.title, "kind": s.kind,
                 "region_code": s.region_code, "subscribers": s.subscribers} for s in self.sources]

    def post_records(self) -> list[dict[str, Any]]:
        """Posts as ``warehouse.upsert_posts`` takes them."""
        return [{"platform": "telegram", "source": p.handle, "post_id": p.post_id, "published_at": p.published_at,
                 "url": f"https://t.me/{p.handle}/{p.post_id}", "text": p.text, "views": p.views,
                 "reactions": p.reactions, "comments": p.comments, "forwards": p.forwards} for p in self.posts]


def _sentence(words: list[Word | str]) -> tuple[str, list[str]]:
    """Text of the words, and the lemmas of all but the function words (plain strings)."""
    text = " ".join(w if isinstance(w, str) else w.form for w in words)
    return text[:1].upper() + text[1:] + ".", [w.lemma for w in words if isinstance(w, Word)]


def generate(
    n_posts: int,
    regions: Sequence[str],
    *,
    effects: PlantedEffects = PlantedEffects(),
    n_sources: int = 60,
    seed: int = 0,
    kk_share: float = 0.3,
    marker_rate: float = 0.08,
    no_counters: float = 0.03,
    noise_sd: float = 0.8,
    cooccur: float = 0.6,
    start: datetime = datetime(2025, 7, 1, tzinfo=timezone.utc),
    days: int = 180,
) -> SyntheticCorpus:
    """``n_posts`` posts from ``n_sources`` sources spread over ``regions``, with ``effects`` planted.

    Source sizes span three orders of magnitude (log-uniform subscribers, 300 to 300,000) and every source
    has its own typical engagement rate, so that a method which ignores the source is misled. Each marker
    word occurs in a post with probability ``marker_rate`` (its companion, if it has one, follows it in
    ``cooccur`` of those posts); ``no_counters`` of posts come without counters; ``noise_sd`` is the sd of the
    log-normal noise on each post's expected interactions.
    """
    rng = np.random.default_rng(seed)
    vocab = vocabulary()
    themes = sorted(vocab["themes"])
    sources = []
    for i in range(n_sources):
        draw = rng.random()
        langs = ("kk",) if draw < kk_share / 2 else ("ru", "kk") if draw < kk_share else ("ru",)
        sources.append(SyntheticSource(
            handle=f"demo_{i:03d}", title=f"Demo channel {i}", kind=KINDS[i % len(KINDS)],
            region_code=regions[i % len(regions)], langs=langs,
            subscribers=int(np.exp(rng.uniform(np.log(300), np.log(300_000))))))
    rate = rng.uniform(0.005, 0.05, n_sources)  # each source's own typical interactions per view
    share = rng.dirichlet(np.ones(n_sources) * 0.7)  # posts per source: a few prolific sources
    values = np.array([effects.indicator.get(r, np.nan) for r in regions], dtype=float)
    z = (values - np.nanmean(values)) / (np.nanstd(values) or 1.0) if effects.indicator else np.zeros(len(regions))
    z = np.nan_to_num(z)
    region_index = {r: i for i, r in enumerate(regions)}
    theme_p = np.ones((n_sources, len(themes)))  # each source's theme shares, tracking its region's indicator
    for i, src in enumerate(sources):
        for t, slope in effects.theme_tracks.items():
            theme_p[i, themes.index(t)] *= np.exp(slope * z[region_index[src.region_code]])
    theme_p /= theme_p.sum(axis=1, keepdims=True)
    companions = {lang: {w.lemma: w for w in words} for lang, words in vocab["markers"].items()}
    posts = []
    for n, s_idx in enumerate(rng.choice(n_sources, size=n_posts, p=share)):
        src = sources[s_idx]
        window = effects.windows[rng.integers(len(effects.windows))] if effects.windows else None
        p_theme = theme_p[s_idx]
        if window is not None and effects.window_theme:
            weights = p_theme.copy()
            for t, slope in effects.window_theme.items():
                weights[themes.index(t)] *= np.exp(slope * window.change.get(src.region_code, 0.0))
            p_theme = weights / weights.sum()
        theme = themes[rng.choice(len(themes), p=p_theme)]
        lang = src.langs[0] if len(src.langs) == 1 else ("mixed" if rng.random() < 0.2 else str(rng.choice(src.langs)))
        parts = []
        for sent_lang in (("ru", "kk") if lang == "mixed" else (lang,)):
            theme_words = vocab["themes"][theme][sent_lang]
            words = [theme_words[i] for i in rng.choice(len(theme_words), size=rng.integers(3, 7))]
            filler = vocab["filler"][sent_lang]
            words += [filler[i] for i in rng.choice(len(filler), size=rng.integers(2, 5))]
            drawn = rng.random(len(vocab["markers"][sent_lang])) < marker_rate
            markers = [m for m, d in zip(vocab["markers"][sent_lang], drawn) if d]
            present = {m.lemma for m in markers}
            markers += [companions[sent_lang][c] for m in list(markers)
                        if (c := vocab["cooccur"][sent_lang].get(m.lemma)) and c not in present
                        and rng.random() < cooccur]
            function = vocab["function"][sent_lang]
            words += [function[i] for i in rng.choice(len(function), size=rng.integers(1, 4))]
            order = rng.permutation(len(words) + len(markers))
            everything = words + markers
            parts.append(_sentence([everything[i] for i in order]))
        lemmas = [lemma for _, ls in parts for lemma in ls]
        factor = math.prod(effects.markers.get(lemma, 1.0) for lemma in set(lemmas))
        factor *= effects.themes.get(theme, 1.0)
        published = (start + timedelta(seconds=float(rng.uniform(0, days * 86400))) if window is None else
                     window.vote_day - timedelta(seconds=float(rng.uniform(1, window.days * 86400))))
        if rng.random() < no_counters:
            views = reactions = comments = forwards = None
        else:
            views = int(src.subscribers * rng.lognormal(np.log(0.3), 0.5)) + 1
            expected = views * rate[s_idx] * factor * rng.lognormal(0, noise_sd)
            reactions, comments, forwards = (int(rng.poisson(expected * f)) for f in (0.7, 0.1, 0.2))
        posts.append(SyntheticPost(src.handle, n + 1, published, lang, " ".join(t for t, _ in parts), lemmas, theme,
                                   src.region_code, views, reactions, comments, forwards))
    return SyntheticCorpus(sources, posts, effects, seed)
