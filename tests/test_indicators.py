import csv

import pytest

from qatysu.warehouse.indicators import IndicatorFileError, read_indicator_csv, write_indicators
from qatysu.warehouse.regions import RegionResolver
from qatysu.warehouse.store import WarehouseError

from helpers import SHARED, invoke


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def _count(wh):
    with wh.reader(live=True) as con:
        return con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]


def test_researcher_indicator_loads_with_names_aliases_and_old_codes(wh, tmp_path):
    f = _write(tmp_path / "petitions.csv",
               "indicator,region,period,value,unit,source\n"
               "petitions_per_10k,ВКО,2023,12.5,per 10k,eOtinish\n"
               "petitions_per_10k,Нур-Султан,2023,30,,\n"
               "petitions_per_10k,KZ-ALA,2023,41,,\n"
               "petitions_per_10k,Abai Region,2023,7.25,,\n")
    result = invoke("indicators", "load", str(f), "--db", str(wh.path))
    assert result.returncode == 0, result.stderr
    with wh.reader() as con:
        rows = con.execute(
            "SELECT region_code, value, boundary_version FROM indicator_values "
            "WHERE indicator_id = 'petitions_per_10k' ORDER BY region_code"
        ).fetchall()
        meta = con.execute("SELECT unit, source, origin FROM indicators WHERE indicator_id = 'petitions_per_10k'").fetchone()
    assert rows == [("KZ-10", 7.25, "post-2022-06"), ("KZ-63", 12.5, "post-2022-06"),
                    ("KZ-71", 30.0, "post-2022-06"), ("KZ-75", 41.0, "post-2022-06")]
    assert meta == ("per 10k", "eOtinish", "researcher")


@pytest.mark.parametrize(
    "body, expected",
    [
        ("turnout_x,ВКО,2023,55\nturnout_x,Акмолинск,2023,60\n", "line 3: unknown region 'Акмолинск'; did you mean 'Акмолинская' (KZ-11)?"),
        ("turnout_x,ВКО,2023,55\nturnout_x,СКО,2023,n/a\n", "line 3: value 'n/a' is not a number"),
        ("turnout_x,ВКО,2023,55\nturnout_x,СКО,2023,\"55,5\"\n", "line 3: value '55,5' is not a number (use a dot for decimals)"),
        ("turnout_x_pct,ВКО,2023,55\nturnout_x_pct,СКО,2023,105\n", "line 3: value 105 of percentage indicator turnout_x_pct is outside 0–100"),
        ("turnout_x,ВКО,2023,55\nturnout_x,KZ-63,2023,56\n", "line 3: duplicate of line 2 (turnout_x, KZ-63, 2023)"),
        ("turnout_x,Ulytau,2021,55\n", "line 2: KZ-62 (Ulytau Region) was created on 2022-06-08, after 2021"),
        ("turnout_x,ВКО,2023/24,55\n", "line 2: period '2023/24' is not YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_bad_rows_are_refused_by_line_and_nothing_is_written(wh, tmp_path, body, expected):
    before = _count(wh)
    f = _write(tmp_path / "bad.csv", "indicator,region,period,value\n" + body)
    result = invoke("indicators", "load", str(f), "--db", str(wh.path))
    assert result.returncode != 0
    assert expected in " ".join(result.stderr.split())
    assert "nothing was written" in result.stderr
    assert _count(wh) == before


def test_percent_unit_bounds_values(wh, tmp_path):
    f = _write(tmp_path / "bad.csv", "indicator,region,period,value,unit\nsupport,ВКО,2023,-3,%\n")
    with wh.reader(live=True) as con, pytest.raises(IndicatorFileError, match="outside 0–100"):
        read_indicator_csv(f, RegionResolver.from_warehouse(con))


def test_missing_columns_are_named(wh, tmp_path):
    f = _write(tmp_path / "bad.csv", "indicator,oblast,year,value\nx,ВКО,2023,1\n")
    result = invoke("indicators", "load", str(f), "--db", str(wh.path))
    assert result.returncode == 1
    assert "missing column(s) region, period" in " ".join(result.stderr.split())


def test_a_file_with_one_bad_line_among_many_writes_nothing(wh, tmp_path):
    lines = [f"good_pct,{code},2024,{50 + i}" for i, code in enumerate(["KZ-11", "KZ-15", "KZ-19", "KZ-23"])]
    lines.append("good_pct,KZ-99,2024,50")
    f = _write(tmp_path / "mixed.csv", "indicator,region,period,value\n" + "\n".join(lines) + "\n")
    before = _count(wh)
    result = invoke("indicators", "load", str(f), "--db", str(wh.path))
    assert result.returncode == 1 and "line 6: unknown region 'KZ-99'" in result.stderr
    assert _count(wh) == before


def test_reloading_an_indicator_replaces_it(wh, tmp_path):
    f1 = _write(tmp_path / "a.csv", "indicator,region,period,value\nx,ВКО,2023,1\nx,СКО,2023,2\n")
    f2 = _write(tmp_path / "b.csv", "indicator,region,period,value\nx,ВКО,2023,5\n")
    for f in (f1, f2):
        with wh.writer() as con:
            write_indicators(con, read_indicator_csv(f, RegionResolver.from_warehouse(con)), origin="researcher")
    with wh.reader() as con:
        assert con.execute("SELECT region_code, value FROM indicator_values WHERE indicator_id='x'").fetchall() == [("KZ-63", 5.0)]


def test_reference_indicators_cannot_be_overwritten(wh, tmp_path):
    f = _write(tmp_path / "a.csv", "indicator,region,period,value\nturnout_mazhilis_2023,ВКО,2023-03-19,1\n")
    with wh.writer() as con, pytest.raises(WarehouseError, match="another origin"):
        write_indicators(con, read_indicator_csv(f, RegionResolver.from_warehouse(con)), origin="researcher")


def test_shipped_turnout_matches_the_shared_reference_figures(wh):
    with open(SHARED / "reference" / "turnout_by_region.csv", newline="", encoding="utf-8") as fh:
        shared = list(csv.DictReader(fh))
    with wh.reader() as con:
        stored = {
            (ind, code): value
            for ind, code, value in con.execute(
                "SELECT indicator_id, region_code, value FROM indicator_values WHERE indicator_id LIKE 'turnout_%' AND indicator_id <> 'turnout_rural_akim_2021'"
            ).fetchall()
        }
    # every shared figure is stored under the main or the _early indicator of its election
    for r in shared:
        key = ("turnout_" + r["election_id"], r["iso_3166_2"])
        early = ("turnout_" + r["election_id"] + "_early", r["iso_3166_2"])
        assert float(r["turnout_pct"]) in (stored.get(key), stored.get(early)), r
    assert len(stored) == len(shared)
    with wh.reader() as con:
        assert con.execute(
            "SELECT value FROM indicator_values WHERE indicator_id = 'turnout_pres_2019' AND region_code = 'KZ-75'"
        ).fetchone()[0] == next(float(r["turnout_pct"]) for r in shared if r["election_id"] == "pres_2019"
                                and r["iso_3166_2"] == "KZ-75" and "77.4%" in r["snapshot"])
