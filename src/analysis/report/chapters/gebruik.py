"""Chapter "Gebruik van jeugdzorg": counts and rates per 1 000 youth, comparisons, trends, maps.

``nederland(ctx)``, ``jeugdregio(ctx)`` and ``gemeente(ctx)`` display the chapter for one
report. Definitions and the trend-break and woonplaatsbeginsel notes are cited from
:mod:`analysis.registry`; numbers come from :mod:`analysis.indicators.use`; sentences from
:mod:`analysis.report.text`. Without youth-care data in the dataset the chapter says so
instead of failing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis import registry, store
from analysis.indicators import use
from analysis.report import figures, output, text
from analysis.report.chapters._basis import bronnen, geen_gegevens, html_tabel, md, toon_html

log = logging.getLogger(__name__)

INDICATORS = use.USE_INDICATORS
JEUGDHULP = "jongeren_met_jeugdhulp"
MET_VERBLIJF = "jongeren_met_jeugdhulp_met_verblijf"
#: Indicators in the comparison chart and the generated sentences.
KERN = (
    "jongeren_met_jeugdhulp",
    "jongeren_met_jeugdhulp_met_verblijf",
    "jongeren_met_jeugdbescherming",
    "jongeren_met_jeugdreclassering",
)
SINDS = 2015
PER_1000_KORT = "per 1\u202f000 jongeren (0–17 jaar)"
_EIGEN = "per 1\u202f000 jongeren: eigen berekening"

__all__ = ["gemeente", "jeugdregio", "nederland"]


def _kort(indicator_id: str) -> str:
    """``'Jeugdhulp met verblijf'`` from the registry label."""
    o = text.onderwerp(indicator_id)
    return o[0].upper() + o[1:]


# ----------------------------------------------------------------------------- data


_GEDEELD: dict[tuple, dict] = {}
_GEDEELD_MAX = 4


def _gedeeld(ctx) -> dict:
    """Results shared by all reports on the same processed layer and classification year.

    A warm kernel rendering hundreds of gemeente reports computes the dataset-wide rates and
    aggregates once; only the look-ups differ per report.
    """
    key = (store.data_version(ctx.data_dir), ctx.indeling_jaar)
    if key not in _GEDEELD:
        if len(_GEDEELD) >= _GEDEELD_MAX:
            _GEDEELD.pop(next(iter(_GEDEELD)))
        _GEDEELD[key] = {}
    return _GEDEELD[key]


class _Gegevens:
    """Rates for one report context; dataset-wide frames come from :func:`_gedeeld`."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.ij = ctx.indeling_jaar
        self._cache = _gedeeld(ctx)
        self.df = self._memo(("df",), self._filtered)
        aanwezig = self._memo(("aanwezig",), lambda: set(self.df["indicator"].unique()))
        self.beschikbaar = [i for i in INDICATORS if i in aanwezig]
        self.jaar = self._memo(
            ("jaar", tuple(self.beschikbaar), ctx.jaar),
            lambda: (
                use.latest_period_with_data(
                    self.df, self.beschikbaar, indeling_jaar=self.ij, jaar=ctx.jaar
                )
                if self.beschikbaar
                else None
            ),
        )
        self.periode = str(self.jaar) if self.jaar is not None else None

    def _filtered(self) -> pd.DataFrame:
        df = self.ctx.indicators
        wanted = [*INDICATORS, use.NOEMER, use.BEVOLKING]
        keep = (df["indeling_jaar"] == self.ij) & df["indicator"].isin(wanted)
        return df.loc[keep].reset_index(drop=True)

    def _memo(self, key: tuple, fn: Callable[[], pd.DataFrame]):
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    # -- look-ups in shared frames: positions are indexed once per frame, so a report reads
    # -- its few rows without scanning the dataset-wide frames
    def _posities(self, frame: pd.DataFrame) -> tuple[dict, dict]:
        """({regio_code: row positions}, {(regio_code, periode): first position}) of a
        memoised frame (kept with the frame, so an id is never reused while indexed)."""
        key = ("posities", id(frame))
        hit = self._cache.get(key)
        if hit is None or hit[0] is not frame:
            codes = frame["regio_code"].tolist()
            per_code: dict[str, list[int]] = {}
            first: dict[tuple, int] = {}
            for i, (c, p) in enumerate(zip(codes, frame["periode"].tolist(), strict=True)):
                per_code.setdefault(c, []).append(i)
                first.setdefault((c, p), i)
            hit = (frame, per_code, first)
            self._cache[key] = hit
        return hit[1], hit[2]

    def van(self, frame: pd.DataFrame, code: str) -> pd.DataFrame:
        """The rows of ``code`` in a memoised frame, in frame order."""
        return frame.take(self._posities(frame)[0].get(code, []))

    def rij(self, frame: pd.DataFrame, code: str, periode: str) -> dict:
        """The first row of ``code`` in ``periode`` of a memoised frame ({} when absent)."""
        pos = self._posities(frame)[1].get((code, periode))
        return {} if pos is None else frame.iloc[pos].to_dict()

    def trend(self, frame: pd.DataFrame, code: str) -> pd.DataFrame:
        """:func:`use.trend` of ``code`` from a memoised frame (since :data:`SINDS`;
        memoised: the jeugdregio and national series recur in every report, and a
        jeugdregio's trend scale reads all its gemeenten). Read-only."""
        key = ("trend", id(frame), code)
        hit = self._cache.get(key)
        if hit is None or hit[0] is not frame:
            hit = (frame, use.trend(self.van(frame, code), code, since=SINDS))
            self._cache[key] = hit
        return hit[1]

    def in_periode(self, frame: pd.DataFrame, periode: str) -> pd.DataFrame:
        """The rows of one period of a memoised frame (memoised)."""
        key = ("periode", id(frame), periode)
        hit = self._cache.get(key)
        if hit is None or hit[0] is not frame:
            hit = (frame, frame[frame["periode"] == periode])
            self._cache[key] = hit
        return hit[1]

    def gem(self, ind: str, ptype: str = "jaar") -> pd.DataFrame:
        def f() -> pd.DataFrame:
            r = use.rates(self.df, ind, indeling_jaar=self.ij, periode_type=ptype)
            return r[r["regio_niveau"] == "gemeente"].reset_index(drop=True)

        return self._memo(("gem", ind, ptype), f)

    def regio(self, ind: str) -> pd.DataFrame:
        return self._memo(("regio", ind), lambda: use.aggregate(self.gem(ind), self.ctx.leden))

    def nl(self, ind: str) -> pd.DataFrame:
        return self._memo(
            ("nl", ind),
            lambda: use.national(self.df, ind, indeling_jaar=self.ij, gemeenten=self.ctx.gemeenten),
        )

    def frames(self, ind: str) -> use.ComparisonFrames:
        groep = self.ctx.vergelijkingsgroep or "grootteklasse"
        return self._memo(
            ("cmp", ind, groep, self.jaar),
            lambda: use.comparison_frames(
                self.df,
                self.ctx.indeling,
                ind,
                jaar=self.jaar,
                indeling_jaar=self.ij,
                vergelijkingsgroep=groep,
            ),
        )

    def compare(self, ind: str) -> pd.DataFrame:
        return use.compare_from(self.frames(ind), self.ctx.code, self.periode)

    def verblijf(self, groepen: bool = False) -> pd.DataFrame:
        """Share met verblijf per region as published, or per jeugdregio (``groepen``)."""
        return self._memo(
            ("verblijf", groepen),
            lambda: use.share_met_verblijf(
                self.df, indeling_jaar=self.ij, groups=self.ctx.leden if groepen else None
            ),
        )

    def jongeren(self, codes: list[str] | None, periode: str) -> float | None:
        """Youth 0-17 (sum over ``codes``; None = Nederland)."""
        den = self._memo(
            ("jongeren", periode),
            lambda: (lambda d: d[d["periode"] == periode])(
                use.select(self.df, use.NOEMER, indeling_jaar=self.ij)
            ),
        )
        if codes is None:
            nl = den.loc[den["regio_code"] == use.NEDERLAND, "waarde"]
            if len(nl) and nl.notna().all():
                return float(nl.iat[0])
            codes = self.ctx.gemeenten
        v = den.loc[den["regio_code"].isin(codes), "waarde"]
        return float(v.sum()) if v.notna().any() else None

    def bronnen(self, inds, jaren) -> set[str]:
        """Source tables of gemeente and Nederland rows (regional rows are derived from them)."""
        inds, jaren = tuple(inds), tuple(sorted({int(j) for j in jaren}))

        def f() -> set[str]:
            codes = [*self.ctx.gemeenten, use.NEDERLAND]
            return bronnen(
                self.df, [*inds, use.NOEMER], jaren, indeling_jaar=self.ij, regio_codes=codes
            )

        return set(self._memo(("bronnen", inds, jaren), f))

    def statussen(self, periode: str) -> list:
        """Status of every row of the available indicators in ``periode``."""

        def f() -> list:
            rows = use.select(self.df, self.beschikbaar, indeling_jaar=self.ij)
            return list(rows.loc[rows["periode"] == periode, "status"])

        return self._memo(("statussen", tuple(self.beschikbaar), periode), f)

    def grootte(self, code: str) -> pd.DataFrame:
        """:func:`use.size_classes` of one gemeente (computed once for all gemeenten)."""
        alle = self._memo(
            ("grootte", self.jaar),
            lambda: use.size_classes(
                self.df, self.ctx.gemeenten, jaar=self.jaar, indeling_jaar=self.ij
            ),
        )
        return alle[alle["gemeente_code"] == code].reset_index(drop=True)


