"""Every CBS table the project uses, per theme."""

from __future__ import annotations

from analysis.registry.indicatoren_toegang import VERWIJZERS
from analysis.registry.measures import (
    _GEBIEDEN,
    _IV3,
    _JEUGDZORG_MEASURES,
    _KOSTEN_MEASURES,
    _KWB,
    _MAATSTAVEN,
    _SAMENLOOP_MEASURES,
    _STAPELING,
    _VERWIJZER,
    _WMO_MEASURES,
    _WMO_TOTAAL,
    _WMO_UITGAVEN_MEASURES,
    _jb_jr_measures,
    _stapeling_measures,
    maatstaven_measures,
)
from analysis.registry.model import Measure, Table


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
