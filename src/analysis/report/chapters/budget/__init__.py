"""Chapter "Budget en tekorten" (docs/budget.md): youth-care cost against the gemeente's own
budget, cost per young person with coverage, the expected-cost model (an estimate) and the
verevening simulation; a "tekort ten opzichte van het rijksbudget" only with a sourced local
budget record.

``nederland(ctx)``, ``jeugdregio(ctx)`` and ``gemeente(ctx)`` display the chapter; numbers
come from :mod:`.gegevens`, sentences from :mod:`.teksten`, tables from :mod:`.tabellen` and
figures from :mod:`.figuren`.
"""

from __future__ import annotations

from analysis.indicators import budget as bi
from analysis.indicators import use
from analysis.metadata.regions import NEDERLAND
from analysis.report import figures, output
from analysis.report.chapters._basis import md, toon_html
from analysis.report.chapters.budget import figuren, tabellen
from analysis.report.chapters.budget import teksten as t
from analysis.report.chapters.budget.gegevens import (
    SINDS,
    gegevens,
    positie,
    rijksbudget,
)
from analysis.report.text import getal

__all__ = ["gemeente", "jeugdregio", "nederland"]

_EIGEN = "eigen berekening (docs/budget.md)"
_BRON = ("83454NED",)


def _cap(ctx, tekst: str, bronnen=_BRON) -> str:
    return figures.caption(tekst, bronnen, synthetic=ctx.synthetic, eigen=_EIGEN)


def _kop(ctx, wie: str):
    """Intro and definitions; the :class:`Budget` and the report year, or None without data."""
    b = gegevens(ctx)
    md(t.intro(wie))
    jaar = b.jaar_voor(ctx.jaar)
    if jaar is None:
        md("*Voor dit onderwerp zijn (nog) geen gegevens beschikbaar in deze gegevensset.*")
        return b, None
    md(t.DEFINITIES)
    if jaar != ctx.jaar:
        md(f"*Voor {ctx.jaar} zijn er nog geen gerealiseerde kosten; dit hoofdstuk toont {jaar}.*")
    return b, jaar


def _tekort(ctx, codes: list[str], wie: str, b, jaar: int) -> None:
    """Deficit against the Rijk budget only where a sourced record exists; else one sentence.
    One gemeente: a sentence per record; several: per year how many had a deficit."""
    md("### Tekort ten opzichte van het rijksbudget")
    rec = rijksbudget(ctx)
    rec = rec[rec["code"].isin(codes)] if len(rec) else rec
    if rec.empty:
        md(t.TEKORT_NIET_MOGELIJK.format(wie=wie))
        return
    rec = rec.sort_values(["jaar", "code"])
    real = [
        b.waarde(c, int(j), bi.REALISATIE) for c, j in zip(rec["code"], rec["jaar"], strict=True)
    ]
    if len(codes) == 1:
        zinnen = [
            t.zin_tekort(
                r.get("naam") or r["code"],
                int(r["jaar"]),
                k,
                float(r["bedrag_euro"]),
                r["circulaire"],
            )
            for r, k in zip(rec.to_dict("records"), real, strict=True)
        ]
    else:
        zinnen = t.zinnen_tekort_groep(rec.assign(gerealiseerd=real), len(codes))
    md("\n\n".join(f"- {z}" for z in zinnen) + f"\n\n{t.BUDGET_BRON}")


def _iv3(ctx, b, codes: list[str], jaar: int) -> None:
    """Iv3 lasten per youth taakveld group, when the data set has Iv3 figures."""
    tab, n = b.iv3_lasten(codes, max(jaar, ctx.jaar))
    if n:
        md("### Lasten op de jeugdtaakvelden (Iv3)")
        toon_html(tabellen.iv3_tabel(tab, n, len(codes)))


def _model_noot(b, jaar: int | None) -> None:
    if jaar is None:
        md(
            "*Verwachte kosten: voor deze jaren zijn er geen maatstaven van het gemeentefonds, dus "
            "geen model.*"
        )
        return
    m = b.model(jaar)
    if m is not None:
        md(
            f"{t.MODEL_VOORBEHOUD} Model {jaar}: n = {m.n} gemeenten, R² = {getal(m.r2, 2)} "
            "(coëfficiënten in docs/budget.md)."
        )


