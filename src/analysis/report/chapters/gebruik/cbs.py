"""CBS's own figures beside the project's in the chapter "Gebruik van jeugdzorg".

* :func:`ontbreekt` / :func:`niet_gebouwd`: an indicator the build skipped is named with the
  build's reason ("niet gevonden in 85099NED: categorie voor …; aanwezig: …") where its figure
  would appear, instead of only "geen gegevens".
* :func:`relatief_tabel`: per year CBS's own relative figure (% of CBS's own age base) beside
  the project's "per 1 000 jongeren", with the denominator's source and reference date and one
  note defining both; a year without a denominator says so (the KWB estimate is never used
  silently: where it exists it is shown as "schatting", not used).
* :func:`regio_tabel`: CBS's own jeugdregio figure beside the sum of its gemeenten, with the
  difference and where it comes from; neither is silently preferred.
* :func:`natura_tabel`: 82972NED's own in-natura percentages (2015–2020) beside the
  project's rate of the matching indicator, with both definitions.

Reasons and reference dates come from ``processed/sources.json`` (``ctx.sources``).
"""

from __future__ import annotations

import pandas as pd

from analysis import registry
from analysis.indicators import use
from analysis.report import text
from analysis.report.chapters._basis import geen_gegevens, html_tabel, md, toon_html
from analysis.report.chapters.gebruik.gegevens import INDICATORS, SINDS, Gegevens
from analysis.report.chapters.gebruik.tabellen import cel_aantal, cel_rate, schatting

__all__ = [
    "JEUGDZORG",
    "NATURA",
    "RELATIEF",
    "SCHATTING",
    "natura_tabel",
    "noemer_bron",
    "niet_gebouwd",
    "ontbreekt",
    "overgeslagen",
    "regio_tabel",
    "relatief_tabel",
]

JEUGDZORG = "jongeren_met_jeugdzorg"
RELATIEF = "jongeren_met_jeugdzorg_relatief_cbs"
SCHATTING = "bevolking_0_17_schatting"


# ----------------------------------------------------------------------------- skipped


def overgeslagen(ctx) -> dict[str, list[str]]:
    """Indicator -> the build's reasons (Dutch, one per table) for not building it."""
    out: dict[str, list[str]] = {}
    for entry in ctx.sources:
        for s in entry.get("overgeslagen_indicatoren") or ():
            tekst = str(s.get("tekst") or s.get("reden") or "").strip()
            ind = s.get("indicator")
            if ind and tekst and tekst not in out.setdefault(ind, []):
                out[ind].append(tekst)
    return out


def _reden(ctx, ind: str) -> str | None:
    redenen = overgeslagen(ctx).get(ind)
    if not redenen:
        return None
    return (
        f"{registry.indicator(ind).label}: niet gebouwd uit de CBS-tabellen ({'; '.join(redenen)})."
    )


def ontbreekt(ctx, ind: str) -> None:
    """Where a figure of ``ind`` would appear: the build's reason, or "geen gegevens"."""
    reden = _reden(ctx, ind)
    if reden is None:
        geen_gegevens()
    else:
        md(f"*{reden}*")


def niet_gebouwd(ctx, d: Gegevens) -> None:
    """Below the key figures: each chapter indicator the build skipped (in whole or for some
    tables), with the reason, so a missing row is never unexplained."""
    regels = []
    for ind in INDICATORS:
        redenen = overgeslagen(ctx).get(ind)
        if not redenen:
            continue
        deels = "voor een deel van de jaren " if ind in d.beschikbaar else ""
        regels.append(
            f"- **{registry.indicator(ind).label}**: {deels}niet gebouwd; "
            + "; ".join(redenen)
            + "."
        )
    if regels:
        md(
            "**Niet in deze gegevensset.** Deze cijfers konden niet uit de opgehaalde "
            "CBS-tabellen worden gehaald; de andere cijfers zijn wel gebouwd.\n\n"
            + "\n".join(regels)
        )


# ----------------------------------------------------------------------------- denominators


