"""Every step's parameters and their defaults, declared once.

Each step has one pydantic model here. The step's module takes it, the ``qatysu`` command's options take their
defaults from it (:func:`default`), Prefect validates flow parameters against it when a run starts, the YAML
file ``qatysu run --config`` reads is :class:`PipelineConfig`, and the parameter tables of ``docs/pipeline.md``
are generated from the fields' descriptions (:func:`parameter_tables`; a test keeps the file current).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from qatysu.models.topic_effects import DEFAULT_DRAWS
from qatysu.warehouse.marker_store import Scope

PLATFORMS = ("telegram", "vk", "youtube", "news", "petitions")
TOPIC_METHODS = ("lda", "bertopic")
TOPIC_LANGS = ("ru", "kk", "all")
REPORT_FORMATS = ("html", "xlsx", "csv", "md")
VOTE_KINDS = ("presidential", "parliamentary", "referendum")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def default(model: type[BaseModel], name: str) -> Any:
    """The default of one parameter, for a command-line option that must say the same as the step."""
    return model.model_fields[name].get_default(call_default_factory=True)


def _members(value: list[str], allowed: tuple[str, ...], what: str) -> list[str]:
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(unknown)}: choose from {', '.join(allowed)}")
    return value


class CollectConfig(_Strict):
    """Collect: crawl the registered sources of each platform."""

    platforms: list[str] = Field(default_factory=lambda: ["telegram"],
                                 description="Platforms whose registered sources are crawled: " + ", ".join(PLATFORMS))
    since: datetime | None = Field(None, description="Stop at posts older than this date.")
    max_pages: int | None = Field(None, ge=1, description="Pages per source at most.")
    refresh: bool = Field(False, description="Re-read stored posts to update their counters.")
    comments: bool = Field(False, description="Telegram: also store each collected post's public comments (the "
                                              "discussion widget of channels with a discussion group); other "
                                              "platforms ignore it.")
    http_cache: bool = Field(False, description="Keep responses on disk for re-parsing.")
    settings: dict[str, str] = Field(default_factory=dict, description="Scrapy settings, KEY: VALUE.")

    @field_validator("platforms")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        return _members(value, PLATFORMS, "platform(s)")


class ProcessConfig(_Strict):
    """Process: language, lemmas, phrases and regions of new and edited posts."""

    since: datetime | None = Field(None, description="Only posts published since this date.")
    reprocess: bool = Field(False, description="Process every post again, not only new and edited ones.")
    batch_size: int = Field(2000, ge=1, description="Posts per batch (one transaction each).")
    workers: int | None = Field(None, ge=1, description="Analysis processes; empty: one per core.")


class TopicsConfig(_Strict):
    """Topics: one topic model per method and language."""

    methods: list[str] = Field(default_factory=lambda: ["lda"], description="lda, bertopic.")
    langs: list[str] = Field(default_factory=lambda: ["ru", "kk"],
                             description="One model per language; `all` is one joint model (its topics tend to "
                                         "split by language).")
    k: int | None = Field(None, ge=2, description="Number of topics (BERTopic: reduce to at most k); empty: LDA "
                                                   "picks from `k_grid`, BERTopic finds its own.")
    k_grid: list[int] = Field(default_factory=lambda: [5, 10, 15, 20],
                              description="LDA: numbers of topics to try; the most coherent (C_v) is kept.")
    seed: int = Field(42, description="Random seed: the same inputs and seed give the same model.")
    workers: int = Field(1, ge=1, description="LDA worker processes; above 1 the fit is not reproducible.")
    guided: bool = Field(False, description="BERTopic: guide topics towards the lexicon's categories.")
    fit_sample: int = Field(25_000, ge=50, description="Posts a model is fitted on at most: a seeded random sample "
                                                        "when there are more; the fitted model then assigns the "
                                                        "other posts their topics in batches (topic_models.n_fit, "
                                                        "assignment).")
    coherence_sample: int = Field(20_000, ge=50, description="Posts of the fit sample the coherence (C_v, NPMI) "
                                                             "is measured on.")

    @field_validator("methods")
    @classmethod
    def _methods(cls, value: list[str]) -> list[str]:
        return _members(value, TOPIC_METHODS, "topic method(s)")

    @field_validator("langs")
    @classmethod
    def _langs(cls, value: list[str]) -> list[str]:
        return _members(value, TOPIC_LANGS, "topic language(s)")

    @field_validator("k_grid")
    @classmethod
    def _grid(cls, value: list[int]) -> list[int]:
        if not value or min(value) < 2:
            raise ValueError("k_grid needs numbers of topics of at least 2")
        return sorted(set(value))


class MarkersConfig(_Strict):
    """Markers: per-post log-odds of units in high- vs low-engagement posts, and a post-level engagement model."""

    scopes: list[str] = Field(default_factory=lambda: ["all", "lang:ru", "lang:kk"],
                              description="all, lang:ru, lang:kk, region:KZ-xx, period:YYYY-MM, source:<id>.")
    prior_share: float = Field(0.05, gt=0, description="Size α₀ of the informative Dirichlet prior as a share of "
                                                        "the mean size of the high and low groups.")
    prior_size: float | None = Field(None, gt=0, description="A fixed α₀ instead of prior_share.")
    min_count: int = Field(5, ge=1, description="Score units found in at least this many posts of the scope.")
    quantile: float = Field(1 / 3, gt=0, le=0.5,
                            description="Share of each source's posts in the high and in the low group.")
    min_source_posts: int = Field(6, ge=2, description="Sources with fewer posts with counters are left out.")
    outcome: Literal["engagement", "signatures", "threshold"] = Field(
        "engagement", description="What makes a text high or low: engagement (posts, relative to their source's "
                                  "usual level), signatures (petitions: signatures per day, within their platform; "
                                  "a platform counts as a source) or threshold (among petitions whose signing has "
                                  "closed, those that reached their threshold vs those that did not; petitions "
                                  "still open are left out).")
    glm: bool = Field(True, description="Fit the post-level model of the outcome too (marker_effects).")
    glm_candidates: int = Field(40, ge=1, description="Words and phrases (each) the model takes, by |z|.")
    glm_posts: int = Field(100_000, ge=100, description="Posts of a scope the model is fitted on at most: a fixed "
                                                       "pseudo-random choice (by a hash of the post id) when there "
                                                       "are more, so that its cost stays bounded; its intervals "
                                                       "are those of that sample.")

    @field_validator("scopes")
    @classmethod
    def _scopes(cls, value: list[str]) -> list[str]:
        for scope in value:
            Scope.parse(scope)
        return value


class LinkConfig(_Strict):
    """Link: themes by region, from the posts of a window before each vote, against participation indicators."""

    indicators: list[str] | None = Field(None, description="Indicator ids; empty: all (`qatysu indicators list`).")
    min_posts: int = Field(20, ge=1, description="Regions with fewer posts in the window are left out.")
    min_regions: int = Field(10, ge=3, description="Indicators with fewer such regions are not tested.")
    n_boot: int = Field(2000, ge=100, description="Bootstrap resamples for each interval.")
    seed: int = Field(0, description="Seed of the permutations and the bootstrap.")
    # the one length of the window before a vote (warehouse/queries/vote_windows.sql per vote,
    # indicator_windows.sql per indicator); other steps that relate posts to votes take it from here
    window_days: int = Field(180, ge=1, description="Days of posts before a vote that are linked to it (the forecast "
                                                    "panel's window too).")


class ForecastConfig(_Strict):
    """Forecast: the region × vote panel, theme effects, forecasts of the next vote of each kind, scenarios."""

    outcome: str = Field("turnout", description="What is forecast: turnout, the indicator with a panel of votes.")
    kinds: list[str] = Field(default_factory=lambda: list(VOTE_KINDS),
                             description="Forecast the next vote of these kinds: " + ", ".join(VOTE_KINDS))
    scenarios: Path | None = Field(None, description="A what-if YAML (docs/forecast.md); empty: the shipped "
                                                     "models/data/scenarios.yaml.")
    min_posts: int = Field(20, ge=1, description="Posts a region needs in a vote's window to enter the panel model.")
    reps: int = Field(999, ge=99, description="Wild cluster bootstrap draws of the panel model.")
    seed: int = Field(0, description="Seed of the bootstrap.")
    weight_indicator: str = Field("registered_voters", description="Indicator weighting the regions in national "
                                                                   "figures, when loaded; otherwise unweighted.")

    @field_validator("outcome")
    @classmethod
    def _outcome(cls, value: str) -> str:
        if value != "turnout":
            raise ValueError("the outcome is turnout (the only indicator with a panel of national votes)")
        return value

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError(f"give at least one vote kind: {', '.join(VOTE_KINDS)}")
        return _members(value, VOTE_KINDS, "vote kind(s)")


class ReportConfig(_Strict):
    """Report: HTML, XLSX, CSV and Markdown."""

    formats: list[str] = Field(default_factory=lambda: list(REPORT_FORMATS), description=", ".join(REPORT_FORMATS))
    boundaries: Path | None = Field(None, description="A GeoJSON of the regions, for a boundary map.")
    boundaries_attribution: str | None = Field(
        None, description="Attribution printed under the boundary map; empty: the quoted \"Boundaries: …\" line "
                          "of an ATTRIBUTION.md beside the file, else the GeoJSON's name when it names a licence.")

    @field_validator("formats")
    @classmethod
    def _formats(cls, value: list[str]) -> list[str]:
        return _members(value, REPORT_FORMATS, "report format(s)")


class SearchConfig(_Strict):
    """Search and keyword in context (``qatysu search``, ``qatysu kwic``)."""

    limit: int = Field(20, ge=1, description="Posts a search shows, best first.")
    kwic_window: int = Field(8, ge=1, description="Words shown on each side of a keyword.")
    kwic_posts: int = Field(200, ge=1, description="Newest posts a keyword in context reads.")


class SampleConfig(_Strict):
    """A sample of posts for hand coding (``qatysu sample``)."""

    n: int = Field(200, ge=1, description="Posts to draw.")
    allocation: str = Field("equal", description="equal (every stratum alike, small ones whole) or proportional.")
    seed: int = Field(0, description="Seed of the draw: the same seed draws the same posts.")


class TopicEffectsConfig(_Strict):
    """Topic effects (``qatysu topics effects``): topic shares against covariates, STM's method of composition."""

    covariates: list[str] = Field(default_factory=lambda: ["region", "month", "source_kind", "lang"],
                                  description="region, month, source_kind, lang, platform.")
    draws: int = Field(DEFAULT_DRAWS, ge=1, description="Draws of the posts' topic proportions (BERTopic: 1).")
    seed: int = Field(0, description="Seed of the draws.")
