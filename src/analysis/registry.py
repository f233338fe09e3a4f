"""Every CBS table and every indicator the project uses, declared once.

Nothing here holds a numbered column key (``Inwonertal_54``, ``Code_16``): CBS renumbers them
between years and tables. Measures, dimensions and categories are declared by **title
patterns** (regular expressions, case-insensitive) and resolved against the table's
``DataProperties`` and dimension endpoints at run time (:mod:`analysis.cbs.keys`).

Status labels follow ``shared/docs/cbs-tables.md``: ``confirmed`` (id/title seen at CBS),
``unconfirmed`` (verify against DataProperties), ``unknown`` (no id known: recorded so the gap
is visible, never fetched).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# --------------------------------------------------------------------------------------
# Indicators: what ends up in processed/indicators.parquet (one definition each)
# --------------------------------------------------------------------------------------


#: How an indicator is carried from gemeenten to jeugdregio and provincie.
AGGREGATIEREGELS: dict[str, str] = {
    "som": "opgeteld over de gemeenten (tellingen, bedragen)",
    "gewogen_gemiddelde": "gemiddelde van de gemeenten, gewogen met een gewichtsindicator",
    "geen": "niet samen te voegen (aandelen met een eigen noemer); alleen zoals gepubliceerd",
}


@dataclass(frozen=True)
class Aggregatie:
    """An indicator's aggregation rule: ``som``; ``gewogen_gemiddelde`` with ``gewicht`` the id
    of the weight indicator (e.g. a mean duration weighted by the number of trajectories);
    ``geen``."""

    regel: str
    gewicht: str | None = None

    def __post_init__(self) -> None:
        if self.regel not in AGGREGATIEREGELS:
            raise ValueError(
                f"unknown aggregation rule {self.regel!r}; valid: {', '.join(AGGREGATIEREGELS)}"
            )
        if (self.regel == "gewogen_gemiddelde") != (self.gewicht is not None):
            raise ValueError(
                f"aggregation {self.regel!r}: a weight indicator is required for "
                f"'gewogen_gemiddelde' and only there (got gewicht={self.gewicht!r})"
            )

    def __str__(self) -> str:
        return f"gewogen gemiddelde (gewicht `{self.gewicht}`)" if self.gewicht else self.regel


SOM = Aggregatie("som")
GEEN = Aggregatie("geen")


def gewogen_gemiddelde(gewicht: str) -> Aggregatie:
    """Weighted mean over the gemeenten with weight indicator ``gewicht``."""
    return Aggregatie("gewogen_gemiddelde", gewicht)


@dataclass(frozen=True)
class Indicator:
    """One indicator of the processed layer, with the Dutch text reports cite.

    ``aggregatie`` says how the build carries gemeente values to jeugdregio and provincie
    (:class:`Aggregatie`; ``True``/``False`` are accepted as shorthand for ``SOM``/``GEEN``).
    """

    id: str
    label: str
    definitie: str
    eenheid: str
    thema: str
    aggregatie: Aggregatie
    noemer: str | None = None  # indicator id of the natural denominator for rates
    opmerking: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.aggregatie, bool):
            object.__setattr__(self, "aggregatie", SOM if self.aggregatie else GEEN)
        if not isinstance(self.aggregatie, Aggregatie):
            raise TypeError(
                f"indicator {self.id!r}: aggregatie must be an Aggregatie (SOM, GEEN or "
                f"gewogen_gemiddelde(...)), not {self.aggregatie!r}"
            )

    @property
    def additief(self) -> bool:
        """Whether values are summed over gemeenten (``aggregatie`` is ``som``)."""
        return self.aggregatie.regel == "som"


JEUGDZORG_TRENDBREUK = (
    "Trendbreuk tussen 2020 en 2021: vanaf de publicatie van oktober 2021 leveren veel meer "
    "jeugdhulpaanbieders gegevens aan, waardoor de cijfers vanaf 2021 niet vergelijkbaar zijn "
    "met 2015–2020 (tabel 84134NED vs. 85099NED). Een kleinere methodebreuk ligt tussen 2019 en 2020."
)
WOONPLAATSBEGINSEL = (
    "Cijfers zijn toegerekend aan de gemeente die volgens het woonplaatsbeginsel van de "
    "Jeugdwet verantwoordelijk is; dat is niet altijd de gemeente waar de jongere woont."
)

#: Iv3 report groups of the youth taakvelden (analysis.indicators.iv3, docs/budget.md §5)
_IV3_GROEPEN = {
    "jeugdhulp_zonder_verblijf": "Jeugdhulp zonder verblijf",
    "jeugdhulp_met_verblijf": "Jeugdhulp met verblijf",
    "pgb_jeugd": "Pgb jeugd",
    "jeugdbescherming_reclassering": "Jeugdbescherming en jeugdreclassering",
}
_MAATSTAF = (
    "Maatstaf uit de CBS-tabel Maatstaven gemeentefonds van dat jaar (peildatum in de tabel)."
)
_AFGELEID = "Eigen berekening uit CBS 83454NED; zie docs/budget.md."
_BUDGET_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "minderjarigen_totaal",
        "Minderjarige kinderen",
        "Aantal minderjarige kinderen in particuliere huishoudens. " + _MAATSTAF,
        "aantal",
        "budget",
        True,
    ),
    Indicator(
        "minderjarigen_laag_inkomen",
        "Minderjarigen in huishoudens met een laag inkomen",
        "Aantal minderjarige kinderen in huishoudens met een laag inkomen. " + _MAATSTAF,
        "aantal",
        "budget",
        True,
        noemer="minderjarigen_totaal",
    ),
    Indicator(
        "huishoudens_kinderen_0_17",
        "Huishoudens met thuiswonende kinderen van 0 tot 18 jaar",
        "Aantal particuliere huishoudens met thuiswonende kinderen van 0 tot 18 jaar. " + _MAATSTAF,
        "aantal",
        "budget",
        True,
    ),
    Indicator(
        "eenouderhuishoudens",
        "Eenouderhuishoudens",
        "Aantal eenouderhuishoudens (zoals de maatstaf ze telt). " + _MAATSTAF,
        "aantal",
        "budget",
        True,
        noemer="huishoudens_kinderen_0_17",
    ),
    Indicator(
        "personen_met_bijstand",
        "Personen met bijstand",
        "Aantal personen met een bijstandsuitkering. " + _MAATSTAF,
        "aantal",
        "budget",
        True,
        noemer="particuliere_huishoudens",
    ),
    Indicator(
        "particuliere_huishoudens",
        "Particuliere huishoudens",
        "Aantal particuliere huishoudens (Kerncijfers wijken en buurten: 'Huishoudens totaal', "
        "1 januari; voor jaren zonder die tabel de Maatstaven gemeentefonds: 'Totaal "
        "particuliere huishoudens'). Noemer voor 'per 1 000 huishoudens' en voor het "
        "kostenmodel.",
        "aantal",
        "bevolking",
        True,
    ),
    *(
        Indicator(
            f"iv3_lasten_{groep}",
            f"Iv3-lasten {label.lower()}",
            f"Lasten op de jeugdtaakvelden van de groep '{label}' (Iv3, realisatie, zonder "
            "reservemutaties en interne verrekeningen L7.1/L7.4/L7.5); de omzetting tussen de "
            "taakveldindelingen t/m 2024 en vanaf 2025 staat in docs/budget.md §5. Trendbreuken "
            "2023 (boekingsregels) en 2025 (indeling).",
            "1 000 euro",
            "budget",
            True,
        )
        for groep, label in _IV3_GROEPEN.items()
    ),
    Indicator(
        "begrotingsafwijking",
        "Begrotingsafwijking jeugdzorg",
        "Gerealiseerde min begrote kosten voor jeugdzorg, beide zoals de gemeente ze aan CBS "
        "leverde: een afwijking van de eigen begroting, niet van het rijksbudget. Regio en land: "
        "som over de gemeenten die beide leverden. " + _AFGELEID,
        "1 000 euro",
        "budget",
        False,
    ),
    Indicator(
        "begrotingsafwijking_pct",
        "Begrotingsafwijking jeugdzorg (procent van de begroting)",
        "(Gerealiseerd − begroot) / begroot × 100, voor regio en land uit gesommeerde tellers en "
        "noemers. " + _AFGELEID,
        "procent",
        "budget",
        False,
    ),
    Indicator(
        "kosten_per_jongere",
        "Gerealiseerde kosten jeugdzorg per jongere",
        "Gerealiseerde kosten × 1 000 / jongeren 0–17; voor regio en land Σ kosten / Σ jongeren "
        "van de gemeenten met kosten. " + _AFGELEID,
        "euro",
        "budget",
        False,
    ),
    Indicator(
        "afwijking_per_jongere",
        "Begrotingsafwijking per jongere",
        "(Gerealiseerd − begroot) × 1 000 / jongeren 0–17. " + _AFGELEID,
        "euro",
        "budget",
        False,
    ),
    Indicator(
        "kosten_dekking_jongeren",
        "Dekking: aandeel jongeren in gemeenten met kosten",
        "Aandeel van de jongeren 0–17 van de regio dat woont in gemeenten die gerealiseerde "
        "kosten leverden (0–1). De kolom 'dekking' van de kostenrijen geeft het aandeel gemeenten.",
        "aandeel",
        "budget",
        False,
    ),
    Indicator(
        "verwachte_kosten_per_jongere",
        "Verwachte kosten jeugdzorg per jongere (schatting)",
        "Voorspelling van een gewogen regressie (WLS) van kosten per jongere op maatstaven van "
        "het gemeentefonds, per jaar gefit op de gemeenten met gegevens. Een schatting, geen "
        "norm; zie docs/budget.md §4.",
        "euro",
        "budget",
        False,
    ),
    Indicator(
        "verwachte_kosten_ondergrens",
        "Verwachte kosten per jongere: ondergrens 95 %-voorspellingsinterval",
        "Ondergrens van het 95 %-voorspellingsinterval van het kostenmodel (schatting).",
        "euro",
        "budget",
        False,
    ),
    Indicator(
        "verwachte_kosten_bovengrens",
        "Verwachte kosten per jongere: bovengrens 95 %-voorspellingsinterval",
        "Bovengrens van het 95 %-voorspellingsinterval van het kostenmodel (schatting).",
        "euro",
        "budget",
        False,
    ),
    Indicator(
        "verevening_saldo_jongeren",
        "Verevening (simulatie), sleutel jongeren 0–17: saldo",
        "Bijdrage − eigen gerealiseerde kosten als de leden van de jeugdregio hun kosten poolen "
        "en verdelen naar jongeren 0–17; positief = netto betaler. Een simulatie.",
        "1 000 euro",
        "budget",
        False,
    ),
    Indicator(
        "verevening_saldo_verwacht",
        "Verevening (simulatie), sleutel verwachte kosten: saldo",
        "Als verevening_saldo_jongeren, met de verwachte kosten (kostenmodel) als sleutel. "
        "Een simulatie.",
        "1 000 euro",
        "budget",
        False,
    ),
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "bevolking_totaal",
        "Bevolking",
        "Aantal inwoners op 1 januari (CBS Bevolking; voor jaren zonder die tabel de "
        "Kerncijfers wijken en buurten).",
        "aantal",
        "bevolking",
        SOM,
    ),
    Indicator(
        "bevolking_0_17",
        "Jongeren 0 tot 18 jaar",
        "Aantal inwoners van 0 tot en met 17 jaar op 1 januari, opgeteld uit de "
        "afzonderlijke leeftijdsjaren van CBS-tabel 03759ned; voor jaren zonder die tabel "
        "'Inwoners tot 18 jaar' uit de Maatstaven gemeentefonds van dat jaar (bron en peildatum "
        "staan bij de bronnen). Noemer voor 'per 1 000 jongeren'.",
        "aantal",
        "bevolking",
        True,
    ),
    Indicator(
        "bevolking_0_17_schatting",
        "Jongeren 0 tot 18 jaar (schatting)",
        "SCHATTING van het aantal inwoners van 0 tot en met 17 jaar: inwoners van 0 tot 15 jaar "
        "plus drie tiende van de inwoners van 15 tot 25 jaar (Kerncijfers wijken en buurten). "
        "Alleen opgenomen voor gemeenten en jaren zonder CBS-tabel 03759ned en zonder Maatstaven "
        "gemeentefonds.",
        "aantal",
        "bevolking",
        SOM,
    ),
    Indicator(
        "jongeren_met_jeugdzorg",
        "Jongeren met jeugdzorg",
        "Aantal unieke jongeren (0–22 jaar) met jeugdhulp, jeugdbescherming en/of "
        "jeugdreclassering in de periode (jeugdzorg = jeugdhulp + jeugdbescherming + "
        "jeugdreclassering). " + WOONPLAATSBEGINSEL,
        "aantal",
        "gebruik",
        SOM,
        noemer="bevolking_0_17",
        opmerking=JEUGDZORG_TRENDBREUK,
    ),
    Indicator(
        "jongeren_met_jeugdhulp",
        "Jongeren met jeugdhulp",
        "Aantal unieke jongeren met jeugdhulp (in natura of pgb, met of zonder verblijf). "
        + WOONPLAATSBEGINSEL,
        "aantal",
        "gebruik",
        SOM,
        noemer="bevolking_0_17",
        opmerking=JEUGDZORG_TRENDBREUK,
    ),
    Indicator(
        "jongeren_met_jeugdhulp_zonder_verblijf",
        "Jongeren met jeugdhulp zonder verblijf",
        "Aantal unieke jongeren met jeugdhulp zonder verblijf (ambulant, daghulp), "
        "uitgevoerd door het wijkteam of door een andere aanbieder.",
        "aantal",
        "gebruik",
        SOM,
        noemer="bevolking_0_17",
        opmerking=JEUGDZORG_TRENDBREUK,
    ),
    Indicator(
        "jongeren_met_jeugdhulp_met_verblijf",
        "Jongeren met jeugdhulp met verblijf",
        "Aantal unieke jongeren met jeugdhulp met verblijf (pleegzorg, gezinsgericht, "
        "gesloten plaatsing, ander verblijf).",
        "aantal",
        "gebruik",
        SOM,
        noemer="bevolking_0_17",
        opmerking=JEUGDZORG_TRENDBREUK,
    ),
    Indicator(
        "jongeren_met_jeugdbescherming",
        "Jongeren met jeugdbescherming",
        "Aantal unieke jongeren met een jeugdbeschermingsmaatregel (ondertoezichtstelling of "
        "voogdij).",
        "aantal",
        "gebruik",
        SOM,
        noemer="bevolking_0_17",
        opmerking=JEUGDZORG_TRENDBREUK,
    ),
    Indicator(
        "jongeren_met_jeugdreclassering",
        "Jongeren met jeugdreclassering",
        "Aantal unieke jongeren met jeugdreclassering.",
        "aantal",
        "gebruik",
        SOM,
        noemer="bevolking_0_17",
        opmerking=JEUGDZORG_TRENDBREUK,
    ),
    Indicator(
        "jongeren_met_jeugdzorg_relatief_cbs",
        "Jongeren met jeugdzorg, relatief (CBS)",
        "Jongeren met jeugdzorg als percentage van de jongeren in de gemeente, zoals CBS het "
        "publiceert (CBS-tabellen 84134NED en 85099NED). CBS gebruikt een eigen leeftijdsbasis; "
        "dit cijfer is daarom niet gelijk aan het aantal per 1 000 jongeren van 0 tot 18 jaar "
        "in dit rapport gedeeld door tien.",
        "%",
        "gebruik",
        False,
        opmerking=JEUGDZORG_TRENDBREUK,
    ),
    Indicator(
        "jeugdhulp_in_natura_pct_cbs",
        "Jongeren met jeugdhulp in natura, % (CBS)",
        "Percentage jongeren met jeugdhulp in natura, met CBS's eigen noemer "
        "(CBS-tabel 82972NED, 2015–2020).",
        "%",
        "gebruik",
        False,
    ),
    Indicator(
        "jeugdhulp_met_verblijf_in_natura_pct_cbs",
        "Jongeren met jeugdhulp met verblijf in natura, % (CBS)",
        "Percentage jongeren met jeugdhulp met verblijf in natura, met CBS's eigen noemer "
        "(CBS-tabel 82972NED, 2015–2020).",
        "%",
        "gebruik",
        False,
    ),
    Indicator(
        "jeugdbescherming_pct_cbs",
        "Jongeren met jeugdbescherming, % (CBS)",
        "Percentage jongeren met jeugdbescherming, met CBS's eigen noemer "
        "(CBS-tabel 82972NED, 2015–2020).",
        "%",
        "gebruik",
        False,
    ),
    Indicator(
        "jeugdreclassering_pct_cbs",
        "Jongeren met jeugdreclassering, % (CBS)",
        "Percentage jongeren met jeugdreclassering, met CBS's eigen noemer (12 tot 23 jaar; "
        "CBS-tabel 82972NED, 2015–2020).",
        "%",
        "gebruik",
        False,
    ),
    Indicator(
        "kosten_jeugdzorg_gerealiseerd",
        "Gerealiseerde kosten jeugdzorg",
        "Gerealiseerde gemeentelijke kosten voor jeugdzorg (Gemeentelijke Monitor Sociaal "
        "Domein, CBS 83454NED). Alleen gemeenten die leverden én instemden met publicatie.",
        "1 000 euro",
        "budget",
        SOM,
        noemer="bevolking_0_17",
    ),
    Indicator(
        "kosten_jeugdzorg_begroot",
        "Begrote kosten jeugdzorg",
        "Begrote gemeentelijke kosten voor jeugdzorg (CBS 83454NED).",
        "1 000 euro",
        "budget",
        SOM,
        noemer="bevolking_0_17",
    ),
    Indicator(
        "wmo_uitgaven_gerealiseerd",
        "Gerealiseerde uitgaven Wmo-maatwerkvoorzieningen",
        "Gerealiseerde gemeentelijke uitgaven voor Wmo-maatwerkvoorzieningen (CBS 84580NED). "
        "Alleen gemeenten die leverden.",
        "1 000 euro",
        "budget",
        True,
        noemer="bevolking_totaal",
    ),
    Indicator(
        "wmo_uitgaven_begroot",
        "Begrote uitgaven Wmo-maatwerkvoorzieningen",
        "Begrote gemeentelijke uitgaven voor Wmo-maatwerkvoorzieningen (CBS 84580NED).",
        "1 000 euro",
        "budget",
        True,
        noemer="bevolking_totaal",
    ),
    *_BUDGET_INDICATORS,
    Indicator(
        "wmo_clienten",
        "Wmo-cliënten",
        "Aantal personen met een Wmo-maatwerkvoorziening (Gemeentelijke Monitor Sociaal "
        "Domein). Deelname is vrijwillig: niet elke gemeente levert.",
        "aantal",
        "stapeling",
        SOM,
        noemer="bevolking_totaal",
    ),
)


# ---- access to youth care (chapter "Wachttijden en toegang"; docs/toegang.md) --------------
_TRAJECT_85097 = (
    "Jeugdhulptrajecten in natura (CBS-tabel 85097NED). Een traject is een periode van "
    "jeugdhulp van één vorm bij één aanbieder; één jongere kan meerdere trajecten hebben. "
    + WOONPLAATSBEGINSEL
)
_GEEN_WACHTTIJD = "Dit is geen wachttijd: CBS publiceert geen wachttijden."
#: referrer of 85097NED -> (indicator id suffix, Dutch label, category title pattern)
VERWIJZERS: tuple[tuple[str, str, str], ...] = (
    ("gemeente", "gemeentelijke toegang (wijkteam)", r"^Gemeentelijke toegang"),
    ("huisarts", "huisarts", r"^Huisarts$"),
    ("jeugdarts", "jeugdarts", r"^Jeugdarts$"),
    ("gi", "gecertificeerde instelling", r"^Gecertificeerde instelling$"),
    ("medisch", "medisch specialist", r"^Medisch specialist$"),
    ("rechter", "rechter, officier van justitie", r"^Rechter"),
    ("geen", "geen verwijzer", r"^Geen verwijzer$"),
    ("onbekend", "verwijzer onbekend", r"^Verwijzer onbekend$"),
)
#: duration classes of ended JB / JR trajectories (82975NED, 82977NED): suffix, label, pattern
DUURKLASSEN: tuple[tuple[str, str, str], ...] = (
    ("kort", "korter dan 1 jaar", r"^Korter dan 1 jaar$"),
    ("middel", "1 tot 2 jaar", r"^1 tot 2 jaar$"),
    ("lang", "2 jaar of langer", r"^2 jaar of langer$"),
)


def _toegang_indicators() -> tuple[Indicator, ...]:
    def tel(i: str, label: str, definitie: str, noemer: str | None = "bevolking_0_17"):
        return Indicator(i, label, definitie, "aantal", "toegang", True, noemer=noemer)

    out = [
        tel(
            "toegang_begonnen",
            "Begonnen jeugdhulptrajecten",
            "Aantal in de periode begonnen jeugdhulptrajecten in natura, alle verwijzers. "
            + _TRAJECT_85097,
        ),
    ]
    out += [
        tel(
            f"toegang_begonnen_{suffix}",
            f"Begonnen trajecten: {label}",
            f"Aantal begonnen jeugdhulptrajecten in natura met als verwijzer: {label}. "
            + _TRAJECT_85097,
            noemer="toegang_begonnen",
        )
        for suffix, label, _ in VERWIJZERS
    ]
    out += [
        tel(
            "toegang_begonnen_nieuw",
            "Begonnen trajecten, nieuw",
            "Begonnen trajecten van jongeren die het jaar ervoor geen traject hadden. "
            + _TRAJECT_85097,
            noemer="toegang_begonnen",
        ),
        tel(
            "toegang_begonnen_herhaald",
            "Begonnen trajecten, herhaald beroep",
            "Begonnen trajecten van jongeren die eerder al jeugdhulp hadden. " + _TRAJECT_85097,
            noemer="toegang_begonnen",
        ),
        tel(
            "toegang_begonnen_crisis",
            "Begonnen trajecten, gestart met crisis",
            "Begonnen trajecten die met crisishulp startten: een drukte-signaal, geen "
            "wachtlijst. " + _TRAJECT_85097,
            noemer="toegang_begonnen",
        ),
        tel(
            "toegang_beeindigd",
            "Beëindigde jeugdhulptrajecten",
            "Aantal in de periode beëindigde jeugdhulptrajecten in natura. Gewicht van de "
            "gemiddelde duur van beëindigde trajecten. " + _TRAJECT_85097,
        ),
        tel(
            "toegang_beeindigd_volgens_plan",
            "Beëindigde trajecten, volgens plan",
            "Beëindigde trajecten die volgens plan zijn afgesloten. " + _TRAJECT_85097,
            noemer="toegang_beeindigd",
        ),
        tel(
            "toegang_beeindigd_voortijdig",
            "Beëindigde trajecten, voortijdig afgesloten",
            "Beëindigde trajecten die voortijdig zijn afgesloten. " + _TRAJECT_85097,
            noemer="toegang_beeindigd",
        ),
        Indicator(
            "toegang_duur_beeindigd",
            "Gemiddelde duur van beëindigde trajecten",
            "Gemiddelde duur in dagen van de in de periode beëindigde jeugdhulptrajecten in "
            "natura (CBS-tabel 85097NED). Regio en land: gewogen gemiddelde van de gemeenten "
            "met als gewicht het aantal beëindigde trajecten, nooit een gemiddelde van "
            "gemiddelden. " + _GEEN_WACHTTIJD,
            "dagen",
            "toegang",
            gewogen_gemiddelde("toegang_beeindigd"),
            opmerking=_GEEN_WACHTTIJD,
        ),
    ]
    bestand = (
        ("jeugdzorg", "jeugdzorgtrajecten in natura", "alle vormen"),
        ("jeugdhulp", "jeugdhulptrajecten in natura", "jeugdhulp"),
        ("zonder_verblijf", "trajecten jeugdhulp zonder verblijf", "jeugdhulp zonder verblijf"),
        ("met_verblijf", "trajecten jeugdhulp met verblijf", "jeugdhulp met verblijf"),
        ("jb", "jeugdbeschermingstrajecten", "jeugdbescherming"),
        ("jr", "jeugdreclasseringstrajecten", "jeugdreclassering"),
    )
    out += [
        tel(
            f"toegang_bestand_{suffix}",
            f"Lopende {label} op peildatum",
            f"Aantal lopende {label} op de peildatum (30 juni of 31 december; CBS-tabel "
            f"85094NED), vorm: {vorm}. Een bestand, geen instroom. " + WOONPLAATSBEGINSEL,
        )
        for suffix, label, vorm in bestand
    ]
    for pre, naam, tabel in (
        ("jb", "jeugdbeschermingstrajecten", "82975NED"),
        ("jr", "jeugdreclasseringstrajecten", "82977NED"),
    ):
        out += [
            tel(
                f"toegang_{pre}_begonnen",
                f"Begonnen {naam}",
                f"Aantal in de periode begonnen {naam} (CBS-tabel {tabel}).",
            ),
            tel(
                f"toegang_{pre}_beeindigd",
                f"Beëindigde {naam}",
                f"Aantal in de periode beëindigde {naam} (CBS-tabel {tabel}).",
            ),
        ]
        out += [
            tel(
                f"toegang_{pre}_duur_{suffix}",
                f"Beëindigde {naam}, duur {label}",
                f"Beëindigde {naam} met een duur van {label} (CBS-tabel {tabel}).",
                noemer=f"toegang_{pre}_beeindigd",
            )
            for suffix, label, _ in DUURKLASSEN
        ]
    return tuple(out)


INDICATORS = INDICATORS + _toegang_indicators()


# ---- stapeling (chapter 5; definitions in docs/stapeling.md) ---------------------------------
STAPELING_BRON = (
    "CBS «Gebruik voorzieningen sociaal domein; aantal voorzieningen, wijken» (één tabel per jaar; "
    "geen tabel voor 2020). Aantallen afgerond op 5, kleine cellen onderdrukt; alleen gemeenten "
    "die aan de monitor deelnemen."
)
#: the seven exclusive law combinations: code -> (Dutch label, CBS category title pattern)
STAPELING_COMBINATIES: dict[str, tuple[str, str]] = {
    "alleen_jeugd": ("alleen Jeugdwet", r"^Alleen Jeugd$"),
    "alleen_pwet": ("alleen Participatiewet", r"^Alleen P-wet$"),
    "alleen_wmo": ("alleen Wmo", r"^Alleen Wmo$"),
    "jeugd_pwet": ("Jeugdwet en Participatiewet", r"^Jeugd en P-wet$"),
    "jeugd_wmo": ("Jeugdwet en Wmo", r"^Jeugd en Wmo$"),
    "pwet_wmo": ("Participatiewet en Wmo", r"^P-wet en Wmo$"),
    "jeugd_pwet_wmo": ("Jeugdwet, Participatiewet en Wmo", r"^Jeugd, P-wet en Wmo$"),
}
#: classes of the number of provisions (the highest published class is open: "k of meer")
STAPELING_KLASSEN: tuple[int, ...] = (1, 2, 3, 4, 5)
#: youth-care overlap groups of 85101NED: code -> (Dutch label, in natura, JB, JR); the pgb
#: dimension is summed (wel + geen), so the eight groups are exclusive and add up to the total
JEUGDZORG_SAMENLOOP: dict[str, tuple[str, bool, bool, bool]] = {
    "alleen_pgb": ("alleen jeugdhulp met pgb", False, False, False),
    "natura": ("jeugdhulp in natura, zonder JB en JR", True, False, False),
    "natura_jb": ("jeugdhulp in natura en jeugdbescherming", True, True, False),
    "natura_jr": ("jeugdhulp in natura en jeugdreclassering", True, False, True),
    "natura_jb_jr": (
        "jeugdhulp in natura, jeugdbescherming en jeugdreclassering",
        True,
        True,
        True,
    ),
    "jb": ("jeugdbescherming, zonder jeugdhulp in natura", False, True, False),
    "jr": ("jeugdreclassering, zonder jeugdhulp in natura", False, False, True),
    "jb_jr": (
        "jeugdbescherming en jeugdreclassering, zonder jeugdhulp in natura",
        False,
        True,
        True,
    ),
}


def _stapeling_indicators() -> tuple[Indicator, ...]:
    out = [
        Indicator(
            "huishoudens_met_voorziening",
            "Huishoudens met een voorziening",
            "Aantal huishoudens met ten minste één maatwerkvoorziening uit de Jeugdwet, de Wmo "
            "of de Participatiewet in de periode (gemeenterij). " + STAPELING_BRON,
            "aantal",
            "stapeling",
            True,
            noemer="particuliere_huishoudens",
        ),
        Indicator(
            "clienten_met_voorziening",
            "Cliënten met een voorziening",
            "Aantal personen met ten minste één voorziening uit de Jeugdwet, de Wmo of de "
            "Participatiewet in de periode. " + STAPELING_BRON,
            "aantal",
            "stapeling",
            True,
            noemer="bevolking_totaal",
        ),
        Indicator(
            "huishoudens_met_voorziening_per_1000_cbs",
            "Huishoudens met een voorziening per 1 000 huishoudens (CBS)",
            "Huishoudens met een voorziening per 1 000 huishoudens, zoals CBS het publiceert "
            "(ook per wijk). " + STAPELING_BRON,
            "per 1 000 huishoudens",
            "stapeling",
            False,
        ),
        Indicator(
            "wmo_clienten_per_1000_cbs",
            "Wmo-cliënten per 1 000 inwoners (CBS)",
            "Wmo-cliënten per 1 000 inwoners, zoals CBS het publiceert (83262NED, 85043NED, "
            "85896NED).",
            "per 1 000 inwoners",
            "stapeling",
            False,
        ),
    ]
    for code, (label, _) in STAPELING_COMBINATIES.items():
        out.append(
            Indicator(
                f"huishoudens_{code}",
                f"Huishoudens met voorzieningen: {label}",
                f"Aantal huishoudens met voorzieningen uit precies deze wet(ten): {label} "
                "(exclusieve groep; de zeven groepen tellen op tot het totaal). " + STAPELING_BRON,
                "aantal",
                "stapeling",
                True,
                noemer="huishoudens_met_voorziening",
            )
        )
    for k in STAPELING_KLASSEN:
        out.append(
            Indicator(
                f"huishoudens_{k}_voorzieningen",
                f"Huishoudens met {k} voorziening{'en' if k > 1 else ''}",
                f"Aantal huishoudens met {k} maatwerkvoorziening{'en' if k > 1 else ''} (de "
                "hoogste klasse die CBS publiceert is open: 'k of meer'). " + STAPELING_BRON,
                "aantal",
                "stapeling",
                True,
                noemer="huishoudens_met_voorziening",
            )
        )
    for code, (label, *_flags) in JEUGDZORG_SAMENLOOP.items():
        out.append(
            Indicator(
                f"jeugdzorg_samenloop_{code}",
                f"Jongeren met jeugdzorg: {label}",
                f"Aantal jongeren met jeugdzorg in de groep '{label}' (CBS 85101NED, 'Jongeren met "
                "één of meerdere vormen van jeugdzorg'; pgb wel of niet). " + WOONPLAATSBEGINSEL,
                "aantal",
                "stapeling",
                True,
                noemer="jongeren_met_jeugdzorg",
            )
        )
    return tuple(out)


INDICATORS = INDICATORS + _stapeling_indicators()

INDICATOR_BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def check_indicators(indicators: Iterable[Indicator]) -> None:
    """Raise ``ValueError`` for duplicate ids or a weight/denominator that is not declared."""
    ids = [i.id for i in indicators]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"indicator id(s) declared twice: {', '.join(dupes)}")
    for ind in indicators:
        for role, ref in (("gewicht", ind.aggregatie.gewicht), ("noemer", ind.noemer)):
            if ref is not None and ref not in ids:
                raise ValueError(
                    f"indicator {ind.id!r}: {role} {ref!r} is not a declared indicator; "
                    f"valid: {', '.join(sorted(ids))}"
                )


check_indicators(INDICATORS)


def indicator(indicator_id: str) -> Indicator:
    """Look up an indicator; unknown ids list the valid ones."""
    try:
        return INDICATOR_BY_ID[indicator_id]
    except KeyError:
        raise KeyError(
            f"unknown indicator {indicator_id!r}; valid: {', '.join(sorted(INDICATOR_BY_ID))}"
        ) from None


# --------------------------------------------------------------------------------------
# Expected counts (a seed, like PUDL's etl_full_row_counts): checked by the build on CBS data
# --------------------------------------------------------------------------------------

#: number of gemeenten in the classification of each year (1 January)
EXPECTED_GEMEENTEN: dict[int, int] = {
    2015: 393,
    2016: 390,
    2017: 388,
    2018: 380,
    2019: 355,
    2020: 355,
    2021: 352,
    2022: 345,
    2023: 342,
    2024: 342,
    2025: 342,
}
EXPECTED_JEUGDREGIOS = 42

# --------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """A value to extract: a topic (by title) at a selection of categories (by title).

    ``topic`` is matched against ``DataProperties`` entries of Type ``Topic``; ``group`` (if
    given) against the Title of any ancestor TopicGroup. ``where`` maps a dimension (matched
    by Key or Title) to a category title pattern; the category ``Key`` found is used for the
    row selection. All patterns are case-insensitive regular expressions, searched (not
    anchored) unless they carry their own ``^``/``$``.
    """

    indicator: str
    topic: str
    where: dict[str, str] = field(default_factory=dict)
    group: str | None = None
    #: True when ``where`` deliberately selects several categories to be summed (ages 0..17);
    #: otherwise each ``where`` pattern must select exactly one category.
    sum_categories: bool = False
    #: further topics (title pattern, weight) added to ``topic``: value = topic + sum(w x t)
    plus: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Table:
    """One CBS table, declared once."""

    id: str | None
    title: str  # pattern the live TableInfos.Title must match (checked, warned on mismatch)
    reeks: str  # the series this table belongs to (several tables form one reeks over time)
    thema: str  # the report theme (chapter) the table serves, as in Indicator.thema
    years: tuple[int, int | None]  # first and last reference year (None = ongoing)
    catalog: str = "opendata"
    status: str = "confirmed"
    #: region prefixes to download (``$filter`` with ``startswith``); () = no region filter
    regions: tuple[str, ...] = ("NL", "GM")
    #: fixed selections applied in the download filter: dimension pattern -> category pattern
    fixed: dict[str, str] = field(default_factory=dict)
    measures: tuple[Measure, ...] = ()
    #: table-level reference year for tables without a Perioden dimension (KWB, Gebieden)
    table_year: int | None = None
    #: set when the build uses this table (``analysis data`` downloads these by default)
    build: bool = False
    #: comparable segment of the reeks (a trend break starts a new one); written to the
    #: processed ``reeks`` column, which falls back to ``reeks`` when this is empty
    segment: str = ""
    notes: str = ""
    #: reference date of the figures when it is not the period itself (recorded in sources.json)
    peildatum: str = ""
    #: False for supplementary build tables (other denominators, CBS's own percentages): a
    #: server that lacks them is a warning in ``analysis data``, not an error
    required: bool = True

    @property
    def fetchable(self) -> bool:
        return self.id is not None and self.status != "unknown"

    def covers(self, year: int) -> bool:
        first, last = self.years
        return year >= first and (last is None or year <= last)


# Category title patterns for VormenVanJeugdzorg (85099NED / 84134NED). Titles carry a code
# prefix ("JZ", "JH 1", "JB 1"); patterns tolerate its presence or absence.
_VORM = "VormenVanJeugdzorg|Vormen van jeugdzorg"
_JEUGDZORG_MEASURES = (
    Measure(
        "jongeren_met_jeugdzorg",
        r"^Jongeren met jeugdzorg$",
        {_VORM: r"^(JZ\s*)?Totaal jeugdzorg$"},
    ),
    Measure(
        "jongeren_met_jeugdhulp",
        r"^Jongeren met jeugdzorg$",
        {_VORM: r"^(JH\s*1\s+)?Totaal jeugdhulp$"},
    ),
    Measure(
        "jongeren_met_jeugdhulp_zonder_verblijf",
        r"^Jongeren met jeugdzorg$",
        {_VORM: r"^(JH\s*121\s+|JH\s+)?(Jeugdhulp\s+)?zonder verblijf$"},
    ),
    Measure(
        "jongeren_met_jeugdhulp_met_verblijf",
        r"^Jongeren met jeugdzorg$",
        {_VORM: r"^(JH\s*122\s+|JH\s+)?(Jeugdhulp\s+)?met verblijf$"},
    ),
    Measure(
        "jongeren_met_jeugdbescherming",
        r"^Jongeren met jeugdzorg$",
        {_VORM: r"^(JB\s*1\s+)?(Totaal\s+)?jeugdbescherming$"},
    ),
    Measure(
        "jongeren_met_jeugdreclassering",
        r"^Jongeren met jeugdzorg$",
        {_VORM: r"^(JR\s*1\s+)?(Totaal\s+)?jeugdreclassering$"},
    ),
    # CBS's own relative figure ("Jongeren met jeugdzorg (relatief)"; Demoland: ", relatief")
    Measure(
        "jongeren_met_jeugdzorg_relatief_cbs",
        r"^Jongeren met jeugdzorg\W*relatief\W*$",
        {_VORM: r"^(JZ\s*)?Totaal jeugdzorg$"},
    ),
)

_VERWIJZER = "Verwijzer|Verwijzer jeugdhulp|Verwijzer jeugdzorg"


def _jb_jr_measures(pre: str) -> tuple[Measure, ...]:
    """Begun and ended trajectories and the duration classes of the ended ones (82975/82977)."""
    return (
        Measure(f"toegang_{pre}_begonnen", r"^Totaal begonnen trajecten$"),
        Measure(f"toegang_{pre}_beeindigd", r"^Totaal beëindigde trajecten$"),
        *(
            Measure(f"toegang_{pre}_duur_{suffix}", pattern, group=r"^Duur")
            for suffix, _, pattern in DUURKLASSEN
        ),
    )


# 83454NED: one measure each; "Gerealiseerde kosten" must not also pick the per-1 000-inwoners
# measure ("Gerealiseerde kosten per 1 000 inwoners"), hence the anchored patterns.
_KOSTEN_MEASURES = (
    Measure(
        "kosten_jeugdzorg_gerealiseerd",
        r"^Gerealiseerde kosten$",
        {_VORM: r"^(JZ\s*)?Totaal jeugdzorg$"},
    ),
    Measure(
        "kosten_jeugdzorg_begroot",
        r"^Begrote kosten$",
        {_VORM: r"^(JZ\s*)?Totaal jeugdzorg$"},
    ),
)
_WMO_TYPE = "MaatwerkvoorzieningenType|Maatwerkvoorzieningen"
_WMO_UITGAVEN_MEASURES = (
    Measure("wmo_uitgaven_gerealiseerd", r"^Gerealiseerde uitgaven$", {_WMO_TYPE: r"^Totaal$"}),
    Measure("wmo_uitgaven_begroot", r"^Begrote uitgaven$", {_WMO_TYPE: r"^Totaal$"}),
)


def maatstaven_measures(year: int) -> tuple[Measure, ...]:
    """Measures of the Maatstaven gemeentefonds table of ``year`` (titles differ by year: the
    2018 table has no 'laag inkomen' or household-composition measures by these titles)."""
    out = [
        Measure("bevolking_0_17", r"^Inwoners tot 18 jaar$"),
        Measure("minderjarigen_totaal", r"^Totaal minderjarige kinderen$"),
        Measure("personen_met_bijstand", r"^Personen met bijstand"),
        Measure("particuliere_huishoudens", r"^Totaal particuliere huishoudens$"),
    ]
    if year >= 2019:
        out += [
            Measure("minderjarigen_laag_inkomen", r"^In huishoudens met laag inkomen$"),
            Measure("huishoudens_kinderen_0_17", r"^Met thuiswonende kinderen 0 tot 18 jaar$"),
            Measure("eenouderhuishoudens", r"^Eenouderhuishoudens"),
        ]
    return tuple(out)


#: the Wmo client tables: totals over sex, person characteristics and provision type
_WMO_TOTAAL = {
    "Geslacht": r"^Totaal mannen en vrouwen$",
    "KenmerkenVanPersonen|Kenmerken van personen": r"^Totaal personen$",
    "TypeMaatwerk|Type maatwerk": r"^Totaal$",
}
_WMO_MEASURES = (
    Measure("wmo_clienten", r"^Wmo-cli[eë]nten$"),
    Measure("wmo_clienten_per_1000_cbs", r"^Wmo-cli[eë]nten per 1 ?000 inwoners$"),
)
#: stapeling: dimension patterns (AantalVoorzieningen, SoortVoorzieningSociaalDomein)
_AANTAL = "AantalVoorzieningen|Aantal voorzieningen"
_SOORT = "SoortVoorzieningSociaalDomein|Soort voorziening"


def _stapeling_measures(year: int) -> tuple[Measure, ...]:
    """Measures of one stapeling year table (2015 has no SoortVoorziening dimension)."""
    soort = {} if year == 2015 else {_SOORT: r"^Totaal$"}
    totaal = {_AANTAL: r"^Totaal$", **soort}
    out = [
        Measure("huishoudens_met_voorziening", r"^Huishoudens met voorzieningen$", totaal,
                group=r"^Absolu"),
        Measure("clienten_met_voorziening", r"^Cli[eë]nten met voorzieningen$", totaal,
                group=r"^Absolu"),
        Measure("huishoudens_met_voorziening_per_1000_cbs", r"^Huishoudens met voorzieningen$",
                totaal, group=r"^Relatie"),
    ]  # fmt: skip
    for k in STAPELING_KLASSEN:
        out.append(
            Measure(
                f"huishoudens_{k}_voorzieningen",
                r"^Huishoudens met voorzieningen$",
                {_AANTAL: rf"^{k}(\s|$)", **soort},
                group=r"^Absolu",
            )
        )
    if year != 2015:
        for code, (_, pattern) in STAPELING_COMBINATIES.items():
            out.append(
                Measure(
                    f"huishoudens_{code}",
                    r"^Huishoudens met voorzieningen$",
                    {_AANTAL: r"^Totaal$", _SOORT: pattern},
                    group=r"^Absolu",
                )
            )
    return tuple(out)


def _samenloop_measures() -> tuple[Measure, ...]:
    def ja(flag: bool) -> str:
        return r"^Wel\b" if flag else r"^Geen\b"

    return tuple(
        Measure(
            f"jeugdzorg_samenloop_{code}",
            r"jongeren met jeugdzorg",
            {
                # pgb summed (wel + geen); the all-"geen" cell is empty, so pgb-only is "wel"
                r"pgb": r"^(Wel|Geen)\b" if natura or jb or jr else r"^Wel\b",
                r"in natura": ja(natura),
                r"jeugdbescherming": ja(jb),
                r"jeugdreclassering": ja(jr),
            },
            sum_categories=True,
        )
        for code, (_, natura, jb, jr) in JEUGDZORG_SAMENLOOP.items()
    )


_SAMENLOOP_MEASURES = _samenloop_measures()

_GEBIEDEN = {
    2015: "82949NED",
    2016: "83287NED",
    2017: "83553NED",
    2018: "83859NED",
    2019: "84378NED",
    2020: "84721NED",
    2021: "84929NED",
    2022: "85067NED",
    2023: "85385NED",
    2024: "85755NED",
    2025: "86059NED",
    2026: "86247NED",
}
_KWB = {
    2015: ("83220NED", "confirmed"),
    2016: ("83487NED", "confirmed"),
    2017: ("83765NED", "confirmed"),
    2018: ("84286NED", "confirmed"),
    2019: ("84583NED", "confirmed"),
    2020: ("84799NED", "confirmed"),
    2021: ("85039NED", "unconfirmed"),
    2022: ("85318NED", "unconfirmed"),
    2023: ("85618NED", "confirmed"),
    2024: ("85984NED", "confirmed"),
    2025: ("86165NED", "confirmed"),
}
_STAPELING = {
    2015: "83265NED",
    2016: "83619NED",
    2017: "83817NED",
    2018: "84420NED",
    2019: "84662NED",
    2020: None,  # no id found: recorded as unknown
    2021: "86195NED",
    2022: "85375NED",
    2023: "85637NED",
    2024: "85994NED",
}
_IV3 = {2023: "45063NED", 2024: "45067NED", 2025: "45071NED", 2026: "45078NED"}
_MAATSTAVEN: dict[int, str | None] = {
    2016: "83440NED",
    2017: "83718NED",
    2018: "83997NED",
    2019: "84590NED",
    2020: "84860NED",
    2021: "85052NED",
    2022: "85309NED",
    # no table id known for these years (not in shared/data, not in cbs-tables.md): recorded as
    # unknown, never fetched; the expected-cost model has no Maatstaven for them
    2023: None,
    2024: None,
    2025: None,
}


def _tables() -> tuple[Table, ...]:
    t: list[Table] = [
        # ---- youth care (Jeugdwet) -------------------------------------------------------
        Table(
            "84134NED",
            r"Kerncijfers over jeugdzorg",
            "jeugdzorg_kerncijfers",
            "gebruik",
            (2015, 2020),
            regions=("NL", "GM", "JZ", "PV"),
            measures=_JEUGDZORG_MEASURES,
            build=True,
            segment="jeugdzorg_2015_2020",
            notes="Stopped series; 2015–2020 are not comparable with 85099NED (trend break).",
        ),
        Table(
            "85099NED",
            r"Kerncijfers over jeugdzorg",
            "jeugdzorg_kerncijfers",
            "gebruik",
            (2021, None),
            regions=("NL", "GM", "JZ", "PV"),
            measures=_JEUGDZORG_MEASURES,
            build=True,
            segment="jeugdzorg_2021_heden",
            notes="Every period in the newest gemeente classification; CBS's own JZ and PV "
            "figures are kept and compared with the sum of their gemeenten.",
        ),
        Table(
            "82972NED",
            r"Indicatoren jeugdzorg in natura",
            "jeugdzorg_indicatoren",
            "gebruik",
            (2015, 2020),
            measures=(
                Measure("jeugdhulp_in_natura_pct_cbs", r"^Jongeren met jeugdhulp in natura$"),
                Measure(
                    "jeugdhulp_met_verblijf_in_natura_pct_cbs",
                    r"^Jongeren met jeugdhulp met verblijf in natura$",
                ),
                Measure("jeugdbescherming_pct_cbs", r"^Jongeren met jeugdbescherming$"),
                Measure("jeugdreclassering_pct_cbs", r"^Jongeren met jeugdreclassering$"),
            ),
            build=True,
            required=False,
            segment="jeugdzorg_2015_2020",
            notes="Percentages with CBS's own denominator; also rows per gemeentegrootteklasse.",
        ),
        Table(
            "85098NED",
            r"Indicatoren jeugdzorg in natura",
            "jeugdzorg_indicatoren",
            "gebruik",
            (2021, None),
            segment="jeugdzorg_2021_heden",
        ),
        Table(
            "85097NED",
            r"Jeugdhulptrajecten in natura; verwijzer",
            "jeugdhulp_trajecten",
            "toegang",
            (2021, None),
            measures=(
                Measure(
                    "toegang_begonnen",
                    r"^Totaal begonnen trajecten$",
                    {_VERWIJZER: r"^Totaal"},
                ),
                *(
                    Measure(
                        f"toegang_begonnen_{suffix}",
                        r"^Totaal begonnen trajecten$",
                        {_VERWIJZER: pattern},
                    )
                    for suffix, _, pattern in VERWIJZERS
                ),
                *(
                    Measure(indicator_id, topic, {_VERWIJZER: r"^Totaal"})
                    for indicator_id, topic in (
                        ("toegang_begonnen_nieuw", r"^Nieuw traject$"),
                        ("toegang_begonnen_herhaald", r"^Herhaald beroep$"),
                        ("toegang_begonnen_crisis", r"^Gestart met crisis$"),
                        ("toegang_beeindigd", r"^Totaal beëindigde trajecten$"),
                        ("toegang_beeindigd_volgens_plan", r"^Volgens plan$"),
                        ("toegang_beeindigd_voortijdig", r"^Voortijdig afgesloten$"),
                        ("toegang_duur_beeindigd", r"^Gemiddelde duur beëindigde trajecten"),
                    )
                ),
            ),
            build=True,
            required=False,
            segment="jeugdzorg_2021_heden",
            notes="Includes average duration of ended trajectories (days): a proxy, not a "
            "waiting time. Years and half-years. 2021 and 2022 revised on 31-10-2024. No real "
            "recording exists (PROVENANCE 'Not found'): the shape is declared from the CBS "
            "page and built on Demoland only.",
        ),
        Table(
            "85094NED",
            r"Trajecten jeugdzorg in natura; regio \(gemeente\), op peildatum",
            "jeugdzorg_trajecten_peildatum",
            "toegang",
            (2021, None),
            measures=tuple(
                Measure(f"toegang_bestand_{suffix}", topic)
                for suffix, topic in (
                    ("jeugdzorg", r"^Totaal jeugdzorgtrajecten in natura$"),
                    ("jeugdhulp", r"^Totaal jeugdhulptrajecten$"),
                    ("zonder_verblijf", r"^Jeugdhulp zonder verblijf$"),
                    ("met_verblijf", r"^Jeugdhulp met verblijf$"),
                    ("jb", r"^Totaal jeugdbeschermingstrajecten$"),
                    ("jr", r"^Totaal jeugdreclasseringstrajecten$"),
                )
            ),
            build=True,
            required=False,
            segment="jeugdzorg_2021_heden",
            notes="Reference dates (30 June, 31 December), periode_type 'peildatum'.",
        ),
        Table(
            "82975NED",
            r"Jeugdbeschermingstrajecten; regio",
            "jeugdbescherming_trajecten",
            "toegang",
            (2021, None),
            measures=_jb_jr_measures("jb"),
            build=True,
            required=False,
            notes="Start year not known (cbs-tables.md); declared from 2021 like the other "
            "access tables. Years and half-years.",
        ),
        Table(
            "82977NED",
            r"Jeugdreclasseringstrajecten; regio",
            "jeugdreclassering_trajecten",
            "toegang",
            (2021, None),
            status="unconfirmed",
            measures=_jb_jr_measures("jr"),
            build=True,
            required=False,
            notes="Years and gemeente coverage unconfirmed (verify against DataProperties).",
        ),
        Table(
            "85100NED",
            r"Jongeren met jeugdzorg; persoonskenmerken",
            "jeugdzorg_persoonskenmerken",
            "gebruik",
            (2021, None),
            status="unconfirmed",
            regions=("NL", "GM", "JZ"),
            notes="The only current youth-care table with jeugdregio (JZ) totals.",
        ),
        # ---- Wmo 2015 (newest table first: it wins where the years overlap) ----------------
        Table(
            "85896NED",
            r"Wmo-cliënten; type maatwerkvoorziening",
            "wmo_clienten",
            "stapeling",
            (2017, None),
            fixed=_WMO_TOTAAL,
            measures=_WMO_MEASURES,
            build=True,
            required=False,
            notes="The current series: real data run from the first half of 2017 (not only 2024).",
        ),
        Table(
            "85043NED",
            r"Wmo-cliënten; type maatwerkvoorziening",
            "wmo_clienten",
            "stapeling",
            (2019, 2023),
            fixed=_WMO_TOTAAL,
            measures=_WMO_MEASURES,
            build=True,
            required=False,
        ),
        Table(
            "83262NED",
            r"Wmo-cliënten; type maatwerkarrangement",
            "wmo_clienten",
            "stapeling",
            (2015, 2020),
            fixed=_WMO_TOTAAL,
            measures=_WMO_MEASURES,
            build=True,
            required=False,
        ),
        Table(
            "85101NED",
            r"Jongeren met één of meerdere vormen van jeugdzorg",
            "jeugdzorg_samenloop",
            "stapeling",
            (2021, None),
            measures=_SAMENLOOP_MEASURES,
            build=True,
            required=False,
            notes="Overlap within youth care: four yes/no dimensions (pgb, in natura, JB, JR); "
            "dimension and measure keys unconfirmed, resolved by title.",
        ),
        Table(
            "84580NED",
            r"Gemeentelijke uitgaven Wmo-maatwerkvoorzieningen",
            "wmo_uitgaven",
            "budget",
            (2017, None),
            measures=_WMO_UITGAVEN_MEASURES,
            build=True,
            notes="Context for the social domain; same coverage limits as 83454NED.",
        ),
        # ---- finance ----------------------------------------------------------------------
        Table(
            "83454NED",
            r"Gemeentelijke kosten; jeugdzorg",
            "jeugdzorg_kosten",
            "budget",
            (2015, None),
            regions=("NL", "GM"),
            measures=_KOSTEN_MEASURES,
            build=True,
            notes="Half-years 2015–2018 and years 2015–; region dimension 'Regio' (not RegioS); "
            "no Nederland row at CBS; many empty cells (only gemeenten that delivered and agreed "
            "to publication). The per-1 000-inwoners measures are not used.",
        ),
        # ---- population -------------------------------------------------------------------
        Table(
            "03759ned",
            r"Bevolking op 1 januari en gemiddeld; geslacht, leeftijd en regio",
            "bevolking",
            "bevolking",
            (2015, None),
            fixed={
                "Geslacht": r"^Totaal mannen en vrouwen$",
                "BurgerlijkeStaat|Burgerlijke staat": r"^Totaal burgerlijke staat$",
                "Leeftijd": r"^(Totaal|([0-9]|1[0-7]) jaar)$",
            },
            measures=(
                Measure("bevolking_totaal", r"^Bevolking op 1 januari$", {"Leeftijd": r"^Totaal$"}),
                Measure(
                    "bevolking_0_17",
                    r"^Bevolking op 1 januari$",
                    {"Leeftijd": r"^([0-9]|1[0-7]) jaar$"},
                    sum_categories=True,
                ),
            ),
            build=True,
            notes="~98 M observations: always filtered on region prefix, period and categories.",
        ),
        Table(
            "70072ned",
            r"Regionale kerncijfers Nederland",
            "regionale_kerncijfers",
            "bevolking",
            (2015, None),
        ),
        # ---- mergers ----------------------------------------------------------------------
        Table(
            "70739ned",
            r"Gebieden; overzicht vanaf 1830",
            "gebieden_historie",
            "herindeling",
            (1830, None),
            regions=("GM",),
            notes="Begin/end date per gemeente; description text lists mergers.",
        ),
    ]
    for year, tid in _GEBIEDEN.items():
        t.append(
            Table(
                tid,
                r"Gebieden in Nederland",
                "gebieden_in_nederland",
                "geografie",
                (year, year),
                regions=("GM",),
                table_year=year,
                build=True,
                notes="gemeente -> jeugdregio (and other divisions); keys resolved by group title.",
            )
        )
    for year, (tid, status) in _KWB.items():
        t.append(
            Table(
                tid,
                rf"Kerncijfers wijken en buurten {year}",
                "kerncijfers_wijken_buurten",
                "bevolking",
                (year, year),
                status=status,
                regions=("NL", "GM"),
                table_year=year,
                measures=(
                    Measure("bevolking_totaal", r"^Aantal inwoners$"),
                    Measure(
                        "bevolking_0_17_schatting",
                        r"^0 tot 15 jaar$",
                        plus=((r"^15 tot 25 jaar$", 0.3),),
                    ),
                    Measure("particuliere_huishoudens", r"^Huishoudens totaal$"),
                ),
                build=year <= 2025,
                notes="Fallback population source; only NL and gemeente rows are downloaded.",
            )
        )
    for year, tid in _STAPELING.items():
        # one table per year with half-years and the year in Perioden (no table_year: the
        # periods are the table's own); gemeente rows GM.., wijk rows WK.., Nederland NL..
        t.append(
            Table(
                tid,
                r"Gebruik voorzieningen sociaal domein",
                "stapeling",
                "stapeling",
                (year, year),
                status="unknown" if tid is None else "confirmed",
                regions=("NL", "GM", "WK"),
                measures=_stapeling_measures(year),
                build=tid is not None,
                required=False,
                segment="stapeling",
                notes="Wijk table with gemeente rows; counts rounded to 5; gemeente figures come "
                "from the gemeente rows only (docs/stapeling.md)."
                if tid
                else "No table id for 2020 is known (cbs-tables.md §3).",
            )
        )
    for year, tid in _IV3.items():
        t.append(
            Table(
                tid,
                rf"Gemeenten {year} onbewerkte Iv3-data",
                "iv3",
                "budget",
                (year, year),
                catalog="dataderden",
                regions=("GM",),
                table_year=year,
                build=year <= 2025,
                segment="iv3_tm_2024" if year <= 2024 else "iv3_vanaf_2025",
                notes="Lasten on the youth taakvelden, grouped by analysis.indicators.iv3 (two "
                "taakveld structures across 2024/2025; 2023 booking-rule change).",
            )
        )
    for year, tid in _MAATSTAVEN.items():
        # Under-18 population where no 03759ned snapshot exists for the year (03759ned wins:
        # it comes first in this declaration order, which is the build's source priority).
        t.append(
            Table(
                tid,
                r"Maatstaven gemeentefonds",
                "gemeentefonds_maatstaven",
                "budget",
                (year, year),
                table_year=year,
                status="unknown" if tid is None else "confirmed",
                measures=maatstaven_measures(year) if year >= 2018 and tid else (),
                build=year >= 2018 and tid is not None,
                required=False,
                peildatum=f"gemeentefonds {year}; vermoedelijk 31 december {year - 1} (de datum "
                "van de gedateerde maatstaven in dezelfde tabel; niet bevestigd)",
                notes="Under-18 population and the need indicators of the expected-cost model "
                "(docs/budget.md §4); values dated in their keys (e.g. 31-12 of the year before)."
                if tid
                else "No table id for this year is known: recorded as unknown, not guessed.",
            )
        )
    return tuple(t)


TABLES: tuple[Table, ...] = _tables()


def tables(
    *, ids: Iterable[str] | None = None, build_only: bool = False, reeks: str | None = None
) -> list[Table]:
    """Select declared tables; unknown ids raise with the list of valid ones."""
    selected = [t for t in TABLES if t.fetchable]
    if ids is not None:
        wanted = list(ids)
        by_id = {t.id.lower(): t for t in selected if t.id}
        missing = [i for i in wanted if i.lower() not in by_id]
        if missing:
            raise KeyError(
                f"unknown table id(s) {', '.join(missing)}; declared ids: "
                + ", ".join(sorted(by_id[k].id for k in by_id))  # type: ignore[misc]
            )
        return [by_id[i.lower()] for i in wanted]
    if build_only:
        selected = [t for t in selected if t.build]
    if reeks is not None:
        selected = [t for t in selected if t.reeks == reeks]
    return selected


def table(table_id: str) -> Table:
    """The declaration of one table id (case-insensitive)."""
    return tables(ids=[table_id])[0]


def unknown_tables() -> list[Table]:
    """Declared gaps: series years without a known table id."""
    return [t for t in TABLES if not t.fetchable]
