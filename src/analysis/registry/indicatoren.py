"""The indicators of the population, use, cost and budget themes."""

from __future__ import annotations

from analysis.registry.model import SOM, Indicator

JEUGDZORG_TRENDBREUK = (
    "Trendbreuk tussen 2020 en 2021: vanaf de publicatie van oktober 2021 leveren veel meer "
    "jeugdhulpaanbieders gegevens aan, waardoor de cijfers vanaf 2021 niet vergelijkbaar zijn "
    "met 2015–2020 (tabel 84134NED vs. 85099NED). Een kleinere methodebreuk ligt tussen 2019 en 2020."
)
WOONPLAATSBEGINSEL = (
    "Cijfers zijn toegerekend aan de gemeente die volgens het woonplaatsbeginsel van de "
    "Jeugdwet verantwoordelijk is; dat is niet altijd de gemeente waar de jongere woont."
)


def _gebruik(code: str, titel: str, definitie: str) -> Indicator:
    """A count of young people in youth care: summed over gemeenten, per 1 000 young people
    0–17, with the 2019/2020 and 2020/2021 trend breaks noted."""
    return Indicator(
        code,
        titel,
        definitie,
        "aantal",
        "gebruik",
        SOM,
        noemer="bevolking_0_17",
        opmerking=JEUGDZORG_TRENDBREUK,
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

BASIS_INDICATORS: tuple[Indicator, ...] = (
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
    _gebruik(
        "jongeren_met_jeugdzorg",
        "Jongeren met jeugdzorg",
        "Aantal unieke jongeren (0–22 jaar) met jeugdhulp, jeugdbescherming en/of "
        "jeugdreclassering in de periode (jeugdzorg = jeugdhulp + jeugdbescherming + "
        "jeugdreclassering). " + WOONPLAATSBEGINSEL,
    ),
    _gebruik(
        "jongeren_met_jeugdhulp",
        "Jongeren met jeugdhulp",
        "Aantal unieke jongeren met jeugdhulp (in natura of pgb, met of zonder verblijf). "
        + WOONPLAATSBEGINSEL,
    ),
    _gebruik(
        "jongeren_met_jeugdhulp_zonder_verblijf",
        "Jongeren met jeugdhulp zonder verblijf",
        "Aantal unieke jongeren met jeugdhulp zonder verblijf (ambulant, daghulp), "
        "uitgevoerd door het wijkteam of door een andere aanbieder.",
    ),
    _gebruik(
        "jongeren_met_jeugdhulp_met_verblijf",
        "Jongeren met jeugdhulp met verblijf",
        "Aantal unieke jongeren met jeugdhulp met verblijf (pleegzorg, gezinsgericht, "
        "gesloten plaatsing, ander verblijf).",
    ),
    _gebruik(
        "jongeren_met_jeugdbescherming",
        "Jongeren met jeugdbescherming",
        "Aantal unieke jongeren met een jeugdbeschermingsmaatregel (ondertoezichtstelling of "
        "voogdij).",
    ),
    _gebruik(
        "jongeren_met_jeugdreclassering",
        "Jongeren met jeugdreclassering",
        "Aantal unieke jongeren met jeugdreclassering.",
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
