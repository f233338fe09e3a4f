"""The budget step of the build on a small tidy frame: derived rows per gemeente, region and
Nederland with coverage, missing kept missing, verevening summing to zero (fast)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.build import COLUMNS
from analysis.indicators import budget, budget_stap

NAN = float("nan")


def _tidy() -> pd.DataFrame:
    rows = []
    waarden = {
        # code: (gerealiseerd, begroot, jongeren) in 2022
        "GM0001": (12_000.0, 10_000.0, 4_000.0),
        "GM0002": (1_000.0, NAN, 1_000.0),  # budget suppressed
        "GM0003": (NAN, NAN, 5_000.0),  # did not deliver
        "GM0004": (3_000.0, 3_300.0, 2_000.0),  # other region
    }
    for code, (r, b, j) in waarden.items():
        for ind, v, bron in (
            (budget.REALISATIE, r, "83454NED"),
            (budget.BEGROTING, b, "83454NED"),
            (budget.JONGEREN, j, "03759ned"),
        ):
            rows.append(
                {
                    "regio_code": code, "regio_naam": code, "regio_niveau": "gemeente",
                    "indeling_jaar": 2022, "periode": "2022", "periode_type": "jaar",
                    "jaar": 2022, "indicator": ind, "waarde": v, "eenheid": "x",
                    "status": "definitief", "onderdrukt": np.isnan(v), "bron": bron,
                    "bron_modified": "2023-11-14T02:00:00", "reeks": "", "berekend": False,
                    "dekking": 1.0,
                }
            )  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def _memberships() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "jaar": 2022,
            "gemeente_code": ["GM0001", "GM0002", "GM0003", "GM0004"],
            "gemeente_naam": ["a", "b", "c", "d"],
            "indeling": "jeugdregio",
            "regio_code": ["JZ01", "JZ01", "JZ01", "JZ02"],
            "regio_naam": ["Noord", "Noord", "Noord", "Zuid"],
        }
    )


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    out = budget_stap.afgeleid(_tidy(), _memberships())
    assert list(out.columns) == COLUMNS and out["berekend"].all()
    return out.set_index(["regio_code", "indicator"])


def test_gemeente_rows_and_missing_kept_missing(rows) -> None:
    assert rows.loc[("GM0001", "begrotingsafwijking"), "waarde"] == 2_000.0
    assert rows.loc[("GM0001", "begrotingsafwijking_pct"), "waarde"] == pytest.approx(20.0)
    assert rows.loc[("GM0001", "afwijking_per_jongere"), "waarde"] == pytest.approx(500.0)
    assert np.isnan(rows.loc[("GM0002", "begrotingsafwijking"), "waarde"])
    assert rows.loc[("GM0002", "begrotingsafwijking"), "onderdrukt"]
    assert np.isnan(rows.loc[("GM0003", "kosten_per_jongere"), "waarde"])
    assert rows.loc[("GM0001", "kosten_per_jongere"), "bron"] == "83454NED"


def test_region_and_national_from_sums_with_coverage(rows) -> None:
    noord = rows.loc[("JZ01", "kosten_per_jongere")]
    assert noord["waarde"] == pytest.approx(13_000 * 1000 / 5_000)  # summed, not averaged
    assert noord["dekking"] == pytest.approx(2 / 3)
    assert rows.loc[("JZ01", "kosten_dekking_jongeren"), "waarde"] == pytest.approx(0.5)
    nl = rows.loc[("NL01", budget.REALISATIE)]
    assert nl["waarde"] == 16_000.0 and nl["regio_niveau"] == "land"
    assert nl["dekking"] == pytest.approx(3 / 4)  # 3 of the 4 gemeenten of 2022 delivered
    # the national deviation only over gemeenten with both figures (GM0001, GM0004)
    assert rows.loc[("NL01", "begrotingsafwijking"), "waarde"] == pytest.approx(2_000 - 300)


def test_verevening_sums_to_zero_per_region(rows) -> None:
    s = rows.xs("verevening_saldo_jongeren", level="indicator")["waarde"]
    # Noord: pot 13 000 shared 4:1 over GM0001/GM0002 -> GM0001 pays 10 400 - 12 000 < 0
    assert s["GM0001"] == pytest.approx(13_000 * 0.8 - 12_000)
    assert s["GM0001"] + s["GM0002"] == pytest.approx(0.0)
    assert np.isnan(s["GM0003"])  # takes no part
    assert s["GM0004"] == pytest.approx(0.0)  # alone in its region
