"""Hand coding: draw a sample of posts to code, load the coders' sheets, measure their agreement, and check
lexicon categories and topics against the coded posts."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from openpyxl import load_workbook

from qatysu.models.coding import Agreement, Code, Codebook, agreement, code_text, consensus, load_codebook, wilson
from qatysu.models.lexicon import load_lexicon
from qatysu.models.sampling import allocate
from qatysu.reports.coding_sheet import POSTS_SHEET, write_coding_sheet
from qatysu.warehouse import Warehouse, WarehouseError
from qatysu.warehouse.coding_store import (
    coded_values,
    draw_sample,
    flagged_posts,
    known_posts,
    sample_frame,
    store_codes,
)
from qatysu.warehouse.marker_store import register_lexicon
from qatysu.warehouse.topic_store import latest_topic_model


class CodingError(WarehouseError):
    """A sample that cannot be drawn or a coded file that cannot be loaded; the message says why and where."""


@dataclass(frozen=True)
class SampleSummary:
    path: Path
    drawn: dict[str, int]  # stratum → posts drawn
    population: dict[str, int]  # stratum → posts in the frame


def _topic(where_topic: str | None) -> tuple[str | None, int | None]:
    if not where_topic:
        return None, None
    model, sep, topic = where_topic.rpartition(":")
    if not sep or not model or not topic.lstrip("-").isdigit():
        raise CodingError(f"--where-topic takes MODEL_ID:TOPIC_ID, e.g. lda-ru-20240101T000000Z-ab12:3, "
                          f"not {where_topic!r}")
    return model, int(topic)


def sample_posts(wh: Warehouse, out: Path, *, n: int, stratify: str | None = None, allocation: str,
                 where_category: str | None = None, where_topic: str | None = None,
                 model_id: str | None = None, seed: int, codebook: Codebook | None = None,
                 lexicon_files: tuple[Path, ...] = ()) -> SampleSummary:
    """Draw ``n`` posts (stratified, seeded: the same seed and warehouse give the same posts) and write the
    coding sheet: post text, link, metadata and one empty column per code of the codebook."""
    book = codebook or load_codebook()
    model, topic = _topic(where_topic)
    with wh.reader(live=True) as con:
        model = model or model_id or (latest_topic_model(con) if stratify == "topic" else None)
        if stratify == "topic" and model is None:
            raise CodingError("--stratify topic needs a fitted topic model (qatysu topics fit)")
        if where_category:
            lexicon = load_lexicon(lexicon_files)
            if where_category not in lexicon.categories:
                raise CodingError(f"no lexicon category {where_category!r}; `qatysu lexicon show` lists them")
            register_lexicon(con, lexicon.rows())
        sizes = sample_frame(con, stratify=stratify, model_id=model, topic_id=topic, category=where_category,
                             seed=seed)
        if not sizes:
            raise CodingError("no post matches the sample's filters")
        quotas = allocate(sizes, n, allocation)
        columns, rows = draw_sample(con, {s: q for s, q in quotas.items() if q})
    params = {"n": n, "stratify": stratify or "none", "allocation": allocation, "seed": seed,
              "where_category": where_category, "where_topic": where_topic, "model": model,
              "drawn_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "warehouse": str(wh.path)}
    write_coding_sheet(out, columns, rows, book, params, sizes, quotas)
    return SampleSummary(out, quotas, sizes)


def _rows(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    """(line, {column: value}) of a coding sheet: the first sheet of an XLSX (or its posts sheet), or a CSV."""
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as f:
            for line, row in enumerate(csv.DictReader(f), 2):
                yield line, row
        return
    if path.suffix.lower() != ".xlsx":
        raise CodingError(f"{path.name}: give the coded .xlsx or .csv file")
    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book[POSTS_SHEET] if POSTS_SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    for line, values in enumerate(rows, 2):
        yield line, dict(zip(header, values))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class LoadSummary:
    posts: int
    codes: int
    codes_by_name: dict[str, int]


def load_codes(wh: Warehouse, path: Path, *, coder: str, codebook: Codebook | None = None) -> LoadSummary:
    """Check a coder's sheet whole (every value must be one the codebook allows, every post must exist) and
    store its codes, or store nothing and say which line is wrong."""
    book = codebook or load_codebook()
    rows, problems, seen_codes = [], [], set()
    for line, record in _rows(path):
        uid = record.get("post_uid")
        if _blank(uid):
            if any(not _blank(record.get(c)) for c in book.names):
                problems.append(f"line {line}: codes without a post_uid")
            continue
        for code in book.codes:
            if code.name not in record:
                continue
            seen_codes.add(code.name)
            value = record[code.name]
            if _blank(value):
                continue
            text = code_text(value)
            if text not in code.values:
                problems.append(f"line {line}: {code.name} = {text!r} is not one of {', '.join(code.values)}")
            else:
                rows.append((str(uid).strip(), code.name, text, line))
    if not seen_codes:
        problems.append(f"no column of the codebook {book.name!r} ({', '.join(book.names)}) in {path.name}")
    with wh.reader(live=True) as con:
        known = known_posts(con, sorted({r[0] for r in rows}))
    problems += [f"line {line}: no post {uid!r} in the warehouse" for uid, _, _, line in rows if uid not in known]
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise CodingError(f"{path.name}: nothing loaded: " + "; ".join(problems[:10]) + more)
    with wh.writer() as con:
        store_codes(con, [r[:3] for r in rows], coder=coder, codebook=book.name, file=path.name,
                    loaded_at=datetime.now(timezone.utc))
    by_code = {c: sum(r[1] == c for r in rows) for c in book.names if c in seen_codes}
    return LoadSummary(len({r[0] for r in rows}), len(rows), by_code)


def code_agreement(wh: Warehouse, codebook: Codebook | None = None, *, seed: int = 0) -> list[Agreement]:
    """Krippendorff's alpha per code of the codebook, across every coder who coded the same posts."""
    book = codebook or load_codebook()
    with wh.reader(live=True) as con:
        return [agreement(code, coded_values(con, code.name), seed=seed) for code in book.codes]


