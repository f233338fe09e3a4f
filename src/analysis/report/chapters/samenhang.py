"""Chapter "Regionale samenhang": composition, stability, congruence, geometry and dispersion of
the jeugdregio's (policy questions A2, A3, A5, A12), from :mod:`analysis.indicators.cohesion`.

Every function displays Markdown, HTML tables and static PNG figures with Dutch captions; the
thresholds are those of :data:`analysis.indicators.cohesion.DREMPELS`, documented in
``docs/samenhang.md``. Missing layers or figures are stated, never fatal.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from analysis import store
from analysis.indicators.cohesion import (
    DIVISIES,
    DOC_PAGE,
    DREMPELS,
    INDELING_LABELS,
    MAATEN,
    SIGNALEN,
    Samenhang,
    analyse,
    drempel,
    events_for_gemeente,
    events_for_region,
    stored,
)
from analysis.indicators.cohesion.dispersion import REDENEN
from analysis.report import output
from analysis.report.chapters import bronnen, html_tabel, md, toon_html
from analysis.report.figures import (
    DPI,
    GRIJS,
    PALETTE,
    STIJL,
    Kaartbasis,
    caption,
    choropleth,
    inhoud_sleutel,
    kaartbasis,
    new_figure,
    set_titel,
    show,
    tight_layout,
)
from analysis.report.text import getal, lijst

__all__ = ["KAARTMATEN", "nederland", "jeugdregio", "gemeente", "resultaat"]

#: Measures the national map can be coloured by: profile column -> (title, legend, decimals).
KAARTMATEN: dict[str, tuple[str, str, int]] = {
    "n_signalen": ("Aantal signalen per jeugdregio", "aantal signalen", 0),
    "aandeel_grootste": ("Aandeel van de grootste gemeente in de inwoners", "aandeel (%)", 0),
    "modaal_aandeel_am": (
        "Congruentie met de arbeidsmarktregio's (modaal aandeel inwoners)",
        "aandeel (%)",
        0,
    ),
    "n_gemeenten": ("Aantal gemeenten per jeugdregio", "aantal gemeenten", 0),
    "polsby_popper": ("Compactheid (Polsby–Popper)", "index", 2),
    "cv_gebruik": ("Spreiding in jeugdzorggebruik (variatiecoëfficiënt)", "CV", 2),
}
_PERCENT_MAATEN = {"aandeel_grootste", "modaal_aandeel_am"}
_NIET_OFFICIEEL = (
    "De indeling van gemeenten in regio's is afgeleid uit de grenzen (een punt binnen elke "
    "gemeente, getoetst aan de regiogrens); het is niet de officiële CBS-tabel «Gebieden in "
    "Nederland»."
)


# ----------------------------------------------------------------------------- helpers


def _geo_jaar(ctx) -> int:
    return int(getattr(ctx, "indeling_jaar", None) or ctx.jaar)


def _processed(ctx) -> bool:
    """Whether the report reads a processed layer on disk (then its stored analysis counts)."""
    data_dir = getattr(ctx, "data_dir", None)
    return data_dir is not None and (Path(data_dir) / "processed" / "indicators.parquet").is_file()


def resultaat(ctx) -> Samenhang:
    """The cohesion analysis for the report's classification year, once per data version: the
    copy stored after the build when it still matches the data, else computed here."""
    jaar, synthetic = _geo_jaar(ctx), bool(ctx.synthetic)

    def bereken() -> Samenhang:
        return analyse(
            ctx.settings,
            jaar,
            indicators=ctx.indicators,
            indeling=ctx.indeling,
            synthetic=synthetic,
        )

    if not _processed(ctx):
        return bereken()

    def opgeslagen_of_berekend() -> Samenhang:
        return stored.load(ctx.settings, jaar, synthetic=synthetic) or bereken()

    return store.per_data_version(
        ctx.data_dir, f"samenhang:{jaar}:{synthetic}", opgeslagen_of_berekend
    )


def _pct(x: float | None, decimalen: int = 0) -> str:
    if x is None or pd.isna(x):
        return "–"
    return f"{getal(100 * float(x), decimalen)}%"


def _num(x: float | None, decimalen: int = 0) -> str:
    if x is None or pd.isna(x):
        return "–"
    return getal(float(x), decimalen)


def _ja_nee(x: object) -> str:
    if x is None or x is pd.NA or (isinstance(x, float) and np.isnan(x)):
        return "onbekend"
    return "ja" if bool(x) else "nee"


def _grenzenbron(ctx) -> str:
    if ctx.synthetic:
        return "grenzen: Demoland (synthetisch)"
    return "grenzen: CBS/PDOK-gebiedsindelingen via cartomap (CC BY 4.0)"


def _bijschrift(ctx, tekst: str, tabellen=(), *, drempels: str = "") -> str:
    eigen = f"{_grenzenbron(ctx)}; definities en drempels: {DOC_PAGE}"
    if drempels:
        eigen += f" ({drempels})"
    return caption(tekst, tabellen, synthetic=bool(ctx.synthetic), eigen=eigen)


def _bevolkingsbronnen(ctx, res: Samenhang) -> set[str]:
    if res.gewichten is None or res.gewichten.soort != "inwoners":
        return set()
    if "84799NED" in res.gewichten.bron:
        return {"84799NED"}
    return bronnen(
        ctx.indicators,
        ["bevolking_totaal"],
        [res.geo_jaar or ctx.jaar],
        indeling_jaar=_geo_jaar(ctx),
    )


def _methode_tekst(ctx, res: Samenhang) -> str:
    """Where the membership comes from (once per data version for a stored layer)."""
    if not _processed(ctx):
        return _methode_tekst_uit(res)
    return store.per_data_version(
        ctx.data_dir, f"samenhang-methode:{_geo_jaar(ctx)}", lambda: _methode_tekst_uit(res)
    )


def _methode_tekst_uit(res: Samenhang) -> str:
    jz = res.geodata.lidmaatschap.get("jeugdregio", {})
    methods = set()
    for m in jz.values():
        if "methode" in m:
            methods |= set(m["methode"].astype("str"))
    if methods and methods <= {"gebieden_in_nederland"}:
        return "De indeling komt uit de CBS-tabel «Gebieden in Nederland»."
    return _NIET_OFFICIEEL


def _gewicht_tekst(res: Samenhang) -> str:
    w = res.gewichten
    if w is None:
        return "Er zijn geen inwonertallen en geen gemeentegrenzen: maten naar inwoners ontbreken."
    if w.soort == "inwoners":
        return f"Inwonertallen: {w.bron}."
    return (
        "**Let op:** er zijn geen inwonertallen beschikbaar; congruentie en overeenstemming zijn "
        "gewogen naar **oppervlakte** van de gemeenten in plaats van naar inwoners."
    )


def _notities(res: Samenhang) -> None:
    if res.notities:
        md("**Beperkingen van de gegevens:**\n\n" + "\n".join(f"- {n}" for n in res.notities))


def _drempel_tekst(naam: str) -> str:
    d = DREMPELS[naam]
    waarde = d.waarde
    if d.eenheid == "aandeel":
        return f"`{naam}` = {_pct(waarde)}"
    return f"`{naam}` = {getal(waarde, 0 if float(waarde).is_integer() else 2)} {d.eenheid}"


def _waar(x: object) -> bool:
    """True only for a known true value (NA and NaN are not true)."""
    return (
        x is not None and x is not pd.NA and not (isinstance(x, float) and np.isnan(x)) and bool(x)
    )


def _signalen_zin(row: pd.Series, voor: str = "") -> str:
    onbekend = row.get("onbekend", "")
    if row["signalen"]:
        zin = f"**Signalen {voor.strip()}:** {row['signalen']}.".replace(" :**", ":**")
    else:
        zin = f"Er zijn geen signalen {voor}vastgesteld."
    if onbekend:
        zin += f" Niet vast te stellen: {onbekend}."
    return zin


_EEN_JAAR = (
    "Er zijn alleen grenzen van {jaar}; wijzigingen in de samenstelling zijn daarom niet vast "
    "te stellen."
)


def _periode(res: Samenhang) -> str | None:
    """'2015 en 2025' for the years compared in the timeline; None without any pair."""
    overg = [o for o in res.tijdlijn.attrs.get("overgangen", []) if o["methode"] != "geen"]
    if not overg:
        return None
    return f"{min(o['van_jaar'] for o in overg)} en {max(o['naar_jaar'] for o in overg)}"


def _regio_label(code: str, naam: str) -> str:
    return f"{naam} ({code})"


def _stijl():
    return plt.rc_context(STIJL)


# ----------------------------------------------------------------------------- figures


def _kaartmaat(dx: float, dy: float) -> tuple[float, float]:
    """Figure size for a map of extent dx x dy (metres), width 7 inch, height 3.5–8 inch."""
    return (7.0, float(np.clip(5.0 * dy / max(dx, 1.0) + 0.4, 3.5, 8.0)))


def _signaal_kleuren(n: int) -> list[str]:
    cmap = matplotlib.colormaps["YlOrRd"]
    return [to_hex(cmap(x)) for x in np.linspace(0.08, 0.85, n)]


def _kaart_signalen(regios: gpd.GeoDataFrame, profiel: pd.DataFrame, titel: str) -> Figure:
    """Regions coloured by their number of signals (0, 1, 2, 3 or more)."""
    g = regios.merge(profiel[["regio_code", "n_signalen"]], on="regio_code", how="left")
    klassen = ["0", "1", "2", "3 of meer"]
    kleuren = _signaal_kleuren(len(klassen))
    idx = g["n_signalen"].fillna(-1).astype(int).clip(upper=3).to_numpy()
    with _stijl():
        fig, ax = new_figure((7.0, 6.6))
        face = [kleuren[i] if i >= 0 else "#d9d9d9" for i in idx]
        g.plot(ax=ax, color=face, edgecolor="#333333", linewidth=0.5)
        for _, row in g.iterrows():
            pt = row.geometry.representative_point()
            ax.annotate(row["regio_code"][2:], (pt.x, pt.y), ha="center", va="center", fontsize=6.5)
        ax.set_axis_off()
        ax.set_aspect("equal")
        handles = [
            Patch(facecolor=k, edgecolor="#333333", label=lab)
            for k, lab in zip(kleuren, klassen, strict=True)
        ]
        ax.legend(
            handles=handles, title="aantal signalen", loc="upper left", bbox_to_anchor=(1.0, 1.0)
        )
        set_titel(ax, titel)
        tight_layout(fig)
    return fig


def _tijdlijn_figuur(tijdlijn: pd.DataFrame, titel: str) -> Figure:
    """Bars per year: events that changed a composition, by kind; herindelingen within a region
    as a separate grey bar."""
    t = tijdlijn[tijdlijn["soort"] != "regionaam"].copy()
    years = (
        list(range(int(tijdlijn["van_jaar"].min()) + 1, int(tijdlijn["naar_jaar"].max()) + 1))
        if len(tijdlijn)
        else []
    )
    with _stijl():
        fig, ax = new_figure((7.5, 4.2))
        if years:
            bottom = np.zeros(len(years))
            kinds = [k for k in t["soort_label"].unique()]
            order = sorted(
                kinds,
                key=lambda k: (
                    not t.loc[t["soort_label"] == k, "samenstelling_gewijzigd"].iloc[0],
                    k,
                ),
            )
            kleur_i = 0
            for k in order:
                sel = t[t["soort_label"] == k]
                changes = bool(sel["samenstelling_gewijzigd"].iloc[0])
                counts = sel.groupby("naar_jaar").size().reindex(years, fill_value=0).to_numpy()
                kleur = PALETTE[kleur_i % len(PALETTE)] if changes else "#bdbdbd"
                kleur_i += int(changes)
                label = k + ("" if changes else " (geen wijziging van de samenwerking)")
                ax.bar(years, counts, bottom=bottom, color=kleur, label=label, width=0.7)
                bottom += counts
            ax.set_xticks(years, [str(y) for y in years], rotation=0)
            ax.set_ylabel("aantal gebeurtenissen")
            ax.yaxis.get_major_locator().set_params(integer=True)
            ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.12), ncol=2, fontsize=7.5)
        set_titel(ax, titel)
        ax.grid(axis="x", visible=False)
        tight_layout(fig)
    return fig


def _heatmap(matrix: pd.DataFrame, titel: str) -> Figure:
    """Symmetric matrix of agreement scores with the values written in the cells."""
    labels = [INDELING_LABELS.get(c, c) for c in matrix.columns]
    vals = matrix.to_numpy(dtype="float64")
    with _stijl():
        fig, ax = new_figure((6.8, 5.6))
        im = ax.imshow(vals, cmap="YlGnBu", vmin=0, vmax=1)
        ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right")
        ax.set_yticks(range(len(labels)), labels)
        ax.grid(False)
        for i in range(vals.shape[0]):
            for j in range(vals.shape[1]):
                if not np.isnan(vals[i, j]):
                    ax.text(
                        j,
                        i,
                        getal(vals[i, j], 2),
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if vals[i, j] > 0.75 else "black",
                    )
        fig.colorbar(im, ax=ax, shrink=0.75, label="gewogen adjusted Rand index")
        set_titel(ax, titel)
        tight_layout(fig)
    return fig


def _spreiding_figuur(disp: pd.DataFrame, titel: str, grens: float) -> Figure:
    d = disp.dropna(subset=["cv"]).sort_values("cv")
    with _stijl():
        fig, ax = new_figure((7.5, max(3.0, 0.16 * len(d) + 1.2)))
        kleur = [PALETTE[5] if v >= grens else PALETTE[0] for v in d["cv"]]
        y = np.arange(len(d))
        ax.barh(y, d["cv"], color=kleur, height=0.7)
        ax.set_yticks(
            y,
            [f"{n} ({c})" for c, n in zip(d["regio_code"], d["regio_naam"], strict=True)],
            fontsize=7,
        )
        ax.axvline(grens, color="black", ls="--", lw=1)
        ax.text(grens, len(d) - 0.5, f" drempel {getal(grens, 2)}", va="bottom", fontsize=7.5)
        ax.set_xlabel("variatiecoëfficiënt tussen de lidgemeenten")
        ax.grid(axis="y", visible=False)
        set_titel(ax, titel)
        tight_layout(fig)
    return fig


def _in_beeld(gdf: gpd.GeoDataFrame, xlim: tuple, ylim: tuple) -> gpd.GeoDataFrame:
    """The rows of ``gdf`` that can show in a map with these limits.

    Maps of one region are zoomed in on the national layers; drawing only what intersects the
    view (plus a margin for line widths) gives the same picture at a fraction of the cost.
    """
    marge = 0.05 * max(xlim[1] - xlim[0], ylim[1] - ylim[0])
    return gdf.cx[xlim[0] - marge : xlim[1] + marge, ylim[0] - marge : ylim[1] + marge]


def _leden_kaart(
    res: Samenhang,
    code: str,
    titel: str,
    *,
    highlight: str | None = None,
) -> Figure | None:
    """The region's gemeenten (named) on a light background of the surrounding regions.

    The map is the same for every gemeente of the region apart from the highlighted gemeente
    and the title: that part is built once per process (:class:`figures.Kaartbasis`).
    """
    if res.gemeenten is None or res.geo_jaar is None:
        return None
    members = res.geodata.lidmaatschap["jeugdregio"].get(res.geo_jaar)
    if members is None:
        return None
    own = set(members.loc[members["regio_code"] == code, "gemeente_code"])
    gem = res.gemeenten
    mine = gem[gem["statcode"].isin(own)]
    if mine.empty:
        return None
    region = res.regios[res.regios["regio_code"] == code]
    xmin, ymin, xmax, ymax = mine.total_bounds
    pad = 0.12 * max(xmax - xmin, ymax - ymin, 5_000)
    xlim, ylim = (xmin - pad, xmax + pad), (ymin - pad, ymax + pad)
    achter = _in_beeld(gem, xlim, ylim)
    grenzen = _in_beeld(res.regios, xlim, ylim)
    key = (
        None
        if not highlight
        else (
            "leden_kaart",
            inhoud_sleutel(
                achter[["statcode", "geometry"]],
                mine[["statcode", "statnaam", "geometry"]],
                grenzen.geometry,
                region.geometry,
                bool(highlight),
                DPI,
            ),
        )
    )

    def maak() -> Kaartbasis:
        with _stijl():
            fig, ax = new_figure(_kaartmaat(xmax - xmin + 2 * pad, ymax - ymin + 2 * pad))
            achter.plot(ax=ax, color="#f0f0f0", edgecolor="#bdbdbd", linewidth=0.4)
            mine.plot(ax=ax, color="#c6dbef", edgecolor="white", linewidth=0.8)
            n = len(ax.collections)
            grenzen.boundary.plot(ax=ax, color="#636363", linewidth=0.6)
            region.boundary.plot(ax=ax, color="black", linewidth=1.8)
            overlay = list(ax.collections[n:])
            for _, row in mine.iterrows():
                pt = row.geometry.representative_point()
                overlay.append(
                    ax.annotate(row["statnaam"], (pt.x, pt.y), ha="center", va="center", fontsize=7)
                )
            ax.set_xlim(*xlim)
            ax.set_ylim(*ylim)
            ax.set_axis_off()
            ax.set_aspect("equal")
            handles = [
                Patch(facecolor="#c6dbef", edgecolor="black", label="gemeente in de jeugdregio"),
                Patch(facecolor="#f0f0f0", edgecolor="#bdbdbd", label="andere gemeente"),
            ]
            if highlight:
                handles.insert(0, Patch(facecolor=PALETTE[0], label="deze gemeente"))
            legend = ax.legend(
                handles=handles, loc="lower left", frameon=True, framealpha=0.9, fontsize=7.5
            )
            # the layout is made with a title of the same font; the report's own title is set
            # per report (its width does not count in the layout)
            set_titel(ax, f"Gemeenten van {mine['statnaam'].iat[0]}, {res.geo_jaar}")
            tight_layout(fig)
            return Kaartbasis(fig, [*overlay, ax.title, ax._left_title, ax._right_title, legend])

    basis = kaartbasis(key, maak)
    ax = basis.fig.axes[0]
    with _stijl():
        set_titel(ax, titel)
        voor = []
        if highlight:
            n = len(ax.collections)
            gem[gem["statcode"] == highlight].plot(
                ax=ax, color=PALETTE[0], edgecolor="white", linewidth=0.8
            )
            voor = list(ax.collections[n:])
    return basis.toon(voor=voor)


def _congruentie_kaart(
    res: Samenhang, code: str, divisie: str, jaar: int, titel: str
) -> Figure | None:
    """The region's gemeenten coloured by their region of ``divisie``, with its borders."""
    jz = res.geodata.lidmaatschap["jeugdregio"].get(jaar)
    other = res.geodata.lidmaatschap.get(divisie, {}).get(jaar)
    layer = res.geodata.regio_lagen.get(divisie, {}).get(jaar)
    gem = res.geodata.gemeenten.get(jaar)
    if jz is None or other is None or gem is None:
        return None
    own = jz.loc[jz["regio_code"] == code, "gemeente_code"]
    mine = gem[gem["statcode"].isin(set(own))].merge(
        other[["gemeente_code", "regio_code", "regio_naam"]],
        left_on="statcode",
        right_on="gemeente_code",
    )
    if mine.empty:
        return None
    regions = sorted(mine["regio_code"].unique())
    kleur = {r: PALETTE[i % len(PALETTE)] for i, r in enumerate(regions)}
    xmin, ymin, xmax, ymax = mine.total_bounds
    pad = 0.15 * max(xmax - xmin, ymax - ymin, 5_000)
    xlim, ylim = (xmin - pad, xmax + pad), (ymin - pad, ymax + pad)
    outline = res.geodata.regio_lagen["jeugdregio"].get(jaar)
    with _stijl():
        fig, ax = new_figure(_kaartmaat(xmax - xmin + 2 * pad, ymax - ymin + 2 * pad))
        _in_beeld(gem, xlim, ylim).plot(ax=ax, color="#f0f0f0", edgecolor="#d9d9d9", linewidth=0.3)
        mine.plot(
            ax=ax,
            color=[kleur[r] for r in mine["regio_code"]],
            edgecolor="white",
            linewidth=0.6,
            alpha=0.85,
        )
        if layer is not None:
            _in_beeld(layer, xlim, ylim).boundary.plot(
                ax=ax, color="#252525", linewidth=1.4, linestyle="--"
            )
        if outline is not None:
            outline[outline["regio_code"] == code].boundary.plot(
                ax=ax, color="black", linewidth=2.2
            )
        for _, row in mine.iterrows():
            pt = row.geometry.representative_point()
            ax.annotate(row["statnaam"], (pt.x, pt.y), ha="center", va="center", fontsize=6.5)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_axis_off()
        ax.set_aspect("equal")
        names = mine.drop_duplicates("regio_code").set_index("regio_code")["regio_naam"]
        handles = [Patch(facecolor=kleur[r], label=f"{names[r]} ({r})") for r in regions]
        handles.append(
            Patch(
                facecolor="none",
                edgecolor="#252525",
                linestyle="--",
                label=f"grens {INDELING_LABELS[divisie]}",
            )
        )
        handles.append(
            Patch(facecolor="none", edgecolor="black", linewidth=2, label="grens jeugdregio")
        )
        ax.legend(handles=handles, loc="lower left", frameon=True, framealpha=0.9, fontsize=7.5)
        set_titel(ax, titel)
        tight_layout(fig)
    return fig


