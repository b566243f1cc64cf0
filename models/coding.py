"""Manual coding: the codebook, agreement between coders, and how often a lexicon category or a topic means what
it says according to the coded posts.

A codebook (YAML) names each code, its allowed values, its level of measurement and instructions in Russian and
English; a code may say which lexicon category or topic it checks (``validates``) and which value means "yes,
the post is about that" (``positive``). Agreement is Krippendorff's alpha (the ``krippendorff`` package) with a
bootstrap interval over posts; precision comes with a Wilson score interval, which keeps its coverage at the
small samples manual coding gives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import krippendorff
import numpy as np
import yaml
from scipy.stats import norm

LEVELS = ("nominal", "ordinal", "interval", "ratio")
BOOTSTRAP = 1000


class CodebookError(ValueError):
    """A codebook that cannot be used, with the reason."""


@dataclass(frozen=True)
class Code:
    name: str
    values: tuple[str, ...]
    level: str = "nominal"
    instructions: Mapping[str, str] = field(default_factory=dict)
    validates: str | None = None  # category:<name> or topic:<model_id>:<topic_id>
    positive: str | None = None


@dataclass(frozen=True)
class Codebook:
    name: str
    codes: tuple[Code, ...]
    instructions: Mapping[str, str]

    def code(self, name: str) -> Code | None:
        return next((c for c in self.codes if c.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.codes)


def code_text(value) -> str:
    """Codes are compared as text: YAML's yes/no, 1 and 1.0 read alike from a spreadsheet and from the codebook."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def load_codebook(path: Path | None = None) -> Codebook:
    """The codebook at ``path``, or the shipped example (``models/data/codebook.yaml``)."""
    source = path.read_text(encoding="utf-8") if path else \
        resources.files("qatysu.models").joinpath("data/codebook.yaml").read_text(encoding="utf-8")
    where = str(path) if path else "the shipped codebook"
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise CodebookError(f"{where}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list) or not data["codes"]:
        raise CodebookError(f"{where}: expected a mapping with a non-empty list 'codes'")
    codes = []
    for i, raw in enumerate(data["codes"], 1):
        if not isinstance(raw, dict) or not raw.get("name") or not raw.get("values"):
            raise CodebookError(f"{where}: code {i} needs a name and a list of values")
        level = raw.get("level", "nominal")
        if level not in LEVELS:
            raise CodebookError(f"{where}: code {raw['name']}: level {level!r} is not one of {', '.join(LEVELS)}")
        values = tuple(code_text(v) for v in raw["values"])
        positive = None if raw.get("positive") is None else code_text(raw["positive"])
        if positive is not None and positive not in values:
            raise CodebookError(f"{where}: code {raw['name']}: positive value {positive!r} is not among its values")
        validates = raw.get("validates")
        if validates and not (validates.startswith("category:") or validates.count(":") >= 2
                              and validates.startswith("topic:")):
            raise CodebookError(f"{where}: code {raw['name']}: validates must be category:<name> or "
                                f"topic:<model_id>:<topic_id>, not {validates!r}")
        if validates and positive is None:
            raise CodebookError(f"{where}: code {raw['name']}: a code that validates something needs 'positive'")
        codes.append(Code(str(raw["name"]), values, level, dict(raw.get("instructions") or {}), validates, positive))
    names = [c.name for c in codes]
    if len(set(names)) != len(names):
        raise CodebookError(f"{where}: code names repeat: {', '.join(sorted({n for n in names if names.count(n) > 1}))}")
    return Codebook(str(data.get("name", "codebook")), tuple(codes), dict(data.get("instructions") or {}))


@dataclass(frozen=True)
class Agreement:
    code: str
    posts: int  # posts coded by at least two coders
    coders: int
    pairable: int  # values in those posts
    alpha: float | None
    ci_low: float | None
    ci_high: float | None


def _alpha(data: np.ndarray, level: str) -> float:
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def agreement(code: Code, rows: Iterable[tuple[str, str, str]], *, seed: int = 0) -> Agreement:
    """Krippendorff's alpha of one code over (post, coder, value) rows, with a 95% bootstrap interval over posts
    (posts coded by one coder only carry no information on agreement and are left out)."""
    by_post: dict[str, dict[str, str]] = {}
    for post, coder, value in rows:
        by_post.setdefault(post, {})[coder] = value
    posts = sorted(p for p, c in by_post.items() if len(c) >= 2)
    coders = sorted({c for p in posts for c in by_post[p]})
    if len(posts) < 2:
        return Agreement(code.name, len(posts), len(coders), 0, None, None, None)
    index = {v: i for i, v in enumerate(code.values)}  # ordinal codes: the codebook lists values in order
    data = np.full((len(coders), len(posts)), np.nan)
    for j, post in enumerate(posts):
        for i, coder in enumerate(coders):
            value = by_post[post].get(coder)
            if value is not None:
                data[i, j] = index[value] if code.level in ("nominal", "ordinal") else float(value)
    pairable = int((~np.isnan(data)).sum())
    if len(np.unique(data[~np.isnan(data)])) < 2:  # one value only: alpha is undefined
        return Agreement(code.name, len(posts), len(coders), pairable, None, None, None)
    alpha = _alpha(data, code.level)
    rng = np.random.default_rng(seed)
    boot = []
    for _ in range(BOOTSTRAP):
        sample = data[:, rng.integers(0, len(posts), len(posts))]
        if len(np.unique(sample[~np.isnan(sample)])) >= 2:
            boot.append(_alpha(sample, code.level))
    low, high = (np.quantile(boot, [0.025, 0.975]) if boot else (np.nan, np.nan))
    return Agreement(code.name, len(posts), len(coders), pairable, alpha, float(low), float(high))


def wilson(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion."""
    if n == 0:
        return (float("nan"), float("nan"))
    z = norm.ppf(0.5 + level / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (float(max(0.0, centre - half)), float(min(1.0, centre + half)))


def consensus(values: Sequence[str]) -> str | None:
    """The value most coders gave a post; None on a tie (the post then counts for no side)."""
    counts = Counter(values).most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]
