"""Dutch text of the rekenkamer edition: the auditor's frame per section, the w-vragen, the GRN
questions and the template for a local goals file (policy-questions §2 F1–F11 and §6.2)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GRN_VRAGEN", "KADERS", "W_VRAGEN", "Kader", "WVraag"]


@dataclass(frozen=True)
class Kader:
    """The auditor's frame of a section that reuses a theme chapter."""

    toont: str
    toont_niet: str
    vraag: str


KADERS: dict[str, Kader] = {
    "gebruik": Kader(
        "hoeveel jongeren in de gemeente jeugdhulp, jeugdbescherming en jeugdreclassering "
        "krijgen, per 1 000 jongeren, naast de jeugdregio, vergelijkbare gemeenten en Nederland, "
        "en hoe dat zich sinds 2015 ontwikkelt (met de trendbreuk tussen 2020 en 2021).",
        "of de zorg passend, tijdig of effectief was; of meer of minder gebruik een gevolg is "
        "van gemeentelijke keuzes (attributie, F2). Uitkomsten voor jongeren (outcome) ontbreken "
        "in de landelijke cijfers (F5).",
        "«Wie worden er door geraakt?» en de Jeugdwet-doelen «vermindering vraag naar (zware) "
        "zorg» (F7): verschuift de zorg van zwaar naar licht (B9)?",
    ),
    "toegang": Kader(
        "via welke verwijzers jongeren bij de jeugdhulp komen (huisarts, gemeentelijke toegang, "
        "gecertificeerde instelling), hoeveel trajecten beginnen en eindigen, hoe lang zij duren "
        "en welke lokale wachttijdgegevens en regionale afspraken met bron bekend zijn.",
        "de wachttijd zelf: daarvoor bestaan geen landelijke gegevens (B1). Of de toegang "
        "rechtmatig, integraal en doelmatig is (B8, F6) vraagt dossier- en procesonderzoek.",
        "«Hoe is de toegang en doorverwijzing georganiseerd?» (de tweede w-vraag uit de "
        "actualisering van 2017; B1–B8, F6).",
    ),
    "financien": Kader(
        "de gerealiseerde en begrote kosten van jeugdzorg, de afwijking van de begroting, de "
        "kosten per jongere naast de regio en Nederland en, waar bekend, het rijksbudget.",
        "of de uitgaven doelmatig waren, en de uitvoeringskosten (C4); het rijksbudget is een "
        "lokale bron, geen CBS-cijfer, en ontbreekt waar geen circulaire is vastgelegd.",
        "«Welke financiële effecten?» (C1–C5, A6, A12).",
    ),
    "samenwerking": Kader(
        "in welke jeugdregio de gemeente samenwerkt, hoe zij zich daarin verhoudt tot de andere "
        "gemeenten, en welke regionale bouwstenen met bron zijn vastgelegd.",
        "de rechtsvorm, de verevening en de inkoopschaal van de regio zijn niet landelijk "
        "vastgelegd: zonder lokale bron staan zij hieronder als «onbekend». Of de raad grip "
        "houdt op de samenwerking (F8) blijkt niet uit cijfers.",
        "«Op welke schaal en met welke samenwerkingspartners?» (A1, A5–A9, F8).",
    ),
    "stapeling": Kader(
        "hoeveel huishoudens tegelijk voorzieningen uit meer dan één wet gebruiken (Jeugdwet, "
        "Wmo 2015, Participatiewet), en hoe geconcentreerd dat gebruik is.",
        "of die huishoudens één plan en één regisseur hebben («één cliënt – één plan», B8), en "
        "of de integrale aanpak werkt.",
        "«Vermindering uitvoeringskosten» door een integrale aanpak (F7; D1–D6).",
    ),
}


@dataclass(frozen=True)
class WVraag:
    """One w-vraag of the NVRR skeleton (F1) with where this report gives evidence."""

    id: str
    vraag: str
    sectie: str | None
    indicatoren: tuple[str, ...]
    themas: tuple[str, ...]


