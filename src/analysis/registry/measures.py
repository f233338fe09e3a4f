"""Measure declarations and table ids shared by the table declarations."""

from __future__ import annotations

from analysis.registry.indicatoren_stapeling import (
    JEUGDZORG_SAMENLOOP,
    STAPELING_COMBINATIES,
    STAPELING_KLASSEN,
)
from analysis.registry.indicatoren_toegang import DUURKLASSEN
from analysis.registry.model import Measure

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
