"""Dutch text of the chapter "Wachttijden en toegang": the fixed paragraphs and the generated
sentences. Every proxy is named for what it is: the duration of ended trajectories is not a
waiting time, crisis starts are not a waiting list (``docs/toegang.md``)."""

from __future__ import annotations

import math

import pandas as pd

from analysis.report import text
from analysis.report.chapters._basis import html_tabel, md, toon_html
from analysis.report.chapters.toegang.gegevens import Gegevens, Groep

__all__ = [
    "GEEN_LOKAAL",
    "GEEN_LANDELIJK",
    "LOKALE_BRON",
    "dekking",
    "intro",
    "kernzinnen",
]

GEEN_LANDELIJK = (
    "**Er bestaan geen landelijke gegevens over wachttijden in de jeugdzorg.** Het CBS "
    "publiceert geen wachttijden of wachtlijsten; de memorie van antwoord bij wetsvoorstel "
    "34 857 (2018) stelt dat er geen landelijke gegevens over wachtlijsten zijn. Dit hoofdstuk "
    "toont daarom wat het CBS wél publiceert over de toegang tot jeugdhulp: de verwijzers, de "
    "instroom, de trajecten die met crisis begonnen, het aantal lopende trajecten op een "
    "peildatum en de duur van beëindigde trajecten. Dat zijn benaderingen, geen wachttijden. "
    "Waar een regio of aanbieder zelf wachttijden publiceert en die zijn aangeleverd, staan ze "
    "verderop als **lokale bron, geen CBS-cijfer**, met bron en datum."
)
GEEN_LOKAAL = "Voor deze regio zijn geen lokale wachttijdgegevens aangeleverd."
LOKALE_BRON = "lokale bron, geen CBS-cijfer"
HUISARTS_REFERENTIE = (
    "In de literatuur wordt vaak genoemd dat circa 80% van de verwijzingen naar jeugdhulp via "
    "de huisarts loopt (NVRR 2017). Dat is een ander begrip (verwijzingen, niet begonnen "
    "trajecten, en van vóór de huidige CBS-reeks): het staat er ter oriëntatie naast."
)
DUUR_UITLEG = (
    "De duur van beëindigde trajecten is de tijd in zorg, niet de tijd tot zorg: een korte duur "
    "zegt niets over wachten. Voor een regio of Nederland is het een gewogen gemiddelde van de "
    "gemeenten, met als gewicht het aantal beëindigde trajecten (nooit een gemiddelde van "
    "gemiddelden); gemeenten waarvan het CBS het aantal of de duur niet publiceert, tellen niet mee."
)
BESTAND_UITLEG = (
    "Het bestand is het aantal lopende trajecten op de peildatum (30 juni en 31 december), per "
    "1\u202f000 jongeren van 0 tot 18 jaar op 1 januari van hetzelfde jaar. Instroom (begonnen "
    "trajecten in een periode) en bestand (op een dag) zijn verschillende grootheden."
)
REEKS_NOOT = (
    "De reeks van 85097NED begint in 2021; cijfers over 2015–2020 staan in een andere tabel en "
    "zijn door de trendbreuk niet vergelijkbaar. Het CBS heeft 2021 en 2022 op 31 oktober 2024 "
    "gecorrigeerd."
)

_PROXIES = [
    ("gemiddelde duur van beëindigde trajecten (dagen)", "geen wachttijd: de tijd in zorg"),
    ("begonnen trajecten «gestart met crisis»", "geen wachtlijst: een drukte-signaal"),
    ("instroom (begonnen) tegenover bestand (op peildatum)", "geen doorlooptijd"),
    ("verwijzersmix van begonnen trajecten", "geen oordeel over de kwaliteit van de toegang"),
]


def intro(ctx) -> None:
    """The opening: no national waiting-time data, and what is shown instead."""
    md(GEEN_LANDELIJK)
    toon_html(
        html_tabel(
            pd.DataFrame(_PROXIES, columns=["Wat dit hoofdstuk toont", "Wat het níet is"]),
            bijschrift="Benaderingen van de toegang en wat ze niet meten",
        )
    )