def _bron_entries(ctx) -> dict[str, dict]:
    return {str(e.get("table_id")): e for e in ctx.sources if e.get("table_id")}


def noemer_bron(ctx, bron: str | None, jaar: int) -> str:
    """``'Maatstaven gemeentefonds … (85052NED), peildatum …'`` for a denominator's ``bron``."""
    delen = [b.strip() for b in str(bron or "").split(",") if b.strip() and b.strip() != "berekend"]
    if not delen:
        return "bron onbekend"
    entries = _bron_entries(ctx)
    uit = []
    for tid in delen:
        e = entries.get(tid, {})
        titel = e.get("short_title") or e.get("title") or tid
        peil = e.get("peildatum") or f"1 januari {jaar}"
        uit.append(f"{titel} ({tid}), peildatum {peil}")
    return "; ".join(uit)


def _rijen(d: Gegevens, ind: str, code: str) -> pd.DataFrame:
    """Published-first yearly rows of ``ind`` for ``code`` (memoised per data version)."""

    def f() -> pd.DataFrame:
        df = d.ctx.indicators
        keep = (df["indeling_jaar"] == d.ij) & (df["indicator"] == ind)
        return use.select(df.loc[keep], ind, indeling_jaar=d.ij)

    return d.van(d.memo(("cbs-rijen", ind), f), code)


def _per_jaar(rows: pd.DataFrame) -> dict[int, dict]:
    """The first row of every year (published first, as :func:`_rijen` orders them)."""
    out: dict[int, dict] = {}
    for row in rows.to_dict("records"):
        out.setdefault(int(row["jaar"]), row)
    return out


def _noemer_cellen(ctx, d: Gegevens, code: str, per_jaar: dict[int, dict]) -> dict[int, str]:
    """Per year of ``per_jaar`` (the subject's rate rows): the denominator, its source and
    reference date, or why it is missing (with the KWB estimate named 'schatting' where one
    exists; it is not used)."""
    noemer = _per_jaar(_rijen(d, use.NOEMER, code))
    schatting = _rijen(d, SCHATTING, code)
    schatting = _per_jaar(schatting[schatting["waarde"].notna()])
    return {
        j: _noemer_cel(ctx, j, rij, noemer.get(j), schatting.get(j)) for j, rij in per_jaar.items()
    }


def _noemer_cel(ctx, jaar: int, rij: dict, n: dict | None, s: dict | None) -> str:
    """The denominator cell of one year: ``rij`` the rate row, ``n`` the denominator's row,
    ``s`` the row of the KWB estimate (None when absent)."""
    if rij and pd.notna(rij.get("per_1000")):
        bron = noemer_bron(ctx, n["bron"], jaar) if n else "zie de bronnen"
        return f"{text.getal(rij.get('noemer'))}: {bron}"
    if rij and pd.isna(rij.get("aantal")):
        return "geen cijfer per 1\u202f000: het aantal jongeren met jeugdzorg ontbreekt"
    waarom = "onderdrukt" if n and bool(n["onderdrukt"]) else "ontbreekt"
    cel = f"aantal jongeren 0–17 {waarom} voor {jaar}: geen cijfer per 1\u202f000"
    if s:
        cel += (
            f" (schatting uit {noemer_bron(ctx, s['bron'], jaar)}: "
            f"{text.getal(s['waarde'])} jongeren; niet gebruikt)"
        )
    return cel


# ----------------------------------------------------------------------------- tables


def _relatief(d: Gegevens, code: str) -> dict[int, dict]:
    r = _rijen(d, RELATIEF, code)
    return {int(j): row for j, row in zip(r["jaar"], r.to_dict("records"), strict=True)}


def _cbs_cel(row: dict | None) -> str:
    if not row:
        return "niet gepubliceerd"
    return text.waarde(row.get("waarde"), onderdrukt=bool(row.get("onderdrukt")), decimalen=1)


