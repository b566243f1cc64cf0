"""The report's Petitions section (HTML and Markdown): petitions per platform, by region, and the words that go
with petitions gathering more or fewer signatures per day."""

from __future__ import annotations

import pandas as pd
import plotly.express as px

from qatysu.reports.page import Page
from qatysu.reports.page import html_table as _table

NOTE = ("Signatures per day since opening, up to the latest reading or to closing. Markers compare the fastest and "
        "the slowest third of petitions within each platform (platforms differ in their usual pace), with the "
        "same weighted log-odds as the engagement markers. A signature is participation, but petitions that "
        "reach a portal are not a sample of citizens: association, not causation.")


def _region_note(by_region: pd.DataFrame) -> str:
    if by_region["petitions_per_100k"].notna().any():
        return "Petitions per 100,000 inhabitants (the `population` indicator)."
    return ("Counts of petitions, not rates: no `population` indicator is loaded (`qatysu indicators load`). "
            "A petition counts in every region its text names, else in the region its file gave.")


def petitions_section(page: Page, t: dict[str, pd.DataFrame], q_level: float) -> None:
    """Add the section; say so plainly when there are no petitions or no signature markers."""
    page.section("petitions", "Petitions")
    page.add(f"<p>{NOTE}</p>")
    if t["petitions"].empty:
        page.add('<p class="muted">No petitions imported (<code>qatysu import petitions</code>).</p>')
        return
    page.add(_table(t["petitions"]))
    by_region = t["petitions_by_region"]
    measure = "petitions_per_100k" if by_region["petitions_per_100k"].notna().any() else "petitions"
    page.figure(px.bar(by_region, x="region_code", y=measure, hover_data=["signatures"],
                       title=f"Petitions by region ({measure})"))
    page.add(f"<p class='muted'>{_region_note(by_region)}</p>")
    m = t["petition_markers"]
    terms = m[(m["scope"] == "all") & (m["unit"] == "term")] if not m.empty else m
    if terms.empty:
        page.add('<p class="muted">No markers with signatures as the outcome '
                 "(<code>qatysu markers score --outcome signatures</code>).</p>")
        return
    shown = pd.concat([terms.nlargest(15, "z"), terms.nsmallest(15, "z")]).drop_duplicates("term").sort_values("z")
    page.figure(px.bar(shown, x="z", y="term", orientation="h", color="signatures",
                       color_discrete_map={"raises": "#2a9d8f", "lowers": "#e76f51", "no evidence": "#b0b0b0"},
                       hover_data=["count_high", "count_low", "q"],
                       title=f"Words of faster and slower petitions (scope: all; a finding needs q ≤ {q_level})")
                .update_layout(height=160 + 22 * len(shown)))
    page.add(_table(shown.sort_values("z", ascending=False)[
        ["term", "lang", "z", "delta", "q", "count_high", "count_low", "signatures"]]))


def petitions_markdown(t: dict[str, pd.DataFrame]) -> list[str]:
    """The section's lines in the Markdown report."""
    lines = ["## Petitions", "", NOTE, ""]
    if t["petitions"].empty:
        return lines + ["No petitions imported.", ""]
    lines += [t["petitions"].round({"median_signatures_per_day": 3}).to_markdown(index=False), "",
              _region_note(t["petitions_by_region"]), ""]
    m = t["petition_markers"]
    terms = m[(m["scope"] == "all") & (m["unit"] == "term")] if not m.empty else m
    if terms.empty:
        return lines + ["No markers with signatures as the outcome.", ""]
    for title, part in (("Faster petitions", terms.nlargest(15, "z")), ("Slower petitions", terms.nsmallest(15, "z"))):
        lines += [f"### {title}", "", part[["term", "lang", "z", "q", "count_high", "count_low"]]
                  .round(3).to_markdown(index=False), ""]
    return lines
