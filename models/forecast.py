"""Forecasts of turnout by region for the next vote of a kind, chosen by a leave-one-vote-out backtest.

The panel is short (seven national votes, two or three of each kind), so the candidates are simple and
their intervals are checked, not assumed: each candidate gives a point and a predictive standard deviation;
the backtest holds out each vote in turn, predicts it from all the others, and records the absolute error and
whether the 80 % and 95 % intervals held the truth. The chosen model's intervals are then widened by the
backtest's own standardised errors where they were too narrow (never narrowed), so the stated levels are the
levels the backtest achieved.

Candidates (``y[r, v]`` is the turnout of region r at vote v, kind k the kind forecast):

* ``last_value``: the region's turnout at its latest vote of kind k (the naive baseline, always reported);
* ``region_mean``: the mean of the region's turnouts at votes of kind k;
* ``swing``: additive two-way fit y = μ_v + α_r; the next μ is the mean μ of kind k, plus the region's α;
* ``mixed``: partial pooling — a linear mixed model with fixed effects of the vote kind and a random intercept
  per region (statsmodels MixedLM), predicting the kind's effect plus the region's shrunken intercept;
* ``panel`` (:func:`panel_candidate`, offered when a theme's share has a panel effect): ``swing`` plus the
  theme's coefficient times the change of the region's share in the window before the target vote.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

Z80, Z95 = float(norm.ppf(0.9)), float(norm.ppf(0.975))
BASELINE = "last_value"


@dataclass(frozen=True)
class Target:
    """The vote to predict: a held-out vote of the backtest, or the next one (no date yet)."""

    vote_id: str
    date: pd.Timestamp | None = None


CURRENT = Target("current")


@dataclass(frozen=True)
class Prediction:
    """Point and predictive standard deviation per region."""

    point: pd.Series
    sd: pd.Series


def _of_kind(train: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The training votes of the kind, or all of them when the kind has none (said by the model's name)."""
    part = train[train["kind"] == kind]
    return part if not part.empty else train


def _pooled_sd(values: pd.Series, fallback: float) -> float:
    values = values.dropna()
    return float(np.sqrt(np.mean(values ** 2))) if len(values) >= 3 else fallback


def last_value(train: pd.DataFrame, kind: str, regions: Sequence[str], target: Target = CURRENT) -> Prediction:
    part = _of_kind(train, kind).sort_values("vote_date")
    if target.date is not None:  # the latest vote before the target; without one, the earliest after it
        before = part[part["vote_date"] < target.date]
        part = before if not before.empty else part.iloc[::-1]
    point = part.groupby("region_code")["turnout"].last()
    # spread: changes between a region's consecutive votes of the kind, else of any kind
    changes = part.groupby("region_code")["turnout"].diff()
    if changes.dropna().size < 3:
        changes = train.sort_values("vote_date").groupby("region_code")["turnout"].diff()
    sd = _pooled_sd(changes, float(train["turnout"].std()))
    return _complete(point, sd, train, regions)


def region_mean(train: pd.DataFrame, kind: str, regions: Sequence[str], target: Target = CURRENT) -> Prediction:
    part = _of_kind(train, kind)
    point = part.groupby("region_code")["turnout"].mean()
    dev = part["turnout"] - part.groupby("region_code")["turnout"].transform("mean")
    n = part.groupby("region_code")["turnout"].transform("count")
    within = dev[n > 1] * np.sqrt(n[n > 1] / (n[n > 1] - 1))
    if within.size < 3:
        within = train["turnout"] - train.groupby("region_code")["turnout"].transform("mean")
    sd = _pooled_sd(within, float(train["turnout"].std())) * np.sqrt(1 + 1 / max(1, int(n.median())))
    return _complete(point, sd, train, regions)


