"""What spiders yield besides post records (plain dicts ready for ``warehouse.upsert_posts``)."""

from __future__ import annotations

from dataclasses import dataclass

# Crawl statistic: messages a spider saw but could not read (no id or no date), stored as crawl_runs.skipped.
SKIPPED_STAT = "qatysu/messages_skipped"


@dataclass
class SourceItem:
    """Metadata of a source as seen on the platform."""

    platform: str
    handle: str
    title: str | None = None
    description: str | None = None
    subscribers: int | None = None
    url: str | None = None
    has_public_preview: bool | None = None


@dataclass
class SourceDone:
    """The walk over one source ended normally; ``newest_post_id`` becomes its frontier once stored."""

    platform: str
    handle: str
    newest_post_id: int | None


@dataclass
class PetitionItem:
    """A petition as read, values as text under the column names of ``qatysu import petitions``
    (``warehouse.petition_import.PETITION_COLUMNS``): stored through that import's checks and merge."""

    record: dict[str, str | None]