class Schedule(_Strict):
    """When a deployment runs: a cron line, an interval in seconds, or ``after: collect`` (each completed
    collect run triggers it). Exactly one of the three."""

    cron: str | None = None
    interval: float | None = Field(default=None, gt=0)
    after: Literal["collect"] | None = None

    def __str__(self) -> str:
        return f"cron: {self.cron}" if self.cron else f"interval: {self.interval:g}" if self.interval \
            else f"after: {self.after}"

    @model_validator(mode="after")
    def _one(self) -> Schedule:
        if sum(x is not None for x in (self.cron, self.interval, self.after)) != 1:
            raise ValueError("a schedule is one of cron: \"…\", interval: SECONDS or after: collect")
        if self.cron is not None:
            from cronsim import CronSim, CronSimError  # Prefect's own cron parser

            try:
                CronSim(self.cron, datetime(2000, 1, 1))
            except CronSimError as exc:
                raise ValueError(f"cron {self.cron!r}: {exc}") from exc
        return self


class SchedulesConfig(_Strict):
    """When each deployment runs: cron: "…" (UTC by default), interval: SECONDS, or after: collect."""

    collect: Schedule = Field(Schedule(cron="0 * * * *"), description="Crawling: hourly.")
    process: Schedule = Field(Schedule(after="collect"), description="Processing: after each completed collect run.")
    topics: Schedule = Field(Schedule(cron="0 2 * * 1"), description="Topic models: Mondays 02:00.")
    markers: Schedule = Field(Schedule(cron="0 4 * * 1"), description="Marker words: Mondays 04:00.")
    link: Schedule = Field(Schedule(cron="0 5 * * 1"), description="Theme–indicator links: Mondays 05:00.")
    forecast: Schedule = Field(Schedule(cron="30 5 * * 1"), description="Forecasts: Mondays 05:30.")
    report: Schedule = Field(Schedule(cron="0 6 * * 1"), description="Reports: Mondays 06:00.")

    @model_validator(mode="after")
    def _collect_is_timed(self) -> SchedulesConfig:
        if self.collect.after:
            raise ValueError("collect needs a cron or an interval schedule: the other steps can follow it")
        return self