def _zinnen(d: _Gegevens, zinnen: list[str]) -> None:
    """Sentences as a bullet list, with the provisional status of the period stated once."""
    slot = text.zin_status(d.periode, d.statussen(d.periode))
    md("\n".join(f"- {z}" for z in zinnen) + (f"\n\n{slot}" if slot else ""))


def _cijfer(rij: dict, omschrijving: str, kolom: str = "per_1000") -> text.Cijfer:
    if not rij:
        return text.Cijfer(omschrijving, None, None, status=None, n_met_waarde=0)
    return text.Cijfer.uit_rij(rij, omschrijving, kolom=kolom)


def _schatting(rij: dict) -> bool:
    """A group figure over part of its members (an estimate)."""
    if not rij:
        return False
    n, dekking = rij.get("n_leden"), rij.get("dekking")
    return not pd.isna(n) and int(n) > 1 and not pd.isna(dekking) and 0 < float(dekking) < 1


def _cel_aantal(rij: dict) -> str:
    if not rij:
        return text.GEEN_GEGEVENS
    v = text.waarde(rij.get("aantal"), onderdrukt=bool(rij.get("onderdrukt")))
    if rij.get("klein"):
        v += " (klein aantal)"
    return v


def _cel_rate(rij: dict, dec: int) -> str:
    if not rij:
        return text.GEEN_GEGEVENS
    v = text.waarde(rij.get("per_1000"), onderdrukt=bool(rij.get("onderdrukt")), decimalen=dec)
    if _schatting(rij) and not np.isnan(rij.get("per_1000", np.nan)):
        v = "ca. " + v
    return v


def _dec(*rijen: dict) -> int:
    return text.decimalen_per_1000(*(r.get("per_1000") for r in rijen if r))


# ----------------------------------------------------------------------------- texts


def _intro(ctx) -> None:
    wie = {
        "nederland": "in Nederland, in de jeugdregio's en in de gemeenten",
        "jeugdregio": f"in de jeugdregio {ctx.naam} en haar gemeenten",
        "gemeente": f"in {ctx.naam}",
    }[ctx.kind]
    md(
        f"Dit hoofdstuk laat zien hoeveel jongeren {wie} jeugdzorg krijgen: jeugdhulp (met of "
        "zonder verblijf), jeugdbescherming en jeugdreclassering. Om gebieden van verschillende "
        "grootte te kunnen vergelijken staan de aantallen ook per 1\u202f000 jongeren van 0 tot "
        "18 jaar. Zo helpt het hoofdstuk na te gaan of de vraag naar (zware) jeugdzorg "
        "afneemt en of de zorg verschuift van hulp met verblijf naar hulp zonder verblijf."
    )
    regels = []
    for ind in (*INDICATORS, use.NOEMER):
        i = registry.indicator(ind)
        definitie = i.definitie.replace(registry.WOONPLAATSBEGINSEL, "").strip()
        regels.append(f"- **{i.label}**: {definitie}")
    md(
        "**Definities** (CBS)\n\n"
        + "\n".join(regels)
        + f"\n\n**Woonplaatsbeginsel.** {registry.WOONPLAATSBEGINSEL}"
        + f"\n\n**Trendbreuk.** {registry.JEUGDZORG_TRENDBREUK}"
    )


def _halfjaar(ctx, d: _Gegevens) -> tuple[pd.DataFrame, str]:
    """Half-year jeugdhulp rates of the report's subject, and how to name it."""
    half = d.gem(JEUGDHULP, "halfjaar")
    if ctx.kind == "gemeente":
        return half[half["regio_code"] == ctx.code], ctx.naam
    if ctx.kind == "jeugdregio":
        agg = use.aggregate(half, ctx.leden)
        return agg[agg["regio_code"] == ctx.code], f"de jeugdregio {ctx.naam}"
    nl = use.national(
        d.df, JEUGDHULP, indeling_jaar=d.ij, periode_type="halfjaar", gemeenten=ctx.gemeenten
    )
    return nl, "Nederland"


