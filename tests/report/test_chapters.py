"""Chapter functions, figures and the report context on the Testland fixture.

Chapter output is captured by replacing ``IPython.display.display``; each displayed object's
Markdown/HTML text is collected so the tests can read what a reader would see.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis import registry, store
from analysis.indicators import use
from analysis.report import figures, text
from analysis.report.chapters import catalogus, gebruik, nog_niet
from analysis.report.chapters.gebruik import figuren, teksten
from analysis.report.chapters.gebruik.gegevens import Gegevens
from analysis.report.figures import raster, trend

from . import fixtures

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return fixtures.write_dataset(tmp_path_factory.mktemp("testland"))


@pytest.fixture()
def shown(monkeypatch) -> list[str]:
    """Collects the Markdown/HTML of everything displayed."""
    import IPython.display

    out: list[str] = []

    def capture(*objs, **_kw):
        for o in objs:
            out.append(getattr(o, "data", None) or str(o))

    monkeypatch.setattr(IPython.display, "display", capture)
    return out


_ctx = fixtures.context


# ----------------------------------------------------------------------------- store


def test_report_context_resolves_subject_and_defaults(data_dir):
    ctx = _ctx(data_dir, "gemeente", "gm9004")
    assert (ctx.code, ctx.naam, ctx.indeling_jaar) == ("GM9004", "Veenhoven", 2024)
    assert (ctx.regio_code, ctx.regio_naam) == ("JZ91", "Regio Noord")
    assert ctx.vergelijkingsgroep == "grootteklasse"
    assert ctx.synthetic is True and ctx.settings.offline is True
    assert ctx.settings.data_dir == data_dir.resolve()
    old = _ctx(data_dir, "gemeente", "GM9004", indeling_jaar=2023)
    assert old.regio_code == "JZ92"  # membership of the classification year
    nl = _ctx(data_dir, "nederland", None)
    assert (nl.code, nl.naam, nl.regio_code) == ("NL01", "Nederland", None)
    jz = _ctx(data_dir, "jeugdregio", "JZ92")
    assert jz.naam == "Regio Zuid" and set(jz.membership()["gemeente_code"]) >= {"GM9005"}


def test_synthetic_flag_follows_profile_and_sources(tmp_path):
    d = fixtures.write_dataset(tmp_path, with_geo=False)
    sources = json.loads((d / "processed" / "sources.json").read_text())
    for s in sources:
        s["synthetic"] = False
    (d / "processed" / "sources.json").write_text(json.dumps(sources))
    assert _ctx(d, profiel="cbs").synthetic is False
    assert _ctx(d, profiel="demoland").synthetic is True


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "provincie", "code": "PV91"}, "geldig: nederland, jeugdregio, gemeente"),
        ({"kind": "gemeente", "code": "GM0363"}, r"GM0363.*bedoelde u: GM9001 Grootstad"),
        ({"kind": "jeugdregio", "code": "JZ13"}, r"JZ13.*bedoelde u: JZ91 Regio Noord"),
        ({"indeling_jaar": 2019}, "indeling voor 2019.*indelingsjaren: 2023, 2024"),
        ({"vergelijkingsgroep": "stad"}, "'stad'.*grootteklasse, jeugdregio, provincie"),
    ],
)
def test_report_context_errors_name_value_and_choices(data_dir, kwargs, message):
    kind = kwargs.pop("kind", "gemeente")
    code = kwargs.pop("code", "GM9001")
    with pytest.raises(ValueError, match=message):
        _ctx(data_dir, kind, code, **kwargs)


def test_missing_processed_layer_is_explained(tmp_path):
    with pytest.raises(FileNotFoundError, match="demo-data"):
        store.load_indicators(tmp_path)


def test_loaders_read_each_file_once_until_it_changes(tmp_path):
    d = fixtures.write_dataset(tmp_path, with_geo=False)
    store._read_indicators.cache_clear()
    a = store.load_indicators(d)
    b = store.load_indicators(str(d))
    info = store._read_indicators.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    a["extra"] = 1  # callers may add columns without touching the cache
    assert "extra" not in b.columns and "extra" not in store.load_indicators(d).columns
    path = d / "processed" / "indicators.parquet"
    df = pd.read_parquet(path)
    df.iloc[:10].to_parquet(path, index=False)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert len(store.load_indicators(d)) == 10
    assert store._read_indicators.cache_info().misses == 2


def test_boundaries_fall_back_to_nearest_year(data_dir):
    s = _ctx(data_dir).settings
    gdf, used, reason = store.load_boundaries_nearest("gemeente", 2023, s)
    assert used == 2024 and len(gdf) == 7 and reason == ""
    assert gdf.crs.to_epsg() == 28992
    none, used2, why = store.load_boundaries_nearest("provincie", 2024, s)
    assert none is None and used2 is None and why


# ----------------------------------------------------------------------------- figures


def _data_lines(ax) -> list:
    """Drawn data lines (markers-only lines and vertical trend-break markers excluded)."""
    return [
        line
        for line in ax.get_lines()
        if line.get_linestyle() not in ("None", "none", "")
        and len(line.get_xdata()) >= 2
        and line.get_xdata()[0] != line.get_xdata()[1]
    ]


def _steps(line) -> list[tuple[float, float]]:
    x = [float(v) for v in line.get_xdata()]
    return list(zip(x, x[1:], strict=False))


def _segments_x(ax) -> list[tuple[float, float]]:
    """Every drawn step (year to year) of the data lines."""
    return [step for line in _data_lines(ax) for step in _steps(line)]


def test_trend_chart_marks_break_and_provisional_points(data_dir):
    ind = store.load_indicators(data_dir)
    r = use.rates(ind, "jongeren_met_jeugdhulp", indeling_jaar=2024)
    fig = figures.trend_chart({"Grootstad": use.trend(r, "GM9001")}, titel="t", ylabel="per 1 000")
    try:
        ax = fig.axes[0]
        segs = _segments_x(ax)
        assert (2020.0, 2021.0) not in segs  # never bridged
        assert (2019.0, 2020.0) in segs and (2021.0, 2022.0) in segs
        dashed = {st for ln in _data_lines(ax) if ln.get_linestyle() != "-" for st in _steps(ln)}
        assert dashed == {(2021.0, 2022.0), (2022.0, 2023.0)}
        solid = [ln for ln in _data_lines(ax) if ln.get_linestyle() == "-"]
        assert (2015.0, 2016.0) in _steps(solid[0]) and (2019.0, 2020.0) in _steps(solid[0])
        texts = [t.get_text() for t in ax.texts]
        assert "trendbreuk 2020/2021" in texts
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert "voorlopig" in labels
        hollow = [
            ln
            for ln in ax.get_lines()
            if ln.get_linestyle() in ("None", "none") and ln.get_markerfacecolor() == "white"
        ]
        assert len(hollow) == 1 and list(hollow[0].get_xdata()) == [2022.0, 2023.0]
    finally:
        plt.close(fig)


def _familie(data_dir):
    """Trend series of three gemeenten (the family) and one shared series."""
    ind = store.load_indicators(data_dir)
    r = use.rates(ind, "jongeren_met_jeugdhulp", indeling_jaar=2024)
    familie = {n: use.trend(r, c) for c, n in [("GM9001", "Grootstad"), ("GM9002", "Havendam")]}
    familie["Veenhoven"] = use.trend(r, "GM9004")
    return familie, {"Regio Noord": use.trend(r, "GM9006")}


def _familie_png(familie, gedeeld, schaal, label):
    fig = figures.trend_chart_familie(
        (label, familie[label]), gedeeld, schaal, titel="t", ylabel="per 1 000"
    )
    try:
        legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        return fig, figures.png_bytes(fig), legend, fig.axes[0].get_ylim()
    finally:
        figures.release(fig)


def test_trend_family_charts_share_one_base_and_equal_fresh_renders(data_dir, monkeypatch):
    figures.clear_bases()
    familie, gedeeld = _familie(data_dir)
    schaal = figures.TrendSchaal.van(familie, gedeeld.values())
    hoog = max(s["waarde"].max() for s in [*familie.values(), *gedeeld.values()])
    assert hoog < schaal.top < 1.1 * hoog and schaal.voorlopig
    assert schaal.labels == ("Grootstad", "Havendam", "Veenhoven")
    fig_a, png_a, legend_a, ylim_a = _familie_png(familie, gedeeld, schaal, "Grootstad")
    fig_b, png_b, legend_b, ylim_b = _familie_png(familie, gedeeld, schaal, "Havendam")
    assert fig_b is fig_a and figures.bases_held() == 1  # one base for the family
    assert legend_a[:2] == ["Grootstad", "Regio Noord"] and legend_b[0] == "Havendam"
    assert ylim_a == ylim_b == (0.0, schaal.top)
    assert png_a != png_b
    # the base keeps nothing of earlier reports: again, and in a fresh process (cache empty)
    assert _familie_png(familie, gedeeld, schaal, "Grootstad")[1] == png_a
    figures.clear_bases()
    assert _familie_png(familie, gedeeld, schaal, "Grootstad")[1] == png_a
    plt.close("all")


def test_trend_family_draws_the_own_series_on_top(data_dir, monkeypatch):
    import matplotlib.colors as mcolors

    figures.clear_bases()
    familie, _ = _familie(data_dir)
    gedeeld = {"Regio Noord": familie["Grootstad"]}  # the own series exactly covers it
    schaal = figures.TrendSchaal.van(familie, gedeeld.values())
    fig, png, _, _ = _familie_png(familie, gedeeld, schaal, "Grootstad")
    img = plt.imread(io.BytesIO(png))
    s = familie["Grootstad"]
    x, y = float(s["x"].iloc[0]), float(s["waarde"].iloc[0])
    px, py = fig.axes[0].transData.transform((x, y))
    pixel = img[img.shape[0] - int(round(py)), int(round(px)), :3]
    eigen = np.array(mcolors.to_rgb(trend._trend_stijl(0)[0]))
    assert np.abs(pixel - eigen).max() < 0.02
    plt.close("all")


def test_trend_family_falls_back_to_a_plain_chart_for_a_series_that_does_not_fit(
    data_dir, monkeypatch
):
    figures.clear_bases()
    familie, gedeeld = _familie(data_dir)
    schaal = figures.TrendSchaal.van(familie, gedeeld.values())
    hoger = familie["Grootstad"].assign(waarde=familie["Grootstad"]["waarde"] * 3)
    assert not schaal.past("Grootstad", hoger) and not schaal.past("Elders", familie["Havendam"])
    for label, s in [("Grootstad", hoger), ("Elders", familie["Havendam"])]:
        fig = figures.trend_chart_familie((label, s), gedeeld, schaal, titel="t", ylabel="y")
        try:
            assert not figures.reused(fig)
            assert fig.axes[0].get_ylim()[1] > schaal.top or label == "Elders"
            assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()][0] == label
        finally:
            plt.close(fig)
    assert figures.bases_held() == 0


def test_line_runs_break_at_missing_values_and_style_changes():
    ys = np.array([1.0, 2.0, np.nan, 3.0, 4.0, 5.0, 6.0])
    prov = np.array([False, False, False, False, False, True, True])
    # 0-1 solid; 2 missing; 3-4 solid; 4-5 and 5-6 dashed (an end is provisional)
    assert trend._runs(ys, prov) == [(0, 1, False), (3, 4, False), (4, 6, True)]
    assert trend._runs(np.array([np.nan, 1.0]), np.array([False, False])) == []


def test_choropleth_legend_states_classes_and_suppressed(data_dir):
    gdf, _, _ = store.load_boundaries_nearest("gemeente", 2024, _ctx(data_dir).settings)
    gdf["v"] = [100.0, 110.0, np.nan, 120.0, 130.0, 140.0, 150.0]
    fig = figures.choropleth(
        gdf, "v", titel="t", legend_titel="per 1 000", highlight=["GM9001"], k=3
    )
    try:
        labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert labels[-2:] == ["onderdrukt / geen gegevens", "geselecteerd gebied"]
        assert labels[0].startswith("100 – ") and labels[2].endswith(" – 150")
        assert len(labels) == 5
    finally:
        plt.close(fig)
    gdf["v"] = gdf["v"].fillna(105.0)
    fig = figures.choropleth(gdf, "v", titel="t", legend_titel="per 1 000", k=3)
    try:
        labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert "onderdrukt / geen gegevens" not in labels and len(labels) == 3
    finally:
        plt.close(fig)


def test_map_without_the_private_crop_helper_renders_the_same_map_in_full(data_dir, monkeypatch):
    """The raster seam's fallback: without matplotlib's private ``adjust_bbox`` a map base is
    not reused; every report renders the whole figure, with the same size and picture."""
    from PIL import Image

    gdf, _, _ = store.load_boundaries_nearest("gemeente", 2024, _ctx(data_dir).settings)
    gdf["v"] = [100.0, 110.0, np.nan, 120.0, 130.0, 140.0, 150.0]

    def kaart() -> tuple[np.ndarray, bool]:
        figures.clear_bases()
        fig = figures.choropleth(
            gdf, "v", titel="t", legend_titel="per 1 000", highlight=["GM9001"], k=3, labels=True
        )
        try:
            png = figures.render_png(fig)
            return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")), figures.reused(fig)
        finally:
            figures.release(fig)
            plt.close(fig)

    hergebruikt, reused = kaart()
    monkeypatch.setattr(raster, "_adjust_bbox", lambda: None)
    volledig, reused_fallback = kaart()
    assert reused and not reused_fallback
    assert volledig.shape == hergebruikt.shape
    verschil = np.abs(volledig.astype(int) - hergebruikt.astype(int)).max(axis=2) > 40
    assert verschil.mean() < 0.01  # the same map; at most anti-aliasing at a few edges
    figures.clear_bases()


def test_quantile_classes_round_and_merge_collapsed_classes():
    edges = figures.quantile_classes([120.2, 125.9, 126.1, 135.4], k=3, decimalen=0)
    assert edges[0] == 120 and edges[-1] == 136
    assert len(edges) == len(np.unique(edges))
    assert len(figures.quantile_classes([np.nan])) == 0


def test_show_embeds_png_with_caption_and_closes(shown):
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2])
    figures.show(fig, "Figuur: test. Bron: CBS (85099NED).")
    assert not plt.fignum_exists(fig.number)
    assert 'src="data:image/png;base64,' in shown[0]
    assert "<figcaption" in shown[0] and "85099NED" in shown[0]


def _rendered_chart_rgba() -> np.ndarray:
    fig, ax = figures.new_figure((4, 3))
    ax.plot([2015, 2020, 2023], [10.5, 12.25, 11.0], marker="o", color=figures.PALETTE[1])
    ax.set_title("Jeugdzorg per 1.000 jongeren")
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("opaque", [True, False])
def test_png_encoder_is_lossless_and_records_the_resolution(opaque):
    from PIL import Image

    rgba = _rendered_chart_rgba()
    if not opaque:  # a translucent band, as a legend box over a map would give
        rgba[10:40, :, 3] = 128
    data = figures.encode_png(rgba, figures.DPI)
    img = Image.open(io.BytesIO(data))
    img.load()  # decodes every chunk and checks the CRCs
    assert img.mode == ("RGB" if opaque else "RGBA")
    assert img.size == (rgba.shape[1], rgba.shape[0])
    assert np.array_equal(np.asarray(img), rgba[:, :, :3] if opaque else rgba)
    assert round(img.info["dpi"][0]) == figures.DPI
    assert len(data) < rgba.nbytes / 10  # flat-colour chart: compressed, not stored


def test_savefig_writes_the_same_png_to_a_path_and_a_stream(tmp_path):
    fig, ax = figures.new_figure((3, 2))
    ax.bar(["a", "b"], [1, 2])
    stream = io.BytesIO()
    fig.savefig(stream, format="png", facecolor="white")
    fig.savefig(tmp_path / "f.png", format="png", facecolor="white")
    assert (tmp_path / "f.png").read_bytes() == stream.getvalue()
    assert stream.getvalue().startswith(b"\x89PNG\r\n\x1a\n")


def test_bar_table_scales_each_panel_and_marks_own_area_missing_and_estimates():
    from bs4 import BeautifulSoup

    panel_a = pd.DataFrame(
        {
            "label": ["Kleindorp <&>", "Jeugdregio", "Nederland"],
            "waarde": [50.0, 100.0, np.nan],
            "hoofd": [True, False, False],
            "onderdrukt": [False, False, True],
            "schatting": [False, True, False],
        }
    )
    panel_b = pd.DataFrame({"label": ["A", "B"], "waarde": [2.5, np.nan], "hoofd": [False, True]})
    markup = figures.staven_html(
        [("Jeugdhulp", panel_a), ("Jeugdbescherming", panel_b)],
        titel="Kleindorp vergeleken, 2023",
        caption="Figuur: x. Bron: CBS (85099NED).",
    )
    soup = BeautifulSoup(markup, "html.parser")
    tables = soup.find_all("table", class_="staven")
    assert [t.caption.get_text() for t in tables] == ["Jeugdhulp", "Jeugdbescherming"]
    rows = tables[0].tbody.find_all("tr")
    assert [r.th.get_text() for r in rows] == ["Kleindorp <&>", "Jeugdregio", "Nederland"]
    assert rows[0].get("class") == ["hoofd"] and rows[1].get("class") is None
    widths = [r.find("span", class_="staaf") for r in rows]
    assert widths[0]["style"] == "width: 50.0%;" and widths[1]["style"] == "width: 100.0%;"
    assert widths[2] is None  # no bar for a missing value
    values = [r.find("td", class_="staaf-waarde").get_text() for r in rows]
    assert values == ["50", "ca. 100", "onderdrukt"]
    rows_b = tables[1].tbody.find_all("tr")
    assert rows_b[0].find("span", class_="staaf")["style"] == "width: 100.0%;"  # own scale
    assert rows_b[0].find("td", class_="staaf-waarde").get_text() == "2,5"
    assert rows_b[1].find("td", class_="staaf-waarde").get_text() == "geen gegevens"
    assert "Bron: CBS (85099NED)." in soup.figcaption.get_text()
    assert "<img" not in markup


def test_caption_sources():
    assert figures.caption("Kaart: x.", ["85099NED", "03759ned", "berekend"]) == (
        "Kaart: x. Bron: CBS (03759ned, 85099NED)."
    )
    syn = figures.caption("Kaart: x.", ["85099NED"], synthetic=True, eigen="eigen berekening")
    assert syn == (
        "Kaart: x. Bron: synthetische gegevens (Demoland) in de vorm van CBS-tabellen 85099NED; "
        "eigen berekening."
    )


# ----------------------------------------------------------------------------- chapters


def _all(shown: list[str]) -> str:
    """Everything displayed, with embedded image data removed (base64 can spell 'NaN')."""
    return re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,", "\n".join(shown))


def _check_common(out: str) -> None:
    for bad in ("NaN", ">nan<", " nan ", "None"):
        assert bad not in out, bad
    assert registry.JEUGDZORG_TRENDBREUK in out
    assert registry.WOONPLAATSBEGINSEL in out
    assert registry.indicator("jongeren_met_jeugdhulp").definitie.split(".")[0] in out
    assert "<h3>Over deze cijfers</h3>" in out
    assert out.count('src="data:image/png;base64,') >= 3
    for fig in out.split("<figcaption")[1:]:
        assert "Bron:" in fig.split("</figcaption>")[0]
    assert plt.get_fignums() == []


def test_gemeente_chapter(data_dir, shown):
    gebruik.gemeente(_ctx(data_dir, "gemeente", "GM9003"))
    out = _all(shown)
    _check_common(out)
    assert "In 2023 is het aantal jongeren met jeugdbescherming in Kleindorp onderdrukt" in out
    assert ">onderdrukt<" in out  # table cell
    assert "De cijfers over 2023 zijn voorlopig" in out
    assert "minder dan 10\u202f000 inwoners; 10\u202f000 tot 20\u202f000 inwoners" in out
    assert "de enige gemeente in die klasse" in out
    assert "Binnen de jeugdregio Regio Noord staat Kleindorp op plaats" in out
    assert "Gemeentegrenzen 2024." in out
    assert out.count('<table class="staven">') == 4  # one bar panel per core indicator
    # two trend charts, each with the sentence in caption and alt text
    assert out.count("De verticale as is voor alle gemeenten van de jeugdregio gelijk") == 4
    assert "Kleindorp vergeleken, 2023" in out


def test_gemeente_chapter_with_province_group(data_dir, shown):
    gebruik.gemeente(_ctx(data_dir, "gemeente", "GM9002", vergelijkingsgroep="provincie"))
    out = _all(shown)
    assert "De vergelijkingsgroep is de provincie Noordland: alle 3 gemeenten" in out
    assert "Provincie Noordland (per 1\u202f000)" in out


def test_jeugdregio_chapter(data_dir, shown):
    gebruik.jeugdregio(_ctx(data_dir, "jeugdregio", "JZ91"))
    out = _all(shown)
    _check_common(out)
    assert "opgeteld over 3 van de 4 gemeenten" in out
    assert "ca. " in out
    for naam in ("Grootstad", "Havendam", "Kleindorp", "Veenhoven"):
        assert f'<td style="text-align: left;">{naam}</td>' in out
        assert f'<th scope="row">{naam}</th>' in out  # a bar per member gemeente
    assert out.count('<table class="staven">') == 1
    assert out.count("De verticale as is voor alle jeugdregio&#x27;s gelijk") == 4


def test_nederland_chapter(data_dir, shown):
    gebruik.nederland(_ctx(data_dir, "nederland", None))
    out = _all(shown)
    _check_common(out)
    assert "Regio Noord (JZ91)" in out and "Regio Zuid (JZ92)" in out
    assert "Jeugdhulp naar gemeentegrootte" in out
    assert out.count('src="data:image/png;base64,') == 4  # two trends, two maps


def test_map_falls_back_to_nearest_boundary_year(data_dir, shown):
    gdf, used, noot = figuren._kaartgrenzen(
        _ctx(data_dir, "gemeente", "GM9004", indeling_jaar=2023)
    )
    assert used == 2024 and len(gdf) == 7
    assert noot.startswith("Gemeentegrenzen 2024: grenzen van 2023 zijn niet beschikbaar.")
    assert shown == []


def test_chapter_without_boundaries_says_so(tmp_path, shown):
    d = fixtures.write_dataset(tmp_path, with_geo=False)
    assert figuren._kaartgrenzen(_ctx(d, "gemeente", "GM9001")) == (None, None, "")
    assert "Kaart niet beschikbaar" in _all(shown)


def test_chapters_without_use_data_say_so(tmp_path, shown):
    d = fixtures.write_dataset(tmp_path, with_geo=False)
    path = d / "processed" / "indicators.parquet"
    df = pd.read_parquet(path)
    df[df["indicator"].str.startswith("bevolking")].to_parquet(path, index=False)
    for kind, code in (("nederland", None), ("jeugdregio", "JZ91"), ("gemeente", "GM9001")):
        shown.clear()
        getattr(gebruik, kind)(_ctx(d, kind, code))
        out = _all(shown)
        assert text.GEEN_GEGEVENS_ZIN in out
        assert "base64" not in out


def test_year_without_data_falls_back_to_latest_year(data_dir, shown):
    ctx = _ctx(data_dir, "gemeente", "GM9002", jaar=2025)
    d = Gegevens(ctx)
    assert (d.jaar, d.periode) == (2023, "2023")
    teksten.jaar_melding(ctx, d)
    out = _all(shown)
    assert "Voor 2025 zijn in deze gegevensset nog geen jaarcijfers" in out
    assert "de meest recente jaarcijfers: 2023" in out
    assert "halfjaar" not in out  # the only half-year (2023H1) is not after 2023


def test_small_counts_are_marked_in_the_table(data_dir, shown):
    gebruik.gemeente(_ctx(data_dir, "gemeente", "GM9003", jaar=2022))
    out = _all(shown)
    assert "(klein aantal)" in out
    assert "Het gaat om minder dan 10 jongeren" in out


def test_half_years_after_the_latest_year_are_reported(tmp_path, shown):
    d = fixtures.write_dataset(tmp_path, with_geo=False)
    path = d / "processed" / "indicators.parquet"
    df = pd.read_parquet(path)
    drop = (df["periode"] == "2023") & ~df["indicator"].str.startswith("bevolking")
    df[~drop].to_parquet(path, index=False)
    for kind, code, wie in (
        ("gemeente", "GM9002", "Havendam"),
        ("jeugdregio", "JZ91", "de jeugdregio Regio Noord"),
        ("nederland", None, "Nederland"),
    ):
        shown.clear()
        ctx = _ctx(d, kind, code)
        teksten.jaar_melding(ctx, Gegevens(ctx))
        out = _all(shown)
        assert "de meest recente jaarcijfers: 2022" in out
        assert "In het eerste halfjaar van 2023 hadden " in out
        assert f"jongeren in {wie} jeugdhulp" in out


#: a planned chapter in a temporary declaration: every real chapter is built, the generic
#: renderer stays for the next one (the access theme's tables serve as its declared tables)
GEPLAND = catalogus.Hoofdstuk(
    id="proef",
    titel="Proefhoofdstuk",
    vraag="Welke tabellen zijn er voor een hoofdstuk dat nog komt?",
    thema="toegang",
    status="planned",
)


@pytest.fixture
def gepland(monkeypatch):
    monkeypatch.setattr(nog_niet, "CHAPTERS", (*catalogus.CHAPTERS, GEPLAND))
    return GEPLAND


def test_nog_niet_sections(data_dir, shown, gepland):
    nog_niet.proef(_ctx(data_dir, "gemeente", "GM9001"))
    out = _all(shown)
    assert "Er staan nog geen resultaten in." in out
    assert "data:image" not in out  # no placeholder figures (the CSV links are data: too)
    for tid in ("85097NED", "85094NED"):
        assert f">{tid}<" in out
    declared = nog_niet.declared_tables("toegang")
    expected = [t for t in registry.TABLES if t.thema == "toegang"]
    assert len(declared) == len(expected)
    assert "\\" not in "".join(declared["Titel"])  # regex escapes removed


def test_every_planned_chapter_renders_through_the_one_generic_renderer(data_dir, shown, gepland):
    assert [h.id for h in catalogus.CHAPTERS if h.status == "planned"] == []
    planned = [h for h in nog_niet.CHAPTERS if h.status == "planned"]
    assert [h.id for h in planned] == ["proef"]
    for h in planned:
        shown.clear()
        catalogus.entry_function(h.entry("jeugdregio"))(_ctx(data_dir, "jeugdregio", "JZ91"))
        out = _all(shown)
        assert h.vraag in out and "voor de jeugdregio Regio Noord" in out
    with pytest.raises(AttributeError, match="'gebruik'"):
        nog_niet.gebruik  # noqa: B018 - a built chapter has no generic entry
    with pytest.raises(KeyError, match="unknown planned chapter 'x'; valid: proef"):
        nog_niet.sectie(_ctx(data_dir, "gemeente", "GM9001"), "x")


def test_the_chapter_words_the_codes_the_indicator_code_returns():
    """Size classes and comparison groups come from ``use`` as codes; the wording is here."""
    assert teksten.grootteklasse_label(0) == "minder dan 10\u202f000 inwoners"
    assert teksten.grootteklasse_label(3) == "50\u202f000 tot 100\u202f000 inwoners"
    assert teksten.grootteklasse_label(6) == "250\u202f000 inwoners of meer"
    assert teksten.klasse_label("GK4") == teksten.grootteklasse_label(3)
    assert (
        teksten.groep_omschrijving("grootteklasse", "GK4", "GK4")
        == "gemeenten met 50\u202f000 tot 100\u202f000 inwoners"
    )
    assert teksten.groep_omschrijving("provincie", "PV99", "Noordland") == "de provincie Noordland"


def test_gemeente_comparison_names_its_group(data_dir):
    ctx = _ctx(data_dir, "gemeente", "GM9002")
    v = teksten.vergelijking(ctx, Gegevens(ctx))
    assert v.regio == "de jeugdregio Regio Noord"
    assert v.groep_oms is not None and v.groep_oms.startswith("gemeenten met ")
    assert v.rol("jongeren_met_jeugdhulp", "gemeente")["regio_code"] == "GM9002"
    assert v.rol("jongeren_met_jeugdhulp", "bestaat-niet") == {}


def test_overlay_layer_composites_as_drawing_the_overlay_would(data_dir):
    """A base's overlay (the names on a map) is rendered once onto a transparent layer and
    composited over each report's highlight: the same picture as drawing the names again,
    up to rounding of the blend."""
    from matplotlib.backends.backend_agg import RendererAgg
    from PIL import Image

    gdf, _, _ = store.load_boundaries_nearest("gemeente", 2024, _ctx(data_dir).settings)
    gdf["v"] = [100.0, 110.0, np.nan, 120.0, 130.0, 140.0, 150.0]
    figures.clear_bases()
    fig = figures.choropleth(
        gdf, "v", titel="t", legend_titel="per 1 000", highlight=["GM9001"], k=3, labels=True
    )
    try:
        basis = fig._kaartbasis
        assert basis.overlay and basis.laag is not None and len(basis.laag[0]) > 100
        png = figures.render_png(fig)
        samengesteld = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
        h, w = basis.pixels.shape[:2]
        renderer = RendererAgg(w, h, fig.dpi)
        getekend = np.asarray(renderer.buffer_rgba())
        getekend[...] = basis.pixels
        with basis._uitsnede():
            for a in [*basis.eigen, *basis.overlay]:
                a.draw(renderer)
        verschil = np.abs(samengesteld - getekend[:, :, :3].astype(int))
        assert verschil.max() <= 2
        assert (np.abs(samengesteld - basis.pixels[:, :, :3].astype(int)).max(axis=2) > 60).sum()
    finally:
        figures.release(fig)
        plt.close(fig)
        figures.clear_bases()


@pytest.mark.parametrize("groep", ["grootteklasse", "provincie", "jeugdregio"])
def test_comparison_frames_from_memoised_parts_equal_fresh_ones(data_dir, groep):
    """The chapter builds each indicator's comparison frames from rates it already holds
    (gemeente, jeugdregio, Nederland) and one comparison-group table for all indicators: the
    frames equal the ones :func:`use.comparison_frames` computes from scratch."""
    import importlib

    from analysis.indicators import use

    gg = importlib.import_module("analysis.report.chapters.gebruik.gegevens")
    ctx = _ctx(data_dir, vergelijkingsgroep=groep)
    d = gg.Gegevens(ctx)
    assert len(d.beschikbaar) >= 3
    for ind in d.beschikbaar:
        got = d.frames(ind)
        fresh = use.comparison_frames(
            d.df, ctx.indeling, ind, jaar=d.jaar, indeling_jaar=d.ij, vergelijkingsgroep=groep
        )
        for part in ("gemeente", "jeugdregio", "groep", "nederland", "leden", "groepen"):
            pd.testing.assert_frame_equal(getattr(got, part), getattr(fresh, part), obj=part)
        assert got.groep["per_1000"].notna().any()
