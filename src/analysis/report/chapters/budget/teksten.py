"""Dutch text of the chapter "Budget en tekorten": definitions, caveats and generated sentences.

Sentences say what the numbers show and no more (docs/budget.md §7): the begrotingsafwijking
is a deviation from the gemeente's **own** budget, a "tekort ten opzichte van het rijksbudget"
only exists where a sourced budget record does, the expected cost is an estimate and a
gemeente within its interval is not called expensive or cheap, verevening is a simulation.
"""

from __future__ import annotations

from analysis.report.text import NNBSP, getal, lijst, procent

__all__ = [
    "DEFINITIES",
    "MODEL_VOORBEHOUD",
    "NIET_GELEVERD",
    "BUDGET_BRON",
    "TEKORT_NIET_MOGELIJK",
    "VEREVENING_UITLEG",
    "euro",
    "intro",
    "miljoen",
    "zin_afwijking",
    "zin_dekking",
    "zin_positie",
    "zin_tekort",
    "zin_verevening",
    "zin_wmo",
    "zinnen_tekort_groep",
]

DEFINITIES = (
    "**Definities**\n\n"
    "- **Gerealiseerde en begrote kosten**: de kosten voor jeugdzorg (jeugdhulp, "
    "jeugdbescherming en jeugdreclassering) zoals de gemeente ze zelf aan het CBS leverde "
    "(Gemeentelijke Monitor Sociaal Domein, tabel 83454NED), in euro's van dat jaar.\n"
    "- **Begrotingsafwijking**: gerealiseerde min begrote kosten, in euro's, in procenten van "
    "de begroting en per jongere van 0 tot 18 jaar. Dit is een afwijking van de **eigen "
    "begroting** van de gemeente, **niet** van het budget dat het Rijk haar geeft. Een gemeente "
    "die ruim begroot, heeft een kleine afwijking en kan toch meer uitgeven dan zij van het Rijk "
    "ontvangt.\n"
    "- **Dekking**: regio- en landcijfers zijn sommen over de gemeenten **die leverden**; "
    "er wordt niets aangevuld. Bij elk totaal staat hoeveel gemeenten leverden en welk deel van "
    "de jongeren daar woont.\n"
    "- **Verwachte kosten** (een schatting): wat een gemeente volgens een regressiemodel op "
    "maatstaven van het gemeentefonds per jongere zou uitgeven, met een "
    "95%-voorspellingsinterval."
)
MODEL_VOORBEHOUD = (
    "*Voorbehoud bij de verwachte kosten.* Het model verklaart de kosten per jongere uit een paar "
    "verdeelmaatstaven (aandeel minderjarigen in huishoudens met een laag inkomen, aandeel "
    "eenouderhuishoudens, personen met bijstand per 1\u202f000 huishoudens en de omvang van de "
    "gemeente). Wat het model niet verklaart, is geen «ondoelmatigheid»: beleid, aanbod, "
    "registratie en het woonplaatsbeginsel spelen mee. Het model is gefit op de gemeenten die "
    "leverden. Een gemeente binnen het interval noemt dit rapport niet duur of goedkoop."
)
VEREVENING_UITLEG = (
    "*Simulatie.* Stel dat de gemeenten van de jeugdregio hun gerealiseerde jeugdzorgkosten in "
    "één pot stoppen en die verdelen naar een sleutel: (a) het aantal jongeren van 0 tot 18 jaar "
    "of (b) de verwachte kosten volgens het model. Het saldo is de bijdrage min de eigen kosten: "
    "positief is een **netto betaler**, negatief een **netto ontvanger**. Per regio tellen de "
    "saldi op tot nul. Alleen gemeenten met gerealiseerde kosten doen mee. Dit zegt niets over de "
    "afspraken die de regio werkelijk heeft."
)
TEKORT_NIET_MOGELIJK = (
    "Een tekort ten opzichte van het rijksbudget is hier niet te berekenen: het CBS publiceert "
    "het jeugdzorgbudget per gemeente niet, en er is geen lokaal bronbestand met het budget uit "
    "de gemeentefondscirculaires voor {wie}."
)
NIET_GELEVERD = (
    "{naam} heeft voor {jaar} geen kosten voor jeugdzorg aan het CBS geleverd (of niet ingestemd "
    "met publicatie); dit hoofdstuk kan voor {naam} daarom geen cijfers tonen."
)


def euro(x: float | None, decimalen: int = 0) -> str:
    """``'€ 1 234'``; missing -> 'geen gegevens'."""
    s = getal(x, decimalen)
    if s == "geen gegevens":
        return s
    return f"-€{NNBSP}{s[1:]}" if s.startswith("-") else f"€{NNBSP}{s}"


def miljoen(x_duizend: float | None) -> str:
    """Thousands of euro as ``'€ 12,3 mln'``."""
    if x_duizend is None:
        return "geen gegevens"
    return f"€{NNBSP}{getal(x_duizend / 1000.0, 1)} mln"


def intro(wie: str) -> str:
    return (
        f"Dit hoofdstuk laat zien wat {wie} aan jeugdzorg uitgeeft, hoe zich dat verhoudt tot "
        "de eigen begroting en tot wat vergelijkbare gemeenten uitgeven, en wat regionale "
        "verevening zou betekenen. Alle bedragen zijn in euro's van het jaar zelf."
    )


