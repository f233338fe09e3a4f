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

from analysis.registry.indicatoren import (
    _AFGELEID,
    _BUDGET_INDICATORS,
    _IV3_GROEPEN,
    _MAATSTAF,
    BASIS_INDICATORS,
    JEUGDZORG_TRENDBREUK,
    WOONPLAATSBEGINSEL,
)
from analysis.registry.indicatoren_stapeling import (
    JEUGDZORG_SAMENLOOP,
    STAPELING_BRON,
    STAPELING_COMBINATIES,
    STAPELING_KLASSEN,
    _stapeling_indicators,
)
from analysis.registry.indicatoren_toegang import (
    _GEEN_WACHTTIJD,
    _TRAJECT_85097,
    DUURKLASSEN,
    VERWIJZERS,
    _toegang_indicators,
)
from analysis.registry.measures import (
    _AANTAL,
    _GEBIEDEN,
    _IV3,
    _JEUGDZORG_MEASURES,
    _KOSTEN_MEASURES,
    _KWB,
    _MAATSTAVEN,
    _SAMENLOOP_MEASURES,
    _SOORT,
    _STAPELING,
    _VERWIJZER,
    _VORM,
    _WMO_MEASURES,
    _WMO_TOTAAL,
    _WMO_TYPE,
    _WMO_UITGAVEN_MEASURES,
    _jb_jr_measures,
    _samenloop_measures,
    _stapeling_measures,
    maatstaven_measures,
)
from analysis.registry.model import (
    AGGREGATIEREGELS,
    GEEN,
    SOM,
    Aggregatie,
    Indicator,
    Measure,
    Table,
    gewogen_gemiddelde,
)
from analysis.registry.tabellen import (
    _tables,
)

INDICATORS: tuple[Indicator, ...] = (
    BASIS_INDICATORS + _toegang_indicators() + _stapeling_indicators()
)

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


__all__ = [
    "AGGREGATIEREGELS",
    "Aggregatie",
    "BASIS_INDICATORS",
    "DUURKLASSEN",
    "EXPECTED_GEMEENTEN",
    "EXPECTED_JEUGDREGIOS",
    "GEEN",
    "INDICATORS",
    "INDICATOR_BY_ID",
    "Indicator",
    "JEUGDZORG_SAMENLOOP",
    "JEUGDZORG_TRENDBREUK",
    "Measure",
    "SOM",
    "STAPELING_BRON",
    "STAPELING_COMBINATIES",
    "STAPELING_KLASSEN",
    "TABLES",
    "Table",
    "VERWIJZERS",
    "WOONPLAATSBEGINSEL",
    "_AANTAL",
    "_AFGELEID",
    "_BUDGET_INDICATORS",
    "_GEBIEDEN",
    "_GEEN_WACHTTIJD",
    "_IV3",
    "_IV3_GROEPEN",
    "_JEUGDZORG_MEASURES",
    "_KOSTEN_MEASURES",
    "_KWB",
    "_MAATSTAF",
    "_MAATSTAVEN",
    "_SAMENLOOP_MEASURES",
    "_SOORT",
    "_STAPELING",
    "_TRAJECT_85097",
    "_VERWIJZER",
    "_VORM",
    "_WMO_MEASURES",
    "_WMO_TOTAAL",
    "_WMO_TYPE",
    "_WMO_UITGAVEN_MEASURES",
    "_jb_jr_measures",
    "_samenloop_measures",
    "_stapeling_indicators",
    "_stapeling_measures",
    "_tables",
    "_toegang_indicators",
    "check_indicators",
    "gewogen_gemiddelde",
    "indicator",
    "maatstaven_measures",
    "table",
    "tables",
    "unknown_tables",
]
