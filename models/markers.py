"""Marker-word scores: the weighted log-odds ratio with an informative Dirichlet prior
(Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 16–22), comparing high- and low-engagement posts.

For a unit w (a lemma, a phrase, a lexicon category or a topic) counted once per post that contains it:

    δ_w  = ln((y_wⁱ + α_w) / (nⁱ + α₀ − y_wⁱ − α_w)) − ln((y_wʲ + α_w) / (nʲ + α₀ − y_wʲ − α_w))
    σ²_w ≈ 1/(y_wⁱ + α_w) + 1/(y_wʲ + α_w)
    z_w  = δ_w / σ_w

i = high-engagement posts, j = low-engagement posts, nᵍ = Σ_w y_wᵍ, α_w = α₀ · π_w with π_w the unit's share of
all counts in the background (every post of the scope, middle-engagement ones included) and α₀ the prior size.
Natural logarithms. Two-sided p-values from z under the normal approximation; Benjamini–Hochberg q across the
units scored together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

@dataclass(frozen=True)
class LogOdds:
    delta: np.ndarray
    sigma: np.ndarray
    z: np.ndarray
    p: np.ndarray
    q: np.ndarray


def informative_prior(background: np.ndarray, prior_size: float) -> np.ndarray:
    """α_w = α₀ · π_w: the background counts rescaled so that they sum to the prior size α₀."""
    background = np.asarray(background, dtype=float)
    return prior_size * background / background.sum()


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """BH-adjusted p-values (q): the smallest FDR level at which each test is a discovery."""
    p = np.asarray(p, dtype=float)
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


def weighted_log_odds(high: np.ndarray, low: np.ndarray, alpha: np.ndarray) -> LogOdds:
    """δ, σ, z, p and BH q of each unit from its counts in the high (i) and low (j) group and its prior α."""
    y_i, y_j, a = (np.asarray(x, dtype=float) for x in (high, low, alpha))
    n_i, n_j, a0 = y_i.sum(), y_j.sum(), a.sum()
    delta = np.log((y_i + a) / (n_i + a0 - y_i - a)) - np.log((y_j + a) / (n_j + a0 - y_j - a))
    sigma = np.sqrt(1.0 / (y_i + a) + 1.0 / (y_j + a))
    z = delta / sigma
    p = 2.0 * norm.sf(np.abs(z))
    return LogOdds(delta, sigma, z, p, benjamini_hochberg(p))
