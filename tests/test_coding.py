"""Samples for hand coding, codes loaded and checked, agreement and validation of categories."""

import csv

import numpy as np
import openpyxl
import pytest

from helpers import REGIONS, invoke, load_synthetic

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A: two observers, ten units,
# binary data. By hand: the coincidence matrix has o00 = 10, o01 = o10 = 4, o11 = 2, so n0 = 14, n1 = 6, n = 20
# and α = 1 − (n − 1)·o01 / (n0·n1) = 1 − 19·4 / 84 = 0.0952.
KRIPPENDORFF_A = ([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
# Section C of the same paper: four observers, twelve units, nominal values with missing ones; α = 0.743.
NAN = None
KRIPPENDORFF_C = ([1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
                  [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN])


def _rows(data):
    return [(f"u{j}", f"c{i}", str(v)) for i, row in enumerate(data) for j, v in enumerate(row) if v is not None]


def test_alpha_matches_krippendorffs_worked_examples():
    from qatysu.models.coding import Code, agreement

    binary = agreement(Code("x", ("0", "1")), _rows(KRIPPENDORFF_A))
    assert binary.alpha == pytest.approx(1 - 19 * 4 / 84, abs=1e-9) and binary.posts == 10 and binary.coders == 2
    nominal = agreement(Code("y", ("1", "2", "3", "4", "5")), _rows(KRIPPENDORFF_C))
    assert nominal.alpha == pytest.approx(0.743, abs=5e-4)
    assert nominal.posts == 11  # unit 12 has one value only: it carries no information on agreement
    assert nominal.ci_low < nominal.alpha < nominal.ci_high


def test_wilson_interval_of_a_proportion():
    from qatysu.models.coding import wilson

    low, high = wilson(8, 10)  # Wilson (1927) score interval, z = 1.96: 0.490 – 0.943
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)


@pytest.fixture(scope="module")
def coded_corpus(tmp_path_factory):
    from qatysu.synthetic.corpus import generate
    from qatysu.warehouse import Warehouse, init_warehouse

    wh = Warehouse.at(tmp_path_factory.mktemp("coding") / "q.duckdb")
    init_warehouse(wh)
    corpus = generate(1200, REGIONS, n_sources=12, seed=5)
    load_synthetic(wh, corpus)
    return wh, corpus


def test_stratified_sample_has_its_strata_and_is_reproducible(coded_corpus, tmp_path):
    from qatysu.flows.coding import sample_posts

    wh, _ = coded_corpus
    first = sample_posts(wh, tmp_path / "a.xlsx", n=60, stratify="source", allocation="equal", seed=7)
    again = sample_posts(wh, tmp_path / "b.xlsx", n=60, stratify="source", allocation="equal", seed=7)
    other = sample_posts(wh, tmp_path / "c.xlsx", n=60, stratify="source", allocation="equal", seed=8)

    def drawn(name):
        sheet = openpyxl.load_workbook(tmp_path / name)["posts"]
        header = [c.value for c in sheet[1]]
        return header, [dict(zip(header, [c.value for c in row])) for row in sheet.iter_rows(min_row=2)]

    header, rows = drawn("a.xlsx")
    assert header[-3:] == ["electoral", "protest", "stance"] and all(r["electoral"] is None for r in rows)
    with wh.reader() as con:
        sources = dict(con.execute("SELECT source_id, count(*) FROM posts GROUP BY 1").fetchall())
    assert len(rows) == 60 and first.population == sources
    per_source = {s: sum(r["stratum"] == s for r in rows) for s in sources}
    small = {s for s, n in sources.items() if n < 60 // len(sources)}
    assert all(per_source[s] == sources[s] for s in small)  # equal allocation: small sources are taken whole
    rest = [per_source[s] for s in sources if s not in small]  # and the others share what they cannot give
    assert max(rest) - min(rest) <= 1 and sum(per_source.values()) == 60
    assert all(r["stratum"] == r["source_id"] for r in rows)
    assert all(r["weight"] == pytest.approx(sources[r["stratum"]] / per_source[r["stratum"]], abs=1e-3) for r in rows)
    assert [r["post_uid"] for r in drawn("b.xlsx")[1]] == [r["post_uid"] for r in rows]
    assert {r["post_uid"] for r in drawn("c.xlsx")[1]} != {r["post_uid"] for r in rows}
    assert first.drawn == again.drawn and other.drawn == first.drawn


def _fill(path, values):
    """A coder's sheet: the sample's CSV with the codes filled in."""
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row, (electoral, stance) in zip(rows, values):
        row["electoral"], row["stance"] = electoral, stance
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return [r["post_uid"] for r in rows]


def test_codes_round_trip_agreement_and_validation(coded_corpus, tmp_path):
    from qatysu.flows.coding import code_agreement, load_codes, sample_posts, validate_themes

    wh, _ = coded_corpus
    sample = tmp_path / "sample.csv"
    sample_posts(wh, sample, n=40, allocation="equal", where_category="electoral", seed=1)
    rng = np.random.default_rng(0)
    first = [("yes" if rng.random() < 0.8 else "no", "neutral") for _ in range(40)]
    second = [(e if i % 10 else ("no" if e == "yes" else "yes"), "neutral") for i, (e, _) in enumerate(first)]
    anna = tmp_path / "anna.csv"
    anna.write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
    uids = _fill(anna, first)
    boris = tmp_path / "boris.csv"
    boris.write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
    _fill(boris, second)
    assert load_codes(wh, anna, coder="anna").codes == 80
    load_codes(wh, boris, coder="boris")
    load_codes(wh, boris, coder="boris")  # loading again replaces, never doubles
    with wh.reader() as con:
        stored = con.execute("SELECT post_uid, value FROM post_codes WHERE coder = 'anna' AND code = 'electoral' "
                             "ORDER BY post_uid").fetchall()
        assert con.execute("SELECT count(*) FROM post_codes").fetchone()[0] == 160
    assert stored == sorted(zip(uids, [e for e, _ in first]))

    alphas = {a.code: a for a in code_agreement(wh)}
    assert alphas["electoral"].posts == 40 and alphas["electoral"].coders == 2
    assert 0 < alphas["electoral"].alpha < 1  # the coders disagree on every tenth post
    assert alphas["stance"].alpha is None  # one value only: alpha is undefined, not 1
    checked = {v.code: v for v in validate_themes(wh)}
    electoral = checked["electoral"]
    agreed = [e1 for (e1, _), (e2, _) in zip(first, second) if e1 == e2]
    assert electoral.flagged == len(agreed)  # ties between the two coders count for no side
    assert electoral.precision == pytest.approx(agreed.count("yes") / len(agreed))
    assert electoral.precision_low < electoral.precision < electoral.precision_high


def test_codes_load_refuses_unknown_values_with_the_line(coded_corpus, tmp_path):
    from qatysu.flows.coding import sample_posts

    wh, _ = coded_corpus
    sample = tmp_path / "s.csv"
    sample_posts(wh, sample, n=5, allocation="equal", seed=2)
    _fill(sample, [("yes", "neutral"), ("maybe", "neutral"), ("no", "neutral"), ("no", "angry"), ("yes", "")])
    result = invoke("codes", "load", str(sample), "--coder", "x", "--db", str(wh.path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "line 3: electoral = 'maybe' is not one of yes, no" in result.stderr
    assert "line 5: stance = 'angry'" in result.stderr
    with wh.reader() as con:
        assert con.execute("SELECT count(*) FROM post_codes WHERE coder = 'x'").fetchone()[0] == 0
