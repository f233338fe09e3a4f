"""Tables of the chapter "Wachttijden en toegang" (HTML, Dutch, formatted cells)."""

from __future__ import annotations

import math

import pandas as pd

from analysis import registry
from analysis.indicators import access
from analysis.report import text
from analysis.report.chapters._basis import html_tabel, md, toon_html
from analysis.report.chapters.toegang import teksten
from analysis.report.chapters.toegang.gegevens import Gegevens, Groep
from analysis.report.figures import caption

__all__ = [
    "bestand_tabel",
    "bouwstenen_tabel",
    "gebieden_tabel",
    "jb_jr_tabel",
    "kerntabel",
    "lokale_wachttijden",
    "verwijzers_tabel",
]


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _cel(w: dict, *, dec: int = 0, pct: bool = False, veld: str = "waarde") -> str:
    v = w.get(veld)
    if _missing(v):
        return text.ONDERDRUKT if w.get("n_leden", 1) == 1 else text.GEEN_GEGEVENS
    s = text.procent(v, dec) if pct else text.getal(v, dec)
    n, tot = w.get("n_met_waarde", 1), w.get("n_leden", 1)
    return s + (f" ({n} van {tot})" if tot > 1 and n < tot else "")


def _per_periode(frame: pd.DataFrame, waarde: str) -> dict[str, dict]:
    """``{periode: {"waarde", "n_met_waarde", "n_leden", "status"}}`` of a group's series."""
    if frame.empty:
        return {}
    cols = zip(frame["periode"], frame[waarde], frame["n_met_waarde"], frame["n_leden"],
               frame["status"], strict=True)  # fmt: skip
    return {
        p: {"waarde": float(v), "n_met_waarde": int(n), "n_leden": int(t), "status": s}
        for p, v, n, t, s in cols
    }


def _bron(d: Gegevens, inds, tekst: str, jaren=None) -> str:
    return caption(tekst, d.bronnen(inds, jaren), synthetic=d.ctx.synthetic)


def kerntabel(d: Gegevens, groepen: list[Groep]) -> None:
    """Inflow, crisis share, ended trajectories, weighted duration and balance per column."""
    rijen = [
        ("Begonnen trajecten", lambda g: _cel(d.waarde(g, "begonnen_per_1000"), veld="teller")),
        ("Begonnen per 1\u202f000 jongeren", lambda g: _cel(d.waarde(g, "begonnen_per_1000"), dec=1)),
        ("Aandeel gestart met crisis", lambda g: _cel(d.waarde(g, "crisis_pct"), dec=1, pct=True)),
        ("Aandeel herhaald beroep", lambda g: _cel(d.waarde(g, "herhaald_pct"), dec=1, pct=True)),
        ("Beëindigde trajecten", lambda g: _cel(d.waarde(g, "volgens_plan_pct"), veld="noemer")),
        ("Aandeel beëindigd volgens plan",
         lambda g: _cel(d.waarde(g, "volgens_plan_pct"), dec=1, pct=True)),
        ("Duur van beëindigde trajecten (dagen, gewogen gemiddelde)",
         lambda g: _cel(d.duur(g))),
        ("Balans instroom − uitstroom", lambda g: _cel(d.balans(g))),
    ]  # fmt: skip
    df = pd.DataFrame(
        [[label, *(f(g) for g in groepen)] for label, f in rijen],
        columns=["", *(g.label for g in groepen)],
    )
    p = text.periode_tekst(d.periode or "")
    toon_html(
        html_tabel(
            df,
            bijschrift=f"Toegang tot jeugdhulp in natura, {p}",
            rechts=[g.label for g in groepen],
            noot=_bron(
                d,
                [
                    "toegang_begonnen",
                    "toegang_begonnen_crisis",
                    "toegang_begonnen_herhaald",
                    "toegang_beeindigd",
                    "toegang_beeindigd_volgens_plan",
                    access.DUUR,
                    access.BEVOLKING,
                ],  # fmt: skip
                "Regio, grootteklasse en Nederland: opgeteld uit de gemeenten (tussen haakjes: "
                "het aantal gemeenten met een cijfer als dat niet alle zijn). "
                + teksten.DUUR_UITLEG
                + " "
                + text.zin_status(d.periode or "", [d.status()]),
            ),
        )
    )