def _jaar_melding(ctx, d: _Gegevens) -> None:
    """Say so when the report year has no yearly figures; give its half-years if any."""
    if d.jaar is None or d.jaar == ctx.jaar:
        return
    md(
        f"*Voor {ctx.jaar} zijn in deze gegevensset nog geen jaarcijfers over jeugdzorg. "
        f"Dit hoofdstuk toont de meest recente jaarcijfers: {d.jaar}.*"
    )
    if JEUGDHULP not in d.beschikbaar:
        return
    half, wie = _halfjaar(ctx, d)
    sel = half[half["jaar"] > d.jaar].sort_values("periode")
    if len(sel):
        zinnen = [
            text.zin_gebruik(JEUGDHULP, rij["periode"], _cijfer(rij.to_dict(), wie))
            for _, rij in sel.iterrows()
        ]
        md(
            "Over kortere perioden na " + str(d.jaar) + " zijn er al halfjaarcijfers. Die tellen "
            "de jongeren met jeugdhulp in dat halfjaar en zijn daarom niet te vergelijken met "
            "jaarcijfers.\n\n" + "\n".join(f"- {z}" for z in zinnen)
        )


def _over(ctx, d: _Gegevens, codes: list[str], omschrijving: str, series: pd.DataFrame) -> None:
    """The "Over deze cijfers" note."""
    alinea = []
    rows = d._memo(
        ("over", d.periode),
        lambda: d.df[
            (d.df["indeling_jaar"] == d.ij)
            & d.df["indicator"].isin(INDICATORS)
            & (d.df["periode"] == d.periode)
        ],
    )
    rows = rows[rows["regio_code"].isin(codes)]
    n_sup = int(rows["onderdrukt"].sum())
    if n_sup:
        welke = sorted(set(rows.loc[rows["onderdrukt"], "indicator"]), key=INDICATORS.index)
        alinea.append(
            f"**Onderdrukte cijfers.** In de gegevens over {d.periode} voor {omschrijving} "
            f"{'is' if n_sup == 1 else 'zijn'} {n_sup} "
            f"{'cijfer' if n_sup == 1 else 'cijfers'} onderdrukt (over "
            f"{text.lijst([text.onderwerp(w) for w in welke])}). "
        )
    else:
        alinea.append("**Onderdrukte cijfers.** ")
    alinea[-1] += (
        "Het CBS publiceert een cijfer niet als het geheim of onvoldoende betrouwbaar is, "
        "bijvoorbeeld bij zeer kleine aantallen. Zo'n cijfer staat in dit rapport als "
        "'onderdrukt', nooit als 0, en wordt niet uit andere cijfers teruggerekend. Aantallen "
        "onder 10 zijn gemarkeerd als 'klein aantal': dan kan één jongere meer of minder het "
        "cijfer per 1\u202f000 jongeren flink veranderen."
    )
    voorlopig = series.loc[series["voorlopig"], ["periode", "status"]].drop_duplicates()
    if len(voorlopig):
        delen = [
            f"{p} ({s})" for p, s in zip(voorlopig["periode"], voorlopig["status"], strict=True)
        ]
        alinea.append(
            f"**Voorlopige cijfers.** De cijfers over {text.lijst(delen)} zijn nog niet "
            "definitief; het CBS kan ze bijstellen. In grafieken staan ze met open symbolen en "
            "een stippellijn."
        )
    alinea.append(
        "**Trendbreuk.** "
        + registry.JEUGDZORG_TRENDBREUK
        + " De grafieken verbinden de jaren voor en na een trendbreuk daarom niet."
    )
    alinea.append(
        "**Per 1\u202f000 jongeren.** Dit cijfer is in dit rapport berekend: het aantal jongeren "
        "met een vorm van jeugdzorg gedeeld door het aantal inwoners van 0 tot en met 17 jaar op "
        "1 januari van hetzelfde jaar, maal 1\u202f000. De tellingen kunnen ook jongeren van 18 "
        "jaar en ouder bevatten (zie de definities); het is dus een verhoudingsgetal en geen "
        "percentage van een leeftijdsgroep. Het CBS publiceert zelf percentages met een eigen "
        "noemer; die kunnen iets afwijken."
    )
    alinea.append(
        "**Regio's en groepen.** Cijfers voor een jeugdregio, een grootteklasse of een provincie "
        "zijn opgeteld uit de gemeenten: het totaal aantal jongeren met jeugdzorg gedeeld door het "
        "totaal aantal jongeren van 0 tot 18 jaar, geen gemiddelde van gemeentecijfers. Een "
        "gemeente zonder cijfer telt in beide niet mee; het groepscijfer is dan een schatting "
        "(aangeduid met 'ca.' of 'naar schatting')."
    )
    alinea.append(
        f"**Indeling.** Alle cijfers staan op de gemeentelijke indeling van {d.ij}; cijfers over "
        "eerdere jaren van gemeenten die sindsdien zijn heringedeeld, zijn omgerekend naar die "
        f"indeling. {registry.WOONPLAATSBEGINSEL}"
    )
    if ctx.kind != "nederland":
        alinea.append(
            "**Rangorde.** Een plaats in de rangorde binnen de jeugdregio is een eigen berekening "
            "en geen CBS-publicatie. Een hoge of lage plaats zegt op zichzelf niets over goed of "
            "slecht beleid."
        )
    md("### Over deze cijfers\n\n" + "\n\n".join(alinea))


# ----------------------------------------------------------------------------- charts, maps


def _trend(
    ctx,
    d: _Gegevens,
    ind: str,
    series: dict[str, pd.DataFrame],
    schaal: figures.TrendSchaal | None = None,
) -> None:
    """Trend chart of ``series``; with ``schaal``, the first series is the report's own on
    the scale its family shares (:func:`_trend_schaal`)."""
    series = {k: v for k, v in series.items() if len(v) and v["waarde"].notna().any()}
    if not series:
        md(f"*Voor {text.label_klein(ind)} zijn geen cijfers over meerdere jaren beschikbaar.*")
        return
    jaren = sorted({int(j) for s in series.values() for j in s["jaar"]})
    titel = f"{registry.indicator(ind).label} per 1\u202f000 jongeren"
    eigen = next(iter(series))
    as_noot = ""
    if schaal is not None and schaal.past(eigen, series[eigen]):
        gedeeld = {k: v for k, v in series.items() if k != eigen}
        fig = figures.trend_chart_familie(
            (eigen, series[eigen]), gedeeld, schaal, titel=titel, ylabel=PER_1000_KORT
        )
        wie = "jeugdregio's" if ctx.kind == "jeugdregio" else "gemeenten van de jeugdregio"
        as_noot = (
            f" De verticale as is voor alle {wie} gelijk, zodat hun figuren onderling te "
            "vergelijken zijn."
        )
    else:
        dec = text.decimalen_per_1000(*(v for s in series.values() for v in s["waarde"]))
        fig = figures.trend_chart(series, titel=titel, ylabel=PER_1000_KORT, decimalen=dec)
    cap = figures.caption(
        f"Figuur: {text.label_klein(ind)} per 1\u202f000 jongeren van 0 tot 18 jaar, "
        f"{jaren[0]}–{jaren[-1]}, gemeentelijke indeling {d.ij}. Open symbolen en "
        "stippellijnen: voorlopige cijfers. De stippellijn 'trendbreuk' markeert de overgang "
        "naar een nieuwe CBS-reeks; de jaren ervoor en erna zijn niet vergelijkbaar." + as_noot,
        d.bronnen([ind], jaren),
        synthetic=ctx.synthetic,
        eigen=_EIGEN,
    )
    figures.show(fig, cap)