def _ontbreekt(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def dekking(w: dict) -> str:
    """``' (over 12 van de 14 gemeenten)'`` when a group value covers part of its members."""
    n, tot = w.get("n_met_waarde", 0), w.get("n_leden", 1)
    if tot > 1 and 0 < n < tot:
        return f" (over {n} van de {tot} gemeenten)"
    return ""


def _pct(w: dict) -> str:
    return text.procent(w["waarde"], 1)


def kernzinnen(d: Gegevens, hoofd: Groep, nl: Groep | None) -> list[str]:
    """Generated sentences on inflow, referrers, crisis, duration and balance."""
    p = text.periode_tekst(d.periode or "")
    zinnen: list[str] = []
    per = d.waarde(hoofd, "begonnen_per_1000")
    ref = (
        f" (Nederland: {text.getal(d.waarde(nl, 'begonnen_per_1000')['waarde'], 1)})" if nl else ""
    )
    if not _ontbreekt(per["waarde"]):
        zinnen.append(
            f"In {hoofd.omschrijving} begonnen in {p} {text.getal(per['teller'])} "
            f"jeugdhulptrajecten in natura: {text.getal(per['waarde'], 1)} per 1\u202f000 "
            f"jongeren van 0 tot 18 jaar{ref}{dekking(per)}."
        )
    else:
        zinnen.append(
            f"Voor {hoofd.omschrijving} publiceert het CBS over {p} geen aantal begonnen "
            "trajecten (onderdrukt of niet geleverd)."
        )
    ha, wt = d.waarde(hoofd, "verwijzer_huisarts_pct"), d.waarde(hoofd, "verwijzer_gemeente_pct")
    if not (_ontbreekt(ha["waarde"]) and _ontbreekt(wt["waarde"])):
        zinnen.append(
            f"Van de begonnen trajecten kwam {_pct(ha)} via de huisarts en {_pct(wt)} via de "
            f"gemeentelijke toegang (wijkteam){dekking(wt)}; de vaak genoemde circa 80% via de "
            "huisarts is een ander begrip (zie de tabel)."
        )
    cr = d.waarde(hoofd, "crisis_pct")
    if not _ontbreekt(cr["waarde"]):
        nlc = f" (Nederland: {_pct(d.waarde(nl, 'crisis_pct'))})" if nl else ""
        zinnen.append(
            f"Van de begonnen trajecten startte {_pct(cr)} met crisis{nlc}{dekking(cr)}: een "
            "signaal van druk, geen maat voor wachten."
        )
    du = d.duur(hoofd)
    if not _ontbreekt(du["waarde"]):
        nld = f" (Nederland: {text.getal(d.duur(nl)['waarde'])} dagen)" if nl else ""
        gewogen = " (gewogen naar het aantal beëindigde trajecten)" if du["n_leden"] > 1 else ""
        zinnen.append(
            f"De in {p} beëindigde trajecten duurden gemiddeld {text.getal(du['waarde'])} "
            f"dagen{gewogen}{nld}{dekking(du)}. Dat is de duur van de hulp, geen wachttijd."
        )
    ba = d.balans(hoofd)
    if not _ontbreekt(ba["waarde"]):
        verschil = ba["waarde"]
        richting = (
            "gelijk aan"
            if verschil == 0
            else f"{text.getal(abs(verschil))} {'groter' if verschil > 0 else 'kleiner'} dan"
        )
        zinnen.append(
            f"Er begonnen {text.getal(ba['begonnen'])} en er eindigden "
            f"{text.getal(ba['beeindigd'])} trajecten: de instroom was {richting} de "
            f"uitstroom{dekking(ba)}."
        )
    zin = text.zin_status(d.periode or "", [d.status()])
    if zin:
        zinnen.append(zin)
    return zinnen


def zinnen(items: list[str]) -> None:
    """Show generated sentences as one paragraph."""
    if items:
        md(" ".join(items))


def lokaal_intro(regio_namen: str) -> str:
    return (
        f"Wachttijden die in {regio_namen} zelf zijn gepubliceerd en als lokaal bronbestand "
        f"zijn aangeleverd ({LOKALE_BRON}). Elk cijfer staat met bron en peildatum; de "
        "definitie van «wachttijd» is die van de bron. Niets is aangevuld of doorgetrokken."
    )


AANBIEDERS_NOOT = (
    "Per zorgvorm en peildatum: de mediaan over de aanbieders met een cijfer, de spreiding "
    "(laagste–hoogste) en het aantal aanbieders. Dit is géén regionaal gemiddelde: aanbieders "
    "verschillen in omvang en cliënten, en niet elke aanbieder publiceert."
)
BOUWSTENEN = {
    "sluitende_wachtlijstafspraken": "sluitende afspraken over wachtlijsten",
    "regionaal_expertteam": "regionaal expertteam",
    "sociale_kaart": "sociale kaart",
}