def verwijzers_tabel(d: Gegevens, groepen: list[Groep]) -> None:
    """Referral mix of begun trajectories, with the ~80 % GP reference beside it."""
    rows = []
    for suffix, label, _ in registry.VERWIJZERS:
        cells = [_cel(d.waarde(g, f"verwijzer_{suffix}_pct"), dec=1, pct=True) for g in groepen]
        ref = (
            f"circa {text.procent(access.HUISARTS_REFERENTIE_PCT, 0)} (NVRR 2017)"
            if suffix == "huisarts"
            else ""
        )
        rows.append([label[0].upper() + label[1:], *cells, ref])
    cols = ["Verwijzer", *(g.label for g in groepen), "Referentie"]
    p = text.periode_tekst(d.periode or "")
    toon_html(
        html_tabel(
            pd.DataFrame(rows, columns=cols),
            bijschrift=f"Begonnen trajecten naar verwijzer, {p} (aandeel van alle begonnen)",
            rechts=[g.label for g in groepen],
            noot=_bron(
                d,
                [*access.VERWIJZER_IDS, "toegang_begonnen"],
                "Aandelen uit opgetelde aantallen; onderdrukte aantallen tellen niet mee, "
                "daardoor tellen de aandelen niet altijd op tot 100%. "
                + teksten.HUISARTS_REFERENTIE,
            ),
        )
    )


def bestand_tabel(d: Gegevens, groepen: list[Groep], n: int = 4) -> None:
    """Stock per 1 000 young people on the last ``n`` reference dates."""
    frames = {g.label: d.bestand(g) for g in groepen}
    first = next(iter(frames.values()))
    if first.empty:
        md("*Het CBS publiceert in deze gegevensset geen trajecten op peildatum (85094NED).*")
        return
    perioden = list(first["periode"])[-n:]
    per = {label: _per_periode(f, "per_1000") for label, f in frames.items()}
    leeg = {"waarde": float("nan")}
    rows = []
    for p in perioden:
        cells = [_cel(per[g.label].get(p, leeg), dec=1) for g in groepen]
        status = per[groepen[0].label].get(p, {}).get("status")
        rows.append([text.periode_tekst(p), *cells, text.status_tekst(status)])
    cols = ["Peildatum", *(g.label for g in groepen), "Status"]
    toon_html(
        html_tabel(
            pd.DataFrame(rows, columns=cols),
            bijschrift="Lopende jeugdzorgtrajecten in natura per 1\u202f000 jongeren op peildatum",
            rechts=[g.label for g in groepen],
            noot=_bron(
                d,
                ["toegang_bestand_jeugdzorg", access.BEVOLKING],
                teksten.BESTAND_UITLEG,
                sorted({int(p[:4]) for p in perioden}),
            ),
        )
    )


def jb_jr_tabel(d: Gegevens, groepen: list[Groep]) -> None:
    """Begun JB / JR trajectories per 1 000 and the duration classes of the ended ones."""
    rows = []
    for pre, naam in (("jb", "Jeugdbescherming"), ("jr", "Jeugdreclassering")):
        if not d.beschikbaar(f"toegang_{pre}_begonnen"):
            continue
        rows.append(
            [f"{naam}: begonnen per 1\u202f000 jongeren",
             *(_cel(d.waarde(g, f"{pre}_begonnen_per_1000"), dec=2) for g in groepen)]
        )  # fmt: skip
        for suffix, label, _ in registry.DUURKLASSEN:
            rows.append(
                [f"{naam}: beëindigd, duur {label}",
                 *(_cel(d.waarde(g, f"{pre}_duur_{suffix}_pct"), dec=1, pct=True)
                   for g in groepen)]
            )  # fmt: skip
    if not rows:
        md("*Het CBS publiceert in deze gegevensset geen jeugdbeschermings- of "
           "jeugdreclasseringstrajecten (82975NED, 82977NED).*")  # fmt: skip
        return
    p = text.periode_tekst(d.periode or "")
    inds = [i for i in access.INDICATOREN if i.startswith(("toegang_jb", "toegang_jr"))]
    inds.append(access.BEVOLKING)
    toon_html(
        html_tabel(
            pd.DataFrame(rows, columns=["", *(g.label for g in groepen)]),
            bijschrift=f"Jeugdbescherming en jeugdreclassering: trajecten, {p}",
            rechts=[g.label for g in groepen],
            noot=_bron(
                d,
                inds,
                "Duurklassen als aandeel van de beëindigde trajecten; uit opgetelde aantallen.",
            ),
        )
    )