@output.chapter
def nederland(ctx) -> None:
    """The chapter for the national report."""
    b, jaar = _kop(ctx, "Nederland, de jeugdregio's en de gemeenten")
    if jaar is None:
        return
    nl = b.rij(NEDERLAND, jaar)
    wmo = t.zin_wmo("Nederland", jaar, nl.get("wmo_uitgaven_gerealiseerd"))
    md(
        "### Kerncijfers\n\n"
        + t.zin_afwijking("de gemeenten die leverden", jaar, nl)
        + "\n\n"
        + wmo
    )
    gm = b.kosten[b.kosten["jaar"] == jaar]
    n_alle = len(ctx.gemeenten)
    md(
        t.zin_dekking(
            int(gm["gerealiseerd"].notna().sum()), n_alle, nl.get("kosten_dekking_jongeren")
        )
    )
    md("### Verdeling van de begrotingsafwijking")
    fig = figuren.verdeling(gm["afwijking_per_jongere"], f"Begrotingsafwijking per jongere, {jaar}")
    figures.show(
        fig,
        _cap(
            ctx,
            f"Aantal gemeenten naar begrotingsafwijking per jongere in {jaar} "
            "(gemeenten die beide cijfers leverden).",
        ),
    )
    aandeel = bi.aandeel_boven_begroting(b.kosten[b.kosten["jaar"] >= SINDS])
    if len(aandeel):
        md(f"### Gemeenten boven hun begroting sinds {SINDS}")
        figures.show(
            figuren.aandeel_figuur(aandeel, "Aandeel gemeenten boven de eigen begroting"),
            _cap(ctx, "Aandeel gemeenten met hogere gerealiseerde dan begrote kosten."),
        )
        toon_html(tabellen.jaren_tabel(aandeel))
    md("### Kaart")
    waarden = gm.rename(columns={"regio_code": "code", "afwijking_per_jongere": "waarde"})
    figuren.kaart(
        ctx,
        waarden[["code", "waarde"]],
        f"Begrotingsafwijking per jongere, {jaar}",
        _cap(
            ctx,
            f"Begrotingsafwijking per jongere van 0 tot 18 jaar in {jaar}, per "
            "gemeente. Gearceerd grijs: geen of onvolledige gegevens.",
        ),
    )
    md("### Jeugdregio's")
    toon_html(tabellen.regios_tabel(b, jaar, ctx.leden))
    _model_noot(b, b.model_jaar_voor(jaar))
    _iv3(ctx, b, ctx.gemeenten, jaar)
    _tekort(ctx, ctx.gemeenten, "de gemeenten", b, jaar)


@output.chapter
def jeugdregio(ctx) -> None:
    """The chapter for the report of one jeugdregio."""
    b, jaar = _kop(ctx, f"de jeugdregio {ctx.naam} en haar gemeenten")
    if jaar is None:
        return
    leden = ctx.leden[ctx.leden["regio_code"] == ctx.code].sort_values("gemeente_naam")
    r = b.rij(ctx.code, jaar)
    md(
        "### Kerncijfers\n\n"
        + t.zin_afwijking(f"de gemeenten van {ctx.naam} die leverden", jaar, r)
    )
    n = sum(b.waarde(c, jaar, bi.REALISATIE) is not None for c in leden["gemeente_code"])
    md(t.zin_dekking(n, len(leden), r.get("kosten_dekking_jongeren")))
    mj = b.model_jaar_voor(jaar)
    md("### De gemeenten naast elkaar")
    toon_html(tabellen.leden_tabel(b, jaar, leden, mj))
    vals = [b.waarde(c, jaar, "kosten_per_jongere") for c in leden["gemeente_code"]]
    vals = [v for v in vals if v is not None]
    if len(vals) >= 2:
        md(
            f"Spreiding: de kosten per jongere lopen in {jaar} uiteen van {t.euro(min(vals))} tot "
            f"{t.euro(max(vals))} (hoogste gedeeld door laagste: {getal(max(vals) / min(vals), 1)})."
        )
    _model_noot(b, mj)
    md("### Verevening (simulatie)")
    vj = b.laatste_jaar(list(leden["gemeente_code"]), "verevening_saldo_jongeren", jaar)
    md(t.VEREVENING_UITLEG)
    toon_html(tabellen.verevening_tabel(b, vj, leden))
    series = {
        ctx.naam: figuren.trend_frame(b, ctx.code, "kosten_per_jongere"),
        "Nederland": figuren.trend_frame(b, NEDERLAND, "kosten_per_jongere"),
    }
    if any(s["waarde"].notna().sum() > 1 for s in series.values()):
        md(f"### Ontwikkeling sinds {SINDS}")
        figures.show(
            figuren.trend(series, "Gerealiseerde kosten per jongere"),
            _cap(
                ctx,
                "Gerealiseerde kosten per jongere van 0 tot 18 jaar, gemeenten met "
                "gegevens. De groep gemeenten die leverde, verschilt per jaar.",
            ),
        )
    _iv3(ctx, b, list(leden["gemeente_code"]), jaar)
    _tekort(ctx, list(leden["gemeente_code"]), f"de gemeenten van {ctx.naam}", b, jaar)


