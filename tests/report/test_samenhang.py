"""The chapter "Regionale samenhang" on the real boundaries and on Demoland.

Display output is captured by replacing ``IPython.display.display`` (the chapter helpers import
it at call time); figures arrive as HTML ``<figure>`` elements with an embedded PNG.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis import geo, store
from analysis.config import settings
from analysis.indicators.cohesion import restated_population
from analysis.report.chapters import samenhang
from tests.conftest import shared_data_dir

PNG = b"\x89PNG\r\n\x1a\n"


class Captured(list):
    """Everything displayed: ``.text`` (Markdown and HTML, joined) and ``.figures`` (PNG bytes)."""

    @property
    def text(self) -> str:
        return html.unescape("\n".join(str(getattr(o, "data", o)) for o in self))

    @property
    def figures(self) -> list[bytes]:
        return [
            base64.b64decode(m)
            for m in re.findall(r'<img src="data:image/png;base64,([^"]+)"', self.text)
        ]

    @property
    def captions(self) -> list[str]:
        return re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", self.text, flags=re.S)


@pytest.fixture
def captured(monkeypatch) -> Captured:
    import IPython.display

    out = Captured()
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: out.extend(objs))
    return out


def _indicators(pop: pd.DataFrame, years=(2023, 2024)) -> pd.DataFrame:
    """Processed-layer rows: population and realistic use and spending, some suppressed."""
    rng = np.random.default_rng(3)
    rows = []
    for year in years:
        for r in pop.itertuples():
            base = {"regio_code": r.gemeente_code, "regio_niveau": "gemeente", "indeling_jaar": year,
                    "periode": str(year), "periode_type": "jaar", "jaar": year, "bron": "85099NED"}  # fmt: skip
            use = round(r.jongeren * rng.normal(115, 18) / 1000)
            sup = r.gemeente_code in {"GM0050"}  # Zeewolde suppressed
            rows += [
                {**base, "indicator": "bevolking_totaal", "waarde": r.bevolking, "onderdrukt": False,
                 "reeks": "", "bron": "03759ned"},
                {**base, "indicator": "bevolking_0_17", "waarde": r.jongeren, "onderdrukt": False,
                 "reeks": "", "bron": "03759ned"},
                {**base, "indicator": "jongeren_met_jeugdzorg", "waarde": np.nan if sup else float(use),
                 "onderdrukt": sup, "reeks": "jeugdzorg_2021_heden"},
                {**base, "indicator": "kosten_jeugdzorg_gerealiseerd",
                 "waarde": r.jongeren * rng.normal(1.5, 0.3), "onderdrukt": False, "reeks": "",
                 "bron": "83454NED"},
            ]  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def real_ctx(tmp_path_factory, real_processed):
    shared = shared_data_dir()
    data_dir = tmp_path_factory.getbasetemp() / "cohesion_real_boundaries"  # shared cache
    data_dir.mkdir(exist_ok=True)
    s = settings(geo_base_url=str(shared / "cartomap"), data_dir=data_dir, offline=False)
    # the processed layer built from the real KWB 2020 recording, restated onto 2024; young
    # people as a fifth of the population (test figures only)
    processed = store.load_indicators(real_processed[0].data_dir)
    pop = restated_population(processed, 2020, 2024, geo.load_crosswalk(2020, 2024, settings=s))
    pop["jongeren"] = (0.2 * pop["bevolking"]).round()
    return SimpleNamespace(
        kind="nederland",
        code="NL01",
        naam="Nederland",
        jaar=2024,
        indeling_jaar=2025,  # boundaries of 2025; other divisions only up to 2024
        data_dir=None,
        indicators=_indicators(pop),
        indeling=pd.DataFrame(),
        synthetic=False,
        settings=s,
        regio_code=None,
        regio_naam=None,
    )


def test_nederland_on_real_boundaries(real_ctx, captured):
    samenhang.nederland(real_ctx)
    assert len(captured.figures) == 4 and all(f.startswith(PNG) for f in captured.figures)
    text = captured.text
    assert "Nederland telt in 2025 <strong>42 jeugdregio's</strong> met samen 342 gemeenten" in text
    assert "niet de officiële CBS-tabel «Gebieden in Nederland»" in text
    assert "Zeewolde" in text and "Voorschoten" in text  # the 2024 switches in the timeline
    assert "ARI" in text and "arbeidsmarktregio" in text
    assert "Niet congruent met de arbeidsmarktregio's" in text
    assert "dominantie_aandeel" in text and "docs/samenhang.md" in text
    assert "Verschillen tussen gemeenten binnen de regio" in text
    assert any(c.startswith("Variatiecoëfficiënt van het gebruik") for c in captured.captions)
    assert "<table" in text and "Samenhangprofiel van de jeugdregio's, 2025" in text
    # the other divisions have no 2025 layer: said so, and 2024 is used
    assert "alleen beschikbaar voor 2023–2024" in text
    assert "indeling 2024 gebruikt (niet 2025)" in text
    assert all("Bron:" in c and "docs/samenhang.md" in c for c in captured.captions)
    assert not re.search(r"\b(the|and|region)\b", re.sub(r"<[^>]+>", " ", text))  # Dutch only


def test_nederland_map_measure(real_ctx, captured):
    samenhang.nederland(real_ctx, kaartmaat="modaal_aandeel_am")
    assert "Congruentie met de arbeidsmarktregio's" in captured.captions[0]
    with pytest.raises(ValueError, match="kaartmaat"):
        samenhang.nederland(real_ctx, kaartmaat="onzin")


def test_jeugdregio_on_real_boundaries(real_ctx, captured):
    ctx = SimpleNamespace(
        **{**vars(real_ctx), "kind": "jeugdregio", "code": "JZ12", "naam": "Noord-Veluwe"}
    )
    samenhang.jeugdregio(ctx)
    text = captured.text
    assert "Noord-Veluwe bestaat in 2025 uit <strong>7 gemeenten</strong>" in text
    assert "samenstelling gewijzigd" in text and "niet congruent met arbeidsmarktregio" in text
    assert "Zeewolde gaat van Flevoland (JZ08) naar Noord-Veluwe (JZ12)" in text
    assert "Veluwe Stedendriehoek" in text  # its arbeidsmarktregio's are named
    # members map, congruence map over the arbeidsmarktregio borders, use and spending per member
    assert len(captured.figures) == 4
    assert any("arbeidsmarktregio" in c for c in captured.captions)
    assert "Zeewolde: onderdrukt of niet gepubliceerd" in text


def test_jeugdregio_congruent_region_has_no_split_map(real_ctx, captured):
    ctx = SimpleNamespace(
        **{**vars(real_ctx), "kind": "jeugdregio", "code": "JZ14", "naam": "Twente"}
    )
    samenhang.jeugdregio(ctx)
    assert not any("gekleurd naar hun arbeidsmarktregio" in c for c in captured.captions)
    assert "Tussen 2015 en 2025 is de samenstelling van Twente niet gewijzigd." in captured.text


def test_gemeente_on_real_boundaries(real_ctx, captured):
    ctx = SimpleNamespace(
        **{**vars(real_ctx), "kind": "gemeente", "code": "GM0626", "naam": "Voorschoten",
           "regio_code": "JZ18", "regio_naam": "Holland Rijnland"}
    )  # fmt: skip
    samenhang.gemeente(ctx)
    text = captured.text
    assert (
        "Voorschoten hoort in 2025 bij de jeugdregio <strong>Holland Rijnland</strong> (JZ18)"
        in text
    )
    assert "Voorschoten gaat van Haaglanden (JZ24) naar Holland Rijnland (JZ18)" in text
    assert "Regio's waartoe Voorschoten behoort" in text and "Veilig Thuis-regio" in text
    assert len(captured.figures) == 1 and "Ligging van Voorschoten" in captured.captions[0]
    assert re.search(r"staat Voorschoten op plaats \d+ van 13", text)
    assert re.search(
        r"Jongeren met jeugdzorg in Voorschoten, 2024: \d+ per 1 000 jongeren; de mediaan van de gemeenten in Holland Rijnland",
        text,
    )


def test_without_any_boundaries(tmp_path, captured):
    s = settings(geo_base_url=str(tmp_path / "leeg"), data_dir=tmp_path, offline=True)
    ctx = SimpleNamespace(
        kind="nederland", code="NL01", naam="Nederland", jaar=2024, indeling_jaar=2024,
        data_dir=None, indicators=pd.DataFrame(), indeling=pd.DataFrame(), synthetic=False,
        settings=s, regio_code=None, regio_naam=None,
    )  # fmt: skip
    samenhang.nederland(ctx)
    samenhang.jeugdregio(SimpleNamespace(**{**vars(ctx), "code": "JZ01", "naam": "Groningen"}))
    samenhang.gemeente(SimpleNamespace(**{**vars(ctx), "code": "GM0014", "naam": "Groningen"}))
    assert "geen grenzen of indelingen van de jeugdregio's beschikbaar" in captured.text
    assert not captured.figures


def test_demoland(tmp_path_factory, captured):
    from analysis.demo import generate

    out = tmp_path_factory.mktemp("demoland_src")
    generate(out)
    data_dir = tmp_path_factory.mktemp("demoland_data")
    (data_dir / "raw" / "geo").mkdir(parents=True)
    for p in (out / "geo").iterdir():
        shutil.copy(p, data_dir / "raw" / "geo" / p.name)
    s = settings(data_dir=data_dir, offline=True)
    ctx = SimpleNamespace(
        kind="nederland", code="NL01", naam="Nederland", jaar=2025, indeling_jaar=2025,
        data_dir=None, indicators=pd.DataFrame(), indeling=pd.DataFrame(), synthetic=True,
        settings=s, regio_code=None, regio_naam=None,
    )  # fmt: skip
    samenhang.nederland(ctx)
    res = samenhang.resultaat(ctx)
    assert all(c.startswith("JZ9") for c in res.profiel["regio_code"])
    switch = res.tijdlijn[res.tijdlijn["soort"] == "gewisseld"]
    assert list(switch["naar_jaar"]) == [2024]
    merger = res.tijdlijn[res.tijdlijn["soort"].str.startswith("herindeling")]
    assert 2022 in set(merger["naar_jaar"])
    assert (
        ~res.congruentie.loc[res.congruentie["indeling"] == "arbeidsmarktregio", "congruent"]
    ).any()
    assert "oppervlakte" in captured.text  # no population: weighted by area, and said so
    assert all("synthetische gegevens (Demoland)" in c for c in captured.captions)
    code = switch["naar_regio"].iat[0]
    samenhang.jeugdregio(
        SimpleNamespace(**{**vars(ctx), "kind": "jeugdregio", "code": code, "naam": code})
    )
    gm = switch["gemeente_code"].iat[0]
    samenhang.gemeente(SimpleNamespace(**{**vars(ctx), "kind": "gemeente", "code": gm, "naam": gm}))
    assert "gemeente wisselt van regio" in captured.text
    assert len(captured.figures) >= 5


def test_the_chapter_phrases_every_event_kind_and_note():
    from analysis.indicators.cohesion import NOTITIES, SOORTEN, Notitie, membership_events
    from analysis.report.chapters.samenhang import teksten

    assert set(teksten.SOORT_LABELS) == set(SOORTEN)
    a = pd.DataFrame({"jaar": 2020, "gemeente_code": ["GM1", "GM2", "GM4"],
                      "gemeente_naam": ["Een", "Twee", "Vier"], "regio_code": ["R1", "R1", "R2"],
                      "regio_naam": ["Alfa", "Alfa", "Beta"]})  # fmt: skip
    b = pd.DataFrame({"jaar": 2021, "gemeente_code": ["GM2", "GM5", "GM6"],
                      "gemeente_naam": ["Twee", "Vijf", "Zes"], "regio_code": ["R2", "R2", "R1"],
                      "regio_naam": ["Beta", "Beta", "Alfa"]})  # fmt: skip
    cw = pd.DataFrame(
        {"van_code": ["GM4", "GM4"], "naar_code": ["GM5", "GM6"], "gewicht": [0.5, 0.5]}
    )
    t = teksten.met_teksten(membership_events(a, b, cw)).set_index("soort")
    assert t.loc["gewisseld", "omschrijving"] == "Twee gaat van Alfa (R1) naar Beta (R2)."
    assert (
        t.loc["opgeheven", "omschrijving"]
        == "Een (GM1) verdwijnt uit Alfa; geen opvolger gevonden."
    )
    assert t.loc["splitsing_over_grens", "omschrijving"] == (
        "Vier (GM4) gaat (deels) van Beta (R2) naar Alfa (R1) via Zes (GM6): Vier (GM4) wordt "
        "opgeheven en verdeeld over Vijf (GM5), Zes (GM6)."
    )
    assert t.loc["splitsing_over_grens", "soort_label"] == "gemeente opgesplitst over de regiogrens"
    notes = [
        Notitie("indeling_deels", ("ggdregio", "veiligthuisregio"), (2019, 2020, 2021, 2023)),
        Notitie("congruentie_ander_jaar", ("arbeidsmarktregio",), (2024, 2025)),
    ]
    assert teksten.notities_tekst(notes).splitlines()[2:] == [
        "- Indeling GGD-regio, Veilig Thuis-regio: alleen beschikbaar voor 2019–2021, 2023.",
        "- Congruentie met arbeidsmarktregio: indeling 2024 gebruikt (niet 2025).",
    ]
    assert all(teksten.notitie(Notitie(k, ("ggdregio",), (2024, 2025))) for k in NOTITIES)
    with pytest.raises(ValueError, match="unknown note kind 'x'; valid: geen_indeling"):
        Notitie("x")
