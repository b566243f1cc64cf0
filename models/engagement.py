"""A post-level engagement model: Poisson regression of a count outcome on indicator columns for candidate units,
with fixed effects absorbed, an exposure offset and standard errors clustered by source — ``pyfixest.fepois``,
the PPML-HDFE estimator of fixest.

Unlike the log-odds, which look at one unit at a time, the model estimates each unit's association *holding the
other candidates fixed*: of two words that travel together, only the one that goes with engagement keeps its
estimate. exp(estimate) is the ratio of expected interactions (per view, with the log-views offset) between posts
with and without the unit, within the same source. Poisson pseudo-maximum likelihood stays consistent under any
overdispersion (Santos Silva & Tenreyro 2006), so counts with log-normal noise are fine; the sandwich carries the
overdispersion, and the dependence between posts of one source, into the intervals.

Few effective clusters make cluster-robust tests too liberal when sources differ a lot in size (a handful of
prolific channels hold most posts): on simulated null data with 40 sources of Dirichlet(0.7) shares, t with G − 1
degrees of freedom put 8.8% of p-values under 0.05 and 2.9% under 0.01. p-values and intervals therefore use t
with G* − 1 degrees of freedom, G* = G / (1 + CV²) the effective number of clusters for clusters of unequal size
(Carter, Schnepel & Steigerwald 2017, with CV the coefficient of variation of the clusters' total weight), which
brought those to 5.8% and 0.8%.

Generic on purpose: any count outcome, exposure, fixed effects, weights and indicator columns — and a binary
outcome by logistic regression (``family="logit"``, pyfixest ``feglm``), whose estimate is a log odds ratio.
Without a cluster column (petitions: each is its own unit, and two or three platforms are too few clusters) the
errors are heteroskedasticity-robust (HC1) and tests use t with n − k degrees of freedom.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

LEVEL = 0.95


@dataclass(frozen=True)
class Effect:
    column: str
    estimate: float  # log rate ratio (poisson) or log odds ratio (logit)
    se: float
    ci_low: float
    ci_high: float
    p: float


class ModelError(ValueError):
    """The model could not be estimated on these data (too few posts or clusters, no variation)."""


def effective_clusters(sizes: np.ndarray) -> float:
    """G* = G / (1 + CV²) of the clusters' sizes (or total weights)."""
    sizes = np.asarray(sizes, dtype=float)
    return len(sizes) / (1.0 + sizes.var() / sizes.mean() ** 2)


def fit_glm_fe(frame: pd.DataFrame, *, outcome: str, candidates: Sequence[str], fixed_effects: Sequence[str],
                   cluster: str | None, exposure: str | None = None, weights: str | None = None,
                   family: Literal["poisson", "logit"] = "poisson") -> dict[str, Effect]:
    """Fit ``outcome ~ candidates | fixed_effects`` by Poisson pseudo-likelihood (or, with ``family="logit"``, a
    logistic regression of a 0/1 outcome), with ``exposure`` (a column already on the log scale) as offset,
    optional analytic ``weights`` and CRV1 errors clustered by ``cluster`` (None: HC1, each row its own unit).
    Returns the effect of every candidate the model could identify (a column without variation within the fixed
    effects is dropped by pyfixest and left out here). Raises :class:`ModelError` when nothing can be fitted."""
    import pyfixest as pf

    if family == "logit" and exposure:
        raise ValueError("a logistic model takes no exposure offset")
    names = {c: f"x{i}" for i, c in enumerate(candidates)}
    data = pd.DataFrame({"y_": frame[outcome].to_numpy(),
                         **({"cluster_": frame[cluster].to_numpy()} if cluster else {}),
                         **{f"fe{i}_": frame[f].to_numpy() for i, f in enumerate(fixed_effects)},
                         **({"offset_": frame[exposure].to_numpy()} if exposure else {}),
                         **({"weight_": frame[weights].to_numpy()} if weights else {}),
                         **{names[c]: frame[c].to_numpy() for c in candidates}})
    varying = [names[c] for c in candidates if data[names[c]].nunique() > 1]
    clusters = data["cluster_"].nunique() if cluster else len(data)
    unit = "sources" if cluster else "rows"
    if not varying or clusters < 3 or len(data) <= len(varying) + (clusters if cluster else 1) \
            or data["y_"].nunique() < 2:
        raise ModelError(f"too few posts ({len(data)}) or {unit} ({clusters}), or no variation in the outcome, "
                         f"for {len(varying)} candidate(s)")
    formula = f"y_ ~ {' + '.join(varying)} | {' + '.join(f'fe{i}_' for i in range(len(fixed_effects)))}"
    vcov = {"CRV1": "cluster_"} if cluster else "hetero"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if family == "logit":
                fit = pf.feglm(formula, data=data, family="logit", vcov=vcov)
            else:
                fit = pf.fepois(formula, data=data, vcov=vcov, offset="offset_" if exposure else None,
                                weights="weight_" if weights else None)
            table = fit.tidy()
        except Exception as exc:  # pyfixest raises plain exceptions (separation, collinearity, no convergence)
            raise ModelError(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__) from exc
    if cluster:
        sizes = data.groupby("cluster_")["weight_" if weights else "y_"].agg("sum" if weights else "size")
        dof = max(effective_clusters(sizes.to_numpy()) - 1.0, 1.0)
    else:
        dof = max(len(data) - len(varying) - sum(data[f"fe{i}_"].nunique() for i in range(len(fixed_effects))), 1.0)
    crit = student_t.ppf(0.5 + LEVEL / 2, dof)
    back = {v: k for k, v in names.items()}
    effects = {}
    for name, row in table.iterrows():
        est, se = float(row["Estimate"]), float(row["Std. Error"])
        if name in back and np.isfinite(se) and se > 0:
            effects[back[name]] = Effect(back[name], est, se, est - crit * se, est + crit * se,
                                         float(2 * student_t.sf(abs(est / se), dof)))
    return effects