def _leden_spreiding_figuur(leden: pd.DataFrame, maat: str, titel: str) -> Figure:
    spec = MAATEN[maat]
    d = leden.sort_values("waarde", na_position="first").reset_index(drop=True)
    with _stijl():
        fig, ax = new_figure((7.5, max(2.6, 0.28 * len(d) + 1.0)))
        y = np.arange(len(d))
        vals = d["waarde"].to_numpy(dtype="float64")
        ax.barh(y, np.nan_to_num(vals), color=PALETTE[0], height=0.65)
        for k, v in enumerate(vals):
            if np.isnan(v):
                reden = d.at[k, "uitgesloten"]
                tekst = REDENEN.get(reden, "geen gegevens")
                ax.text(
                    0,
                    k,
                    f" uitgesloten: {tekst}",
                    va="center",
                    fontsize=7.5,
                    style="italic",
                    color="#444444",
                )
            else:
                ax.text(v, k, f" {getal(v, 0)}", va="center", fontsize=7.5)
        finite = vals[~np.isnan(vals)]
        if len(finite):
            median = float(np.median(finite))
            ax.axvline(median, color=GRIJS, ls="--", lw=1)
            ax.text(median, len(d) - 0.35, " mediaan", fontsize=7.5, color="#444444", va="bottom")
            ax.set_xlim(0, float(finite.max()) * 1.3)
            ax.set_ylim(-0.6, len(d) + 0.3)
        ax.set_yticks(y, d["gemeente_naam"])
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: getal(v, 0)))
        ax.set_xlabel(spec.eenheid)
        ax.grid(axis="y", visible=False)
        set_titel(ax, titel)
        tight_layout(fig)
    return fig