def two_way(train: pd.DataFrame, iterations: int = 50) -> tuple[pd.Series, pd.Series, pd.Series]:
    """μ per vote and α per region (mean zero) of y = μ_v + α_r on an unbalanced panel, by alternating means;
    and the residuals."""
    y = train["turnout"]
    alpha = pd.Series(0.0, index=train["region_code"].unique())
    for _ in range(iterations):
        mu = (y - train["region_code"].map(alpha)).groupby(train["vote_id"]).mean()
        alpha = (y - train["vote_id"].map(mu)).groupby(train["region_code"]).mean()
        alpha -= alpha.mean()
    resid = y - train["vote_id"].map(mu) - train["region_code"].map(alpha)
    return mu, alpha, resid


def swing(train: pd.DataFrame, kind: str, regions: Sequence[str], target: Target = CURRENT) -> Prediction:
    mu, alpha, resid = two_way(train)
    votes = train.drop_duplicates("vote_id").set_index("vote_id")["kind"]
    of_kind = mu[votes.reindex(mu.index) == kind]
    of_kind = of_kind if not of_kind.empty else mu
    dof = max(1, len(train) - len(mu) - len(alpha) + 1)
    resid_var = float(resid @ resid) / dof
    mu_var = float(of_kind.var()) if len(of_kind) > 1 else float(mu.var())
    sd = float(np.sqrt(resid_var + mu_var * (1 + 1 / len(of_kind))))
    return _complete(of_kind.mean() + alpha, sd, train, regions)


def mixed(train: pd.DataFrame, kind: str, regions: Sequence[str], target: Target = CURRENT) -> Prediction:
    import statsmodels.formula.api as smf

    data = train.assign(kind=train["kind"].astype(str))
    formula = "turnout ~ C(kind)" if data["kind"].nunique() > 1 else "turnout ~ 1"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = smf.mixedlm(formula, data, groups=data["region_code"]).fit(reml=True, method=["lbfgs", "powell"])
    level = kind if kind in set(data["kind"]) else data["kind"].mode().iloc[0]
    exog = pd.DataFrame({"kind": [level]})
    fixed = float(np.asarray(fit.predict(exog))[0])
    design = np.asarray(fit.model.exog[data["kind"].to_numpy() == level][0])
    k = design.size
    fixed_var = float(design @ fit.cov_params().to_numpy()[:k, :k] @ design)
    tau2 = float(fit.cov_re.iloc[0, 0])
    counts = data.groupby("region_code").size()
    blup = pd.Series({g: float(v.iloc[0]) for g, v in fit.random_effects.items()})
    cond_var = tau2 * fit.scale / (fit.scale + counts * tau2) if tau2 > 0 else counts * 0.0
    sd = np.sqrt(fit.scale + fixed_var + cond_var.reindex(blup.index))
    return Prediction(*_fill(fixed + blup, sd, regions, fixed, np.sqrt(fit.scale + fixed_var + tau2)))


Candidate = Callable[[pd.DataFrame, str, Sequence[str], Target], Prediction]
CANDIDATES: dict[str, Candidate] = {"last_value": last_value, "region_mean": region_mean, "swing": swing,
                                    "mixed": mixed}


def panel_candidate(shares: pd.DataFrame) -> Candidate:
    """``swing`` plus β·(the region's share of one theme in the target window − its mean share at the training
    votes), with β from turnout on the share with region and vote fixed effects over the training votes whose
    windows hold posts. ``shares``: vote_id, region_code, share (percent) for the theme, incl. the target."""

    def panel(train: pd.DataFrame, kind: str, regions: Sequence[str], target: Target = CURRENT) -> Prediction:
        from qatysu.models.panel import design

        base = swing(train, kind, regions, target)
        rows = train.merge(shares, on=["vote_id", "region_code"])
        now = shares[shares["vote_id"] == target.vote_id].set_index("region_code")["share"]
        if rows["vote_id"].nunique() < 2 or now.empty:
            return base
        X = design(rows["share"].to_numpy(float), rows["region_code"].tolist(), rows["vote_id"].tolist())
        coef, *_ = np.linalg.lstsq(X, rows["turnout"].to_numpy(float), rcond=None)
        shift = float(coef[0]) * (now - rows.groupby("region_code")["share"].mean())
        return Prediction(base.point + shift.reindex(base.point.index).fillna(0.0), base.sd)

    return panel