def gebieden_tabel(d: Gegevens, groepen: list[Groep], kop: str) -> None:
    """One row per area (the gemeenten of a region, or the regions of Nederland)."""
    rows = []
    for g in groepen:
        rows.append(
            [
                g.label,
                _cel(d.waarde(g, "begonnen_per_1000"), dec=1),
                _cel(d.waarde(g, "verwijzer_gemeente_pct"), dec=1, pct=True),
                _cel(d.waarde(g, "verwijzer_huisarts_pct"), dec=1, pct=True),
                _cel(d.waarde(g, "crisis_pct"), dec=1, pct=True),
                _cel(d.duur(g)),
                _cel(d.waarde(g, "volgens_plan_pct"), veld="noemer"),
            ]
        )
    cols = [kop, "Begonnen per 1\u202f000", "Via wijkteam", "Via huisarts", "Met crisis",
            "Duur beëindigd (dagen)", "Beëindigd (gewicht)"]  # fmt: skip
    p = text.periode_tekst(d.periode or "")
    toon_html(
        html_tabel(
            pd.DataFrame(rows, columns=cols),
            bijschrift=f"Toegang per {kop.lower()}, {p}",
            rechts=cols[1:],
            noot=_bron(
                d,
                [
                    "toegang_begonnen",
                    "toegang_begonnen_gemeente",
                    "toegang_begonnen_huisarts",
                    "toegang_begonnen_crisis",
                    access.DUUR,
                    "toegang_beeindigd",
                    access.BEVOLKING,
                ],
                "De duur is per gebied gewogen naar het aantal beëindigde trajecten (laatste "
                "kolom); onderdrukt = het CBS publiceert het cijfer niet.",
            ),  # fmt: skip
        )
    )


def _datum(x) -> str:
    if _missing(x) or x is pd.NaT:
        return text.GEEN_GEGEVENS
    ts = pd.Timestamp(x)
    return text.periode_tekst(ts.strftime("%Y-%m-%d"))


_MATEN = {
    "wachttijd_mediaan_weken": ("mediane wachttijd", "weken"),
    "wachttijd_gemiddeld_weken": ("gemiddelde wachttijd", "weken"),
    "wachttijd_maximum_weken": ("maximale wachttijd", "weken"),
    "aantal_wachtend": ("aantal wachtenden", ""),
    "aandeel_binnen_treeknorm_pct": ("aandeel binnen de Treeknorm", "%"),
}


def _maat(v, eenheid: str) -> str:
    if _missing(v) or v is pd.NA:
        return ""
    dec = 0 if float(v).is_integer() else 1
    return (
        text.getal(float(v), dec)
        + (f" {eenheid}" if eenheid and eenheid != "%" else "")
        + ("%" if eenheid == "%" else "")
    )