# ----------------------------------------------------------------------------- tables


def _profiel_tabel(profiel: pd.DataFrame) -> pd.DataFrame:
    p = profiel.sort_values("regio_code")
    return pd.DataFrame(
        {
            "Jeugdregio": [
                _regio_label(c, n) for c, n in zip(p["regio_code"], p["regio_naam"], strict=True)
            ],
            "Gemeenten": [_num(v) for v in p["n_gemeenten"]],
            "Inwoners": [_num(v) for v in p["bevolking"]],
            "Grootste gemeente": [
                f"{n} ({_pct(a)})" if isinstance(n, str) else "–"
                for n, a in zip(p["grootste_naam"], p["aandeel_grootste"], strict=True)
            ],
            "Wijzigingen": [_num(v) if v is not pd.NA else "–" for v in p["n_wijzigingen"]],
            "Congruentie arbeidsmarktregio": [_pct(v) for v in p["modaal_aandeel_am"]],
            "Delen (eilanden)": [
                f"{_num(d)} ({_num(e)})" if not pd.isna(d) else "–"
                for d, e in zip(p["n_delen"], p["n_eilanden"], strict=True)
            ],
            "CV gebruik": [_num(v, 2) for v in p["cv_gebruik"]],
            "Signalen": [s if s else "geen" for s in p["signalen"]],
        }
    )