def _grootteklasse(ctx, b, jaar: int) -> tuple[str, dict] | None:
    key = ("grootteklassen", jaar)
    if key not in b.cache:
        b.cache[key] = use.size_classes(
            ctx.indicators, ctx.gemeenten, jaar=jaar, indeling_jaar=ctx.indeling_jaar
        )
    sc = b.cache[key]
    eigen = sc[sc["gemeente_code"] == ctx.code]
    if eigen.empty:
        return None
    groep = sc[sc["regio_code"] == eigen["regio_code"].iat[0]]
    agg = bi.aggregeer(
        b.kosten[b.kosten["jaar"] == jaar], groep.assign(regio="k")[["gemeente_code", "regio"]]
    )
    if agg.empty:
        return None
    r = agg.iloc[0]
    rij = {
        bi.REALISATIE: r["gerealiseerd"],
        bi.BEGROTING: r["begroot"],
        "begrotingsafwijking_pct": r["afwijking_pct"],
        "kosten_per_jongere": r["kosten_per_jongere"],
        "afwijking_per_jongere": r["afwijking_per_jongere"],
    }
    return f"Gemeenten met {eigen['regio_naam'].iat[0]}", {
        k: (None if v != v else float(v)) for k, v in rij.items()
    }


def _verwacht(ctx, b, jaar: int) -> None:
    """The gemeente's position against the model interval (an estimate)."""
    md("### Verwachte kosten (schatting)")
    mj = b.model_jaar_voor(jaar)
    m = b.rij(ctx.code, mj) if mj else {}
    lo, hi = m.get("verwachte_kosten_ondergrens"), m.get("verwachte_kosten_bovengrens")
    pos = positie(m.get("kosten_per_jongere"), lo, hi)
    if pos:
        verwacht = m["verwachte_kosten_per_jongere"]
        md(t.zin_positie(ctx.naam, mj, m["kosten_per_jongere"], verwacht, lo, hi, pos))
    else:
        md(
            f"Voor {ctx.naam} is geen modelschatting beschikbaar (geen maatstaven en kosten in "
            "hetzelfde jaar)."
        )
    _model_noot(b, mj)


@output.chapter
def gemeente(ctx) -> None:
    """The chapter for the report of one gemeente."""
    b, jaar = _kop(ctx, ctx.naam)
    if jaar is None:
        return
    r = b.rij(ctx.code, jaar)
    if r.get(bi.REALISATIE) is None:
        md(t.NIET_GELEVERD.format(naam=ctx.naam, jaar=jaar))
        _tekort(ctx, [ctx.code], ctx.naam, b, jaar)
        return
    wmo = t.zin_wmo(ctx.naam, jaar, r.get("wmo_uitgaven_gerealiseerd"))
    md("### Kerncijfers\n\n" + t.zin_afwijking(ctx.naam, jaar, r) + "\n\n" + wmo)
    rijen = [(ctx.naam, r)]
    if ctx.regio_code:
        rijen.append((f"Jeugdregio {ctx.regio_naam}", b.rij(ctx.regio_code, jaar)))
    if (gk := _grootteklasse(ctx, b, jaar)) is not None:
        rijen.append(gk)
    rijen.append(("Nederland", b.rij(NEDERLAND, jaar)))
    toon_html(tabellen.vergelijk_tabel(rijen, jaar))
    md(f"### Ontwikkeling sinds {SINDS}")
    fig, gedeeld = figuren.trend_gemeente(b, ctx, "kosten_per_jongere", "Gerealiseerde kosten")
    as_noot = " De verticale as is voor alle gemeenten van de jeugdregio gelijk." if gedeeld else ""
    cap = (
        "Gerealiseerde kosten per jongere van 0 tot 18 jaar. Regio en Nederland: gemeenten met "
        "gegevens; een ontbrekend jaar is niet geleverd." + as_noot
    )
    figures.show(fig, _cap(ctx, cap))
    _verwacht(ctx, b, jaar)
    md("### Verevening in de jeugdregio (simulatie)")
    vj = b.laatste_jaar([ctx.code], "verevening_saldo_jongeren", jaar)
    v = b.rij(ctx.code, vj)
    sj, sv = v.get("verevening_saldo_jongeren"), v.get("verevening_saldo_verwacht")
    zin = t.zin_verevening(ctx.naam, vj, sj, sv)
    if sv is None and sj is not None:
        zin += f" De sleutel verwachte kosten is voor {vj} niet te maken (geen kostenmodel)."
    md(t.VEREVENING_UITLEG + "\n\n" + zin)
    _iv3(ctx, b, [ctx.code], jaar)
    _tekort(ctx, [ctx.code], ctx.naam, b, jaar)
