"""Links between theme rates by region and regional participation indicators, with honest uncertainty.

With at most 20 regions (17 before June 2022), every estimate is uncertain: Spearman's ρ comes with a
permutation p-value (exact enough at 9,999 permutations for n ≤ 20), a percentile bootstrap confidence
interval over regions, and Benjamini–Hochberg q across every theme × indicator test of a run. These are
associations across regions, not effects: a region's posts are not its voters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata

from qatysu.models.markers import benjamini_hochberg

Q_LEVEL = 0.1
MIN_REGIONS = 6


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

    @property
    def direction(self) -> str:
        if self.q is None or self.q > Q_LEVEL or self.rho is None:
            return "no evidence"
        return "raises" if self.rho > 0 else "lowers"


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


def permutation_p(x: np.ndarray, y: np.ndarray, n_perm: int, rng: np.random.Generator) -> float:
    """Two-sided permutation p-value of ρ: (1 + #|ρ_perm| ≥ |ρ|) / (1 + n_perm)."""
    rx, ry = rankdata(x), rankdata(y)
    observed = abs(_row_correlations(rx, ry))
    perms = np.argsort(rng.random((n_perm, len(ry))), axis=1)
    null = np.abs(_row_correlations(rx, ry[perms]))
    return float((1 + np.sum(null >= observed - 1e-12)) / (1 + n_perm))


def bootstrap_ci(x: np.ndarray, y: np.ndarray, n_boot: int, rng: np.random.Generator,
                 level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of ρ, resampling regions with replacement (resamples with a constant
    side, where ρ is undefined, are dropped)."""
    idx = rng.integers(0, len(x), size=(n_boot, len(x)))
    rhos = _row_correlations(rankdata(x[idx], axis=1), rankdata(y[idx], axis=1))
    rhos = rhos[~np.isnan(rhos)]
    tail = (1 - level) / 2
    return float(np.quantile(rhos, tail)), float(np.quantile(rhos, 1 - tail))


def link(theme: str, indicator: str, rates: dict[str, float], values: dict[str, float], *,
         n_perm: int, n_boot: int, seed: int) -> Link:
    """One theme × indicator test over the regions that have both a theme rate and an indicator value."""
    regions = sorted(set(rates) & set(values))
    x = np.array([rates[r] for r in regions], dtype=float)
    y = np.array([values[r] for r in regions], dtype=float)
    rho = spearman(x, y) if len(regions) >= MIN_REGIONS else float("nan")
    if np.isnan(rho):
        return Link(theme, indicator, len(regions), None, None, None, None)
    rng = np.random.default_rng(seed)
    low, high = bootstrap_ci(x, y, n_boot, rng)
    return Link(theme, indicator, len(regions), rho, low, high, permutation_p(x, y, n_perm, rng))


def adjust(links: list[Link]) -> list[Link]:
    """The same links with BH q across all those that could be tested."""
    tested = [i for i, lk in enumerate(links) if lk.p is not None]
    q = benjamini_hochberg(np.array([links[i].p for i in tested]))
    out = list(links)
    for i, qi in zip(tested, q):
        lk = links[i]
        out[i] = Link(lk.theme, lk.indicator, lk.n_regions, lk.rho, lk.ci_low, lk.ci_high, lk.p, float(qi))
    return out
