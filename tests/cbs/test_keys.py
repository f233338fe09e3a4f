"""Key resolution from DataProperties on the real recorded metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cbs.keys import KeyResolutionError, TableMeta, keys_filter, period_filter


def _meta(folder: Path, dims: dict[str, str]) -> TableMeta:
    props = json.loads((folder / "DataProperties.json").read_text())
    info = json.loads((folder / "TableInfos.json").read_text())[0]
    meta = TableMeta(folder.name, info, props)
    for key, fname in dims.items():
        meta.dimensions[key] = json.loads((folder / fname).read_text())
    return meta


@pytest.fixture(scope="module")
def kwb(recordings: Path) -> TableMeta:
    return _meta(
        recordings / "84799NED", {"WijkenEnBuurten": "WijkenEnBuurten_land_gemeenten.json"}
    )


@pytest.fixture(scope="module")
def banen(recordings: Path) -> TableMeta:
    return _meta(
        recordings / "83583NED",
        {
            "Perioden": "Perioden.json",
            "Bedrijfsgrootte": "Bedrijfsgrootte.json",
            "BedrijfstakkenBranchesSBI2008": "BedrijfstakkenBranchesSBI2008.json",
        },
    )


def test_topic_resolved_by_title_not_number(kwb: TableMeta) -> None:
    assert kwb.topic(r"^Aantal inwoners$") == "AantalInwoners_5"
    assert kwb.topic(r"Jongeren met jeugdzorg in natura") == "JongerenMetJeugdzorgInNatura_87"


def test_topic_under_group(kwb: TableMeta) -> None:
    # "Gemeentenaam" sits under the TopicGroup "Regioaanduiding"
    assert kwb.topic(r"^Gemeentenaam$", group=r"Regioaanduiding") == "Gemeentenaam_1"
    with pytest.raises(KeyResolutionError, match="under a group"):
        kwb.topic(r"^Gemeentenaam$", group=r"^Bevolking$")


def test_renamed_column_error_names_pattern_and_what_exists(kwb: TableMeta) -> None:
    with pytest.raises(KeyResolutionError) as err:
        kwb.topic(r"^Inwonertal$")
    msg = str(err.value)
    assert "84799NED" in msg and "'^Inwonertal$'" in msg and "AantalInwoners_5" in msg


def test_ambiguous_topic_is_an_error(kwb: TableMeta) -> None:
    # 'Appartement' occurs twice (electricity and gas use)
    with pytest.raises(KeyResolutionError, match="2 topics"):
        kwb.topic(r"^Appartement$")


def test_dimensions_by_type_and_title(banen: TableMeta, kwb: TableMeta) -> None:
    assert banen.period_dimension() == "Perioden"
    assert kwb.period_dimension() is None
    assert kwb.region_dimension() == "WijkenEnBuurten"
    assert banen.dimension(r"^Bedrijfsgrootte$") == "Bedrijfsgrootte"
    assert banen.dimension(r"SBI 2008") == "BedrijfstakkenBranchesSBI2008"
    with pytest.raises(KeyResolutionError, match="dimensions in this table"):
        banen.dimension("Geslacht")


def test_category_keys_keep_padding(kwb: TableMeta, banen: TableMeta) -> None:
    keys = kwb.category_keys("WijkenEnBuurten", r"^Amsterdam$")
    assert keys == ["GM0363    "]
    assert banen.category_keys("Bedrijfsgrootte", r"^Totaal$") == ["T001098"]
    with pytest.raises(KeyResolutionError, match="categories:"):
        banen.category_keys("Bedrijfsgrootte", r"^Reuzen$")


def test_filters_are_cbs_syntax() -> None:
    assert period_filter("Perioden", [2021, 2020]) == (
        "(startswith(Perioden,'2020') or startswith(Perioden,'2021'))"
    )
    assert keys_filter("RegioS", ["GM0363    "]) == "(RegioS eq 'GM0363    ')"