def _tijdlijn_tabel(t: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Van–naar": [f"{a}–{b}" for a, b in zip(t["van_jaar"], t["naar_jaar"], strict=True)],
            "Soort": t["soort_label"].to_numpy(),
            "Samenwerking gewijzigd": ["ja" if x else "nee" for x in t["samenstelling_gewijzigd"]],
            "Omschrijving": t["omschrijving"].to_numpy(),
            "Methode": [
                "lidmaatschap" if m == "leden" else "grenzen vergeleken" for m in t["methode"]
            ],
        }
    )


def _congruentie_tabel(c: pd.DataFrame) -> pd.DataFrame:
    rel = {
        "gelijk": "valt samen",
        "binnen": "ligt binnen één regio",
        "omvat": "bestaat uit hele regio's",
        "overlappend": "overlapt gedeeltelijk",
    }
    return pd.DataFrame(
        {
            "Indeling": [DIVISIES.get(i, i) for i in c["indeling"]],
            "Jaar": c["jaar"].astype("int64").astype("str").to_numpy(),
            "Grootste overlap": [
                f"{n} ({r})"
                for r, n in zip(c["modale_regio_code"], c["modale_regio_naam"], strict=True)
            ],
            "Aandeel inwoners": [_pct(v, 1) for v in c["modaal_aandeel"]],
            "Regio's geraakt": [_num(v) for v in c["n_regio_geraakt"]],
            "Verhouding": [rel.get(r, r) for r in c["relatie"]],
            "Gemeenten buiten de grootste overlap": [
                g if g else "–" for g in c["gemeenten_buiten_modaal"]
            ],
        }
    )


def _matrix(scores: pd.DataFrame, kolom: str, jaar: int) -> pd.DataFrame:
    s = scores[scores["jaar"] == jaar]
    names = list(dict.fromkeys([*s["indeling_a"], *s["indeling_b"]]))
    order = ["jeugdregio", *[d for d in DIVISIES if d in names]]
    order = [o for o in order if o in names]
    m = pd.DataFrame(np.nan, index=order, columns=order)
    for r in s.itertuples():
        m.loc[r.indeling_a, r.indeling_b] = getattr(r, kolom)
        m.loc[r.indeling_b, r.indeling_a] = getattr(r, kolom)
    for o in order:
        m.loc[o, o] = 1.0
    return m


def _drempel_tabel() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Drempel": list(DREMPELS),
            "Waarde": [
                _pct(d.waarde)
                if d.eenheid == "aandeel"
                else f"{getal(d.waarde, 0 if float(d.waarde).is_integer() else 2)} {d.eenheid}"
                for d in DREMPELS.values()
            ],
            "Betekenis": [d.omschrijving for d in DREMPELS.values()],
        }
    )


# ----------------------------------------------------------------------------- sections


