"""The budget step of the build on Demoland: national sums from gemeenten with data, Iv3 lasten
per taakveld group, and an Iv3 year with an unknown taakveld code as a build error that names
it while the last good processed layer stays as it was."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis.build import BuildError
from analysis.cbs import snapshot
from analysis.config import settings
from analysis.indicators import budget
from analysis.pipeline import build_processed

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(demoland):
    root, _ = demoland
    return root, pd.read_parquet(root / "processed" / "indicators.parquet")


def test_national_cost_is_the_sum_of_gemeenten_with_data(demo) -> None:
    _, df = demo
    for jaar in (2016, 2021, 2024):
        gm = df[
            (df["indicator"] == budget.REALISATIE)
            & (df["regio_niveau"] == "gemeente")
            & (df["indeling_jaar"] == jaar)
            & (df["jaar"] == jaar)
            & (df["periode_type"] == "jaar")
        ]
        nl = df[
            (df["indicator"] == budget.REALISATIE)
            & (df["regio_code"] == "NL01")
            & (df["indeling_jaar"] == jaar)
            & (df["jaar"] == jaar)
        ].iloc[0]
        assert 0 < gm["waarde"].isna().sum() < len(gm)  # partial delivery, missing kept
        assert nl["waarde"] == pytest.approx(gm["waarde"].sum())
        assert nl["dekking"] == pytest.approx(gm["waarde"].notna().sum() / len(gm))
        assert nl["berekend"]


def test_iv3_lasten_per_group_add_up_to_the_youth_taakvelden(demo) -> None:
    root, df = demo
    iv3 = df[df["indicator"].str.startswith("iv3_lasten_") & (df["indeling_jaar"] == df["jaar"])]
    assert set(iv3["jaar"]) == {2023, 2024, 2025}
    assert set(iv3.loc[iv3["jaar"] == 2025, "indicator"]) >= {"iv3_lasten_pgb_jeugd"}
    assert "iv3_lasten_pgb_jeugd" not in set(iv3.loc[iv3["jaar"] == 2024, "indicator"])
    # Demoland books the realised youth cost on the youth taakvelden (categories without the
    # reserve mutation L7.4 sum to 100 %), so per gemeente Iv3 ~ 83454NED where both exist
    gm = iv3[(iv3["jaar"] == 2023) & (iv3["regio_niveau"] == "gemeente")]
    tot = gm.groupby("regio_code")["waarde"].sum()
    real = (
        df[
            (df["indicator"] == budget.REALISATIE)
            & (df["indeling_jaar"] == 2023)
            & (df["jaar"] == 2023)
            & (df["regio_niveau"] == "gemeente")
        ]
        .set_index("regio_code")["waarde"]
        .dropna()
    )
    both = tot.index.intersection(real.index)
    assert len(both) > 10
    assert np.allclose(tot[both], real[both], rtol=0.01)


def test_unknown_taakveld_code_stops_the_build_and_keeps_the_last_good_layer(demo, tmp_path):
    root, _ = demo
    data = tmp_path / "data"
    shutil.copytree(root / "raw", data / "raw")
    shutil.copytree(root / "processed", data / "processed")
    before = (data / "processed" / "indicators.parquet").read_bytes()
    snap = next((data / "raw" / "dataderden" / "45067NED").iterdir())
    path = snap / "TaakveldBalanspost.json"
    cats = json.loads(path.read_text(encoding="utf-8"))
    cats[3]["Title"] = "6.77 " + cats[3]["Title"].split(" ", 1)[1]
    path.write_text(json.dumps(cats, ensure_ascii=False), encoding="utf-8")
    # as CBS would publish it: a consistent snapshot whose manifest records the new file
    manifest = json.loads((snap / snapshot.MANIFEST).read_text(encoding="utf-8"))
    manifest["files"] = snapshot.file_entries(snap)
    (snap / snapshot.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    cfg = replace(settings(), data_dir=data, offline=True)
    with pytest.raises(BuildError, match=r"45067NED: Iv3 2024: unknown taakveld code\(s\) 6\.77 "):
        build_processed(cfg, progress=lambda m: None)
    assert (data / "processed" / "indicators.parquet").read_bytes() == before
