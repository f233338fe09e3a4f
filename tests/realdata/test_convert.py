"""The converter: real label exports -> dump folders the real ``cbsodata`` client fetches."""

from __future__ import annotations

import json
from pathlib import Path

import cbsodata
import pytest

from tests.realdata.convert import (
    FORMER_GEMEENTEN,
    UnmappedRegions,
    convert,
    period_key,
    read_export,
)


def test_period_titles_with_cbs_spelling_variants() -> None:
    assert period_key("2023") == ("2023JJ00", "Definitief")
    assert period_key("1e halfjaar 2023") == ("2023HJ01", "Definitief")
    assert period_key("1e half jaar 2024") == ("2024HJ01", "Definitief")
    assert period_key("2e halfjaar 2022*") == ("2022HJ02", "Voorlopig")
    assert period_key("2023**") == ("2023JJ00", "Nader voorlopig")
    assert period_key("1e kwartaal 2015") == ("2015KW01", "Definitief")
    with pytest.raises(ValueError, match="'week 3 2020' not understood"):
        period_key("week 3 2020")


def test_region_titles_with_cbs_quirks(regions) -> None:
    assert regions.code("'s-Gravenhage (gemeente)") == "GM0518"
    assert regions.code("'s-Gravenhage") == "GM0518"  # 84590NED spells it without suffix
    assert regions.code("Beek (L.)") == "GM0888"
    assert regions.code("Utrecht (PV)") == "PV26"
    assert regions.code("Twente (JZ)") == "JZ14"
    assert regions.code("Midden-Brabant (Hart van Brabant) (JZ)") == "JZ35"
    assert regions.code("Noord-Nederland (LD)") == "LD01"
    assert regions.code("Nederland") == "NL01"
    assert regions.code("Aalburg") == "GM0738"  # former gemeente, code from a stapeling export
    assert regions.code("Atlantis") is None


def test_unmapped_gemeente_is_an_error_naming_it(shared_data: Path, tmp_path: Path) -> None:
    src = tmp_path / "shared"
    (src / "cbs_statline_csv").mkdir(parents=True)
    for name in ("85385NED.csv", "84721NED.csv"):
        (src / "cbs_statline_csv" / name).symlink_to(shared_data / "cbs_statline_csv" / name)
    (src / "cartomap").mkdir()
    header, rows = read_export(shared_data / "cbs_statline_csv" / "85052NED.csv")
    lines = [";".join(header)] + [";".join(r[h] for h in header) for r in rows[:3]]
    lines.append(";".join(["3", "Atlantis"] + ["1"] * (len(header) - 2)))
    (src / "cbs_statline_csv" / "99999NED.csv").write_text(
        "\ufeff" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    with pytest.raises(UnmappedRegions, match=r"99999NED: 1 region titles .*'Atlantis'"):
        convert("99999NED", tmp_path / "out", shared=src)


def test_former_gemeenten_do_not_clash_with_codes_in_the_exports(regions) -> None:
    """The stated codes are claimed by no other title in CBS's own code tables."""
    for name, code in FORMER_GEMEENTEN.items():
        assert regions.gemeente[name] == {code}, name
        others = [t for t, codes in regions.gemeente.items() if code in codes and t != name]
        assert others == [], (name, code, others)


def test_real_client_reads_the_converted_table_unchanged(real_server, converted, shared_data):
    """cbsodata (real, over HTTP) returns every recorded 85099NED value, suppressed as None."""
    cbsodata.options.use_https = False
    try:
        rows = cbsodata.get_data("85099NED", catalog_url=real_server.host, typed=False)
    finally:
        cbsodata.options.use_https = True
    _, recorded = read_export(shared_data / "cbs_statline_csv" / "85099NED.csv")
    assert len(rows) == len(recorded) == 10_000
    for got, want in zip(rows, recorded, strict=True):
        # get_data replaces keys by titles: exactly the export's own view
        assert got["RegioS"] == " ".join(want["RegioS"].split())
        assert got["Perioden"] == want["Perioden"]
        v = want["JongerenMetJeugdzorg_1"]
        assert got["JongerenMetJeugdzorg_1"] == (float(v) if v else None)
    info = json.loads((converted["85099NED"] / "TableInfos.json").read_text())[0]
    assert info["Modified"] and info["Identifier"] == "85099NED"
    typed = json.loads((converted["85099NED"] / "TypedDataSet.json").read_text())
    assert typed[0]["RegioS"] == "NL01  " and typed[0]["Perioden"] == "2021HJ01"
    assert (converted["85099NED"] / "UntypedDataSet.json").exists()
