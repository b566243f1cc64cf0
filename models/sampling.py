"""How many posts to draw from each stratum of a coding sample.

Equal allocation gives every stratum the same number of posts (small strata are taken whole and what they
cannot give goes to the others), so a coder sees every region or source; proportional allocation follows the
strata's sizes (largest remainders), so unweighted counts estimate the corpus. Either way each drawn post
carries the weight (stratum size / posts drawn from it) that makes estimates from the sample represent the
corpus.
"""

from __future__ import annotations

from collections.abc import Mapping

ALLOCATIONS = ("equal", "proportional")


def allocate(sizes: Mapping[str, int], n: int, allocation: str = "equal") -> dict[str, int]:
    """Posts to draw per stratum, at most ``n`` in all and never more than a stratum holds."""
    if allocation not in ALLOCATIONS:
        raise ValueError(f"allocation must be {' or '.join(ALLOCATIONS)}, not {allocation!r}")
    total = sum(sizes.values())
    if n >= total:
        return dict(sizes)
    if allocation == "proportional":
        exact = {s: n * size / total for s, size in sizes.items()}
        quota = {s: int(x) for s, x in exact.items()}
        for s in sorted(exact, key=lambda s: (-(exact[s] - quota[s]), s))[: n - sum(quota.values())]:
            quota[s] += 1
        return quota
    quota = dict.fromkeys(sizes, 0)
    left = n
    open_ = sorted(sizes, key=lambda s: (sizes[s], s))
    while left and open_:  # water-filling: small strata are taken whole, the rest share what is left
        share, extra = divmod(left, len(open_))
        for i, s in enumerate(open_):
            give = min(sizes[s] - quota[s], share + (1 if i >= len(open_) - extra else 0))
            quota[s] += give
            left -= give
        open_ = [s for s in open_ if quota[s] < sizes[s]]
    return quota
