"""Links between theme rates by region and regional participation indicators, with honest uncertainty.

With at most 20 regions (17 before June 2022), every estimate is uncertain: Spearman's ρ comes with a
permutation p-value, a percentile bootstrap confidence interval over regions, and Benjamini–Hochberg q across
every theme × indicator test of a run. Permutations are adaptive: a test stops once its permuted |ρ| has reached
the observed one ``EXCEEDANCES`` times (Besag & Clifford 1991: its p is then clearly far from any threshold), and
otherwise goes on until the p-value floor 1/(1 + permutations) is a tenth of BH's threshold for the smallest p of
the family, q/m — so a lone true link can reach significance however many tests the run makes. These are
associations across regions, not effects: a region's posts are not its voters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy.stats import rankdata

from qatysu.models.markers import Q_LEVEL, benjamini_hochberg

EXCEEDANCES = 10
FIRST_BATCH = 999


@dataclass(frozen=True)
class Link:
    theme: str
    indicator: str
    n_regions: int
    rho: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None
    q: float | None = None
    permutations: int | None = None

    @property
    def direction(self) -> str:
        """positive or negative where q ≤ Q_LEVEL, else no evidence: the sign of an association, not an effect."""
        if self.q is None or self.q > Q_LEVEL or self.rho is None:
            return "no evidence"
        return "positive" if self.rho > 0 else "negative"


def max_permutations(family_size: int, q_level: float = Q_LEVEL) -> int:
    """Permutations that put the p floor 1/(1 + N) at a tenth of BH's threshold q/m for the smallest p."""
    return max(FIRST_BATCH, math.ceil(10 * max(family_size, 1) / q_level) - 1)


def _row_correlations(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson correlation of each row of ``a`` with the same row of ``b`` (rows broadcast); nan where a row is
    constant. On ranks this is Spearman's ρ."""
    ca = a - a.mean(axis=-1, keepdims=True)
    cb = b - b.mean(axis=-1, keepdims=True)
    denom = np.sqrt((ca ** 2).sum(axis=-1) * (cb ** 2).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, (ca * cb).sum(axis=-1) / denom, np.nan)


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's ρ (Pearson correlation of average ranks); nan when either side is constant."""
    return float(_row_correlations(rankdata(x), rankdata(y)))


def permutation_p(x: np.ndarray, y: np.ndarray, max_perm: int, rng: np.random.Generator) -> tuple[float, int]:
    """Two-sided permutation p-value of ρ, (1 + #|ρ_perm| ≥ |ρ|) / (1 + N), and the N permutations drawn: in
    doubling batches until ``EXCEEDANCES`` permuted |ρ| reach |ρ| or ``max_perm`` are drawn."""
    rx, ry = rankdata(x), rankdata(y)
    observed = abs(_row_correlations(rx, ry))
    drawn, exceed, batch = 0, 0, min(FIRST_BATCH, max_perm)
    while drawn < max_perm:
        perms = np.argsort(rng.random((batch, len(ry))), axis=1)
        exceed += int(np.sum(np.abs(_row_correlations(rx, ry[perms])) >= observed - 1e-12))
        drawn += batch
        if exceed >= EXCEEDANCES:
            break
        batch = min(2 * drawn, max_perm - drawn, 200_000)
    return (1 + exceed) / (1 + drawn), drawn


def bootstrap_ci(x: np.ndarray, y: np.ndarray, n_boot: int, rng: np.random.Generator,
                 level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of ρ, resampling regions with replacement (resamples with a constant
    side, where ρ is undefined, are dropped)."""
    idx = rng.integers(0, len(x), size=(n_boot, len(x)))
    rhos = _row_correlations(rankdata(x[idx], axis=1), rankdata(y[idx], axis=1))
    rhos = rhos[~np.isnan(rhos)]
    tail = (1 - level) / 2
    return float(np.quantile(rhos, tail)), float(np.quantile(rhos, 1 - tail))


def link(theme: str, indicator: str, rates: dict[str, float], values: dict[str, float], *, min_regions: int,
         max_perm: int, n_boot: int, seed: int = 0) -> Link:
    """One theme × indicator test over the regions that have both a theme rate and an indicator value (none with
    fewer than ``min_regions`` such regions)."""
    regions = sorted(set(rates) & set(values))
    x = np.array([rates[r] for r in regions], dtype=float)
    y = np.array([values[r] for r in regions], dtype=float)
    rho = spearman(x, y) if len(regions) >= min_regions else float("nan")
    if np.isnan(rho):
        return Link(theme, indicator, len(regions), None, None, None, None)
    rng = np.random.default_rng(seed)
    low, high = bootstrap_ci(x, y, n_boot, rng)
    p, drawn = permutation_p(x, y, max_perm, rng)
    return Link(theme, indicator, len(regions), rho, low, high, p, permutations=drawn)


def adjust(links: list[Link]) -> list[Link]:
    """The same links with BH q across all those that could be tested (one family)."""
    tested = [i for i, lk in enumerate(links) if lk.p is not None]
    q = benjamini_hochberg(np.array([links[i].p for i in tested]))
    out = list(links)
    for i, qi in zip(tested, q):
        out[i] = replace(links[i], q=float(qi))
    return out
