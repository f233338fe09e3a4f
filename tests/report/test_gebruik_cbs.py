"""CBS's own figures beside the project's in the chapter "Gebruik van jeugdzorg" (Testland).

Testland is changed the way real data differ: one gemeente lacks its 0-17 count for a year (a
KWB estimate exists instead), CBS publishes its own relative figure, and the build skipped an
indicator. Expected numbers are read from the changed data set.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.report import text
from analysis.report.chapters import gebruik
from analysis.report.chapters.gebruik import cbs

from . import fixtures

REDEN = (
    "niet gevonden in 85099NED: categorie voor 'Jongeren met jeugdreclassering'; aanwezig: "
    "JZ Totaal jeugdzorg; JH 1 Totaal jeugdhulp"
)


@pytest.fixture()
def shown(monkeypatch) -> list[str]:
    import IPython.display

    out: list[str] = []
    monkeypatch.setattr(
        IPython.display,
        "display",
        lambda *objs, **_kw: out.extend(getattr(o, "data", None) or str(o) for o in objs),
    )
    return out


def _tekst(shown: list[str]) -> str:
    raw = "\n".join(str(s) for s in shown)
    raw = re.sub(r"<img[^>]*>", " ", raw)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


@pytest.fixture(scope="module")
def variant(tmp_path_factory) -> Path:
    """Testland with: no 0-17 count for Kleindorp (GM9003) in 2022 but a KWB estimate; CBS's
    relative figure for Kleindorp in 2022 and 2023; jeugdreclassering skipped by the build."""
    d = fixtures.write_dataset(tmp_path_factory.mktemp("testland_cbs"), with_geo=False)
    path = d / "processed" / "indicators.parquet"
    df = pd.read_parquet(path)
    gm = (df["regio_code"] == "GM9003") & (df["periode_type"] == "jaar")
    weg = gm & (df["indicator"] == "bevolking_0_17") & (df["jaar"] == 2022)
    assert weg.any()
    schatting = df[weg].assign(indicator=cbs.SCHATTING, waarde=1400.0, bron="85318NED")
    rel = df[gm & (df["indicator"] == cbs.JEUGDZORG) & df["jaar"].isin([2022, 2023])]
    assert len(rel)
    rel = rel.assign(
        indicator=cbs.RELATIEF, eenheid="%", waarde=rel["jaar"].map({2022: 9.9, 2023: 10.1})
    )
    df = df[~weg & (df["indicator"] != "jongeren_met_jeugdreclassering")]
    pd.concat([df, schatting, rel], ignore_index=True).to_parquet(path, index=False)

    src_path = d / "processed" / "sources.json"
    sources = json.loads(src_path.read_text(encoding="utf-8"))
    for s in sources:
        if s.get("table_id") == "85099NED":
            s["overgeslagen_indicatoren"] = [
                {
                    "tabel": "85099NED",
                    "indicator": "jongeren_met_jeugdreclassering",
                    "reden": "niet gevonden",
                    "tekst": REDEN,
                    "elders_gebouwd": False,
                }
            ]
    sources.append(
        {
            "table_id": "85318NED",
            "title": "Kerncijfers wijken en buurten 2022",
            "short_title": "Kerncijfers wijken en buurten 2022",
            "files": [],
            "synthetic": True,
        }
    )
    src_path.write_text(json.dumps(sources), encoding="utf-8")
    return d


def _rij(tekst: str, titel: str, jaar: int) -> str:
    tabel = tekst[tekst.index(titel) :]
    m = re.search(rf" {jaar} (.*?)(?= 20[12]\d \d| Twee cijfers| Het CBS telt)", tabel)
    assert m, tabel[:300]
    return m.group(1)


def test_gemeente_cbs_figure_beside_rate_and_missing_denominator_said(variant, shown) -> None:
    gebruik.gemeente(fixtures.context(variant, "gemeente", "GM9003"))
    out = _tekst(shown)
    titel = "Jongeren met jeugdzorg in Kleindorp: CBS-percentage naast"
    df = pd.read_parquet(variant / "processed" / "indicators.parquet")
    sel = df[
        (df["regio_code"] == "GM9003") & (df["indeling_jaar"] == 2024) & (df["periode"] == "2023")
    ].set_index("indicator")["waarde"]
    rij = _rij(out, titel, 2023)
    per_1000 = 1000 * sel[cbs.JEUGDZORG] / sel["bevolking_0_17"]
    assert text.getal(per_1000, 1) in rij and "10,1" in rij
    assert f"{text.getal(sel['bevolking_0_17'])}: Bevolking op 1 januari" in rij
    assert "(03759ned), peildatum 1 januari 2023" in rij
    # 2022: no 0-17 count: said, the estimate named "schatting" and not used
    rij = _rij(out, titel, 2022)
    assert "aantal jongeren 0–17 ontbreekt voor 2022: geen cijfer per 1\u202f000" in rij
    assert "schatting uit Kerncijfers wijken en buurten 2022 (85318NED)" in rij
    assert "1\u202f400 jongeren; niet gebruikt" in rij and "9,9" in rij
    assert "Twee cijfers, twee noemers." in out and "0 tot en met 17 jaar" in out


def test_skipped_indicator_named_with_reason(variant, shown) -> None:
    gebruik.gemeente(fixtures.context(variant, "gemeente", "GM9003"))
    out = _tekst(shown)
    assert "Niet in deze gegevensset." in out
    assert f"Jongeren met jeugdreclassering : niet gebouwd; {REDEN}." in out


def test_no_cbs_figure_and_no_skip_invents_nothing(shown, tmp_path) -> None:
    d = fixtures.write_dataset(tmp_path, with_geo=False)
    gebruik.gemeente(fixtures.context(d, "gemeente", "GM9003"))
    out = _tekst(shown)
    assert "Niet in deze gegevensset." not in out
    assert "schatting uit" not in out
    rij = _rij(out, "Jongeren met jeugdzorg in Kleindorp: CBS-percentage naast", 2023)
    assert "niet gepubliceerd" in rij


def test_jeugdregio_cbs_figure_beside_members_sum(shown, tmp_path) -> None:
    d = fixtures.write_dataset(tmp_path, with_geo=False)
    ctx = fixtures.context(d, "jeugdregio", "JZ91")
    gebruik.jeugdregio(ctx)
    out = _tekst(shown)
    df = pd.read_parquet(d / "processed" / "indicators.parquet")
    df = df[(df["indeling_jaar"] == ctx.indeling_jaar) & (df["indicator"] == cbs.JEUGDZORG)]
    leden = set(ctx.leden.loc[ctx.leden["regio_code"] == "JZ91", "gemeente_code"])
    titel = "Jongeren met jeugdzorg in de jeugdregio Regio Noord: CBS-cijfer en som"
    for jaar in (2021, 2022, 2023):
        j = df[(df["jaar"] == jaar) & (df["periode_type"] == "jaar")]
        eigen = j.loc[(j["regio_code"] == "JZ91") & ~j["berekend"], "waarde"].item()
        som = j.loc[j["regio_code"].isin(leden), "waarde"].sum()
        rij = _rij(out, titel, jaar)
        verschil = eigen - som
        teken = "+" if verschil > 0 else "−" if verschil < 0 else ""
        assert rij.startswith(f"{text.getal(eigen)} {text.getal(som)} "), rij
        assert rij.rstrip().endswith(teken + text.getal(abs(verschil))), rij
    assert "onderdrukte gemeentecijfers in de som ontbreken" in out
    assert "kiest niet stilzwijgend" in out