def _leeftijdsbasis(bronnen: set[str]) -> str:
    tabellen = text.lijst(sorted(bronnen)) if bronnen else "de CBS-tabel"
    return (
        "het aantal jongeren met jeugdzorg als percentage van alle jongeren in de eigen "
        f"leeftijdsgroep die het CBS in {tabellen} als basis neemt (0 tot 23 jaar of 0 tot 18 "
        "jaar, zoals de toelichting bij die tabel zegt)"
    )


def relatief_tabel(
    ctx, d: Gegevens, frame: pd.DataFrame, code: str, naam: str, *, opgeteld: bool = False
) -> None:
    """CBS's relative figure beside 'per 1 000 jongeren' for every year of ``code``.

    ``frame``: the rate frame holding the subject's ``jongeren_met_jeugdzorg`` rows
    (``d.gem``, ``d.nl`` or ``d.regio`` of that indicator); ``opgeteld``: its counts are
    summed from the gemeenten (a jeugdregio), which the note then says.
    """
    eigen = d.van(frame, code)
    eigen = eigen[(eigen["periode_type"] == "jaar") & (eigen["jaar"] >= SINDS)]
    cbs = _relatief(d, code)
    jaren = sorted({*map(int, eigen["jaar"]), *(j for j in cbs if j >= SINDS)})
    if not jaren:
        return
    per_jaar = {int(r["jaar"]): r for r in eigen.to_dict("records")}
    noemers = _noemer_cellen(ctx, d, code, {j: per_jaar.get(j, {}) for j in jaren})
    tab = pd.DataFrame(
        [
            {
                "Jaar": str(j),
                "Jongeren met jeugdzorg": _aantal(per_jaar.get(j, {})),
                "Per 1\u202f000 jongeren 0–17 (eigen berekening)": cel_rate(per_jaar.get(j, {}), 1),
                "CBS: % jongeren met jeugdzorg": _cbs_cel(cbs.get(j)),
                "Noemer van per 1\u202f000 (bron en peildatum)": noemers[j],
            }
            for j in jaren
        ]
    )
    noot = _definities_noot({str(r.get("bron")) for r in cbs.values() if r.get("bron")})
    if opgeteld:
        noot += (
            " Het aantal en het cijfer per 1\u202f000 van de jeugdregio zijn opgeteld uit haar "
            "gemeenten ('ca.': niet alle gemeenten hebben beide cijfers); het CBS-percentage is "
            "het eigen regiocijfer van het CBS (zie de volgende tabel)."
        )
    toon_html(
        html_tabel(
            tab,
            bijschrift=f"Jongeren met jeugdzorg in {naam}: CBS-percentage naast het cijfer per "
            "1\u202f000 jongeren",
            rechts=list(tab.columns[1:4]),
            noot=noot + _impliciete_noemer(per_jaar, cbs),
        )
    )


def _aantal(rij: dict) -> str:
    """A count cell; 'ca.' for a group count over part of its members."""
    return ("ca. " if schatting(rij) and pd.notna(rij.get("aantal")) else "") + cel_aantal(rij)


def _impliciete_noemer(eigen: dict[int, dict], cbs: dict[int, dict]) -> str:
    """For the latest year with both figures: the denominator CBS's percentage implies
    (count / percentage) compared with the 0-17 count, so a reader sees why they differ."""
    for jaar in sorted(set(eigen) & set(cbs), reverse=True):
        r, pct = eigen[jaar], cbs[jaar].get("waarde")
        if pd.isna(r.get("per_1000")) or pd.isna(pct) or not pct or schatting(r):
            continue
        basis = float(r["aantal"]) / (float(pct) / 100.0)
        verhouding = basis / float(r["noemer"])
        rond = text.getal(round(basis, -3 if basis >= 10_000 else -1))
        zin = (
            f" In {jaar} komt het CBS-percentage overeen met een noemer van ongeveer {rond} "
            f"jongeren, tegen {text.getal(r['noemer'])} inwoners van 0 tot en met 17 jaar"
        )
        if verhouding > 1.1:
            return zin + ": het CBS rekent dus met een ruimere leeftijdsgroep."
        if verhouding < 0.9:
            return zin + ": het CBS rekent dus met een kleinere groep."
        return zin + (
            ": vrijwel dezelfde groep; het verschil komt dan uit de peildatum en de afronding "
            "van het percentage."
        )
    return ""


