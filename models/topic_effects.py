"""How topic prevalence varies with covariates, with the uncertainty of the document–topic proportions carried
into the estimates: the "method of composition" of R's ``stm::estimateEffect`` (Roberts, Stewart & Tingley 2019,
§3.5), applied to any topic model whose posterior over a document's proportions can be sampled.

For each of ``draws`` rounds: draw every document's topic proportions from its posterior (for LDA the variational
posterior Dirichlet(γ_d) that gensim's inference gives), regress each topic's drawn proportion on the design
matrix by least squares, and keep the coefficients with their covariance. The rounds are combined as ``stm``'s
``summary.estimateEffect`` does: simulate from each round's normal approximation N(β_m, V_m) and pool the
simulations, so the spread carries both the regression's sampling error and the variation of the proportions
between rounds. Estimates are linear-probability-style differences in mean topic share against the reference
level of each covariate; they are associations, not effects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

DEFAULT_DRAWS = 25
SIMULATIONS_PER_DRAW = 200


@dataclass(frozen=True)
class Design:
    """Treatment-coded design matrix: an intercept, then one column per non-reference level of each covariate."""

    matrix: np.ndarray
    terms: list[tuple[str, str]]  # (covariate, level) per column; ("(intercept)", reference levels) first
    reference: dict[str, str]


def design_matrix(frame: pd.DataFrame, covariates: Sequence[str], min_docs: int = 1) -> Design:
    """Dummy-code ``covariates`` of ``frame``; the reference level of each is its most frequent one, levels with
    fewer than ``min_docs`` documents are pooled into "(other)" so no coefficient rests on a handful of posts."""
    columns = [np.ones(len(frame))]
    terms: list[tuple[str, str]] = []
    reference: dict[str, str] = {}
    for name in covariates:
        values = frame[name].astype("string").fillna("(missing)")
        counts = values.value_counts()
        rare = counts[counts < min_docs].index
        if len(rare):
            values = values.where(~values.isin(rare), "(other)")
            counts = values.value_counts()
        levels = sorted(counts.index, key=lambda v: (-counts[v], v))
        reference[name] = levels[0]
        for level in sorted(levels[1:]):
            columns.append((values == level).to_numpy(dtype=float))
            terms.append((name, level))
    intercept = ("(intercept)", ", ".join(f"{k}={v}" for k, v in reference.items()))
    return Design(np.column_stack(columns), [intercept, *terms], reference)


def _ols(x: np.ndarray, y: np.ndarray, xtx_inv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares coefficients (p × K) for every column of ``y`` and each column's residual variance."""
    beta = xtx_inv @ (x.T @ y)
    resid = y - x @ beta
    dof = max(len(y) - x.shape[1], 1)
    return beta, (resid ** 2).sum(axis=0) / dof


@dataclass(frozen=True)
class Effects:
    """Pooled estimates per (topic, term): mean, standard deviation and 95% interval of the simulations."""

    table: pd.DataFrame
    n_docs: int
    draws: int


def estimate_effects(
    sample_theta: Callable[[np.random.Generator], np.ndarray],
    design: Design,
    topics: Sequence[int],
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    level: float = 0.95,
) -> Effects:
    """The method of composition: ``sample_theta(rng)`` returns one draw of the n × K document–topic matrix."""
    rng = np.random.default_rng(seed)
    x = design.matrix
    xtx_inv = np.linalg.pinv(x.T @ x)
    p = x.shape[1]
    chol = np.linalg.cholesky(xtx_inv + 1e-12 * np.eye(p))
    pooled = []
    for _ in range(draws):
        theta = sample_theta(rng)
        beta, sigma2 = _ols(x, theta, xtx_inv)
        # per topic k: β_k ~ N(beta[:, k], σ²_k (XᵀX)⁻¹), simulated through one Cholesky factor
        z = rng.standard_normal((SIMULATIONS_PER_DRAW, p, theta.shape[1]))
        pooled.append(beta[None] + np.einsum("ij,sjk->sik", chol, z) * np.sqrt(sigma2)[None, None, :])
    sims = np.concatenate(pooled)  # (draws · simulations) × p × K
    tail = (1 - level) / 2
    est, sd = sims.mean(axis=0), sims.std(axis=0, ddof=1)
    low, high = np.quantile(sims, tail, axis=0), np.quantile(sims, 1 - tail, axis=0)
    dof = max(x.shape[0] - p, 1)
    rows = []
    for k, topic in enumerate(topics):
        for j, (covariate, value) in enumerate(design.terms):
            t = est[j, k] / sd[j, k] if sd[j, k] > 0 else np.inf
            rows.append({"topic_id": int(topic), "covariate": covariate, "level": value,
                         "estimate": float(est[j, k]), "std_error": float(sd[j, k]),
                         "ci_low": float(low[j, k]), "ci_high": float(high[j, k]),
                         "p": float(2 * stats.t.sf(abs(t), dof))})
    return Effects(pd.DataFrame(rows), x.shape[0], draws)


def dirichlet_sampler(gamma: np.ndarray) -> Callable[[np.random.Generator], np.ndarray]:
    """Draws of every document's proportions from Dirichlet(γ_d), vectorised through Gamma variates."""

    def sample(rng: np.random.Generator) -> np.ndarray:
        g = rng.standard_gamma(gamma)
        return g / g.sum(axis=1, keepdims=True)

    return sample
