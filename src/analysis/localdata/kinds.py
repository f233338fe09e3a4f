"""The declared kinds of local data: one field list (and so one schema) per kind.

Every kind shares the entity, source and bookkeeping fields of :data:`COMMON_HEAD` and
:data:`COMMON_TAIL`; its own fields sit between them. Units are part of the field name
(``_weken``, ``_pct``, ``_euro``) and repeated in :attr:`Field.unit`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BOUWSTENEN", "Field", "KINDS", "Kind", "kind"]

#: Field types understood by the parser (see ``check._parse_cell``).
TYPES = ("text", "code", "date", "year", "number", "integer", "choice", "indicator")


@dataclass(frozen=True)
class Field:
    """One column of a local-data file."""

    name: str
    type: str
    required: bool
    doc: str
    unit: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    """One kind of local data: its folder name, fields, key and entity rule."""

    name: str
    doc: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    #: code prefixes allowed in ``code`` ("GM" gemeente, "JZ" jeugdregio)
    prefixes: tuple[str, ...]
    #: fields of which at least one must hold a value (empty = no such rule)
    one_of: tuple[str, ...] = ()
    #: (smaller, larger) pairs: ``smaller`` may not exceed ``larger`` when both are given
    not_above: tuple[tuple[str, str], ...] = ()
    #: (field, unless-empty-field): ``field`` is required when any of the others is given
    required_with: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: valid ``jaar``: (first year, years after the current year); None = no ``jaar`` field
    years: tuple[int, int] | None = None

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


#: Lowest year any record may refer to (the Jeugdwet took effect on 1 January 2015).
FIRST_YEAR = 2015

COMMON_HEAD = (
    Field("code", "code", True, "GM-code of a gemeente or JZ-code of a jeugdregio (GM0363, JZ13)"),
    Field("naam", "text", True, "name of the gemeente or jeugdregio, as the source writes it"),
)
COMMON_TAIL = (
    Field("bron_titel", "text", True, "title of the source document or page"),
    Field("bron_uitgever", "text", True, "publisher: region, gemeente, provider, ministry"),
    Field("bron_datum", "date", True, "publication date of the source (YYYY-MM-DD)"),
    Field("bron_vindplaats", "text", True, "URL or Kamerstuk number, with page or section"),
    Field("vastgelegd_op", "date", True, "date the record was entered (YYYY-MM-DD)"),
    Field("vastgelegd_door", "text", True, "who entered it (name or organisation)"),
    Field("toelichting", "text", False, "free-text note"),
)

WACHTTIJDEN = Kind(
    name="wachttijden",
    doc="Waiting-time snapshots per jeugdregio, gemeente or provider, reference date and care type.",
    fields=(
        *COMMON_HEAD,
        Field(
            "aanbieder",
            "text",
            False,
            "provider whose own figure this is (empty = the region's or gemeente's own figure); "
            "``code`` is then the gemeente or jeugdregio it serves",
        ),
        Field("peildatum", "date", True, "reference date of the snapshot (YYYY-MM-DD)"),
        Field("zorgvorm", "text", True, "care type as the source names it"),
        Field(
            "wachttijd_mediaan_weken",
            "number",
            False,
            "median waiting time registration -> start",
            "weken",
        ),
        Field(
            "wachttijd_gemiddeld_weken", "number", False, "mean waiting time reg. -> start", "weken"
        ),
        Field(
            "wachttijd_maximum_weken",
            "number",
            False,
            "maximum waiting time reg. -> start",
            "weken",
        ),
        Field("aantal_wachtend", "integer", False, "number of young people waiting", "aantal"),
        Field(
            "aandeel_binnen_treeknorm_pct",
            "number",
            False,
            "share of those waiting (or started) within the Treeknorm",
            "procent",
        ),
        Field(
            "definitie_wachttijd",
            "text",
            False,
            "the source's own definition of 'wachttijd' (required with any waiting time)",
        ),
        *COMMON_TAIL,
    ),
    key=("code", "aanbieder", "peildatum", "zorgvorm"),
    prefixes=("GM", "JZ"),
    one_of=(
        "wachttijd_mediaan_weken",
        "wachttijd_gemiddeld_weken",
        "wachttijd_maximum_weken",
        "aantal_wachtend",
        "aandeel_binnen_treeknorm_pct",
    ),
    not_above=(
        ("wachttijd_mediaan_weken", "wachttijd_maximum_weken"),
        ("wachttijd_gemiddeld_weken", "wachttijd_maximum_weken"),
    ),
    required_with=(
        (
            "definitie_wachttijd",
            ("wachttijd_mediaan_weken", "wachttijd_gemiddeld_weken", "wachttijd_maximum_weken"),
        ),
    ),
)

#: Regional building blocks (policy-questions R6). The first three are the ones issue 13 needs.
BOUWSTENEN = (
    "sluitende_wachtlijstafspraken",
    "regionaal_expertteam",
    "sociale_kaart",
    "casusoverleg_leertafels",
    "regiomanager_aanspreekpunt",
    "collectief_opdrachtgeverschap",
    "regionale_agenda",
)

BOUWSTENEN_KIND = Kind(
    name="bouwstenen",
    doc="Regional building blocks (R6) per jeugdregio and year: ja / nee / onbekend, with source.",
    fields=(
        *COMMON_HEAD,
        Field("jaar", "year", True, "year the statement refers to"),
        Field("bouwsteen", "choice", True, "which building block", choices=BOUWSTENEN),
        Field("waarde", "choice", True, "ja / nee / onbekend", choices=("ja", "nee", "onbekend")),
        *COMMON_TAIL,
    ),
    key=("code", "jaar", "bouwsteen"),
    prefixes=("JZ",),
    years=(FIRST_YEAR, 0),
)

BUDGET = Kind(
    name="budget",
    doc="Rijksbudget for youth care per gemeente and year, per gemeentefonds circulaire.",
    fields=(
        *COMMON_HEAD,
        Field("jaar", "year", True, "budget year (a circulaire may give later years too)"),
        Field(
            "uitkering",
            "text",
            True,
            "which part: e.g. 'algemene uitkering, jeugd' or 'integratie-uitkering sociaal domein'",
        ),
        Field("bedrag_euro", "number", True, "amount for that year", "euro"),
        Field("circulaire", "text", True, "name of the circulaire (e.g. 'meicirculaire 2023')"),
        Field("circulaire_datum", "date", True, "publication date of the circulaire"),
        *COMMON_TAIL,
    ),
    key=("code", "jaar", "uitkering", "circulaire"),
    prefixes=("GM",),
    years=(FIRST_YEAR, 4),
)

DOELEN = Kind(
    name="doelen",
    doc="Rekenkamer goals and findings per gemeente: goal -> policy question -> indicator.",
    fields=(
        *COMMON_HEAD,
        Field("jaar", "year", True, "year of the policy document or the audit"),
        Field("doel", "text", True, "the goal as the gemeente states it"),
        Field("beleidsvraag", "text", True, "the policy question that follows from the goal"),
        Field(
            "indicator",
            "indicator",
            False,
            "indicator id from the project's registry (empty = none of its indicators measures it)",
        ),
        Field("bevinding", "text", False, "the office's finding"),
        *COMMON_TAIL,
    ),
    key=("code", "jaar", "doel", "beleidsvraag", "indicator"),
    prefixes=("GM",),
    years=(FIRST_YEAR, 0),
)

#: Every kind by folder name, in the order the check reports them.
KINDS: dict[str, Kind] = {k.name: k for k in (WACHTTIJDEN, BOUWSTENEN_KIND, BUDGET, DOELEN)}


def kind(name: str) -> Kind:
    """Look up a kind; unknown names list the valid ones."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown kind {name!r}; valid: {', '.join(KINDS)}") from None