def _definities_noot(cbs_bronnen: set[str]) -> str:
    return (
        f"Twee cijfers, twee noemers. CBS: {_leeftijdsbasis(cbs_bronnen)}. Dit rapport: het "
        "aantal per 1\u202f000 inwoners van 0 tot en met 17 jaar, met als noemer het aantal uit "
        "de bron en op de peildatum in de laatste kolom. Omdat de noemers verschillen, is het "
        "CBS-percentage niet gelijk aan het cijfer per 1\u202f000 gedeeld door tien; geen van "
        "beide is fout. 'niet gepubliceerd': het CBS heeft voor dit gebied in deze indeling "
        "geen percentage (bijvoorbeeld na een herindeling: percentages zijn niet op te tellen). "
        "Tussen 2020 en 2021 ligt een trendbreuk."
    )


def _ledensom(d: Gegevens, codes: set[str]) -> dict[int, dict]:
    """Per year the plain sum of the members' published counts (whether or not a member has
    a denominator), how many members have a count, and whether any member's figure was
    restated onto the classification (``berekend``: a merger since that year)."""
    gem = d.gem(JEUGDZORG)
    rows = gem[gem["regio_code"].isin(codes) & (gem["periode_type"] == "jaar")]
    out = {}
    for jaar, g in rows.groupby("jaar"):
        out[int(jaar)] = {
            "aantal": float(g["aantal"].sum()) if g["aantal"].notna().any() else None,
            "n": int(g["aantal"].notna().sum()),
            "herindeling": bool(g["berekend"].astype(bool).any()),
        }
    return out


def regio_tabel(ctx, d: Gegevens) -> None:
    """CBS's own figure for the jeugdregio beside the sum of its gemeenten, per year."""
    code = ctx.code
    cbs = _rijen(d, JEUGDZORG, code)
    cbs = cbs[~cbs["berekend"].astype(bool) & (cbs["jaar"] >= SINDS)]
    if cbs.empty:
        md(
            "*Het CBS publiceert voor deze jeugdregio geen eigen cijfer in deze gegevensset; de "
            "regiocijfers hieronder zijn opgeteld uit de gemeenten.*"
        )
        return
    nu = set(ctx.leden.loc[ctx.leden["regio_code"] == code, "gemeente_code"])
    som = _ledensom(d, nu)
    rows, anders = [], []
    for r in cbs.sort_values("jaar").to_dict("records"):
        j, s = int(r["jaar"]), som.get(int(r["jaar"]), {})
        verschil = (
            r["waarde"] - s["aantal"]
            if s and pd.notna(r["waarde"]) and s.get("aantal") is not None
            else None
        )
        if s.get("herindeling"):
            anders.append(str(j))
        rows.append(
            {
                "Jaar": str(j),
                "CBS-cijfer jeugdregio": text.waarde(r["waarde"], onderdrukt=bool(r["onderdrukt"])),
                "Som van de gemeenten": text.getal(s.get("aantal")) if s else text.GEEN_GEGEVENS,
                "Gemeenten met cijfer": f"{s['n']} van {len(nu)}" if s else f"0 van {len(nu)}",
                "Verschil (CBS − som)": text.GEEN_GEGEVENS
                if verschil is None
                else ("+" if verschil > 0 else "−" if verschil < 0 else "")
                + text.getal(abs(verschil)),
            }
        )
    tab = pd.DataFrame(rows)
    noot = (
        "Het CBS telt de jeugdregio zelf; de som telt de gemeenten op de indeling van "
        f"{d.ij}. Verschillen ontstaan doordat onderdrukte gemeentecijfers in de som ontbreken "
        "en doordat het CBS elk cijfer afzonderlijk afrondt (op vijftallen), zodat afrondingen "
        "zich in de som opstapelen. Ook kan een jongere die in het jaar binnen de regio verhuisde "
        "in de som bij twee gemeenten meetellen en in het regiocijfer één keer."
    )
    if anders:
        noot += (
            f" In {text.lijst(anders)} was de jeugdregio anders samengesteld dan in {d.ij} "
            "(gemeenten zijn sindsdien heringedeeld): het CBS-cijfer telt de regio van toen, de "
            f"som de gemeenten van {d.ij}, omgerekend; dat verklaart daar het grootste deel van "
            "het verschil."
        )
    noot += (
        " Dit rapport kiest niet stilzwijgend een van beide: de kerncijfers en de vergelijking "
        "met andere regio's gebruiken de som (met het aantal jongeren 0–17 van dezelfde "
        "gemeenten als noemer)."
    )
    toon_html(
        html_tabel(
            tab,
            bijschrift=f"Jongeren met jeugdzorg in de jeugdregio {ctx.naam}: CBS-cijfer en som "
            "van de gemeenten",
            rechts=list(tab.columns[1:]),
            noot=noot,
        )
    )


