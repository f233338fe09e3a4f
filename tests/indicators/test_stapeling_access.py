"""Stapeling and access indicators on realistic numbers (hand-computed expectations)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.indicators import access, stapeling


def _combi(**kw: float) -> pd.DataFrame:
    row = {c: 0.0 for c in stapeling.COMBINATIES} | {"totaal": 0.0}
    row.update(kw)
    return pd.DataFrame([row])


def test_shares_and_multi_law_share() -> None:
    c = _combi(
        totaal=2_220,
        alleen_jeugd=400,
        alleen_pwet=300,
        alleen_wmo=1_200,
        jeugd_pwet=45,
        jeugd_wmo=100,
        pwet_wmo=150,
        jeugd_pwet_wmo=25,
    )
    a = stapeling.aandelen(c).iloc[0]
    assert a["meer_wetten"] == 320
    assert a["aandeel_meer_wetten"] == pytest.approx(320 / 2_220)
    assert a["aandeel_alleen_wmo"] == pytest.approx(1_200 / 2_220)
    assert stapeling.som_controle(c).iloc[0]["status"] == "ok"


def test_sum_check_reports_instead_of_forcing() -> None:
    rounded = _combi(totaal=2_220, alleen_wmo=2_200, jeugd_wmo=15)  # off by 5: CBS rounding
    wrong = _combi(totaal=2_220, alleen_wmo=1_000)
    suppressed = _combi(totaal=2_220, alleen_wmo=2_200, jeugd_pwet=float("nan"))
    checks = stapeling.som_controle(pd.concat([rounded, wrong, suppressed], ignore_index=True))
    assert checks["status"].tolist() == ["ok", "afwijking", "onvolledig"]
    assert checks["verschil"].iloc[1] == -1_220
    # a suppressed multi-law cell leaves the multi-law share missing (never total minus others)
    assert np.isnan(stapeling.aandelen(suppressed).iloc[0]["aandeel_meer_wetten"])


def test_concentration_curve_is_monotone_and_ends_at_one() -> None:
    curve = stapeling.concentratie({1: 15_000, 2: 4_000, 3: 1_500, 4: 600, 5: 300})
    assert curve["aandeel_huishoudens"].is_monotonic_increasing
    assert curve["aandeel_voorzieningen"].is_monotonic_increasing
    assert curve.iloc[-1][["aandeel_huishoudens", "aandeel_voorzieningen"]].tolist() == [1.0, 1.0]
    # households with 5: 300 of 21 400 hold 1 500 of 31 400 provisions
    assert curve.iloc[1]["aandeel_voorzieningen"] == pytest.approx(1_500 / 31_400)
    # the curve lies above the diagonal: the most-served households hold more than their share
    assert stapeling.aandeel_van_voorzieningen(curve, 0.3) > 0.3
    with pytest.raises(ValueError, match="non-negative"):
        stapeling.concentratie({1: 100, 2: float("nan")})


def test_weighted_duration_is_not_an_average_of_averages() -> None:
    leden = pd.DataFrame(
        {
            "regio_code": ["GM1", "GM2", "GM3"],
            "duur": [100.0, 400.0, 250.0],
            "beeindigd": [900.0, 100.0, float("nan")],
        }
    )
    g = access.gewogen_duur(leden)
    assert g["waarde"] == pytest.approx((100 * 900 + 400 * 100) / 1_000)  # 130, not 250
    assert (g["n_met_waarde"], g["n_leden"]) == (2, 3)


def test_mix_and_ratio() -> None:
    m = access.mix(
        pd.DataFrame({"verwijzer": ["huisarts", "wijkteam", "gi"], "aantal": [800, 150, 50]}),
        categorie="verwijzer",
    )
    assert m["aandeel"].tolist() == pytest.approx([0.8, 0.15, 0.05])
    assert bool(m["volledig"].iloc[0])
    assert access.ratio(30, 1_500, 1_000) == pytest.approx(20.0)
    assert np.isnan(access.ratio(30, 0, 1_000))