def _sectie_congruentie_nl(ctx, res: Samenhang) -> None:
    md("### Congruentie met andere regio-indelingen")
    if res.overeenstemming.empty:
        md("*Er zijn geen andere regio-indelingen beschikbaar om mee te vergelijken.*")
        return
    jaren = sorted(res.overeenstemming["jaar"].unique())
    jaar = max([j for j in jaren if j <= _geo_jaar(ctx)] or [jaren[0]])
    s = res.overeenstemming[res.overeenstemming["jaar"] == jaar]
    jz = s[s["indeling_a"] == "jeugdregio"]
    c = res.congruentie[res.congruentie["jaar"] == jaar] if len(res.congruentie) else pd.DataFrame()
    regels = []
    for r in jz.itertuples():
        naam = DIVISIES.get(r.indeling_b, r.indeling_b)
        sel = c[c["indeling"] == r.indeling_b] if len(c) else pd.DataFrame()
        n_cong = int(sel["congruent"].sum()) if len(sel) else 0
        regels.append(
            f"- **{naam}** ({r.n_regio_b} regio's): ARI {getal(r.ari, 2)}, NMI {getal(r.nmi, 2)}; "
            f"{n_cong} van de {len(sel)} jeugdregio's liggen geheel binnen één {naam}."
        )
    md(
        f"Per andere indeling staat hieronder hoe goed de jeugdregio's ermee samenvallen in {jaar}: "
        "de gewogen *adjusted Rand index* (ARI; 1 = gelijke indeling, rond 0 = niet beter dan "
        "toeval) en de genormaliseerde wederzijdse informatie (NMI; 0–1), beide over alle "
        f"inwoners. {_gewicht_tekst(res)}\n\n" + "\n".join(regels)
    )
    show(
        _heatmap(
            _matrix(res.overeenstemming, "ari", jaar),
            f"Overeenstemming tussen regio-indelingen, {jaar}",
        ),
        _bijschrift(
            ctx,
            f"Gewogen adjusted Rand index tussen elk paar regio-indelingen in {jaar} (1 = "
            "identiek). Gewogen naar inwoners; zie de formule in de verantwoording.",
            _bevolkingsbronnen(ctx, res),
        ),
    )
    am = c[c["indeling"] == "arbeidsmarktregio"] if len(c) else pd.DataFrame()
    if len(am):
        niet = am[~am["congruent"]].sort_values("modaal_aandeel")
        if len(niet):
            md(
                f"**Niet congruent met de arbeidsmarktregio's** ({len(niet)} van de {len(am)} "
                f"jeugdregio's; drempel {_drempel_tekst('congruent_min_aandeel')}):"
            )
            toon_html(
                html_tabel(
                    pd.DataFrame(
                        {
                            "Jeugdregio": [
                                _regio_label(a, b)
                                for a, b in zip(niet["regio_code"], niet["regio_naam"], strict=True)
                            ],
                            "Aandeel in grootste arbeidsmarktregio": [
                                _pct(v, 1) for v in niet["modaal_aandeel"]
                            ],
                            "Arbeidsmarktregio's": niet["regio_geraakt"].to_numpy(),
                            "Gemeenten daarbuiten": niet["gemeenten_buiten_modaal"].to_numpy(),
                        }
                    ),
                    bijschrift="Jeugdregio's die over meer dan één arbeidsmarktregio verdeeld "
                    f"zijn, {jaar}",
                    rechts=["Aandeel in grootste arbeidsmarktregio"],
                )
            )


def _sectie_spreiding_nl(ctx, res: Samenhang) -> None:
    md("### Verschillen tussen gemeenten binnen de regio")
    disp = res.spreiding
    gebruik = disp[(disp["maat"] == "gebruik") & disp["cv"].notna()] if len(disp) else disp
    if gebruik is None or gebruik.empty:
        md(
            "*Er zijn (nog) geen cijfers over jeugdzorggebruik per gemeente in deze gegevensset; "
            "de spreiding binnen de regio's is daarom niet berekend.*"
        )
        return
    jaar = (
        int(gebruik.loc[gebruik["jaar"] <= ctx.jaar, "jaar"].max())
        if (gebruik["jaar"] <= ctx.jaar).any()
        else int(gebruik["jaar"].max())
    )
    d = disp[(disp["maat"] == "gebruik") & (disp["jaar"] == jaar)]
    grens = drempel("spreiding_cv")
    n_groot = int((d["cv"] >= grens).sum())
    n_uit = int(d["n_uitgesloten"].sum())
    md(
        f"Hoe sterk verschilt het gebruik van jeugdzorg (jongeren met jeugdzorg per 1 000 "
        f"jongeren van 0–17 jaar) tussen de gemeenten van één regio? In {jaar} is de "
        f"variatiecoëfficiënt (CV) in {n_groot} van de {int(d['cv'].notna().sum())} regio's "
        f"minstens {getal(grens, 2)} (drempel `spreiding_cv`). {n_uit} gemeenten tellen niet "
        f"mee: onderdrukte cijfers, minder dan {getal(drempel('min_telling'))} jongeren met "
        f"jeugdzorg of minder dan {getal(drempel('min_jongeren'))} jongeren "
        "(drempels `min_telling`, `min_jongeren`)."
    )
    tabellen = bronnen(
        ctx.indicators,
        ["jongeren_met_jeugdzorg", "bevolking_0_17"],
        [jaar],
        indeling_jaar=_geo_jaar(ctx),
    )
    show(
        _spreiding_figuur(
            d, f"Spreiding van het jeugdzorggebruik binnen de jeugdregio's, {jaar}", grens
        ),
        _bijschrift(
            ctx,
            "Variatiecoëfficiënt van het gebruik per 1 000 jongeren tussen de meetellende "
            f"lidgemeenten, {jaar}.",
            tabellen,
            drempels="spreiding_cv",
        ),
    )


