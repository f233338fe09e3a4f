"""Thresholds, signal rules and measure definitions of the cohesion analysis, declared once.

Every rule in :mod:`analysis.indicators.cohesion` reads its threshold from :data:`DREMPELS`;
``docs/samenhang.md`` documents the same values (a test keeps the two in step) and the
indicator catalogue renders :data:`MAATSTAVEN` and :data:`SIGNALEN`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Drempel:
    """One threshold: value, unit and a Dutch explanation for reports."""

    waarde: float
    eenheid: str
    omschrijving: str


DREMPELS: dict[str, Drempel] = {
    "dominantie_aandeel": Drempel(
        0.5,
        "aandeel",
        "Dominante centrumgemeente: de grootste gemeente heeft minstens dit aandeel van de "
        "inwoners van de regio.",
    ),
    "congruent_min_aandeel": Drempel(
        1.0,
        "aandeel",
        "Congruent: minstens dit aandeel van de inwoners van de jeugdregio valt in één regio van "
        "de andere indeling (1 = alle lidgemeenten in dezelfde regio).",
    ),
    "snipper_km2": Drempel(
        1.0,
        "km²",
        "Snipper: een los vlak kleiner dan dit telt niet als deelgebied (artefact van "
        "generalisatie van de grenzen).",
    ),
    "aaneengesloten_tolerantie_m": Drempel(
        100.0,
        "m",
        "Delen van een regio die minder dan deze afstand van elkaar liggen gelden als "
        "aaneengesloten (de gegeneraliseerde grenzen sluiten niet overal exact aan).",
    ),
    "versnipperd_min_delen": Drempel(
        2,
        "aantal",
        "Versnipperd gebied: de regio bestaat uit minstens zoveel delen die alleen via het "
        "grondgebied van een andere regio bereikbaar zijn (eilanden tellen niet mee).",
    ),
    "grens_erosie_m": Drempel(
        250.0,
        "m",
        "Bij het vergelijken van regiogrenzen tussen jaren wordt elk overgedragen vlak eerst "
        "zoveel naar binnen verkleind, zodat smalle randverschillen (generalisatie) wegvallen.",
    ),
    "grens_kern_km2": Drempel(
        4.0,
        "km²",
        "Grenswijziging: een vlak dat van regio wisselt telt als wijziging als er na de "
        "verkleining nog minstens deze oppervlakte over is.",
    ),
    "opvolger_min_aandeel": Drempel(
        0.05,
        "aandeel",
        "Bij een herindeling geldt een gemeente als opvolger als zij minstens dit aandeel van "
        "de oppervlakte van de opgeheven gemeente krijgt.",
    ),
    "regio_splitsing_aandeel": Drempel(
        0.2,
        "aandeel",
        "Regio gesplitst of samengevoegd: minstens twee delen van elk minstens dit aandeel van "
        "de oppervlakte gaan naar verschillende regio's (of komen uit verschillende regio's).",
    ),
    "min_telling": Drempel(
        10,
        "aantal",
        "Kleine aantallen: een gemeente met minder jongeren met jeugdzorg dan dit telt niet mee "
        "in de spreiding.",
    ),
    "min_jongeren": Drempel(
        500,
        "aantal",
        "Kleine noemer: een gemeente met minder jongeren (0–17 jaar) dan dit telt niet mee in "
        "de spreiding.",
    ),
    "min_leden_spreiding": Drempel(
        3,
        "aantal",
        "Spreiding wordt alleen berekend als minstens zoveel lidgemeenten meetellen.",
    ),
    "spreiding_cv": Drempel(
        0.25,
        "variatiecoëfficiënt",
        "Grote spreiding in gebruik: de variatiecoëfficiënt van het gebruik per 1 000 jongeren "
        "tussen de lidgemeenten is minstens deze waarde.",
    ),
    "venster_jaren": Drempel(
        5,
        "jaren",
        "Samenstelling gewijzigd: er was een wijziging in de samenstelling in het verslagjaar of "
        "in de jaren daarvoor, tot zoveel jaar terug.",
    ),
}


def drempel(naam: str, overrides: Mapping[str, float] | None = None) -> float:
    """The value of one threshold, optionally overridden (unknown names raise)."""
    if naam not in DREMPELS:
        raise KeyError(f"unknown threshold {naam!r}; valid: {', '.join(sorted(DREMPELS))}")
    if overrides and naam in overrides:
        return float(overrides[naam])
    return float(DREMPELS[naam].waarde)


@dataclass(frozen=True)
class Signaal:
    """A cohesion signal: Dutch label and the rule that sets it."""

    id: str
    label: str
    regel: str


SIGNALEN: dict[str, Signaal] = {
    s.id: s
    for s in (
        Signaal(
            "samenstelling_gewijzigd",
            "samenstelling gewijzigd",
            "Een gemeente kwam erbij, ging eruit of wisselde van regio, er was een herindeling "
            "over de regiogrens of een grenswijziging, binnen het venster `venster_jaren`.",
        ),
        Signaal(
            "niet_congruent_arbeidsmarktregio",
            "niet congruent met arbeidsmarktregio",
            "Minder dan `congruent_min_aandeel` van de inwoners ligt in de modale "
            "arbeidsmarktregio.",
        ),
        Signaal(
            "versnipperd_gebied",
            "versnipperd gebied",
            "Minstens `versnipperd_min_delen` niet-eilanddelen groter dan `snipper_km2`.",
        ),
        Signaal(
            "dominante_centrumgemeente",
            "dominante centrumgemeente",
            "De grootste gemeente heeft minstens `dominantie_aandeel` van de inwoners.",
        ),
        Signaal(
            "grote_spreiding_gebruik",
            "grote spreiding in gebruik",
            "Variatiecoëfficiënt van het jeugdzorggebruik per 1 000 jongeren tussen de "
            "meetellende lidgemeenten minstens `spreiding_cv`.",
        ),
    )
}


@dataclass(frozen=True)
class Maatstaf:
    """A cohesion measure for the indicator catalogue."""

    id: str
    label: str
    definitie: str
    eenheid: str


MAATSTAVEN: tuple[Maatstaf, ...] = (
    Maatstaf("n_gemeenten", "Aantal lidgemeenten", "Aantal gemeenten in de jeugdregio.", "aantal"),
    Maatstaf(
        "aandeel_grootste",
        "Aandeel grootste gemeente",
        "Inwoners van de grootste lidgemeente gedeeld door de inwoners van de regio.",
        "aandeel",
    ),
    Maatstaf(
        "ratio_grootste_kleinste",
        "Verhouding grootste/kleinste",
        "Inwoners van de grootste lidgemeente gedeeld door die van de kleinste.",
        "verhouding",
    ),
    Maatstaf(
        "modaal_aandeel",
        "Congruentie (modaal aandeel)",
        "Aandeel van de inwoners van de jeugdregio dat in de meest voorkomende regio van de "
        "andere indeling ligt.",
        "aandeel",
    ),
    Maatstaf(
        "ari",
        "Gewogen adjusted Rand index",
        "Overeenstemming tussen twee indelingen over alle inwoners (1 = gelijk, rond 0 = "
        "toevallig).",
        "index",
    ),
    Maatstaf(
        "nmi",
        "Genormaliseerde wederzijdse informatie",
        "Wederzijdse informatie van twee indelingen gedeeld door het gemiddelde van hun "
        "entropieën, gewogen naar inwoners (0–1).",
        "index",
    ),
    Maatstaf(
        "n_delen",
        "Aantal deelgebieden",
        "Aantal aaneengesloten delen van de regio groter dan de snippergrens, eilanden inbegrepen.",
        "aantal",
    ),
    Maatstaf(
        "polsby_popper",
        "Compactheid (Polsby–Popper)",
        "4π × oppervlakte / omtrek²: 1 voor een cirkel, lager voor grillige of langgerekte vormen.",
        "index",
    ),
    Maatstaf(
        "convexe_ratio",
        "Compactheid (convexe schil)",
        "Oppervlakte van de regio gedeeld door de oppervlakte van haar convexe schil.",
        "index",
    ),
    Maatstaf(
        "cv",
        "Variatiecoëfficiënt tussen lidgemeenten",
        "Standaardafwijking (populatie) gedeeld door het ongewogen gemiddelde van de waarden "
        "van de meetellende lidgemeenten.",
        "index",
    ),
    Maatstaf(
        "iqr_mediaan",
        "Robuuste spreiding",
        "Interkwartielafstand gedeeld door de mediaan van de waarden van de meetellende "
        "lidgemeenten.",
        "index",
    ),
)

#: Name of the Dutch documentation page that reports cite for definitions and thresholds.
DOC_PAGE = "docs/samenhang.md"
