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
    lines += ["## Marker words (scope: all)", "",
              "Per-post log-odds (each unit on its own) and a post-level engagement model (the candidates together, "
              "within sources); q ≤ 0.1 is a finding, one BH family per kind of unit across scopes. Associations "
              "with engagement, not effects.", ""]
    m = tables["markers"]
    terms = m[(m["scope"] == "all") & (m["unit"] == "term")] if not m.empty else m
    if terms.empty:
        lines += ["No marker run.", ""]
    else:
        for _, g in tables["marker_groups"].dropna(subset=["detectable_ratio"]).iterrows():
            lines += [f"Scope {g['scope']}: {g['posts_high']:,} high / {g['posts_low']:,} low posts; a word in "
                      f"{g['word_share']:.0%} of posts is found {g['power']:.0%} of the time from a ratio of "
                      f"×{g['detectable_ratio']:.2f} between the groups.", ""]
        for title, part in (("Higher engagement", terms.nlargest(15, "z")), ("Lower engagement", terms.nsmallest(15, "z"))):
            lines += [f"### {title}", "", part[["term", "lang", "z", "q", "count_high", "count_low"]]
                      .round(3).to_markdown(index=False), ""]
        both = tables["markers_compared"]
        if not both.empty:
            lines += ["### Both methods", "", both.head(40).round(4).to_markdown(index=False), ""]
    lines += ["## Themes and regional participation", "",
              "Theme rates from the posts of a window before each vote; Spearman ρ across n regions; association.", ""]
    links = tables["theme_links"].dropna(subset=["rho"]).drop(columns=["theme"]).head(20)
    links = links.round({c: 3 for c in links.select_dtypes("number").columns})
    lines += [links.to_markdown(index=False) if not links.empty else "No link run.", ""]
    if not tables["links_not_tested"].empty:
        lines += ["### Not tested", "", tables["links_not_tested"].to_markdown(index=False), ""]
    lines += scenarios_markdown(tables)
    lines += petitions_markdown(tables)
    path.write_text("\n".join(lines), encoding="utf-8")