@output.chapter
def nederland(ctx, kaartmaat: str = "n_signalen") -> None:
    """National overview: map, profiles, timeline, congruence matrix and dispersion."""
    if kaartmaat not in KAARTMATEN:
        raise ValueError(f"unknown kaartmaat {kaartmaat!r}; valid: {', '.join(KAARTMATEN)}")
    res = resultaat(ctx)
    if res.profiel.empty:
        md(
            "*Er zijn geen grenzen of indelingen van de jeugdregio's beschikbaar; dit hoofdstuk "
            "kan niet worden gemaakt.*"
        )
        _notities(res)
        return
    p = res.profiel
    n_regio = len(p)
    signalen = {
        s: f"{int(p[s].fillna(False).astype(bool).sum())} regio's"
        if p[s].notna().any()
        else "niet vast te stellen"
        for s in SIGNALEN
    }
    md(
        f"Nederland telt in {res.geo_jaar} **{n_regio} jeugdregio's** met samen "
        f"{getal(p['n_gemeenten'].sum())} gemeenten. De kleinste regio telt "
        f"{getal(p['bevolking'].min())} inwoners ({p.loc[p['bevolking'].idxmin(), 'regio_naam']}), "
        f"de grootste {getal(p['bevolking'].max())} ({p.loc[p['bevolking'].idxmax(), 'regio_naam']})."
        if p["bevolking"].notna().any()
        else f"Nederland telt in {res.geo_jaar} **{n_regio} jeugdregio's**."
    )
    md(
        "Per regio worden vijf signalen vastgesteld met vaste, openbare regels (drempels in "
        f"`{DOC_PAGE}`): "
        + lijst([f"*{SIGNALEN[s].label}* ({signalen[s]})" for s in SIGNALEN])
        + f". {_methode_tekst(ctx, res)} {_gewicht_tekst(res)}"
    )
    _notities(res)

    titel, legenda, dec = KAARTMATEN[kaartmaat]
    if kaartmaat == "n_signalen":
        fig = _kaart_signalen(res.regios, p, f"{titel}, {res.geo_jaar}")
    else:
        g = res.regios.merge(p[["regio_code", kaartmaat]], on="regio_code", how="left")
        if kaartmaat in _PERCENT_MAATEN:
            g[kaartmaat] = 100 * g[kaartmaat].astype("float64")
        fig = choropleth(
            g,
            kaartmaat,
            titel=f"{titel}, {res.geo_jaar}",
            legend_titel=legenda,
            code_col="regio_code",
            decimalen=dec,
        )
    show(
        fig,
        _bijschrift(
            ctx,
            f"{titel} in {res.geo_jaar}; de cijfers op de kaart zijn de regionummers (JZ..).",
            _bevolkingsbronnen(ctx, res),
        ),
    )

    md("### Profiel per jeugdregio")
    toon_html(
        html_tabel(
            _profiel_tabel(p),
            bijschrift=f"Samenhangprofiel van de jeugdregio's, {res.geo_jaar}",
            rechts=[
                "Gemeenten",
                "Inwoners",
                "Wijzigingen",
                "Congruentie arbeidsmarktregio",
                "CV gebruik",
            ],
            noot=(
                f"Wijzigingen: in de samenstelling, {getal(drempel('venster_jaren'))} jaar terug "
                "tot en met het verslagjaar. Congruentie: aandeel van de inwoners in de "
                "arbeidsmarktregio met de meeste inwoners van de jeugdregio. Delen: aaneengesloten "
                "delen groter dan de snippergrens, met tussen haakjes de eilanden (door water of de "
                "landsgrens gescheiden). CV: variatiecoëfficiënt van het gebruik tussen de gemeenten."
            ),
        )
    )

    md("### Wijzigingen in de samenstelling")
    t = res.tijdlijn
    if t.empty:
        md("*Er zijn geen wijzigingen gevonden.*")
    else:
        overg = t.attrs.get("overgangen", [])
        grenzen = [f"{o['van_jaar']}–{o['naar_jaar']}" for o in overg if o["methode"] == "grenzen"]
        n_samen = int(t["samenstelling_gewijzigd"].sum())
        md(
            f"Tussen {int(t['van_jaar'].min())} en {int(t['naar_jaar'].max())} zijn "
            f"{n_samen} gebeurtenissen gevonden die de samenstelling van een samenwerking "
            "veranderen (een gemeente wisselt van regio, een herindeling over de regiogrens, een "
            "grensverschuiving). Herindelingen binnen één regio veranderen de samenwerking niet en "
            "staan grijs in de figuur."
            + (
                f" Voor {lijst(grenzen)} zijn er geen gemeentegrenzen; daar zijn de regiogrenzen van "
                f"opeenvolgende jaren over elkaar gelegd (drempels `grens_erosie_m`, `grens_kern_km2`)."
                if grenzen
                else ""
            )
        )
        show(
            _tijdlijn_figuur(t, "Wijzigingen per jaar"),
            _bijschrift(
                ctx,
                "Aantal gevonden gebeurtenissen per jaar waarin de wijziging inging.",
                drempels="grens_kern_km2, opvolger_min_aandeel",
            ),
        )
        sel = t[t["soort"] != "regionaam"]
        toon_html(html_tabel(_tijdlijn_tabel(sel), bijschrift="Tijdlijn van de wijzigingen"))

    _sectie_congruentie_nl(ctx, res)

    md("### Ligging en vorm")
    geo = res.geometrie
    if len(geo):
        namen = dict(zip(p["regio_code"], p["regio_naam"], strict=True))
        versn = geo[geo["versnipperd"]]
        eil = geo[geo["n_eilanden"] > 0]
        md(
            f"{len(versn)} van de {len(geo)} jeugdregio's bestaan uit delen die alleen via een "
            "andere regio met elkaar verbonden zijn (versnipperd gebied"
            + (
                f": {lijst([_regio_label(c, namen[c]) for c in versn['regio_code']])}"
                if len(versn)
                else ""
            )
            + f"). {len(eil)} regio's hebben eilanden of delen die door water of de landsgrens "
            "gescheiden zijn; die tellen niet als versnippering. Compactheid (Polsby–Popper, "
            f"4π·oppervlakte/omtrek²) varieert van {getal(geo['polsby_popper'].min(), 2)} tot "
            f"{getal(geo['polsby_popper'].max(), 2)}; kustlijnen maken de waarde lager. "
            f"Drempels: {_drempel_tekst('snipper_km2')}, "
            f"{_drempel_tekst('aaneengesloten_tolerantie_m')}."
        )

    _sectie_spreiding_nl(ctx, res)

    md("### Drempels en definities")
    toon_html(
        html_tabel(
            _drempel_tabel(),
            bijschrift=f"Drempels van de signalen (vastgelegd in DREMPELS, beschreven in {DOC_PAGE})",
        )
    )


def _profiel_rij(res: Samenhang, code: str) -> pd.Series | None:
    p = res.profiel
    sel = p[p["regio_code"] == code] if len(p) else p
    return sel.iloc[0] if len(sel) else None