def lokale_wachttijden(d: Gegevens) -> bool:
    """Local waiting times of the report's region(s); False when none were supplied."""
    lok = d.lokaal()
    shown = False
    if lok.fout:
        md(
            "*Wachttijden van aanbieders konden niet per jeugdregio worden samengevat "
            f"({lok.fout}); controleer het bronbestand met `python -m analysis registry check`.*"
        )
    namen = dict(zip(d.ctx.leden["regio_code"], d.ctx.leden["regio_naam"], strict=False))
    if len(lok.aanbieders):
        rows = []
        for r in lok.aanbieders.itertuples(index=False):
            label, eenheid = _MATEN.get(r.maat, (r.maat, ""))
            rows.append(
                [
                    namen.get(r.regio_code, r.regio_code),
                    r.zorgvorm,
                    label,
                    _datum(r.peildatum),
                    _maat(r.mediaan_van_aanbieders, eenheid),
                    f"{_maat(r.minimum, eenheid)} – {_maat(r.maximum, eenheid)}",
                    f"{r.n_met_cijfer} van {r.n_aanbieders}",
                    r.bronnen,
                ]
            )
        cols = ["Jeugdregio", "Zorgvorm", "Maat", "Peildatum", "Mediaan van aanbieders",
                "Spreiding (laagste – hoogste)", "Aanbieders met cijfer", "Bron"]  # fmt: skip
        defs = "; ".join(
            f"{a} ({z}): «{t}»" for a, z, t in lok.definities.drop_duplicates().itertuples(
                index=False)
        )  # fmt: skip
        toon_html(
            html_tabel(
                pd.DataFrame(rows, columns=cols),
                bijschrift=f"Wachttijden per aanbieder, samengevat per regio ({teksten.LOKALE_BRON})",
                rechts=["Mediaan van aanbieders", "Aanbieders met cijfer"],
                noot=f"{teksten.AANBIEDERS_NOOT} Definities van de bronnen: {defs}. "
                f"Bron: lokale bronbestanden ({teksten.LOKALE_BRON}).",
            )
        )
        shown = True
    if len(lok.records):
        rows = []
        for r in lok.records.to_dict("records"):
            maten = "; ".join(
                f"{label}: {_maat(r.get(k), e)}"
                for k, (label, e) in _MATEN.items()
                if _maat(r.get(k), e)
            )
            rows.append(
                [
                    f"{r['naam']} ({r['code']})",
                    r["zorgvorm"],
                    _datum(r["peildatum"]),
                    maten,
                    r["definitie_wachttijd"],
                    f"{r['bron_titel']} ({r['bron_uitgever']}, {_datum(r['bron_datum'])}; "
                    f"{r['bron_vindplaats']})",
                ]
            )
        cols = ["Gebied", "Zorgvorm", "Peildatum", "Cijfers", "Definitie van de bron", "Bron"]
        toon_html(
            html_tabel(
                pd.DataFrame(rows, columns=cols),
                bijschrift=f"Gepubliceerde wachttijden van regio of gemeente ({teksten.LOKALE_BRON})",
                noot=f"Bron: lokale bronbestanden ({teksten.LOKALE_BRON}); geen CBS-cijfers.",
            )
        )
        shown = True
    return shown


def bouwstenen_tabel(d: Gegevens) -> bool:
    """The region's building blocks with their sources; False when none are recorded."""
    b = d.lokaal().bouwstenen
    if b.empty:
        return False
    rows = [
        [
            f"{r['naam']} ({r['code']})",
            str(r["jaar"]),
            teksten.BOUWSTENEN.get(r["bouwsteen"], r["bouwsteen"]),
            r["waarde"],
            f"{r['bron_titel']} ({r['bron_uitgever']}, {_datum(r['bron_datum'])}; "
            f"{r['bron_vindplaats']})",
        ]
        for r in b.sort_values(["code", "jaar", "bouwsteen"]).to_dict("records")
    ]
    toon_html(
        html_tabel(
            pd.DataFrame(rows, columns=["Jeugdregio", "Jaar", "Bouwsteen", "Aanwezig", "Bron"]),
            bijschrift=f"Regionale bouwstenen voor de toegang ({teksten.LOKALE_BRON})",
            noot="«onbekend»: de bron zegt het niet. Bron: lokale bronbestanden; geen CBS-cijfers.",
        )
    )
    return True


def duur_tabel(d: Gegevens, groepen: list[Groep]) -> None:
    """Weighted mean duration of ended trajectories per year (the trend, as a table)."""
    frames = {g.label: d.duur_reeks(g) for g in groepen}
    jaren = sorted(
        {
            p
            for f in frames.values()
            if len(f)
            for p in f.loc[f["periode_type"] == "jaar", "periode"]
        }
    )
    if not jaren:
        return
    per = {label: _per_periode(f, "waarde") for label, f in frames.items()}
    leeg = {"waarde": float("nan")}
    rows = []
    for p in jaren:
        cells = [_cel(per[g.label].get(p, leeg)) for g in groepen]
        status = per[groepen[0].label].get(p, {}).get("status")
        rows.append([p, *cells, text.status_tekst(status)])
    cols = ["Jaar", *(g.label for g in groepen), "Status"]
    toon_html(
        html_tabel(
            pd.DataFrame(rows, columns=cols),
            bijschrift="Duur van beëindigde trajecten in dagen (geen wachttijd), per jaar",
            rechts=[g.label for g in groepen],
            noot=_bron(
                d,
                [access.DUUR, access.DUUR_GEWICHT],
                "Groepen: gewogen naar het aantal beëindigde trajecten. " + teksten.REEKS_NOOT,
                [int(p) for p in jaren],
            ),
        )
    )