class DaskConfig(_Strict):
    """Processing on a Dask cluster instead of this machine's cores; the warehouse stays here (docs/scale-out.md)."""

    address: str | None = Field(None, description="The Dask scheduler (tcp://host:8786) that analyses posts; "
                                                   "empty: this machine's cores.")


class PipelineConfig(_Strict):
    """The whole pipeline: collect → process → topics → markers → link → forecast → report."""

    db: Path = Field(Path("qatysu.duckdb"), description="The warehouse.")
    out: Path = Field(Path("reports"), description="Where the reports go.")
    collect: CollectConfig = Field(default_factory=CollectConfig)
    process: ProcessConfig = Field(default_factory=ProcessConfig)
    topics: TopicsConfig = Field(default_factory=TopicsConfig)
    markers: MarkersConfig = Field(default_factory=MarkersConfig)
    link: LinkConfig = Field(default_factory=LinkConfig)
    forecast: ForecastConfig = Field(default_factory=ForecastConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    schedules: SchedulesConfig = Field(default_factory=SchedulesConfig)
    work_pool: str = Field("qatysu", description="The Prefect work pool (of type process) that prefect.yaml's "
                                                 "deployments go to.")
    dask: DaskConfig = Field(default_factory=DaskConfig)

    @classmethod
    def from_file(cls, path: Path) -> PipelineConfig:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"{path}: cannot read it as YAML: {exc}") from exc
        return cls.model_validate(data)


def _shown(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}" if not value else str(value)
    return str(value).lower() if isinstance(value, bool) else str(value)


def parameter_tables() -> str:
    """Markdown tables of every step's parameters (the YAML key, its default and meaning), for the docs."""
    parts = []
    for key, field in PipelineConfig.model_fields.items():
        model = field.annotation if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel) \
            else None
        if model is None:
            continue
        rows = [f"| `{key}.{name}` | `{_shown(default(model, name))}` | {f.description} |"
                for name, f in model.model_fields.items()]
        parts.append(f"### `{key}`\n\n{model.__doc__.strip()}\n\n| key | default | meaning |\n|---|---|---|\n"
                     + "\n".join(rows))
    top = [f"| `{name}` | `{_shown(default(PipelineConfig, name))}` | {f.description} |"
           for name, f in PipelineConfig.model_fields.items() if f.description]
    head = "### top level\n\n| key | default | meaning |\n|---|---|---|\n" + "\n".join(top)
    return "\n\n".join([head, *parts]) + "\n"