@output.chapter
def jeugdregio(ctx) -> None:
    """Report of one jeugdregio: members, composition, changes, congruence and dispersion."""
    res = resultaat(ctx)
    code = str(ctx.code)
    row = _profiel_rij(res, code)
    naam = getattr(ctx, "naam", None) or (row["regio_naam"] if row is not None else code)
    if row is None:
        md(f"*Voor {naam} ({code}) zijn geen grenzen of indeling beschikbaar in {_geo_jaar(ctx)}.*")
        _notities(res)
        return
    members = res.geodata.lidmaatschap["jeugdregio"][res.geo_jaar]
    mine = members[members["regio_code"] == code]
    zin = (
        f"{naam} bestaat in {res.geo_jaar} uit **{len(mine)} gemeenten**"
        + (
            f" met samen {getal(row['bevolking'])} inwoners"
            if not pd.isna(row["bevolking"])
            else ""
        )
        + "."
    )
    if not pd.isna(row["aandeel_grootste"]):
        zin += (
            f" De grootste gemeente is {row['grootste_naam']} met {_pct(row['aandeel_grootste'])} "
            "van de inwoners"
            + (
                "; dat is een *dominante centrumgemeente* "
                f"(drempel {_drempel_tekst('dominantie_aandeel')})."
                if _waar(row["dominante_centrumgemeente"])
                else "."
            )
        )
    zin += " " + _signalen_zin(row)
    md(zin + f" {_methode_tekst(ctx, res)}")
    _notities(res)

    fig = _leden_kaart(res, code, f"Gemeenten van {naam}, {res.geo_jaar}")
    if fig is not None:
        show(
            fig,
            _bijschrift(
                ctx,
                f"De gemeenten van de jeugdregio {naam} in {res.geo_jaar}, met de omliggende regio's.",
            ),
        )

    md("### Samenstelling")
    comp = res.samenstelling
    pop = None
    if res.gewichten is not None and res.gewichten.soort == "inwoners":
        pop = res.gewichten.waarden
    tab = mine.sort_values("gemeente_naam")
    inw = tab["gemeente_code"].map(pop) if pop is not None else pd.Series(np.nan, index=tab.index)
    tot = inw.sum()
    toon_html(
        html_tabel(
            pd.DataFrame(
                {
                    "Gemeente": [
                        f"{n} ({c})"
                        for c, n in zip(tab["gemeente_code"], tab["gemeente_naam"], strict=True)
                    ],
                    "Inwoners": [_num(v) for v in inw],
                    "Aandeel in de regio": [_pct(v / tot if tot else np.nan, 1) for v in inw],
                }
            ),
            bijschrift=f"Gemeenten van {naam}, {res.geo_jaar}",
            rechts=["Inwoners", "Aandeel in de regio"],
            noot=_gewicht_tekst(res),
        )
    )
    hist = comp[comp["regio_code"] == code].sort_values("jaar")
    if len(hist) > 1:
        md(
            "Aantal gemeenten per jaar: "
            + ", ".join(
                f"{int(j)}: {int(n)}"
                for j, n in zip(hist["jaar"], hist["n_gemeenten"], strict=True)
            )
            + "."
        )

    md("### Wijzigingen")
    ev = events_for_region(res.tijdlijn, code) if len(res.tijdlijn) else res.tijdlijn
    periode = _periode(res)
    if periode is None:
        md(_EEN_JAAR.format(jaar=res.geo_jaar))
    elif ev.empty:
        md(f"Tussen {periode} is de samenstelling van {naam} niet gewijzigd.")
    else:
        toon_html(html_tabel(_tijdlijn_tabel(ev), bijschrift=f"Wijzigingen die {naam} raken"))

    md("### Congruentie met andere regio-indelingen")
    c = (
        res.congruentie[res.congruentie["regio_code"] == code]
        if len(res.congruentie)
        else pd.DataFrame()
    )
    if c.empty:
        md("*Er zijn geen andere regio-indelingen beschikbaar om mee te vergelijken.*")
    else:
        toon_html(
            html_tabel(
                _congruentie_tabel(c),
                bijschrift=f"{naam} vergeleken met andere regio-indelingen",
                rechts=["Aandeel inwoners", "Regio's geraakt"],
                noot=(
                    "Congruent als het aandeel inwoners minstens "
                    f"{_pct(drempel('congruent_min_aandeel'))} is (drempel "
                    f"`congruent_min_aandeel`). {_gewicht_tekst(res)}"
                ),
            )
        )
        ontbreekt = [DIVISIES[d] for d in DIVISIES if d not in set(c["indeling"])]
        if ontbreekt:
            md(f"Geen indeling beschikbaar voor: {lijst(ontbreekt)}.")
        am = c[c["indeling"] == "arbeidsmarktregio"]
        if len(am) and not bool(am["congruent"].iloc[0]):
            jaar = int(am["jaar"].iloc[0])
            fig = _congruentie_kaart(
                res, code, "arbeidsmarktregio", jaar, f"{naam} en de arbeidsmarktregio's, {jaar}"
            )
            if fig is not None:
                show(
                    fig,
                    _bijschrift(
                        ctx,
                        f"Gemeenten van {naam} gekleurd naar hun arbeidsmarktregio in {jaar}; "
                        "gestippeld de grenzen van de arbeidsmarktregio's.",
                    ),
                )

    _sectie_spreiding_regio(ctx, res, code, naam)


def _sectie_spreiding_regio(ctx, res: Samenhang, code: str, naam: str) -> None:
    md("### Verschillen tussen de gemeenten")
    disp = res.spreiding
    d = disp[disp["regio_code"] == code] if len(disp) else disp
    if d is None or d.empty or d["n_meegeteld"].fillna(0).sum() == 0:
        md(
            "*Er zijn (nog) geen cijfers over jeugdzorggebruik of kosten per gemeente; de "
            "spreiding is niet berekend.*"
        )
        return
    leden = res.leden_waarden
    for maat in ("gebruik", "kosten"):
        dm = d[d["maat"] == maat].sort_values("jaar")
        if dm.empty or dm["n_meegeteld"].fillna(0).sum() == 0:
            md(f"*Geen cijfers voor: {MAATEN[maat].label.lower()}.*")
            continue
        jaar = (
            int(dm.loc[dm["jaar"] <= ctx.jaar, "jaar"].max())
            if (dm["jaar"] <= ctx.jaar).any()
            else int(dm["jaar"].max())
        )
        cur = dm[dm["jaar"] == jaar].iloc[0]
        lm = leden[(leden["maat"] == maat) & (leden["regio_code"] == code)] if len(leden) else leden
        tabellen = bronnen(
            ctx.indicators,
            [MAATEN[maat].teller, MAATEN[maat].noemer],
            [jaar],
            indeling_jaar=_geo_jaar(ctx),
        )
        tekst = (
            f"**{MAATEN[maat].label}**, {jaar}: {int(cur['n_meegeteld'])} van de {int(cur['n_leden'])} "
            "gemeenten tellen mee"
        )
        if not pd.isna(cur["cv"]):
            tekst += (
                f"; variatiecoëfficiënt {getal(cur['cv'], 2)}, hoogste/laagste "
                f"{getal(cur['max_min'], 1)}, interkwartielafstand/mediaan {getal(cur['iqr_mediaan'], 2)}."
            )
        else:
            tekst += (
                "; te weinig gemeenten voor een spreidingsmaat (minimaal "
                f"{getal(drempel('min_leden_spreiding'))})."
            )
        if cur["uitgesloten"]:
            tekst += f" Niet meegeteld: {cur['uitgesloten']}."
        md(tekst)
        lm = lm[lm["jaar"] == jaar] if len(lm) else lm
        if len(lm):
            show(
                _leden_spreiding_figuur(lm, maat, f"{MAATEN[maat].label}, {jaar}"),
                _bijschrift(
                    ctx,
                    f"{MAATEN[maat].label} per gemeente van {naam}, {jaar}. Uitgesloten "
                    "gemeenten zijn benoemd.",
                    tabellen,
                    drempels="min_telling, min_jongeren",
                ),
            )
        if len(dm) > 1:
            rows = dm[dm["cv"].notna()]
            if len(rows) > 1:
                trend = ", ".join(
                    f"{int(j)}: {getal(v, 2)}"
                    for j, v in zip(rows["jaar"], rows["cv"], strict=True)
                )
                breuk = (
                    " Let op de trendbreuk in de jeugdzorgcijfers tussen 2020 en 2021."
                    if rows["trendbreuk"].any()
                    else ""
                )
                md(f"Variatiecoëfficiënt door de jaren: {trend}.{breuk}")


