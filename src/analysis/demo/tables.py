"""Demoland's CBS tables: youth care, population, costs, Gebieden in Nederland and KWB.

Every figure is generated per atom (see :mod:`analysis.demo.world`) and summed to the
regions a table publishes, so the levels are consistent: a published NL or PV count is the
rounded sum of the *unrounded* gemeente counts. Youth-care counts are rounded to multiples
of 5 and suppressed (``null``) when the true count is below 10. Like StatLine, every
``TypedDataSet`` is a full cube over its dimensions (a gemeente code that does not exist in
a period has a row of ``null`` values; ``full_cube=False`` leaves those rows out), except
where noted (03759ned keeps the Geslacht and BurgerlijkeStaat breakdown for the country row
only, to keep the file small).

The tables live in ``tables_youth``, ``tables_population``, ``tables_gebieden`` (shared pieces in
``tables_common``); this module re-exports every name.
"""

from analysis.demo.tables_common import (
    _S_COST,
    _S_REVISION,
    _S_YOUTH,
    PROVISIONAL_FACTOR,
    ROUND_TO,
    S_STAPELING,
    SUPPRESS_BELOW,
    TREND_BREAK_FACTOR,
    TREND_BREAK_YEAR,
    Period,
    RegionRow,
    _marker,
    _merger_text,
    _pad_name,
    _py,
    _round5,
    atom_huishoudens,
    cbs_order,
    exists_grid,
    publish,
    region_dim,
    region_matrix,
    region_period_dims,
    region_rows,
    revised_periods,
    revision_factor,
    revision_mask,
    status_of,
    year_periods,
    youth_periods,
)
from analysis.demo.tables_gebieden import (
    _GEBIEDEN_GROUPS,
    _LANDSDELEN,
    write_gebieden,
)
from analysis.demo.tables_population import (
    _AGE_GROUPS,
    _GESLACHT,
    _STAAT,
    _logistic,
    _lr,
    _staat_fractions,
    leeftijd_categories,
    write_kwb,
    write_population,
)
from analysis.demo.tables_youth import (
    _FORM_GROUPS,
    _HALF_SHARE,
    FORMS,
    YouthModel,
    form_key_84,
    write_youth,
    youth_category_groups,
)

__all__ = [
    "FORMS",
    "PROVISIONAL_FACTOR",
    "Period",
    "ROUND_TO",
    "RegionRow",
    "SUPPRESS_BELOW",
    "S_STAPELING",
    "TREND_BREAK_FACTOR",
    "TREND_BREAK_YEAR",
    "YouthModel",
    "_AGE_GROUPS",
    "_FORM_GROUPS",
    "_GEBIEDEN_GROUPS",
    "_GESLACHT",
    "_HALF_SHARE",
    "_LANDSDELEN",
    "_STAAT",
    "_S_COST",
    "_S_REVISION",
    "_S_YOUTH",
    "_logistic",
    "_lr",
    "_marker",
    "_merger_text",
    "_pad_name",
    "_py",
    "_round5",
    "_staat_fractions",
    "atom_huishoudens",
    "cbs_order",
    "exists_grid",
    "form_key_84",
    "leeftijd_categories",
    "publish",
    "region_dim",
    "region_matrix",
    "region_period_dims",
    "region_rows",
    "revised_periods",
    "revision_factor",
    "revision_mask",
    "status_of",
    "write_gebieden",
    "write_kwb",
    "write_population",
    "write_youth",
    "year_periods",
    "youth_category_groups",
    "youth_periods",
]