def _trend_schaal(ctx, d: _Gegevens, ind: str) -> figures.TrendSchaal | None:
    """The scale shared by the trend charts of ``ind`` in the reports of every jeugdregio
    (for a jeugdregio report) or of every gemeente of the report's jeugdregio (memoised per
    data version)."""
    regios = ctx.kind == "jeugdregio"
    if not regios and not ctx.regio_code:
        return None

    def f() -> figures.TrendSchaal | None:
        if regios:
            r = ctx.leden.drop_duplicates("regio_code")
            frame, codes, namen = d.regio(ind), r["regio_code"], "Jeugdregio " + r["regio_naam"]
            gedeeld = []
        else:
            r = ctx.leden[ctx.leden["regio_code"] == ctx.regio_code]
            frame, codes, namen = d.gem(ind), r["gemeente_code"], r["gemeente_naam"]
            gedeeld = [d.trend(d.regio(ind), ctx.regio_code)]
        familie = {n: d.trend(frame, c) for c, n in zip(codes, namen, strict=True)}
        return figures.TrendSchaal.van(familie, [*gedeeld, d.trend(d.nl(ind), use.NEDERLAND)])

    return d._memo(("trendschaal", ind, "jeugdregio's" if regios else ctx.regio_code), f)


_REGIO_GRENZEN: dict[tuple, object] = {}


def _regio_grenzen(gem_gdf, leden: pd.DataFrame, key: tuple):
    """Jeugdregio polygons dissolved from gemeente boundaries (memoised)."""
    if key in _REGIO_GRENZEN:
        return _REGIO_GRENZEN[key]
    m = leden[leden["gemeente_code"].isin(set(gem_gdf["statcode"]))]
    g = gem_gdf[gem_gdf["statcode"].isin(set(m["gemeente_code"]))]
    out = None
    if len(m):
        try:
            from analysis.geo.membership import dissolve_regions

            out = dissolve_regions(g, m)
        except (ImportError, ValueError) as exc:
            log.info("dissolve_regions not usable (%s); using geopandas dissolve", exc)
            merged = g.merge(m, left_on="statcode", right_on="gemeente_code")
            out = merged.dissolve(by="regio_code", as_index=False)[
                ["regio_code", "regio_naam", "geometry"]
            ]
    if len(_REGIO_GRENZEN) > 16:
        _REGIO_GRENZEN.clear()
    _REGIO_GRENZEN[key] = out
    return out


def _grenzen(ctx):
    """(gemeente boundaries, year used, caption note) or (None, None, message)."""
    gdf, used, reden = store.load_boundaries_nearest("gemeente", ctx.indeling_jaar, ctx.settings)
    if gdf is None:
        log.info("no boundaries for %s: %s", ctx.indeling_jaar, reden)
        md(
            "*Kaart niet beschikbaar: deze gegevensset bevat geen gemeentegrenzen voor "
            f"{ctx.indeling_jaar} of een ander jaar.*"
        )
        return None, None, ""
    if used == ctx.indeling_jaar:
        noot = f"Gemeentegrenzen {used}."
    else:
        noot = (
            f"Gemeentegrenzen {used}: grenzen van {ctx.indeling_jaar} zijn niet beschikbaar. "
            "Gemeenten die tussen die jaren zijn heringedeeld, kunnen ontbreken of zonder cijfer "
            "op de kaart staan."
        )
    return gdf, used, noot


def _kaart(
    ctx,
    d: _Gegevens,
    gdf,
    waarden: pd.DataFrame,
    *,
    code_col: str,
    titel: str,
    gebied: str,
    noot: str,
    highlight=(),
    outline=None,
    labels: bool = False,
) -> None:
    """A choropleth of jeugdhulp per 1 000 youth (``waarden``: code, per_1000)."""
    data = gdf.merge(waarden[["code", "per_1000"]], left_on=code_col, right_on="code", how="left")
    if data["per_1000"].notna().sum() == 0:
        md(
            f"*Kaart niet getoond: voor {titel[0].lower() + titel[1:]} zijn geen cijfers beschikbaar.*"
        )
        return
    k = 5 if len(data) >= 15 else 4 if len(data) >= 8 else 3
    fig = figures.choropleth(
        data,
        "per_1000",
        titel=titel,
        legend_titel=f"{PER_1000_KORT}\nklassen: {'kwintielen' if k == 5 else 'kwantielen'}",
        highlight=highlight,
        code_col=code_col,
        outline=outline,
        k=k,
        labels=labels,
    )
    cap = figures.caption(
        f"Kaart: jongeren met jeugdhulp per 1\u202f000 jongeren van 0 tot 18 jaar in {d.periode}, "
        f"per {gebied}. De klassen zijn kwantielen: elke klasse bevat ongeveer evenveel "
        f"{'gebieden' if gebied != 'gemeente' else 'gemeenten'}. Gearceerd grijs: onderdrukt of "
        f"geen gegevens. {noot}",
        d.bronnen([JEUGDHULP], [d.jaar]),
        synthetic=ctx.synthetic,
        eigen=_EIGEN,
    )
    figures.show(fig, cap)


def _waarden(frame: pd.DataFrame, periode: str) -> pd.DataFrame:
    sel = frame[frame["periode"] == periode]
    return pd.DataFrame({"code": sel["regio_code"], "per_1000": sel["per_1000"]})


# ----------------------------------------------------------------------------- tables


