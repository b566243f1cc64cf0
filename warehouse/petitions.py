"""Petitions and their signature snapshots, read for analysis (written by ``petition_import``).

A petition is stored twice on purpose: its fields in ``petitions`` and its title and text as a post of platform
``petition`` (source ``petition:<platform>``, post_uid equal to the petition_uid), so the processing, topic and
region steps need no second path for petition texts. Both are written in one transaction.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from qatysu.warehouse.indicators import Indicator, IndicatorFile, IndicatorValue, parse_period, store_indicators
from qatysu.warehouse.posts import post_uid_for
from qatysu.warehouse.queries import query
from qatysu.warehouse.regions import POST_SPLIT
from qatysu.warehouse.store import WarehouseError, transaction

POST_PLATFORM = "petition"
# The indicator that turns petition counts by region into petitions per 100,000 inhabitants, when loaded.
POPULATION_INDICATOR = "population"
# The origin of the indicators computed from the warehouse's petitions (see store_petition_indicator).
INDICATOR_ORIGIN = "petitions"
# The step a markers run with signatures as the outcome is recorded under (engagement markers: ``markers``).
SIGNATURE_MARKERS_STEP = "markers:signatures"
THRESHOLD_MARKERS_STEP = "markers:threshold"  # and one with the threshold reached as the outcome


def petition_uid_for(platform: str, petition_id: str) -> str:
    """``petition:<platform>:<petition_id>``, which is also the post_uid of the petition's text."""
    return post_uid_for(POST_PLATFORM, platform, petition_id)


def petition_groups(con: duckdb.DuckDBPyConnection, scope_params: dict[str, str], *, outcome: str, quantile: float,
                    min_platform_petitions: int) -> dict:
    """Temporary table ``_groups(post_uid, lang, grp)`` of the scope's processed petitions. ``signatures``: grp
    high or low for the top and bottom ``quantile`` of signatures per day within each platform (platforms with at
    least ``min_platform_petitions`` petitions read), mid between. ``threshold``: high for those that reached
    their threshold among those whose signing has closed, low for the others that closed, 'open' for petitions
    still open (left out: below the threshold their outcome is not known yet). 'no counters' and 'small source'
    for petitions that cannot be placed. The same table the engagement groups make, so the marker scoring reads
    it unchanged."""
    con.execute(query("petition_groups"), {**scope_params, "outcome": outcome, "quantile": quantile,
                                           "min_posts": min_platform_petitions})
    return dict(con.execute(query("engagement_group_sizes")).fetchall())


def has_petition_readings(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any petition has a signature reading (what scoring with signatures as the outcome needs)."""
    return con.execute(query("petition_readings_exist")).fetchone()[0]


def petitions_by_region(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(region_code, petitions, signatures, petitions_per_100k) for every region; petitions_per_100k is NULL unless
    the ``population`` indicator is loaded. A petition counts in every region its text names or, when it names
    none, in the region its file gave."""
    return con.execute(query("petitions_by_region"), {"population": POPULATION_INDICATOR}).fetchall()


def store_petition_indicator(con: duckdb.DuckDBPyConnection) -> tuple[str, int]:
    """Store petitions by region as an indicator, so ``qatysu link`` relates themes to it like to turnout:
    ``petitions_per_100k`` when the population indicator is loaded (regions without a population value are left
    out), else ``petitions_count``. It replaces the one stored before; its period is the year of the latest
    reading. Returns the indicator's id and its number of regions."""
    span = con.execute(query("petition_span")).fetchone()
    if span[0] is None:
        raise WarehouseError("no petitions with signature readings: `qatysu import petitions` first")
    year, first, last = span
    rows = petitions_by_region(con)
    per_capita = any(r[3] is not None for r in rows)
    indicator = Indicator(
        "petitions_per_100k" if per_capita else "petitions_count",
        name="Petitions per 100,000 inhabitants" if per_capita else "Petitions",
        unit="per 100,000" if per_capita else "count",
        description=f"Petitions opened {first} to {last} that name the region in their text (else whose file gave "
                    "the region)" + (f", per 100,000 inhabitants (indicator {POPULATION_INDICATOR})" if per_capita
                                     else "; a count, not a rate: no population indicator was loaded"),
        source="Computed by Qatysu from the petitions in this warehouse (qatysu petitions regions --store)")
    period = parse_period(year)
    values = [IndicatorValue(indicator.indicator_id, code, period, float(per if per_capita else n), POST_SPLIT,
                             None, 0) for code, n, _, per in rows if not per_capita or per is not None]
    with transaction(con):
        store_indicators(con, IndicatorFile({indicator.indicator_id: indicator}, values), origin=INDICATOR_ORIGIN,
                         replace_origin=True)
    return indicator.indicator_id, len(values)


def petition_report_tables(con: duckdb.DuckDBPyConnection, markers_run: str | None, q_level: float
                           ) -> dict[str, pd.DataFrame]:
    """The report's petition tables: per platform, by region, and the markers of ``markers_run`` (a markers run
    with signatures as the outcome; a unit is a finding at q ≤ ``q_level``). Empty frames without petitions."""
    by_region = pd.DataFrame(petitions_by_region(con),
                             columns=["region_code", "petitions", "signatures", "petitions_per_100k"])
    return {
        "petitions": con.execute(query("report_petitions")).df(),
        "petitions_by_region": by_region,
        "petition_markers": con.execute(query("report_markers"), {"run": markers_run, "q_level": q_level}).df()
        .rename(columns={"engagement": "signatures"}),
    }
