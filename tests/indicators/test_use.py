"""Tests for analysis.indicators.use on the Testland fixture (tests/report/fixtures.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.indicators import use

JH = "jongeren_met_jeugdhulp"
JB = "jongeren_met_jeugdbescherming"
MET = "jongeren_met_jeugdhulp_met_verblijf"


def _raw(ind: pd.DataFrame, code: str, indicator: str, periode: str, ij: int = 2024) -> float:
    sel = ind[
        (ind["regio_code"] == code)
        & (ind["indicator"] == indicator)
        & (ind["periode"] == periode)
        & (ind["indeling_jaar"] == ij)
    ]
    assert len(sel) == 1, (code, indicator, periode)
    return float(sel["waarde"].iat[0])


@pytest.fixture(scope="module")
def ind(testland):
    return testland[0]


@pytest.fixture(scope="module")
def mem(testland):
    return testland[1]


@pytest.fixture(scope="module")
def jh_gem(ind):
    r = use.rates(ind, JH, indeling_jaar=2024)
    return r[r["regio_niveau"] == "gemeente"]


def test_rate_is_count_over_youth_of_same_region_period_classification(ind):
    r = use.rates(ind, JH, indeling_jaar=2024)
    row = r[(r["regio_code"] == "GM9002") & (r["periode"] == "2022")].iloc[0]
    count = _raw(ind, "GM9002", JH, "2022")
    youth = _raw(ind, "GM9002", "bevolking_0_17", "2022")
    assert row["aantal"] == count
    assert row["noemer"] == youth
    assert row["per_1000"] == pytest.approx(1000 * count / youth)
    assert row["status"] == "nader voorlopig"
    assert row["reeks"] == "jeugdzorg_2021_heden"


def test_half_year_rate_uses_population_of_its_calendar_year(ind):
    r = use.rates(ind, JH, indeling_jaar=2024, periode_type="halfjaar")
    row = r[(r["regio_code"] == "GM9001") & (r["periode"] == "2023H1")].iloc[0]
    youth = _raw(ind, "GM9001", "bevolking_0_17", "2023")
    assert row["noemer"] == youth
    assert row["per_1000"] == pytest.approx(1000 * row["aantal"] / youth)


def test_suppressed_cell_stays_missing_and_flagged(ind):
    r = use.rates(ind, JB, indeling_jaar=2024)
    row = r[(r["regio_code"] == "GM9003") & (r["periode"] == "2023")].iloc[0]
    assert math.isnan(row["aantal"]) and math.isnan(row["per_1000"])
    assert bool(row["onderdrukt"]) is True
    assert bool(row["klein"]) is False  # unknown is not "small"


def test_small_counts_are_flagged(ind):
    r = use.rates(ind, MET, indeling_jaar=2024)
    small = r[(r["regio_code"] == "GM9003") & r["aantal"].notna()]
    assert len(small) and (small["aantal"] < 10).all()
    assert small["klein"].all()
    big = r[(r["regio_code"] == "GM9001")]
    assert not big["klein"].any()


def test_select_prefers_published_over_derived(ind):
    row = ind[
        (ind["regio_code"] == "GM9002")
        & (ind["indicator"] == JH)
        & (ind["periode"] == "2021")
        & (ind["indeling_jaar"] == 2024)
    ]
    derived = row.assign(waarde=-1.0, berekend=True)
    published = row.assign(waarde=123.0, berekend=False)
    both = pd.concat([derived, published, ind], ignore_index=True)
    sel = use.select(both, JH, indeling_jaar=2024)
    one = sel[(sel["regio_code"] == "GM9002") & (sel["periode"] == "2021")]
    assert len(one) == 1 and one["waarde"].iat[0] == 123.0


def test_membership_is_that_of_the_classification_year(mem):
    m23 = use.membership(mem, jaar=2023)
    m24 = use.membership(mem, jaar=2024)
    assert m23.set_index("gemeente_code").loc["GM9004", "regio_code"] == "JZ92"
    assert m24.set_index("gemeente_code").loc["GM9004", "regio_code"] == "JZ91"


def test_region_rate_is_sum_over_sum_of_members_with_both_values(ind, mem):
    m = use.membership(mem, jaar=2024)
    jb = use.rates(ind, JB, indeling_jaar=2024)
    jb = jb[jb["regio_niveau"] == "gemeente"]
    agg = use.aggregate(jb, m)
    row = agg[(agg["regio_code"] == "JZ91") & (agg["periode"] == "2023")].iloc[0]
    members = ["GM9001", "GM9002", "GM9004"]  # GM9003 (suppressed) must not count
    counts = sum(_raw(ind, c, JB, "2023") for c in members)
    youth = sum(_raw(ind, c, "bevolking_0_17", "2023") for c in members)
    assert row["aantal"] == counts
    assert row["noemer"] == youth
    assert row["per_1000"] == pytest.approx(1000 * counts / youth)
    assert row["n_leden"] == 4 and row["n_met_waarde"] == 3
    assert row["dekking"] == pytest.approx(0.75)
    assert bool(row["berekend"]) is True
    # not an average of the member rates
    member_rates = [
        1000 * _raw(ind, c, JB, "2023") / _raw(ind, c, "bevolking_0_17", "2023") for c in members
    ]
    assert row["per_1000"] != pytest.approx(np.mean(member_rates), rel=1e-6)


def test_region_without_any_contributing_member_is_missing_not_zero(ind):
    jb = use.rates(ind, JB, indeling_jaar=2024)
    jb = jb[jb["regio_niveau"] == "gemeente"]
    groups = pd.DataFrame({"gemeente_code": ["GM9003"], "regio_code": "X1", "regio_naam": "x"})
    row = use.aggregate(jb, groups).query("periode == '2023'").iloc[0]
    assert math.isnan(row["aantal"]) and math.isnan(row["per_1000"])
    assert bool(row["onderdrukt"]) is True and row["dekking"] == 0


def test_member_without_a_row_lowers_coverage(ind, jh_gem):
    groups = pd.DataFrame(
        {"gemeente_code": ["GM9001", "GM9999"], "regio_code": "X1", "regio_naam": "x"}
    )
    row = use.aggregate(jh_gem, groups).query("periode == '2023'").iloc[0]
    assert row["n_leden"] == 2 and row["dekking"] == pytest.approx(0.5)


def test_aggregate_status_is_least_final_of_members(ind, mem, jh_gem):
    changed = jh_gem.copy()
    changed.loc[(changed["regio_code"] == "GM9002") & (changed["periode"] == "2021"), "status"] = (
        "voorlopig"
    )
    agg = use.aggregate(changed, use.membership(mem, jaar=2024))
    row = agg[(agg["regio_code"] == "JZ91") & (agg["periode"] == "2021")].iloc[0]
    assert row["status"] == "voorlopig"
    assert use.worst_status(["definitief", "nader voorlopig"]) == "nader voorlopig"
    assert use.worst_status([]) == "definitief"


def test_national_uses_published_nl_rows_else_sums_gemeenten(ind):
    nl = use.national(ind, JH, indeling_jaar=2024)
    row = nl[nl["periode"] == "2023"].iloc[0]
    assert row["regio_code"] == "NL01" and row["aantal"] == _raw(ind, "NL01", JH, "2023")
    without = ind[ind["regio_code"] != "NL01"]
    nl2 = use.national(
        without, JH, indeling_jaar=2024, gemeenten=[f"GM900{i}" for i in range(1, 8)]
    )
    row2 = nl2[nl2["periode"] == "2023"].iloc[0]
    expected = sum(_raw(ind, f"GM900{i}", JH, "2023") for i in range(1, 8))
    assert row2["aantal"] == expected and row2["dekking"] == 1.0


@pytest.mark.parametrize(
    ("inwoners", "klasse"),
    [
        (0, 0),
        (9_999, 0),
        (10_000, 1),
        (19_999, 1),
        (20_000, 2),
        (99_999, 3),
        (100_000, 4),
        (149_999, 4),
        (150_000, 5),
        (249_999, 5),
        (250_000, 6),
        (900_000, 6),
    ],
)
def test_size_class_bounds(inwoners, klasse):
    assert use.grootteklasse(inwoners) == klasse


def test_size_class_missing():
    assert use.grootteklasse(float("nan")) is None


def test_indicator_code_returns_codes_not_dutch_wording(ind, mem):
    """Size classes and comparison rows carry codes and names; the chapter words them."""
    classes = use.size_classes(ind, ["GM9001", "GM9002"], jaar=2023, indeling_jaar=2024)
    assert (classes["regio_naam"] == classes["regio_code"]).all()
    assert set(classes["regio_code"]) <= {f"GK{i}" for i in range(1, 8)}
    assert not hasattr(use, "grootteklasse_label")
    c = use.compare(ind, mem, "GM9002", JH, jaar=2023, indeling_jaar=2024)
    assert "omschrijving" not in c.columns


def test_comparison_group_by_size_class(ind, mem):
    g = use.comparison_groups(ind, mem, "GM9002", jaar=2023, indeling_jaar=2024)
    assert set(g["gemeente_code"]) == {"GM9002", "GM9004", "GM9006"}
    assert set(g["regio_code"]) == {"GK4"}  # 50 000 to 100 000 inhabitants
    assert g.attrs["bevolking_jaar"] == 2023


def test_comparison_group_by_province_and_unknown_group(ind, mem):
    g = use.comparison_groups(
        ind, mem, "GM9002", jaar=2023, indeling_jaar=2024, vergelijkingsgroep="provincie"
    )
    assert set(g["gemeente_code"]) == {"GM9001", "GM9002", "GM9003"}
    assert set(g["regio_naam"]) == {"Noordland"}
    with pytest.raises(ValueError, match="grootteklasse, jeugdregio, provincie"):
        use.comparison_groups(
            ind, mem, "GM9002", jaar=2023, indeling_jaar=2024, vergelijkingsgroep="stedelijkheid"
        )


def test_compare_levels(ind, mem):
    c = use.compare(ind, mem, "GM9002", JH, jaar=2023, indeling_jaar=2024)
    assert list(c["rol"]) == ["gemeente", "jeugdregio", "vergelijkingsgroep", "nederland"]
    assert c["regio_naam"].tolist()[1] == "Regio Noord"
    own = c.set_index("rol").loc["gemeente"]
    assert own["aantal"] == _raw(ind, "GM9002", JH, "2023")
    group = c.set_index("rol").loc["vergelijkingsgroep"]
    members = ["GM9002", "GM9004", "GM9006"]
    expected = (
        1000
        * sum(_raw(ind, m, JH, "2023") for m in members)
        / sum(_raw(ind, m, "bevolking_0_17", "2023") for m in members)
    )
    assert group["per_1000"] == pytest.approx(expected)
    c2 = use.compare(
        ind, mem, "GM9002", JH, jaar=2023, indeling_jaar=2024, vergelijkingsgroep="jeugdregio"
    )
    assert "vergelijkingsgroep" not in set(c2["rol"])


def test_compare_keeps_suppressed_level_as_missing(ind, mem):
    c = use.compare(ind, mem, "GM9003", MET, jaar=2023, indeling_jaar=2024).set_index("rol")
    assert math.isnan(c.loc["gemeente", "per_1000"]) and bool(c.loc["gemeente", "onderdrukt"])
    assert c.loc["jeugdregio", "dekking"] == pytest.approx(0.75)


def test_share_met_verblijf(ind, mem):
    s = use.share_met_verblijf(ind, indeling_jaar=2024)
    row = s[(s["regio_code"] == "GM9001") & (s["periode"] == "2022")].iloc[0]
    expected = 100 * _raw(ind, "GM9001", MET, "2022") / _raw(ind, "GM9001", JH, "2022")
    assert row["aandeel"] == pytest.approx(expected)
    sup = s[(s["regio_code"] == "GM9003") & (s["periode"] == "2023")].iloc[0]
    assert math.isnan(sup["aandeel"]) and bool(sup["onderdrukt"])
    g = use.share_met_verblijf(ind, indeling_jaar=2024, groups=use.membership(mem, jaar=2024))
    jz = g[(g["regio_code"] == "JZ91") & (g["periode"] == "2023")].iloc[0]
    members = ["GM9001", "GM9002", "GM9004"]
    exp = (
        100
        * sum(_raw(ind, m, MET, "2023") for m in members)
        / sum(_raw(ind, m, JH, "2023") for m in members)
    )
    assert jz["aandeel"] == pytest.approx(exp) and jz["dekking"] == pytest.approx(0.75)


def test_trend_keeps_series_segments_apart(jh_gem):
    t = use.trend(jh_gem, "GM9001")
    assert t["jaar"].tolist() == list(range(2015, 2024))
    segs = use.segments(t)
    assert [s["reeks"].iat[0] for s in segs] == ["jeugdzorg_2015_2020", "jeugdzorg_2021_heden"]
    assert segs[0]["jaar"].iat[-1] == 2020 and segs[1]["jaar"].iat[0] == 2021
    assert use.breaks(t) == [(2020.5, "2020/2021")]
    assert t.set_index("periode")["voorlopig"].to_dict() == {
        str(y): y >= 2022 for y in range(2015, 2024)
    }


def test_trend_change_never_crosses_a_break(jh_gem):
    t = use.trend(jh_gem, "GM9001")
    ch = use.trend_change(t)
    assert ch["van_periode"] == "2021" and ch["tot_periode"] == "2023"
    assert ch["van"] == pytest.approx(t.set_index("periode").loc["2021", "waarde"])
    assert ch["n_reeksen"] == 2 and ch["voorlopig"] is True
    assert use.trend_change(t[t["jaar"] == 2023]) is None


def test_rank_in_region(ind, mem, jh_gem):
    members = use.membership(mem, jaar=2024).query("regio_code == 'JZ91'")
    jb = use.rates(ind, JB, indeling_jaar=2024)
    rank = use.rank_in_region(jb[jb["regio_niveau"] == "gemeente"], members, "2023")
    assert rank["n_gerangschikt"].iat[0] == 3
    assert rank["gemeente_code"].iat[-1] == "GM9003" and pd.isna(rank["rang"].iat[-1])
    ranked = rank.dropna(subset=["rang"])
    assert ranked["rang"].tolist() == [1, 2, 3]
    assert ranked["per_1000"].is_monotonic_decreasing


def test_latest_period_with_data(ind):
    assert use.latest_period_with_data(ind, [JH], indeling_jaar=2024, jaar=2023) == 2023
    assert use.latest_period_with_data(ind, [JH], indeling_jaar=2024, jaar=2030) == 2023
    assert use.latest_period_with_data(ind, [JH], indeling_jaar=2024, jaar=2010) is None
    assert use.latest_period_with_data(ind, [JH], indeling_jaar=2023, jaar=2023) == 2023