def _kerntabel(
    d: _Gegevens, kolommen: list[tuple[str, Callable[[str], dict]]], jongeren: str
) -> str:
    """Key figures: counts and rates for the subject plus a per-1 000 column per comparison.

    ``kolommen[0]`` is the subject; ``jongeren`` its youth population (first table row).
    """
    naam0, f0 = kolommen[0]
    first = {
        "Onderwerp": "Jongeren van 0 tot 18 jaar (1 januari)",
        "Aantal": jongeren,
        f"Per 1\u202f000 jongeren ({naam0})": "",
    }
    for naam, _f in kolommen[1:]:
        first[f"{naam} (per 1\u202f000)"] = ""
    first["Status"] = ""
    rows = [first]
    for ind in d.beschikbaar:
        r0 = f0(ind)
        others = [f(ind) for _n, f in kolommen[1:]]
        dec = _dec(r0, *others)
        row = {
            "Onderwerp": _kort(ind),
            "Aantal": _cel_aantal(r0),
            f"Per 1\u202f000 jongeren ({naam0})": _cel_rate(r0, dec),
        }
        for (naam, _f), r in zip(kolommen[1:], others, strict=True):
            row[f"{naam} (per 1\u202f000)"] = _cel_rate(r, dec)
        row["Status"] = text.status_tekst(r0.get("status")) if r0 else ""
        rows.append(row)
    df = pd.DataFrame(rows)
    return html_tabel(
        df,
        bijschrift=f"Kerncijfers jeugdzorg, {d.periode}",
        rechts=[c for c in df.columns if c not in ("Onderwerp", "Status")],
        noot=(
            "'ca.': schatting, want van een of meer gemeenten in de groep ontbreekt het cijfer. "
            "'onderdrukt': niet gepubliceerd door het CBS. 'klein aantal': minder dan 10 jongeren."
        ),
    )


# ----------------------------------------------------------------------------- chapters


def _zonder_gegevens(ctx, d: _Gegevens) -> bool:
    if d.jaar is None:
        geen_gegevens()
        return True
    return False


@output.chapter
def gemeente(ctx) -> None:
    """The chapter for the report of one gemeente."""
    d = _Gegevens(ctx)
    _intro(ctx)
    if _zonder_gegevens(ctx, d):
        return
    _jaar_melding(ctx, d)
    p, code = d.periode, ctx.code
    regio = f"de jeugdregio {ctx.regio_naam}" if ctx.regio_naam else None
    cmp = {ind: d.compare(ind) for ind in d.beschikbaar}
    rollen: dict[tuple[str, str], dict] = {}
    for ind, frame in cmp.items():
        for rec in frame.to_dict("records"):
            rollen.setdefault((ind, rec["rol"]), rec)  # the first row of each role

    def rol(ind: str, r: str) -> dict:
        return dict(rollen.get((ind, r), {}))

    groep_oms = None
    for ind in d.beschikbaar:
        g = cmp[ind][cmp[ind]["rol"] == "vergelijkingsgroep"]
        if len(g):
            groep_oms = g["omschrijving"].iat[0]
            break

    md("### Kerncijfers")
    zinnen = []
    for ind in [i for i in ("jongeren_met_jeugdzorg", *KERN) if i in d.beschikbaar]:
        refs = [
            _cijfer(rol(ind, r), oms)
            for r, oms in (
                ("jeugdregio", regio),
                ("vergelijkingsgroep", groep_oms),
                ("nederland", "Nederland"),
            )
            if oms and r in set(cmp[ind]["rol"])
        ]
        zinnen.append(
            text.zin_gebruik(
                ind, p, _cijfer(rol(ind, "gemeente"), ctx.naam), refs, status_noemen=False
            )
        )
    if JEUGDHULP in d.beschikbaar and MET_VERBLIJF in d.beschikbaar:
        own = d.verblijf()
        reg = d.verblijf(True)
        nl = d.rij(own, use.NEDERLAND, p)
        refs = [_cijfer(d.rij(reg, ctx.regio_code, p), regio, "aandeel")] if regio else []
        refs.append(_cijfer(nl, "Nederland", "aandeel"))
        zinnen.append(
            text.zin_aandeel_verblijf(
                p, _cijfer(d.rij(own, code, p), ctx.naam, "aandeel"), refs, status_noemen=False
            )
        )
    if JEUGDHULP in d.beschikbaar and ctx.regio_code:
        members = ctx.leden[ctx.leden["regio_code"] == ctx.regio_code]
        rank = use.rank_in_region(d.in_periode(d.gem(JEUGDHULP), p), members, p)
        own_rank = rank[rank["gemeente_code"] == code]
        rang = own_rank["rang"].iat[0] if len(own_rank) else None
        zinnen.append(
            text.zin_rang(
                ctx.naam,
                regio,
                JEUGDHULP,
                None if rang is None or pd.isna(rang) else int(rang),
                int(rank["n_gerangschikt"].iat[0]) if len(rank) else 0,
                len(members),
            )
        )
    _zinnen(d, zinnen)

    kolommen: list[tuple[str, Callable[[str], dict]]] = [(ctx.naam, lambda i: rol(i, "gemeente"))]
    if regio:
        kolommen.append((f"Jeugdregio {ctx.regio_naam}", lambda i: rol(i, "jeugdregio")))
    if groep_oms:
        kolommen.append((_groep_kort(ctx, groep_oms), lambda i: rol(i, "vergelijkingsgroep")))
    kolommen.append(("Nederland", lambda i: rol(i, "nederland")))
    toon_html(_kerntabel(d, kolommen, text.getal(d.jongeren([code], p))))

    md("### Vergelijking")
    md(_groep_uitleg(ctx, d))
    panels = []
    for ind in [i for i in KERN if i in d.beschikbaar]:
        f = cmp[ind]
        labels = {
            "gemeente": ctx.naam,
            "jeugdregio": "Jeugdregio",
            "vergelijkingsgroep": _groep_label(ctx),
            "nederland": "Nederland",
        }
        panels.append(
            (
                _kort(ind),
                pd.DataFrame(
                    {
                        "label": [labels[r] for r in f["rol"]],
                        "waarde": f["per_1000"].astype("float64"),
                        "hoofd": f["rol"] == "gemeente",
                        "onderdrukt": f["onderdrukt"].fillna(False).astype(bool),
                        "schatting": (f["n_leden"].fillna(1) > 1) & (f["dekking"].fillna(1) < 1),
                    }
                ),
            )
        )
    if panels:
        uitleg = [f"Jeugdregio: {regio}" if regio else ""]
        if groep_oms:
            uitleg.append(f"{_groep_label(ctx)}: {groep_oms}")
        cap = figures.caption(
            f"Figuur: jongeren per 1\u202f000 jongeren van 0 tot 18 jaar in {p}, {ctx.naam} "
            f"vergeleken met {'; '.join(u for u in uitleg if u)} en Nederland. 'ca.': schatting "
            "(niet alle gemeenten van de groep hebben een cijfer).",
            d.bronnen(KERN, [d.jaar]),
            synthetic=ctx.synthetic,
            eigen=_EIGEN,
        )
        toon_html(figures.staven_html(panels, titel=f"{ctx.naam} vergeleken, {p}", caption=cap))

    md(f"### Ontwikkeling sinds {SINDS}")
    hoofd_series = pd.DataFrame(columns=["periode", "status", "voorlopig"])
    for ind in [i for i in (JEUGDHULP, MET_VERBLIJF) if i in d.beschikbaar]:
        series = {ctx.naam: d.trend(d.gem(ind), code)}
        if ctx.regio_code:
            series[f"Jeugdregio {ctx.regio_naam}"] = d.trend(d.regio(ind), ctx.regio_code)
        series["Nederland"] = d.trend(d.nl(ind), use.NEDERLAND)
        if ind == JEUGDHULP:
            hoofd_series = series[ctx.naam]
            zin = text.zin_trend(ind, ctx.naam, use.trend_change(hoofd_series))
            if zin:
                md(zin)
        _trend(ctx, d, ind, series, _trend_schaal(ctx, d, ind))

    md("### Kaart")
    if JEUGDHULP in d.beschikbaar:
        gdf, _used, noot = _grenzen(ctx)
        if gdf is not None:
            members = ctx.leden.loc[ctx.leden["regio_code"] == ctx.regio_code, "gemeente_code"]
            sub = gdf[gdf["statcode"].isin(set(members) | {code})]
            if sub.empty:
                md(
                    "*Kaart niet beschikbaar: de gemeenten van deze jeugdregio staan niet in de "
                    "beschikbare grenzen.*"
                )
            else:
                _kaart(
                    ctx,
                    d,
                    sub,
                    _waarden(d.in_periode(d.gem(JEUGDHULP), p), p),
                    code_col="statcode",
                    titel=f"Jeugdhulp per 1\u202f000 jongeren, {regio or ctx.naam}, {p}",
                    gebied="gemeente",
                    noot=noot,
                    highlight=[code],
                    labels=True,
                )
    else:
        geen_gegevens()
    _over(ctx, d, [code], ctx.naam, hoofd_series)


