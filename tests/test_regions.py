import pytest

from qatysu.warehouse.indicators import read_indicator_csv, write_indicators
from qatysu.warehouse.regions import RegionResolver, UnknownRegion


def _load(wh, tmp_path, name, text):
    f = tmp_path / name
    f.write_text("indicator,region,period,value\n" + text, encoding="utf-8")
    with wh.writer() as con:
        write_indicators(con, read_indicator_csv(f, RegionResolver.from_warehouse(con)), origin="researcher")


@pytest.mark.parametrize(
    "name, code",
    [("ВКО", "KZ-63"), ("Восточно-Казахстанская обл.", "KZ-63"), ("KZ-VOS", "KZ-63"), ("Шығыс Қазақстан облысы", "KZ-63"),
     ("Нур-Султан", "KZ-71"), ("Нұр-Сұлтан", "KZ-71"), ("Чимкент", "KZ-79"), ("СКО", "KZ-59"), ("ЗКО", "KZ-27"),
     ("ЮКО", "KZ-61"), ("Алматы", "KZ-75"), ("Алматы облысы", "KZ-19"), ("Almaty Region", "KZ-19"), ("63", "KZ-63"),
     ("Жетісу облысы", "KZ-33"), ("Ұлытау облысы", "KZ-62")],
)
def test_names_codes_and_aliases_resolve(wh, name, code):
    with wh.reader() as con:
        assert RegionResolver.from_warehouse(con).resolve(name) == code


def test_centres_are_aliases_for_text_matching_only(wh):
    with wh.reader() as con:
        centres = dict(con.execute(
            "SELECT alias, region_code FROM region_aliases WHERE alias_kind = 'centre'").fetchall())
        with pytest.raises(UnknownRegion):
            RegionResolver.from_warehouse(con).resolve("Усть-Каменогорск")
    assert centres["Усть-Каменогорск"] == centres["Оскемен"] == "KZ-63"


def test_data_file_aliases_are_unambiguous(wh):
    with wh.reader() as con:
        clashes = con.execute(
            """SELECT alias_key, list(DISTINCT region_code) FROM region_aliases
               WHERE alias_kind <> 'centre' GROUP BY 1 HAVING count(DISTINCT region_code) > 1"""
        ).fetchall()
    assert clashes == []


def test_a_2021_value_for_east_kazakhstan_reads_onto_both_current_regions(wh):
    with wh.reader() as con:
        rows = con.execute(
            """SELECT region_code, value, method FROM v_indicator_values_current_map
               WHERE indicator_id = 'turnout_mazhilis_2021' AND reported_region_code = 'KZ-63' ORDER BY 1"""
        ).fetchall()
        reported = con.execute(
            "SELECT value FROM indicator_values WHERE indicator_id = 'turnout_mazhilis_2021' AND region_code = 'KZ-63'"
        ).fetchone()[0]
        n_current = con.execute(
            "SELECT count(DISTINCT region_code) FROM v_indicator_values_current_map WHERE indicator_id = 'turnout_mazhilis_2021'"
        ).fetchone()[0]
    assert [(r[0], r[1]) for r in rows] == [("KZ-10", reported), ("KZ-63", reported)]
    assert all("carried from KZ-63" in r[2] for r in rows)
    assert n_current == 20


def test_2023_values_aggregate_back_to_old_east_kazakhstan_weighted_when_weights_given(wh, tmp_path):
    _load(wh, tmp_path, "voters.csv", "registered_voters,KZ-63,2023-03-19,500000\nregistered_voters,KZ-10,2023-03-19,300000\n")
    with wh.reader() as con:
        t = dict(con.execute(
            "SELECT region_code, value FROM indicator_values WHERE indicator_id = 'turnout_mazhilis_2023' "
            "AND region_code IN ('KZ-63', 'KZ-10')").fetchall())
        weighted = con.execute(
            "SELECT value, method, n_parts FROM indicator_on_old_map('turnout_mazhilis_2023', weight_ind := 'registered_voters') "
            "WHERE region_code = 'KZ-63'").fetchone()
        unweighted = con.execute(
            "SELECT value, method FROM indicator_on_old_map('turnout_mazhilis_2023') WHERE region_code = 'KZ-63'").fetchone()
        n_old = con.execute("SELECT count(*) FROM indicator_on_old_map('turnout_mazhilis_2023')").fetchone()[0]
        kz10_on_old_map = con.execute(
            "SELECT count(*) FROM indicator_on_old_map('turnout_mazhilis_2023') WHERE region_code = 'KZ-10'").fetchone()[0]
    assert weighted[0] == pytest.approx((t["KZ-63"] * 500000 + t["KZ-10"] * 300000) / 800000, abs=1e-9)
    assert weighted[1] == "weighted mean of KZ-10, KZ-63 by registered_voters" and weighted[2] == 2
    assert unweighted[0] == pytest.approx((t["KZ-63"] + t["KZ-10"]) / 2, abs=1e-9)
    assert unweighted[1] == "unweighted mean of KZ-10, KZ-63 (no weights given)"
    assert n_old == 17 and kz10_on_old_map == 0


def test_a_split_region_with_a_missing_part_is_flagged(wh, tmp_path):
    _load(wh, tmp_path, "partial.csv", "clubs,KZ-35,2024,10\n")
    with wh.reader() as con:
        method = con.execute("SELECT method FROM indicator_on_old_map('clubs')").fetchone()[0]
    assert method.startswith("incomplete: only KZ-35 of the 2 parts")
