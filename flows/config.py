"""Parameters of the flows, validated (Prefect checks them against these models when a run starts), and the
YAML file ``qatysu run --config`` reads."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from qatysu.warehouse.marker_store import Scope


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CollectConfig(_Strict):
    platforms: list[str] = Field(default_factory=lambda: ["telegram"])
    since: datetime | None = None
    max_pages: int | None = Field(default=None, ge=1)
    settings: dict[str, str] = Field(default_factory=dict, description="Scrapy settings KEY: VALUE")

    @field_validator("platforms")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = set(value) - {"telegram", "vk", "youtube", "news"}
        if unknown:
            raise ValueError(f"unknown platform(s) {', '.join(sorted(unknown))}: telegram, vk, youtube or news")
        return value


class TopicsConfig(_Strict):
    methods: list[str] = Field(default_factory=lambda: ["lda"])
    langs: list[str] = Field(default_factory=lambda: ["ru", "kk"])
    k_grid: list[int] = Field(default_factory=lambda: [5, 10, 15, 20])
    seed: int = 42

    @field_validator("methods")
    @classmethod
    def _methods(cls, value: list[str]) -> list[str]:
        if set(value) - {"lda", "bertopic"}:
            raise ValueError("topic methods are lda and bertopic")
        return value

    @field_validator("langs")
    @classmethod
    def _langs(cls, value: list[str]) -> list[str]:
        if set(value) - {"ru", "kk", "all"}:
            raise ValueError("topic languages are ru, kk and all")
        return value


class MarkersConfig(_Strict):
    scopes: list[str] = Field(default_factory=lambda: ["all", "lang:ru", "lang:kk"])
    prior_size: float = Field(default=1000.0, gt=0)

    @field_validator("scopes")
    @classmethod
    def _scopes(cls, value: list[str]) -> list[str]:
        for scope in value:
            Scope.parse(scope)
        return value


class LinkConfig(_Strict):
    indicators: list[str] | None = None
    min_posts: int = Field(default=20, ge=1)


class ReportConfig(_Strict):
    formats: list[str] = Field(default_factory=lambda: ["html", "xlsx", "csv", "md"])
    boundaries: Path | None = None


class PipelineConfig(_Strict):
    db: Path = Path("qatysu.duckdb")
    out: Path = Path("reports")
    collect: CollectConfig = Field(default_factory=CollectConfig)
    topics: TopicsConfig = Field(default_factory=TopicsConfig)
    markers: MarkersConfig = Field(default_factory=MarkersConfig)
    link: LinkConfig = Field(default_factory=LinkConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)

    @classmethod
    def from_file(cls, path: Path) -> PipelineConfig:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"{path}: cannot read it as YAML: {exc}") from exc
        return cls.model_validate(data)