def _groep_label(ctx) -> str:
    return {"grootteklasse": "Grootteklasse", "provincie": "Provincie"}.get(
        ctx.vergelijkingsgroep or "", "Vergelijkingsgroep"
    )


def _groep_kort(ctx, omschrijving: str) -> str:
    if ctx.vergelijkingsgroep == "grootteklasse":
        return omschrijving[0].upper() + omschrijving[1:]
    kort = omschrijving.removeprefix("de ")
    return kort[0].upper() + kort[1:]


def _groep_uitleg(ctx, d: _Gegevens) -> str:
    klassen = "; ".join(use.grootteklasse_label(i) for i in range(len(use.GROOTTEKLASSEN)))
    if ctx.vergelijkingsgroep == "jeugdregio":
        return (
            "Als vergelijkingsgroep is de jeugdregio gekozen; die staat al naast de gemeente. "
            "Daarnaast staat het cijfer voor Nederland."
        )
    groups = use.comparison_groups(
        d.df,
        ctx.indeling,
        ctx.code,
        jaar=d.jaar,
        indeling_jaar=d.ij,
        vergelijkingsgroep=ctx.vergelijkingsgroep or "grootteklasse",
        table=d.frames(d.beschikbaar[0]).groepen,
    )
    if groups.empty:
        return (
            f"Een vergelijkingsgroep ({ctx.vergelijkingsgroep}) kon niet worden gevormd, omdat "
            "de benodigde gegevens ontbreken. De vergelijking beperkt zich tot de jeugdregio en "
            "Nederland."
        )
    n = len(groups)
    if ctx.vergelijkingsgroep == "provincie":
        return (
            f"De vergelijkingsgroep is {groups.attrs['omschrijving']}: alle {n} gemeenten van "
            f"die provincie, {ctx.naam} inbegrepen."
        )
    bev = d.grootte(ctx.code)
    inwoners = text.getal(bev["bevolking"].iat[0]) if len(bev) else text.GEEN_GEGEVENS
    klasse = groups["regio_naam"].iat[0]
    if n == 1:
        lid = (
            f"{ctx.naam} is in de indeling van {d.ij} de enige gemeente in die klasse, dus de "
            "vergelijkingsgroep voegt niets toe aan het cijfer van de gemeente zelf."
        )
    else:
        lid = f"Die klasse telt {n} gemeenten, {ctx.naam} inbegrepen (indeling {d.ij})."
    return (
        "De vergelijkingsgroep is de CBS-gemeentegrootteklasse: gemeenten met ongeveer evenveel "
        f"inwoners op 1 januari {groups.attrs.get('bevolking_jaar', d.jaar)}. De klassen zijn: "
        f"{klassen}. {ctx.naam} ({inwoners} inwoners) valt in de klasse {klasse}. {lid}"
    )


