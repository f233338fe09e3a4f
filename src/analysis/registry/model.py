"""The declaration types: aggregation rules, indicators, measures and tables."""

from __future__ import annotations

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