@output.chapter
def gemeente(ctx) -> None:
    """Report of one gemeente: its region, its place in the region, changes affecting it."""
    res = resultaat(ctx)
    code = str(ctx.code)
    naam = getattr(ctx, "naam", None) or code
    if res.geo_jaar is None:
        md("*Er zijn geen grenzen of indelingen van de jeugdregio's beschikbaar.*")
        _notities(res)
        return
    members = res.geodata.lidmaatschap["jeugdregio"].get(res.geo_jaar)
    own = members[members["gemeente_code"] == code] if members is not None else pd.DataFrame()
    if own.empty:
        md(f"*{naam} ({code}) komt niet voor in de indeling van {res.geo_jaar}.*")
        _notities(res)
        return
    regio, regio_naam = own["regio_code"].iloc[0], own["regio_naam"].iloc[0]
    mine = members[members["regio_code"] == regio]
    row = _profiel_rij(res, regio)
    zin = (
        f"{naam} hoort in {res.geo_jaar} bij de jeugdregio **{regio_naam}** ({regio}) met "
        f"{len(mine)} gemeenten."
    )
    if res.gewichten is not None and res.gewichten.soort == "inwoners":
        pop = mine["gemeente_code"].map(res.gewichten.waarden).astype("float64")
        if pop.notna().all() and code in set(mine["gemeente_code"]):
            own_pop = float(res.gewichten.waarden.get(code, np.nan))
            rank = int((pop > own_pop).sum()) + 1
            zin += (
                f" Met {getal(own_pop)} inwoners staat {naam} op plaats {rank} van {len(mine)} naar "
                f"inwonertal ({_pct(own_pop / pop.sum(), 1)} van de inwoners van de regio)."
            )
            if row is not None and _waar(row["dominante_centrumgemeente"]) and rank == 1:
                zin += (
                    f" {naam} is daarmee een *dominante centrumgemeente* "
                    f"(drempel {_drempel_tekst('dominantie_aandeel')})."
                )
    if row is not None:
        zin += " " + _signalen_zin(row, "voor de regio ")
    md(zin + f" {_methode_tekst(ctx, res)}")
    _notities(res)

    fig = _leden_kaart(
        res, regio, f"{naam} in de jeugdregio {regio_naam}, {res.geo_jaar}", highlight=code
    )
    if fig is not None:
        show(
            fig,
            _bijschrift(ctx, f"Ligging van {naam} in de jeugdregio {regio_naam} ({res.geo_jaar})."),
        )

    md("### Andere regio-indelingen")
    rows = []
    for d in DIVISIES:
        lm = res.geodata.lidmaatschap.get(d, {})
        jaar = res.congruentie_jaar.get(d)
        if jaar is None or jaar not in lm:
            rows.append(
                {
                    "Indeling": DIVISIES[d],
                    "Jaar": "–",
                    "Regio": "geen indeling beschikbaar",
                    "Zelfde als de meeste gemeenten van de jeugdregio": "–",
                }
            )
            continue
        m = lm[jaar]
        r = m[m["gemeente_code"] == code]
        c = res.congruentie[
            (res.congruentie["indeling"] == d) & (res.congruentie["regio_code"] == regio)
        ]
        modal = c["modale_regio_code"].iloc[0] if len(c) else None
        if r.empty:
            rows.append(
                {
                    "Indeling": DIVISIES[d],
                    "Jaar": str(jaar),
                    "Regio": "niet gevonden",
                    "Zelfde als de meeste gemeenten van de jeugdregio": "–",
                }
            )
            continue
        rows.append(
            {
                "Indeling": DIVISIES[d],
                "Jaar": str(jaar),
                "Regio": f"{r['regio_naam'].iloc[0]} ({r['regio_code'].iloc[0]})",
                "Zelfde als de meeste gemeenten van de jeugdregio": _ja_nee(
                    r["regio_code"].iloc[0] == modal
                )
                if modal
                else "–",
            }
        )
    toon_html(html_tabel(pd.DataFrame(rows), bijschrift=f"Regio's waartoe {naam} behoort"))

    md("### Wijzigingen die deze gemeente raken")
    t = res.tijdlijn
    eigen = events_for_gemeente(t, code) if len(t) else t
    regio_ev = events_for_region(t, regio) if len(t) else t
    if not eigen.empty:
        toon_html(
            html_tabel(
                _tijdlijn_tabel(eigen), bijschrift=f"Wijzigingen waarbij {naam} betrokken is"
            )
        )
    elif _periode(res) is None:
        md(_EEN_JAAR.format(jaar=res.geo_jaar))
    else:
        md(f"{naam} zelf is tussen {_periode(res)} niet van regio gewisseld en niet heringedeeld.")
    anders = regio_ev
    if len(anders) and not eigen.empty:
        anders = anders[~anders["omschrijving"].isin(set(eigen["omschrijving"]))]
    if len(anders):
        toon_html(
            html_tabel(
                _tijdlijn_tabel(anders),
                bijschrift=f"Andere wijzigingen in de jeugdregio {regio_naam}",
            )
        )

    disp = res.spreiding
    lw = res.leden_waarden
    if not len(disp) or not len(lw):
        return
    mine_lw = lw[(lw["maat"] == "gebruik") & (lw["gemeente_code"] == code)]
    lm = mine_lw[mine_lw["waarde"].notna()]
    lm = lm[lm["jaar"] <= ctx.jaar] if (lm["jaar"] <= ctx.jaar).any() else lm
    if len(lm):
        r = lm[lm["jaar"] == lm["jaar"].max()].iloc[0]
        cur = disp[
            (disp["maat"] == "gebruik")
            & (disp["jaar"] == r["jaar"])
            & (disp["regio_code"] == r["regio_code"])
        ]
        if len(cur) and not pd.isna(cur["mediaan"].iloc[0]):
            md(
                f"Jongeren met jeugdzorg in {naam}, {int(r['jaar'])}: {getal(r['waarde'], 0)} per "
                f"1 000 jongeren; de mediaan van de gemeenten in {r['regio_naam']} (indeling "
                f"{int(cur['indeling_jaar_leden'].iloc[0])}) is {getal(cur['mediaan'].iloc[0], 0)} "
                f"(variatiecoëfficiënt {getal(cur['cv'].iloc[0], 2)})."
            )
    elif len(mine_lw):
        reden = mine_lw.sort_values("jaar")["uitgesloten"].iloc[-1]
        if reden:
            md(
                f"Het jeugdzorggebruik van {naam} telt niet mee in de vergelijking binnen de "
                f"regio: {REDENEN.get(reden, reden)}."
            )