#: 82972NED's percentages (jeugdzorg in natura, CBS's own denominator) and the chapter's
#: indicator each stands beside (the project's counts include pgb).
NATURA = (
    ("jeugdhulp_in_natura_pct_cbs", "jongeren_met_jeugdhulp"),
    ("jeugdhulp_met_verblijf_in_natura_pct_cbs", "jongeren_met_jeugdhulp_met_verblijf"),
    ("jeugdbescherming_pct_cbs", "jongeren_met_jeugdbescherming"),
    ("jeugdreclassering_pct_cbs", "jongeren_met_jeugdreclassering"),
)


def natura_tabel(ctx, d: Gegevens, frame, code: str, naam: str) -> None:
    """CBS's percentages of youth with care in natura (82972NED, 2015–2020) per year, each
    beside the project's rate per 1 000 of the matching indicator where the data set has it.

    ``frame(ind)``: the rate frame of ``ind`` holding the subject (``d.gem``, ``d.nl``).
    """
    cbs = {p: _rijen(d, p, code) for p, _ in NATURA}
    jaren = sorted({int(j) for r in cbs.values() for j in r.loc[r["waarde"].notna(), "jaar"]})
    if not jaren:
        return
    kolommen: dict[str, list[str]] = {"Jaar": [str(j) for j in jaren]}
    for pct, eigen in NATURA:
        per = {int(r["jaar"]): r for r in cbs[pct].to_dict("records")}
        label = registry.indicator(eigen).label.removeprefix("Jongeren met ")
        label = label[0].upper() + label[1:]
        kolommen[f"{label}: CBS % (in natura)"] = [_cbs_cel(per.get(j)) for j in jaren]
        if eigen in d.beschikbaar:
            f = d.van(frame(eigen), code)
            f = {int(r["jaar"]): r for r in f[f["periode_type"] == "jaar"].to_dict("records")}
            kolommen[f"{label}: per 1\u202f000 (eigen)"] = [
                cel_rate(f.get(j, {}), 1) for j in jaren
            ]
    tab = pd.DataFrame(kolommen)
    ontbreekt = [text.label_klein(e) for _p, e in NATURA if e not in d.beschikbaar]
    noot = (
        "CBS (82972NED): percentage jongeren met die vorm van jeugdzorg in natura (zonder pgb), "
        "met de eigen noemer van het CBS (jongeren tot 18 jaar; bij jeugdreclassering 12 tot 23 "
        "jaar). Dit rapport: alle jongeren met die vorm van jeugdzorg, ook met pgb, per 1\u202f000 "
        "inwoners van 0 tot en met 17 jaar. De twee cijfers tellen dus andere jongeren en "
        "delen door andere groepen."
    )
    if ontbreekt:
        noot += (
            f" Zonder eigen cijfer naast het CBS-percentage: {text.lijst(ontbreekt)} (niet in "
            "deze gegevensset; zie hierboven)."
        )
    toon_html(
        html_tabel(
            tab,
            bijschrift=f"Jeugdzorg in natura in {naam}: CBS-percentages, {jaren[0]}–{jaren[-1]}",
            rechts=list(tab.columns[1:]),
            noot=noot,
        )
    )
