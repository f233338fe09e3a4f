"""The indicators of access to youth care (chapter "Wachttijden en toegang")."""

from __future__ import annotations

from analysis.registry.indicatoren import WOONPLAATSBEGINSEL
from analysis.registry.model import Indicator, gewogen_gemiddelde

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
