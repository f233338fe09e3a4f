"""Iv3 taakveld structures: the declared mapping against CBS's definition files, grouping
without double counting, and an unknown code as an error that names it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.indicators import iv3


def _codes(shared_data: Path, jaar: int) -> set[str]:
    path = shared_data / "cbs_iv3_definities" / f"iv3_definities_Gemeente_{jaar}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))

    def walk(nodes):
        for n in nodes:
            yield n["code"].strip()
            yield from walk(n.get("subcodes", []))

    return {
        c for c in walk(doc["codelijsten"]["taakveld"]["codelijst"]) if c.startswith(("6.7", "6.8"))
    }


@pytest.mark.parametrize("jaar", [2023, 2024, 2025])
def test_declared_structure_is_exactly_the_definition_file(shared_data: Path, jaar: int) -> None:
    s = iv3.STRUCTUREN[iv3.structuur(jaar)]
    declared = set(s["leaf"]) | set(s["totaal"]) | set(s["overig"])
    assert declared == _codes(shared_data, jaar)
    for total, parts in s["totaal"].items():
        assert set(parts) <= set(s["leaf"]), total


def test_groups_sum_leaves_not_totals_and_skip_reserve_mutations() -> None:
    df = pd.DataFrame(
        {
            "gemeente": ["GM0001  "] * 6,
            "taakveld": ["6.72  ", "6.72a ", "6.72b ", "6.73a ", "6.82a ", "6.71a "],
            "categorie": ["L3.8", "L3.8", "L4.3.1", "L3.8", "L7.4", "L3.8"],
            "bedrag": [300.0, 100.0, 200.0, 50.0, 999.0, 75.0],
        }
    )
    out = iv3.lasten_per_groep(df, 2024).set_index("groep")["lasten"]
    assert out["jeugdhulp_zonder_verblijf"] == 300.0  # 6.72a + 6.72b, not the total 6.72 too
    assert out["jeugdhulp_met_verblijf"] == 50.0
    assert "jeugdbescherming_reclassering" not in out  # only an L7.4 reserve mutation
    new = pd.DataFrame(
        {"gemeente": ["GM0001"] * 2, "taakveld": ["6.792", "6.751"], "categorie": ["3.8"] * 2,
         "bedrag": [10.0, 20.0]}
    )  # fmt: skip
    g = iv3.lasten_per_groep(new, 2025).set_index("groep")
    assert g.loc["pgb_jeugd", "lasten"] == 10.0
    assert "taakveldindeling" in g.loc["pgb_jeugd", "trendbreuk"]


def test_unknown_taakveld_codes_are_an_error_naming_them() -> None:
    df = pd.DataFrame(
        {"gemeente": ["GM0001"] * 3, "taakveld": ["6.72a", "6.751", "6.99"],
         "categorie": ["3.8"] * 3, "bedrag": [1.0, 2.0, 3.0]}
    )  # fmt: skip
    with pytest.raises(iv3.Iv3Error, match=r"Iv3 2024: unknown taakveld code\(s\) 6.751 "):
        iv3.lasten_per_groep(df, 2024)
    with pytest.raises(iv3.Iv3Error, match=r"6.72a"):
        iv3.lasten_per_groep(df, 2025)
    with pytest.raises(iv3.Iv3Error, match="no taakveld structure"):
        iv3.structuur(2012)