@output.chapter
def jeugdregio(ctx) -> None:
    """The chapter for the report of one jeugdregio."""
    d = _Gegevens(ctx)
    _intro(ctx)
    if _zonder_gegevens(ctx, d):
        return
    _jaar_melding(ctx, d)
    p, code = d.periode, ctx.code
    members = ctx.leden[ctx.leden["regio_code"] == code]
    oms = f"de jeugdregio {ctx.naam}"

    md("### Kerncijfers")
    zinnen = []
    for ind in [i for i in ("jongeren_met_jeugdzorg", *KERN) if i in d.beschikbaar]:
        zinnen.append(
            text.zin_gebruik(
                ind,
                p,
                _cijfer(d.rij(d.regio(ind), code, p), oms),
                [_cijfer(d.rij(d.nl(ind), use.NEDERLAND, p), "Nederland")],
                status_noemen=False,
            )
        )
    if JEUGDHULP in d.beschikbaar and MET_VERBLIJF in d.beschikbaar:
        reg = d.verblijf(True)
        own = d.verblijf()
        zinnen.append(
            text.zin_aandeel_verblijf(
                p,
                _cijfer(d.rij(reg, code, p), oms, "aandeel"),
                [_cijfer(d.rij(own, use.NEDERLAND, p), "Nederland", "aandeel")],
                status_noemen=False,
            )
        )
    _zinnen(d, zinnen)
    toon_html(
        _kerntabel(
            d,
            [
                (f"jeugdregio {ctx.naam}", lambda i: d.rij(d.regio(i), code, p)),
                ("Nederland", lambda i: d.rij(d.nl(i), use.NEDERLAND, p)),
            ],
            text.getal(d.jongeren(list(members["gemeente_code"]), p)),
        )
    )

    md("### Gemeenten in de jeugdregio")
    if JEUGDHULP in d.beschikbaar:
        rank = use.rank_in_region(d.gem(JEUGDHULP), members, p)
        share = d.verblijf() if MET_VERBLIJF in d.beschikbaar else None
        dec = text.decimalen_per_1000(*rank["per_1000"])
        rows = []
        for _, r in rank.iterrows():
            aandeel = d.rij(share, r["gemeente_code"], p) if share is not None else {}
            rows.append(
                {
                    "Gemeente": r["gemeente_naam"],
                    "Jongeren 0–17 jaar": text.getal(r["noemer"]),
                    "Jeugdhulp (aantal)": _cel_aantal(r.to_dict()),
                    "Per 1\u202f000 jongeren": _cel_rate(r.to_dict(), dec),
                    "Plaats": "" if pd.isna(r["rang"]) else str(int(r["rang"])),
                    "Met verblijf (% van jeugdhulp)": (
                        text.waarde(
                            aandeel.get("aandeel"),
                            onderdrukt=bool(aandeel.get("onderdrukt")),
                            decimalen=1,
                        )
                        if aandeel
                        else text.GEEN_GEGEVENS
                    ),
                }
            )
        tab = pd.DataFrame(rows)
        toon_html(
            html_tabel(
                tab,
                bijschrift=f"Jeugdhulp per gemeente in de jeugdregio {ctx.naam}, {p}",
                rechts=[c for c in tab.columns if c != "Gemeente"],
                noot="Plaats 1 = het hoogste aantal jongeren met jeugdhulp per 1\u202f000 jongeren "
                "(eigen berekening). Gemeenten zonder cijfer hebben geen plaats.",
            )
        )
        panel = pd.concat(
            [
                pd.DataFrame(
                    {
                        "label": rank["gemeente_naam"],
                        "waarde": rank["per_1000"],
                        "hoofd": False,
                        "onderdrukt": rank["onderdrukt"],
                        "schatting": False,
                    }
                ),
                _panel_rij(f"Jeugdregio {ctx.naam}", d.rij(d.regio(JEUGDHULP), code, p), True),
                _panel_rij("Nederland", d.rij(d.nl(JEUGDHULP), use.NEDERLAND, p), False),
            ],
            ignore_index=True,
        )
        cap = figures.caption(
            f"Figuur: jongeren met jeugdhulp per 1\u202f000 jongeren van 0 tot 18 jaar in {p}, "
            f"per gemeente van de jeugdregio {ctx.naam}, met het regiototaal en Nederland.",
            d.bronnen([JEUGDHULP], [d.jaar]),
            synthetic=ctx.synthetic,
            eigen=_EIGEN,
        )
        toon_html(
            figures.staven_html(
                [(_kort(JEUGDHULP), panel)],
                titel=f"Jeugdhulp per gemeente, {p}",
                caption=cap,
                ncols=1,
            )
        )
    else:
        geen_gegevens()

    md(f"### Ontwikkeling sinds {SINDS}")
    hoofd_series = pd.DataFrame(columns=["periode", "status", "voorlopig"])
    for ind in [i for i in (JEUGDHULP, MET_VERBLIJF) if i in d.beschikbaar]:
        series = {
            f"Jeugdregio {ctx.naam}": d.trend(d.regio(ind), code),
            "Nederland": d.trend(d.nl(ind), use.NEDERLAND),
        }
        if ind == JEUGDHULP:
            hoofd_series = series[f"Jeugdregio {ctx.naam}"]
            zin = text.zin_trend(ind, oms, use.trend_change(hoofd_series))
            if zin:
                md(zin + " Regiocijfers zijn opgeteld uit de gemeenten met een cijfer.")
        _trend(ctx, d, ind, series, _trend_schaal(ctx, d, ind))

    md("### Kaarten")
    if JEUGDHULP in d.beschikbaar:
        gdf, used, noot = _grenzen(ctx)
        if gdf is not None:
            key = (str(ctx.data_dir), d.ij, used, tuple(ctx.leden["gemeente_code"]))
            regios = _regio_grenzen(gdf, ctx.leden, key)
            if regios is not None and len(regios):
                _kaart(
                    ctx,
                    d,
                    regios,
                    _waarden(d.regio(JEUGDHULP), p),
                    code_col="regio_code",
                    titel=f"Jeugdhulp per 1\u202f000 jongeren per jeugdregio, {p}",
                    gebied="jeugdregio",
                    noot=noot,
                    highlight=[code],
                )
            sub = gdf[gdf["statcode"].isin(set(members["gemeente_code"]))]
            if len(sub):
                _kaart(
                    ctx,
                    d,
                    sub,
                    _waarden(d.gem(JEUGDHULP), p),
                    code_col="statcode",
                    titel=f"Jeugdhulp per 1\u202f000 jongeren, gemeenten in {oms}, {p}",
                    gebied="gemeente",
                    noot=noot,
                    labels=True,
                )
    else:
        geen_gegevens()
    _over(ctx, d, list(members["gemeente_code"]), f"de gemeenten in {oms}", hoofd_series)


def _panel_rij(label: str, rij: dict, hoofd: bool) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": [label],
            "waarde": [rij.get("per_1000", np.nan) if rij else np.nan],
            "hoofd": [hoofd],
            "onderdrukt": [bool(rij.get("onderdrukt")) if rij else False],
            "schatting": [_schatting(rij)],
        }
    )


