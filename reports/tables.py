"""The report's tables as CSV files and a Markdown summary (the XLSX: :mod:`qatysu.reports.spreadsheet`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from qatysu.reports.html import CAVEAT
from qatysu.reports.scenarios import scenarios_markdown
from qatysu.reports.petitions import petitions_markdown


def write_csv(directory: Path, tables: dict[str, pd.DataFrame]) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        path = directory / f"{name}.csv"
        df.to_csv(path, index=False)
        paths.append(path)
    return paths


def write_markdown(path: Path, tables: dict[str, pd.DataFrame], demo: dict | None) -> None:
    lines = ["# Qatysu report", ""]
    if demo:
        lines += [f"**Synthetic corpus.** {demo.get('summary', '')}", "", "Planted effects:", ""]
        lines += [f"- {p}" for p in demo.get("planted", [])] + [""]
    lines += [f"> {CAVEAT}", "", "## Corpus", ""]
    for name in ("posts_by_platform", "posts_by_language", "posts_by_source_kind"):
        lines += [tables[name].to_markdown(index=False), ""]
    lines += ["## Topics", ""]
    topics = tables["topics"]
    lines += [topics[["model_id", "topic_id", "label", "size"]].to_markdown(index=False) if not topics.empty
              else "No topic model.", ""]
    lines += ["## Marker words (scope: all)", ""]
    m = tables["markers"]
    terms = m[(m["scope"] == "all") & (m["unit"] == "term")] if not m.empty else m
    if terms.empty:
        lines += ["No marker run.", ""]
    else:
        for title, part in (("Raise engagement", terms.nlargest(15, "z")), ("Lower engagement", terms.nsmallest(15, "z"))):
            lines += [f"### {title}", "", part[["term", "lang", "z", "q", "count_high", "count_low"]]
                      .round(3).to_markdown(index=False), ""]
    lines += ["## Themes and regional participation", ""]
    links = tables["theme_links"].dropna(subset=["rho"])
    lines += [links.drop(columns=["theme"]).head(20).round(3).to_markdown(index=False) if not links.empty
              else "No link run.", ""]
    lines += scenarios_markdown(tables)
    lines += petitions_markdown(tables)
    path.write_text("\n".join(lines), encoding="utf-8")