def zin_afwijking(naam: str, jaar: int, r: dict) -> str:
    """One sentence on realised vs budgeted cost of ``naam`` in ``jaar``."""
    real, begr, afw = (
        r.get("kosten_jeugdzorg_gerealiseerd"),
        r.get("kosten_jeugdzorg_begroot"),
        r.get("begrotingsafwijking"),
    )
    zin = f"In {jaar} waren de gerealiseerde kosten voor jeugdzorg van {naam} {miljoen(real)}"
    if r.get("kosten_per_jongere") is not None:
        zin += f" ({euro(r['kosten_per_jongere'])} per jongere van 0 tot 18 jaar)"
    if begr is None or afw is None:
        return zin + "; een begroting is voor dat jaar niet bekend."
    richting = "meer" if afw > 0 else "minder"
    if abs(afw) < 0.5:
        return zin + f", precies het begrote bedrag ({miljoen(begr)})."
    return (
        zin + f", {miljoen(abs(afw))} {richting} dan begroot ({miljoen(begr)}): een "
        f"begrotingsafwijking van {procent(r.get('begrotingsafwijking_pct'))}, "
        f"{euro(r.get('afwijking_per_jongere'))} per jongere."
    )


def zin_dekking(n: int, n_alle: int, aandeel_jongeren: float | None) -> str:
    deel = (
        f"; daar woont {procent(100 * aandeel_jongeren, 0)} van de jongeren"
        if aandeel_jongeren is not None
        else ""
    )
    return f"Dekking: {n} van de {n_alle} gemeenten leverden kosten{deel}."


def zin_positie(
    naam: str, jaar: int, real: float, verwacht: float, lo: float, hi: float, pos: str
) -> str:
    """Position against the model's 95% prediction interval (never 'duur' within it)."""
    basis = (
        f"Volgens het kostenmodel voor {jaar} (een schatting) zou {naam} ongeveer "
        f"{euro(verwacht)} per jongere uitgeven, met een 95%-voorspellingsinterval van "
        f"{euro(lo)} tot {euro(hi)}. De werkelijke kosten in {jaar} waren {euro(real)} per "
        "jongere: "
    )
    return (
        basis
        + {
            "boven": "**boven** het interval; hoger dan de maatstaven doen verwachten.",
            "onder": "**onder** het interval; lager dan de maatstaven doen verwachten.",
            "binnen": "**binnen** het interval; niet opvallend hoog of laag gezien de maatstaven.",
        }[pos]
    )


def zin_verevening(naam: str, jaar: int, saldo_j: float | None, saldo_v: float | None) -> str:
    def deel(s: float | None, sleutel: str) -> str | None:
        if s is None:
            return None
        if abs(s) < 0.5:
            return f"bij verdeling naar {sleutel} ongeveer evenveel als nu"
        rol = "netto betaler" if s > 0 else "netto ontvanger"
        return f"bij verdeling naar {sleutel} {rol} van {miljoen(abs(s))}"

    delen = [deel(saldo_j, "jongeren"), deel(saldo_v, "verwachte kosten")]
    delen = [d for d in delen if d]
    if not delen:
        return (
            f"{naam} doet niet mee aan de verevening: er zijn geen kosten of geen aantal "
            "jongeren voor hetzelfde jaar."
        )
    return f"In de simulatie van regionale verevening ({jaar}) is {naam} {lijst(delen)}."


def zin_tekort(
    naam: str, jaar: int, real: float | None, bedrag_euro: float, circulaire: str
) -> str:
    """Realised cost against a sourced Rijk budget record (local data kind ``budget``)."""
    if real is None:
        return (
            f"Voor {jaar} is een rijksbudget bekend ({euro(bedrag_euro)}, {circulaire}), maar "
            f"geen gerealiseerde kosten: een tekort is niet te berekenen."
        )
    verschil = real * 1000.0 - bedrag_euro
    woord = "tekort" if verschil > 0 else "overschot"
    return (
        f"Ten opzichte van het rijksbudget voor jeugd ({euro(bedrag_euro)} volgens de "
        f"{circulaire}, lokale bron) had {naam} in {jaar} een {woord} van "
        f"{euro(abs(verschil))}."
    )


BUDGET_BRON = (
    "*Bron van het rijksbudget: lokale bronbestanden (gemeentefondscirculaires, met vindplaats "
    "per record); geen CBS-cijfer. Het tekort is gerealiseerde kosten (CBS 83454NED) min dat "
    "budget.*"
)


def zinnen_tekort_groep(rec, n_gemeenten: int) -> list[str]:
    """Per year: for how many gemeenten a sourced budget exists, how many of those with cost
    had a deficit, and the summed difference (never imputed for the others)."""
    out = []
    for jaar, d in rec.groupby("jaar"):
        beide = d[d["gerealiseerd"].notna()]
        verschil = beide["gerealiseerd"] * 1000.0 - beide["bedrag_euro"].astype(float)
        zin = (
            f"{int(jaar)}: voor {d['code'].nunique()} van de {n_gemeenten} gemeenten is een "
            f"rijksbudget met bron bekend"
        )
        if len(beide):
            som = float(verschil.sum())
            woord = "tekort" if som > 0 else "overschot"
            zin += (
                f"; van de {len(beide)} die ook kosten leverden, hadden er "
                f"{int((verschil > 0).sum())} een tekort (samen een {woord} van "
                f"{miljoen(abs(som) / 1000.0)})"
            )
        else:
            zin += ", maar geen van hen leverde kosten"
        out.append(zin + ".")
    return out


def zin_wmo(naam: str, jaar: int, bedrag: float | None) -> str:
    """Context: realised Wmo spending (84580NED) of the same area and year, if known."""
    if bedrag is None:
        return ""
    return (
        f"Ter vergelijking (sociaal domein): de gerealiseerde uitgaven voor "
        f"Wmo-maatwerkvoorzieningen van {naam} waren in {jaar} {miljoen(bedrag)} (CBS 84580NED)."
    )