@dataclass(frozen=True)
class Validation:
    code: str
    theme: str
    flagged: int  # coded posts the category or topic flags (with a consensus value)
    precision: float | None  # share of them the coders marked positive
    precision_low: float | None
    precision_high: float | None
    positives: int  # coded posts marked positive
    recall: float | None  # share of those the theme flags
    recall_low: float | None
    recall_high: float | None


def validate_themes(wh: Warehouse, codebook: Codebook | None = None,
                    lexicon_files: tuple[Path, ...] = ()) -> list[Validation]:
    """For each code that validates a category or topic: its precision (and recall) on the coded posts, with
    95% Wilson intervals. A post's value is the one most of its coders gave (ties are left out)."""
    book = codebook or load_codebook()
    results = []
    with wh.reader(live=True) as con:
        register_lexicon(con, load_lexicon(lexicon_files).rows())
        for code in (c for c in book.codes if c.validates):
            by_post: dict[str, list[str]] = {}
            for post, _, value in coded_values(con, code.name):
                by_post.setdefault(post, []).append(value)
            decided = {p: v for p, vs in by_post.items() if (v := consensus(vs)) is not None}
            flagged = flagged_posts(con, code.validates) & set(decided)
            results.append(_validation(code, decided, flagged))
    return results


def _validation(code: Code, decided: dict[str, str], flagged: set[str]) -> Validation:
    hits = sum(decided[p] == code.positive for p in flagged)
    positives = {p for p, v in decided.items() if v == code.positive}
    found = len(positives & flagged)
    p_low, p_high = wilson(hits, len(flagged))
    r_low, r_high = wilson(found, len(positives))
    return Validation(code.name, code.validates or "", len(flagged), hits / len(flagged) if flagged else None,
                      p_low if flagged else None, p_high if flagged else None, len(positives),
                      found / len(positives) if positives else None, r_low if positives else None,
                      r_high if positives else None)
