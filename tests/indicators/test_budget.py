"""Budget indicators: deviation, aggregation with coverage, expected-cost model, verevening."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.indicators import budget


def _long(rows: list[tuple[str, int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "regio_code": code,
                "regio_niveau": "gemeente",
                "indeling_jaar": 2023,
                "periode": str(jaar),
                "periode_type": "jaar",
                "jaar": jaar,
                "indicator": ind,
                "waarde": waarde,
            }
            for code, jaar, ind, waarde in rows
        ]
    )


@pytest.fixture
def long_frame() -> pd.DataFrame:
    nan = float("nan")
    return _long(
        [
            ("GM0001", 2022, budget.REALISATIE, 12_000.0),
            ("GM0001", 2022, budget.BEGROTING, 10_000.0),
            ("GM0001", 2022, budget.JONGEREN, 4_000.0),
            ("GM0002", 2022, budget.REALISATIE, 1_000.0),
            ("GM0002", 2022, budget.BEGROTING, nan),  # budget suppressed
            ("GM0002", 2022, budget.JONGEREN, 1_000.0),
            ("GM0003", 2022, budget.REALISATIE, nan),  # did not deliver
            ("GM0003", 2022, budget.BEGROTING, nan),
            ("GM0003", 2022, budget.JONGEREN, 5_000.0),
        ]
    )


def test_kosten_per_gemeente_derives_and_keeps_missing(long_frame: pd.DataFrame) -> None:
    k = budget.kosten_per_gemeente(long_frame).set_index("regio_code")
    assert k.loc["GM0001", "afwijking"] == 2_000.0
    assert k.loc["GM0001", "afwijking_pct"] == pytest.approx(20.0)
    assert k.loc["GM0001", "kosten_per_jongere"] == pytest.approx(3_000.0)
    assert k.loc["GM0001", "afwijking_per_jongere"] == pytest.approx(500.0)
    # a missing budget leaves the deviation missing, never 0
    assert k.loc["GM0002", "kosten_per_jongere"] == pytest.approx(1_000.0)
    assert np.isnan(k.loc["GM0002", "afwijking"])
    assert np.isnan(k.loc["GM0003", "gerealiseerd"]) and np.isnan(k.loc["GM0003", "afwijking"])


def test_aggregate_from_sums_with_coverage(long_frame: pd.DataFrame) -> None:
    k = budget.kosten_per_gemeente(long_frame)
    leden = pd.DataFrame({"gemeente_code": ["GM0001", "GM0002", "GM0003"], "regio": "JZ99"})
    a = budget.aggregeer(k, leden).iloc[0]
    assert a["n_leden"] == 3 and a["n_met_gegevens"] == 2 and a["n_met_beide"] == 1
    # 13 000 (x1 000 euro) over 5 000 young people: 2 600 euro, not the mean of 3 000 and 1 000
    assert a["kosten_per_jongere"] == pytest.approx(2_600.0)
    assert a["dekking_jongeren"] == pytest.approx(5_000 / 10_000)
    # the deviation only over members with both figures
    assert a["afwijking"] == pytest.approx(2_000.0)
    assert a["afwijking_pct"] == pytest.approx(20.0)


def test_share_over_budget_counts_only_members_with_both(long_frame: pd.DataFrame) -> None:
    k = budget.kosten_per_gemeente(long_frame)
    s = budget.aandeel_boven_begroting(k).iloc[0]
    assert (s["n"], s["n_boven"], s["aandeel_boven"]) == (1, 1, 1.0)


def _synthetic(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x1 = rng.uniform(2, 20, n)
    x2 = rng.uniform(5, 25, n)
    jong = rng.integers(500, 40_000, n).astype(float)
    y = 800 + 40 * x1 + 15 * x2 + rng.normal(0, 150, n) * np.sqrt(10_000 / jong)
    return pd.DataFrame(
        {
            "regio_code": [f"GM{i:04d}" for i in range(n)],
            "kosten_per_jongere": y,
            "jongeren": jong,
            "laag_inkomen": x1,
            "eenouder": x2,
        }
    )


def test_model_recovers_coefficients_and_flags_outliers() -> None:
    f = _synthetic(300)
    schoon = budget.fit_kostenmodel(f, ["laag_inkomen", "eenouder"], jaar=2021)
    assert schoon.n == 300 and 0.5 < schoon.r2 <= 1
    assert schoon.coefficienten["laag_inkomen"] == pytest.approx(40, abs=6)
    assert schoon.coefficienten["eenouder"] == pytest.approx(15, abs=6)
    f.loc[0, "kosten_per_jongere"] += 5_000  # far above what the model expects
    m = budget.fit_kostenmodel(f, ["laag_inkomen", "eenouder"], jaar=2021)
    v = m.voorspelling.set_index("regio_code")
    assert v.loc["GM0000", "positie"] == "boven"
    assert (v["ondergrens"] < v["verwacht"]).all() and (v["verwacht"] < v["bovengrens"]).all()
    assert set(v["positie"]) <= set(budget.POSITIES)


def test_model_refuses_too_few_rows_and_names_missing_columns() -> None:
    f = _synthetic(6)
    with pytest.raises(ValueError, match="need at least"):
        budget.fit_kostenmodel(f, ["laag_inkomen", "eenouder"], jaar=2021)
    with pytest.raises(ValueError, match="bijstand"):
        budget.fit_kostenmodel(f, ["bijstand"], jaar=2021)


def test_leave_one_out_coverage_is_near_nominal() -> None:
    cov = budget.loo_dekking(_synthetic(200, seed=3), ["laag_inkomen", "eenouder"])
    assert 0.90 <= cov <= 0.99


def test_verevening_sums_to_zero_and_excludes_members_without_data() -> None:
    leden = pd.DataFrame(
        {
            "groep": ["A", "A", "A", "B", "B"],
            "regio_code": ["GM1", "GM2", "GM3", "GM4", "GM5"],
            "gerealiseerd": [300.0, 100.0, float("nan"), 50.0, 50.0],
            "jongeren": [1_000.0, 1_000.0, 500.0, 100.0, 300.0],
        }
    )
    v = budget.verevening(leden, sleutel="jongeren").set_index("regio_code")
    assert not v.loc["GM3", "doet_mee"] and np.isnan(v.loc["GM3", "saldo"])
    # pot A = 400 shared 50/50: GM1 receives 100, GM2 pays 100
    assert v.loc["GM1", "saldo"] == pytest.approx(-100.0) and v.loc["GM1", "rol"] == "ontvanger"
    assert v.loc["GM2", "saldo"] == pytest.approx(100.0) and v.loc["GM2", "rol"] == "betaler"
    sums = v[v["doet_mee"]].groupby("groep")["saldo"].sum()
    assert np.allclose(sums.to_numpy(), 0.0)


def test_fit_from_stored_predictions_equals_the_models_own_fit() -> None:
    """n and weighted R² recomputed from the predictions (what a report does) are the fit's."""
    f = _synthetic(120)
    m = budget.fit_kostenmodel(f, ["laag_inkomen", "eenouder"], jaar=2021)
    v = m.voorspelling.set_index("regio_code")
    g = f.set_index("regio_code")
    g.loc["GM0001", "jongeren"] = np.nan  # a gemeente outside the fit: no prediction either
    fit = budget.fit_uit_voorspelling(
        g["kosten_per_jongere"], v["verwacht"].drop("GM0001"), g["jongeren"], jaar=2021
    )
    assert fit.n == m.n - 1
    full = budget.fit_uit_voorspelling(
        f.set_index("regio_code")["kosten_per_jongere"],
        v["verwacht"],
        f.set_index("regio_code")["jongeren"],
        jaar=2021,
    )
    assert full.n == m.n and full.r2 == pytest.approx(m.r2, abs=1e-12)
    # unweighted R² differs: the weights matter
    y, yhat = v["gerealiseerd"], v["verwacht"]
    plain = 1 - ((y - yhat) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert abs(plain - m.r2) > 1e-6
    assert budget.fit_uit_voorspelling(y, yhat * np.nan, y, jaar=2021) is None