@output.chapter
def nederland(ctx) -> None:
    """The chapter for the national report."""
    d = _Gegevens(ctx)
    _intro(ctx)
    if _zonder_gegevens(ctx, d):
        return
    _jaar_melding(ctx, d)
    p = d.periode

    md("### Kerncijfers")
    zinnen = [
        text.zin_gebruik(
            ind, p, _cijfer(d.rij(d.nl(ind), use.NEDERLAND, p), "Nederland"), status_noemen=False
        )
        for ind in [i for i in ("jongeren_met_jeugdzorg", *KERN) if i in d.beschikbaar]
    ]
    if JEUGDHULP in d.beschikbaar and MET_VERBLIJF in d.beschikbaar:
        own = d.verblijf()
        zinnen.append(
            text.zin_aandeel_verblijf(
                p,
                _cijfer(d.rij(own, use.NEDERLAND, p), "Nederland", "aandeel"),
                status_noemen=False,
            )
        )
    _zinnen(d, zinnen)
    toon_html(
        _kerntabel(
            d,
            [("Nederland", lambda i: d.rij(d.nl(i), use.NEDERLAND, p))],
            text.getal(d.jongeren(None, p)),
        )
    )

    md("### Jeugdregio's")
    if JEUGDHULP in d.beschikbaar and len(ctx.leden):
        reg = d.regio(JEUGDHULP)
        reg = reg[reg["periode"] == p].sort_values("per_1000", ascending=False, na_position="last")
        share = d.verblijf(True) if MET_VERBLIJF in d.beschikbaar else None
        dec = text.decimalen_per_1000(*reg["per_1000"])
        rows = []
        for _, r in reg.iterrows():
            a = d.rij(share, r["regio_code"], p) if share is not None else {}
            rows.append(
                {
                    "Jeugdregio": f"{r['regio_naam']} ({r['regio_code']})",
                    "Gemeenten": f"{int(r['n_met_waarde'])} van {int(r['n_leden'])}",
                    "Jongeren 0–17 jaar": text.getal(r["noemer"]),
                    "Jeugdhulp (aantal)": _cel_aantal(r.to_dict()),
                    "Per 1\u202f000 jongeren": _cel_rate(r.to_dict(), dec),
                    "Met verblijf (% van jeugdhulp)": (
                        ("ca. " if a and a.get("dekking", 1) < 1 else "")
                        + text.waarde(
                            a.get("aandeel"), onderdrukt=bool(a.get("onderdrukt")), decimalen=1
                        )
                        if a
                        else text.GEEN_GEGEVENS
                    ),
                }
            )
        tab = pd.DataFrame(rows)
        toon_html(
            html_tabel(
                tab,
                bijschrift=f"Jeugdhulp per jeugdregio, {p} (indeling {d.ij})",
                rechts=[c for c in tab.columns if c != "Jeugdregio"],
                noot="'Gemeenten': aantal gemeenten met een cijfer van het totaal in de regio; "
                "'ca.': schatting over de gemeenten met een cijfer. Jongeren 0–17 jaar: van de "
                "gemeenten met een cijfer. Gesorteerd van hoog naar laag.",
            )
        )
        _grootteklassen_tabel(ctx, d)
    elif JEUGDHULP in d.beschikbaar:
        md("*De gegevensset bevat geen indeling in jeugdregio's.*")
    else:
        geen_gegevens()

    md(f"### Ontwikkeling sinds {SINDS}")
    groepen = [
        ("jongeren_met_jeugdzorg", JEUGDHULP, "jongeren_met_jeugdhulp_zonder_verblijf"),
        (MET_VERBLIJF, "jongeren_met_jeugdbescherming", "jongeren_met_jeugdreclassering"),
    ]
    hoofd_series = pd.DataFrame(columns=["periode", "status", "voorlopig"])
    for groep in groepen:
        inds = [i for i in groep if i in d.beschikbaar]
        if not inds:
            continue
        series = {_kort(i): d.trend(d.nl(i), use.NEDERLAND) for i in inds}
        if JEUGDHULP in inds:
            hoofd_series = series[_kort(JEUGDHULP)]
            zin = text.zin_trend(JEUGDHULP, "Nederland", use.trend_change(hoofd_series))
            if zin:
                md(zin)
        _trend_multi(ctx, d, inds, series)

    md("### Kaarten")
    if JEUGDHULP in d.beschikbaar:
        gdf, used, noot = _grenzen(ctx)
        if gdf is not None:
            key = (str(ctx.data_dir), d.ij, used, tuple(ctx.leden["gemeente_code"]))
            regios = _regio_grenzen(gdf, ctx.leden, key) if len(ctx.leden) else None
            _kaart(
                ctx,
                d,
                gdf,
                _waarden(d.gem(JEUGDHULP), p),
                code_col="statcode",
                titel=f"Jeugdhulp per 1\u202f000 jongeren per gemeente, {p}",
                gebied="gemeente",
                noot=noot + " Donkere lijnen: grenzen van de jeugdregio's."
                if regios is not None
                else noot,
                outline=regios,
            )
            if regios is not None and len(regios):
                _kaart(
                    ctx,
                    d,
                    regios,
                    _waarden(d.regio(JEUGDHULP), p),
                    code_col="regio_code",
                    titel=f"Jeugdhulp per 1\u202f000 jongeren per jeugdregio, {p}",
                    gebied="jeugdregio",
                    noot=noot,
                )
    else:
        geen_gegevens()
    _over(ctx, d, ctx.gemeenten, "de gemeenten", hoofd_series)


def _trend_multi(ctx, d: _Gegevens, inds: list[str], series: dict[str, pd.DataFrame]) -> None:
    series = {k: v for k, v in series.items() if len(v) and v["waarde"].notna().any()}
    if not series:
        return
    jaren = sorted({int(j) for s in series.values() for j in s["jaar"]})
    dec = text.decimalen_per_1000(*(v for s in series.values() for v in s["waarde"]))
    fig = figures.trend_chart(
        series,
        titel="Jongeren per 1\u202f000 jongeren, Nederland",
        ylabel=PER_1000_KORT,
        decimalen=dec,
    )
    cap = figures.caption(
        f"Figuur: {text.lijst([text.label_klein(i) for i in inds])} per 1\u202f000 jongeren van "
        f"0 tot 18 jaar in Nederland, {jaren[0]}–{jaren[-1]}. Open symbolen en stippellijnen: "
        "voorlopige cijfers; de jaren voor en na de trendbreuk zijn niet vergelijkbaar.",
        d.bronnen(inds, jaren),
        synthetic=ctx.synthetic,
        eigen=_EIGEN,
    )
    figures.show(fig, cap)


def _grootteklassen_tabel(ctx, d: _Gegevens) -> None:
    """Jeugdhulp per CBS gemeentegrootteklasse (a ready peer comparison)."""
    classes = use.size_classes(d.df, ctx.gemeenten, jaar=d.jaar, indeling_jaar=d.ij)
    if classes.empty:
        return
    agg = use.aggregate(d.gem(JEUGDHULP), classes, niveau="grootteklasse")
    agg = agg[agg["periode"] == d.periode]
    order = {f"GK{i + 1}": i for i in range(len(use.GROOTTEKLASSEN))}
    agg = agg.assign(_o=agg["regio_code"].map(order)).sort_values("_o")
    dec = text.decimalen_per_1000(*agg["per_1000"])
    tab = pd.DataFrame(
        {
            "Gemeentegrootte": [n[0].upper() + n[1:] for n in agg["regio_naam"]],
            "Gemeenten": [
                f"{int(a)} van {int(b)}"
                for a, b in zip(agg["n_met_waarde"], agg["n_leden"], strict=True)
            ],
            "Per 1\u202f000 jongeren": [_cel_rate(r.to_dict(), dec) for _, r in agg.iterrows()],
        }
    )
    toon_html(
        html_tabel(
            tab,
            bijschrift=f"Jeugdhulp naar gemeentegrootte (inwoners op 1 januari), {d.periode}",
            rechts=["Gemeenten", "Per 1\u202f000 jongeren"],
            noot="Gemeentegrootteklassen van het CBS; 'Gemeenten': aantal met een cijfer van het "
            "totaal in de klasse.",
        )
    )
