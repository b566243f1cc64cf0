"""Topic effects by the method of composition recover a planted covariate effect on simulated documents."""

import numpy as np
import pandas as pd
import pytest

K, WORDS = 3, 60
BASE = np.array([0.3, 0.4, 0.3])
PLANTED = np.array([0.2, -0.1, -0.1])  # region B against region A: topic 0 takes 0.2 more of a post


def _simulated(rng: np.random.Generator, n: int):
    """Documents whose topic proportions depend on region (B) but not on month; each document's posterior is
    the Dirichlet its word–topic counts give under a symmetric prior (what LDA's inference approximates)."""
    region = rng.choice(["A", "B", "C"], n, p=[0.5, 0.25, 0.25])
    month = rng.choice(["2025-01", "2025-02"], n)
    means = BASE + (region == "B")[:, None] * PLANTED
    theta = np.array([rng.dirichlet(m * 8) for m in means])
    counts = np.array([rng.multinomial(WORDS, t) for t in theta])
    return pd.DataFrame({"region": region, "month": month}), 1 / K + counts


def test_planted_effect_is_recovered_within_its_interval_and_null_effects_are_not_found():
    from qatysu.models.topic_effects import design_matrix, dirichlet_sampler, estimate_effects

    rng = np.random.default_rng(11)
    covered, detected, null_covered, replications = 0, 0, 0, 20
    for r in range(replications):
        frame, gamma = _simulated(rng, 2000)
        design = design_matrix(frame, ["region", "month"])
        assert design.reference == {"region": "A", "month": design.reference["month"]}  # the largest level
        effects = estimate_effects(dirichlet_sampler(gamma), design, range(K), draws=10, seed=r).table
        b = effects[(effects["covariate"] == "region") & (effects["level"] == "B")].set_index("topic_id")
        covered += all(b.loc[k, "ci_low"] <= PLANTED[k] <= b.loc[k, "ci_high"] for k in range(K))
        detected += b.loc[0, "ci_low"] > 0
        m = effects[effects["covariate"] == "month"]
        null_covered += bool(((m["ci_low"] <= 0) & (m["ci_high"] >= 0)).all())
    # 95% intervals for three topics at once: all three cover in about 0.95³ ≈ 86% of replications
    assert covered >= 0.75 * replications
    assert detected == replications  # power: the planted 0.2 is found every time at n = 2,000
    assert null_covered >= 0.75 * replications


def test_posterior_uncertainty_widens_the_interval():
    """Short documents have vague topic proportions: pooling the draws must widen the intervals over a
    regression on the posterior means alone."""
    from qatysu.models.topic_effects import design_matrix, dirichlet_sampler, estimate_effects

    rng = np.random.default_rng(3)
    frame, gamma = _simulated(rng, 1500)
    vague = 1 / K + (gamma - 1 / K) / 20  # three words per document instead of sixty
    design = design_matrix(frame, ["region"])
    pooled = estimate_effects(dirichlet_sampler(vague), design, range(K), draws=20).table
    means = vague / vague.sum(axis=1, keepdims=True)
    fixed = estimate_effects(lambda _: means, design, range(K), draws=1).table
    assert (pooled["std_error"] > fixed["std_error"]).all()


def test_rare_levels_are_pooled_and_named():
    from qatysu.models.topic_effects import design_matrix

    frame = pd.DataFrame({"region": ["KZ-75"] * 30 + ["KZ-71"] * 25 + ["KZ-10"] * 3 + ["KZ-11"] * 2})
    design = design_matrix(frame, ["region"], min_docs=20)
    assert design.terms == [("(intercept)", "region=KZ-75"), ("region", "(other)"), ("region", "KZ-71")]
    assert design.matrix.shape == (60, 3) and design.matrix[:, 1].sum() == 5
    assert pytest.approx(design.matrix[:, 0].sum()) == 60
