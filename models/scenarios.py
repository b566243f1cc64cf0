"""What-if scenarios: changes in theme shares or in the engagement a theme draws, turned into turnout changes
through the panel coefficients, with intervals that carry the coefficients' and the forecast's uncertainty.

A scenario is a list of changes, each on one theme in some regions:

* ``share_pp: Δ`` — the theme's share of a region's posts changes by Δ percentage points (kept within 0–100);
* ``engagement_factor: f`` — the engagement on the theme's posts is multiplied by f, so its share of the
  region's engagement e becomes e·f / (1 − e + e·f).

The change in turnout is Σ β·Δshare over the changes, with β the panel coefficient of the theme's share (or of its
engagement share) — an association estimated across regions and votes, so a scenario says what the panel's
associations imply, not what an intervention would cause. The coefficient's standard error is read off its 95 %
bootstrap interval (half-width / 1.96); coefficients of different changes are treated as independent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Z95 = 1.959963984540054
# Macro-regions of the 2021 participation survey (Erkindik Qanaty), with the three regions created in June 2022
# in the macro-region of the region they were split from.
REGION_GROUPS: dict[str, tuple[str, ...]] = {
    "west": ("KZ-15", "KZ-23", "KZ-27", "KZ-47"),
    "north": ("KZ-11", "KZ-39", "KZ-55", "KZ-59"),
    "south": ("KZ-19", "KZ-31", "KZ-33", "KZ-43", "KZ-61", "KZ-79"),
    "east": ("KZ-10", "KZ-63"),
    "centre": ("KZ-35", "KZ-62"),
    "cities": ("KZ-71", "KZ-75", "KZ-79"),
}
SHARE, ENGAGEMENT = "share", "engagement_share"


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and the scenario."""


class Change(BaseModel):
    model_config = ConfigDict(extra="forbid")
    theme: str = Field(description="category:<name> or topic:<model_id>:<topic_id>")
    share_pp: float | None = Field(default=None, description="change of the theme's share, percentage points")
    engagement_factor: float | None = Field(default=None, gt=0, description="factor on the theme's engagement")
    regions: str | list[str] = Field(default="all", description="all, a region group, or region codes")

    @model_validator(mode="after")
    def _one_kind(self) -> Change:
        if (self.share_pp is None) == (self.engagement_factor is None):
            raise ValueError("give either share_pp or engagement_factor")
        return self

    @field_validator("regions")
    @classmethod
    def _regions(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, str) and value != "all" and value not in REGION_GROUPS:
            raise ValueError(f"unknown region group {value!r}: all, {', '.join(REGION_GROUPS)} or a list of codes")
        return value

    @property
    def measure(self) -> str:
        return SHARE if self.share_pp is not None else ENGAGEMENT

    def covers(self, region: str) -> bool:
        if self.regions == "all":
            return True
        members = REGION_GROUPS[self.regions] if isinstance(self.regions, str) else self.regions
        return region in members

    def shift(self, current: float) -> float:
        """Change of the measure (percentage points) from its current value (percentage points)."""
        if self.share_pp is not None:
            return float(np.clip(current + self.share_pp, 0.0, 100.0) - current)
        e, f = current / 100, float(self.engagement_factor)  # type: ignore[arg-type]
        return 100 * (e * f / (1 - e + e * f) - e) if 0 < e < 1 else 0.0


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    changes: list[Change] = Field(min_length=1)


class ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenarios: list[Scenario] = Field(min_length=1)


def default_scenario_file() -> Path:
    """The shipped scenarios (``models/data/scenarios.yaml``), written for the shipped lexicon's categories."""
    return Path(str(resources.files("qatysu.models") / "data" / "scenarios.yaml"))


def load_scenarios(path: Path) -> list[Scenario]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return ScenarioFile.model_validate(data).scenarios
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError(f"{path}: cannot read it as YAML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ScenarioError(f"{path}: {where}: {first['msg']}") from exc


@dataclass(frozen=True)
class Coefficient:
    estimate: float
    ci_low: float
    ci_high: float

    @property
    def se(self) -> float:
        return (self.ci_high - self.ci_low) / (2 * Z95)


@dataclass(frozen=True)
class Baseline:
    point: float
    sd: float  # predictive sd of the forecast (from its 95 % interval)


@dataclass(frozen=True)
class ScenarioResult:
    scenario: str
    region_code: str
    baseline: float
    delta: float | None
    delta_lo95: float | None
    delta_hi95: float | None
    point: float | None
    lo95: float | None
    hi95: float | None
    note: str = ""


@dataclass
class _Parts:
    """Per change: the weighted shift and its coefficient."""

    shifts: list[tuple[float, Coefficient]] = field(default_factory=list)

    def result(self, scenario: str, region: str, base: Baseline, note: str) -> ScenarioResult:
        delta = sum(s * c.estimate for s, c in self.shifts)
        var = sum((s * c.se) ** 2 for s, c in self.shifts)
        half, level_half = Z95 * np.sqrt(var), Z95 * np.sqrt(var + base.sd ** 2)
        return ScenarioResult(scenario, region, base.point, delta, delta - half, delta + half, base.point + delta,
                              base.point + delta - level_half, base.point + delta + level_half, note)


def apply(scenario: Scenario, coefficients: Mapping[tuple[str, str], Coefficient],
          current: Mapping[tuple[str, str, str], float], baselines: Mapping[str, Baseline],
          weights: Mapping[str, float], national: Baseline, national_code: str = "KZ") -> list[ScenarioResult]:
    """Results per region and for the country. ``coefficients`` by (theme, measure); ``current`` values of a
    measure in percentage points by (theme, measure, region); ``weights`` of the regions in the national figure."""
    missing = sorted({f"{c.theme} ({c.measure})" for c in scenario.changes
                      if (c.theme, c.measure) not in coefficients})
    if missing:
        note = "no panel coefficient for " + ", ".join(missing)
        return [ScenarioResult(scenario.name, r, b.point, None, None, None, None, None, None, note)
                for r, b in [*baselines.items(), (national_code, national)]]
    regional, nat = {}, _Parts()
    total = sum(weights.get(r, 0.0) for r in baselines) or 1.0
    by_change: dict[int, float] = {}
    unknown: set[str] = set()
    for region in baselines:
        parts = _Parts()
        for i, change in enumerate(scenario.changes):
            if not change.covers(region):
                continue
            value = current.get((change.theme, change.measure, region))
            if value is None:
                unknown.add(region)
                continue
            shift = change.shift(value)
            parts.shifts.append((shift, coefficients[(change.theme, change.measure)]))
            by_change[i] = by_change.get(i, 0.0) + weights.get(region, 0.0) / total * shift
        regional[region] = parts
    for i, shifted in by_change.items():
        change = scenario.changes[i]
        nat.shifts.append((shifted, coefficients[(change.theme, change.measure)]))
    rows = [regional[r].result(scenario.name, r, b, "no posts in the current window: no change applied"
                               if r in unknown else "") for r, b in baselines.items()]
    return rows + [nat.result(scenario.name, national_code, national, "")]