#: The w-vragen (F1, including the two of the 2017 update); ``sectie`` None: no national data.
W_VRAGEN: tuple[WVraag, ...] = (
    WVraag("doelen", "Welke doelen streven we na?", "doelen", (), ()),
    WVraag("geraakt", "Wie worden er door geraakt?", "profiel",
           ("bevolking_0_17", "jongeren_met_jeugdhulp", "jongeren_met_jeugdzorg"),
           ("bevolking", "gebruik")),
    WVraag("keuzes", "Welke keuzes liggen voor?", None, (), ()),
    WVraag("financieel", "Welke financiële effecten?", "financien",
           ("kosten_per_jongere", "begrotingsafwijking_pct", "kosten_jeugdzorg_gerealiseerd"),
           ("budget",)),
    WVraag("sturing", "Hoe zijn aansturing en verantwoording georganiseerd?", None, (), ()),
    WVraag("schaal", "Op welke schaal en met welke samenwerkingspartners?", "samenwerking",
           (), ()),
    WVraag("toegang", "Hoe is de toegang en doorverwijzing georganiseerd?", "toegang",
           ("toegang_begonnen", "toegang_begonnen_huisarts", "toegang_begonnen_gemeente"),
           ("toegang",)),
    WVraag("integraal", "Krijgen huishoudens met hulp uit meer wetten één samenhangende "
           "aanpak?", "stapeling", ("huishoudens_met_voorziening",), ("stapeling",)),
)  # fmt: skip

NIET_MEETBAAR = "niet meetbaar met landelijke gegevens"

#: The four questions on the council's information position (GRN method, F4).
GRN_VRAGEN: tuple[str, ...] = (
    "Welke doelen heeft de gemeenteraad geformuleerd?",
    "Hoe meet de gemeente of deze doelen worden gerealiseerd?",
    "Is die informatie beschikbaar voor de gemeenteraad?",
    "Hoe heeft de gemeenteraad die informatie gebruikt?",
)

#: Policy questions this project can answer, for the empty goals template: (question, indicator).
SJABLOON: tuple[tuple[str, str], ...] = (
    ("Hoeveel jongeren krijgen jeugdhulp, per 1 000 jongeren?", "jongeren_met_jeugdhulp"),
    ("Daalt het aandeel jongeren met jeugdhulp met verblijf?",
     "jongeren_met_jeugdhulp_met_verblijf"),
    ("Hoeveel jongeren hebben een jeugdbeschermingsmaatregel?",
     "jongeren_met_jeugdbescherming"),
    ("Welk deel van de trajecten begint via de gemeentelijke toegang?",
     "toegang_begonnen_gemeente"),
    ("Blijven de gerealiseerde kosten binnen de begroting?", "begrotingsafwijking_pct"),
    ("Wat kost jeugdzorg per jongere van 0 tot 18 jaar?", "kosten_per_jongere"),
    ("Hoeveel huishoudens krijgen hulp uit meer dan één wet?", "huishoudens_met_voorziening"),
)  # fmt: skip

INLEIDING = (
    "Deze editie volgt de w-vragen waarmee rekenkamers onderzoek naar het sociaal domein "
    "opzetten (NVRR, 2017). Elke sectie zegt wat de cijfers laten zien, wat zij niet laten zien "
    "en op welke vraag zij een antwoord geven. Sectie 8 zet per w-vraag het bewijs uit dit "
    "rapport op een rij; sectie 9 noemt de beperkingen van de gegevens."
)


def kader_html(k: Kader) -> str:
    """The frame as a definition list (escaped by the caller's Markdown renderer)."""
    return (
        f"**Wat dit laat zien:** {k.toont}\n\n"
        f"**Wat dit niet laat zien:** {k.toont_niet}\n\n"
        f"**Welke vraag het beantwoordt:** {k.vraag}"
    )


def sjabloon_kop() -> str:
    """The header line of a local goals file (the ``doelen`` kind)."""
    from analysis.localdata.kinds import DOELEN

    return ";".join(DOELEN.columns)
