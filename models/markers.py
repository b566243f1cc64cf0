"""Marker scores: the weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words"), on a per-post binomial: for each unit w (a lemma, a phrase, a lexicon category or a topic), the
posts that contain it against the posts that do not, in high- and low-engagement posts.

With yᵍ posts containing w out of Nᵍ posts in group g (i = high, j = low) and a Beta(a, b) prior — the two-outcome
Dirichlet — centred on the unit's share of all posts of the scope:

    δ_w  = ln((yⁱ + a) / (Nⁱ − yⁱ + b)) − ln((yʲ + a) / (Nʲ − yʲ + b))
    σ²_w = 1/(yⁱ + a) + 1/(Nⁱ − yⁱ + b) + 1/(yʲ + a) + 1/(Nʲ − yʲ + b)
    z_w  = δ_w / σ_w

a = α₀·π_w and b = α₀·(1 − π_w), π_w = (posts of the scope with w + ½) / (posts of the scope + 1) (every post of
the scope, middle-engagement ones included; the ½ keeps π inside (0, 1)). Each unit is its own two-outcome model,
so the score of one unit never moves because another unit is enriched — unlike one multinomial over all units,
whose shared denominator pushes every other category the other way. σ² keeps the "without" terms that the
multinomial version drops: for a common unit (a category in half the posts) they are not negligible.

The prior is scaled to the corpus: α₀ = prior_share × the mean size of the two groups. Because a = α₀·π_w is
proportional to each unit's expected count, the prior shrinks every δ by about the same factor 1/(1 + prior_share)
and z by about 1/√(1 + prior_share), whatever the corpus size; a fixed α₀ (such as 1,000) would swallow a small
corpus and vanish in a large one. Natural logarithms; two-sided p from z under the normal approximation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

Q_LEVEL = 0.1
DETECTABLE_POWER = 0.8


@dataclass(frozen=True)
class LogOdds:
    delta: np.ndarray
    sigma: np.ndarray
    z: np.ndarray
    p: np.ndarray


def prior_size(n_high: int, n_low: int, prior_share: float) -> float:
    """α₀ = prior_share × (Nⁱ + Nʲ) / 2: the prior weighs ``prior_share`` of one group's evidence."""
    return prior_share * (n_high + n_low) / 2


def benjamini_hochberg(p: np.ndarray, family_size: int | None = None) -> np.ndarray:
    """BH-adjusted p-values (q): the smallest FDR level at which each test is a discovery. ``family_size`` (≥ the
    number of p-values) counts tests that were not carried out as p = 1: their units were screened out."""
    p = np.asarray(p, dtype=float)
    n = len(p)
    if n == 0:
        return p
    m = max(n, family_size or n)
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


def per_post_log_odds(with_high: np.ndarray, with_low: np.ndarray, n_high: int, n_low: int,
                      with_all: np.ndarray, n_all: int, alpha0: float) -> LogOdds:
    """δ, σ, z and p of each unit from the posts that contain it in the high group (of ``n_high``), the low group
    (of ``n_low``) and the whole scope (of ``n_all``, the prior's background), with prior size ``alpha0``."""
    y_i, y_j, y_all = (np.asarray(x, dtype=float) for x in (with_high, with_low, with_all))
    pi = (y_all + 0.5) / (n_all + 1.0)
    a, b = alpha0 * pi, alpha0 * (1.0 - pi)
    hi_with, hi_without = y_i + a, n_high - y_i + b
    lo_with, lo_without = y_j + a, n_low - y_j + b
    delta = np.log(hi_with / hi_without) - np.log(lo_with / lo_without)
    sigma = np.sqrt(1 / hi_with + 1 / hi_without + 1 / lo_with + 1 / lo_without)
    z = delta / sigma
    return LogOdds(delta, sigma, z, 2.0 * norm.sf(np.abs(z)))


def detectable_ratio(n_high: int, n_low: int, share: float, alpha: float,
                     power: float = DETECTABLE_POWER) -> float:
    """The smallest ratio r = (share of high-engagement posts with a unit) / (share of low-engagement posts with
    it) that the per-post log-odds find with probability ``power`` at two-sided level ``alpha``, for a unit in
    ``share`` of the posts (its two group shares straddling ``share`` geometrically); inf when none up to 100.
    Normal approximation of the log odds ratio without the prior, which shrinks z by √(1 + prior_share) at most."""
    need = norm.isf(alpha / 2) + norm.ppf(power)
    ratios = np.exp(np.linspace(0.0, np.log(100.0), 4001))[1:]
    p_high, p_low = np.minimum(share * np.sqrt(ratios), 0.999), share / np.sqrt(ratios)
    delta = np.log(p_high / (1 - p_high)) - np.log(p_low / (1 - p_low))
    sigma = np.sqrt(1 / (n_high * p_high * (1 - p_high)) + 1 / (n_low * p_low * (1 - p_low)))
    ok = np.nonzero(delta / sigma >= need)[0]
    return float(ratios[ok[0]]) if len(ok) else float("inf")
