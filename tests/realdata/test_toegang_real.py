"""Chapter "Wachttijden en toegang" on the real youth-care build (converted exports, real client).

There is no real recording of the access tables (85097NED is under "Not found" in PROVENANCE):
on real data the chapter must say so, and its per-1 000 denominator is the real under-18 count
(Maatstaven gemeentefonds) read from the exports themselves.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import store
from analysis.indicators import access
from analysis.report.chapters import toegang
from tests.realdata.convert import read_export


@pytest.fixture(scope="module")
def processed(real_jeugd_processed) -> pd.DataFrame:
    cfg, _ = real_jeugd_processed
    return pd.read_parquet(cfg.processed_dir / "indicators.parquet")


def test_denominator_is_the_real_under_18_count(processed, shared_data) -> None:
    _, rows = read_export(shared_data / "cbs_statline_csv" / "85052NED.csv")
    tot18 = {r["RegioS"]: float(r["InwonersTot18Jaar_2"]) for r in rows}
    own = access.breed(processed, "2021", indeling_jaar=2021)
    assert own.loc["GM0363", access.BEVOLKING] == tot18["Amsterdam"]
    # on the 2023 classification Amsterdam includes Weesp (merged in 2022): restated counts
    breed = access.breed(processed, "2021", indeling_jaar=2023)
    assert breed.loc["GM0363", access.BEVOLKING] == tot18["Amsterdam"] + tot18["Weesp"]
    # no access table in the real data: a ratio is missing, never 0, with zero coverage
    got = access.groepswaarde(breed, ("GM0363",), "begonnen_per_1000")
    assert pd.isna(got["waarde"]) and got["n_met_waarde"] == 0


def test_chapter_on_real_data_says_what_is_missing(real_jeugd_processed, monkeypatch) -> None:
    import IPython.display

    shown: list[str] = []
    monkeypatch.setattr(
        IPython.display,
        "display",
        lambda *objs, **_kw: shown.extend(getattr(o, "data", None) or str(o) for o in objs),
    )
    cfg, _ = real_jeugd_processed
    ctx = store.report_context("gemeente", "GM0363", 2023, None, cfg.data_dir, "cbs")
    toegang.gemeente(ctx)
    out = re.sub(r"\s+", " ", "\n".join(shown))
    assert "Er bestaan geen landelijke gegevens over wachttijden in de jeugdzorg" in out
    assert "(nog) geen gegevens beschikbaar" in out
    assert "Voor deze regio zijn geen lokale wachttijdgegevens aangeleverd." in out