def _complete(point: pd.Series, sd: float, train: pd.DataFrame, regions: Sequence[str]) -> Prediction:
    """Every region gets a point: one without history of the kind takes the training mean."""
    return Prediction(*_fill(point, pd.Series(sd, index=point.index), regions,
                             float(train["turnout"].mean()), float(train["turnout"].std()) * 1.5))


def _fill(point: pd.Series, sd: pd.Series, regions: Sequence[str], default: float,
          default_sd: float) -> tuple[pd.Series, pd.Series]:
    index = pd.Index(list(regions), name="region_code")
    return point.reindex(index).fillna(default).astype(float), sd.reindex(index).fillna(default_sd).astype(float)


@dataclass(frozen=True)
class BacktestRow:
    kind: str
    model: str
    mae: float
    coverage80: float
    coverage95: float
    n: int


def backtest(panel: pd.DataFrame, kinds: Sequence[str], candidates: dict[str, Candidate] | None = None
             ) -> tuple[list[BacktestRow], pd.DataFrame]:
    """Leave-one-vote-out: each vote of the given kinds predicted from all other votes, by every model.
    Returns the summary per kind (and ``all``) and the errors (vote, region, model, error, sd)."""
    errors = []
    for vote_id, held in panel[panel["kind"].isin(kinds)].groupby("vote_id"):
        train = panel[panel["vote_id"] != vote_id]
        kind = str(held["kind"].iloc[0])
        truth = held.set_index("region_code")["turnout"]
        for name, candidate in (candidates or CANDIDATES).items():
            pred = candidate(train, kind, list(truth.index), Target(str(vote_id), held["vote_date"].iloc[0]))
            errors.append(pd.DataFrame({"vote_id": vote_id, "kind": kind, "model": name,
                                        "region_code": truth.index, "error": truth - pred.point,
                                        "sd": pred.sd}))
    errs = pd.concat(errors, ignore_index=True) if errors else pd.DataFrame(
        columns=["vote_id", "kind", "model", "region_code", "error", "sd"])
    rows = []
    for kind in [*kinds, "all"] if len(kinds) > 1 else kinds:
        part = errs if kind == "all" else errs[errs["kind"] == kind]
        for name, e in part.groupby("model", sort=False):
            z = (e["error"] / e["sd"]).abs()
            rows.append(BacktestRow(kind, str(name), float(e["error"].abs().mean()), float((z <= Z80).mean()),
                                    float((z <= Z95).mean()), len(e)))
    return rows, errs


def calibration(errors: pd.DataFrame) -> tuple[float, float]:
    """Multipliers of the predictive sd for the 80 % and 95 % intervals: the normal quantiles, or the
    backtest's quantiles of |error| / sd where those are larger."""
    z = (errors["error"] / errors["sd"]).abs().dropna()
    if z.empty:
        return Z80, Z95
    return max(Z80, float(np.quantile(z, 0.8))), max(Z95, float(np.quantile(z, 0.95)))


def choose(rows: Sequence[BacktestRow], kind: str) -> str:
    """The model with the lowest backtest MAE for the kind (ties: the simpler, listed first)."""
    part = [r for r in rows if r.kind == kind]
    return min(part, key=lambda r: round(r.mae, 6)).model if part else BASELINE


def intervals(point: pd.Series, sd: pd.Series, k80: float = Z80, k95: float = Z95) -> pd.DataFrame:
    return pd.DataFrame({"point": point, "lo80": point - k80 * sd, "hi80": point + k80 * sd,
                         "lo95": point - k95 * sd, "hi95": point + k95 * sd})


def national(pred: Prediction, weights: dict[str, float]) -> tuple[float, float]:
    """Weighted mean of the regional points; its sd as if the regional errors moved together (they largely
    do: a national swing), which is the cautious bound. Regions without a weight count equally when no region
    has one."""
    w = pd.Series({r: weights.get(r, np.nan) for r in pred.point.index}, dtype=float)
    w = w.fillna(0.0) if w.notna().any() else w.fillna(1.0)
    w = w / w.sum()
    return float((w * pred.point).sum()), float((w * pred.sd).sum())
