"""Youth-care use: rates per 1 000 youth, comparisons, shares, trends and ranks.

Pure functions on the processed layer (``indicators.parquet``, ``regio_indeling.parquet``; see
``docs/data-contract.md``). Rules that hold throughout:

* A rate is recomputed from a numerator and a denominator of the **same region, period and
  classification** (``indeling_jaar``). The denominator is ``bevolking_0_17`` of the period's
  calendar year (population on 1 January), also for half-years.
* A group of gemeenten (jeugdregio, size class, provincie) gets the rate
  ``sum(counts) / sum(youth 0-17)`` over the members that have **both** values; rates are never
  averaged. ``dekking`` is the share of members (by count) that contributed.
* Suppressed cells stay missing (``NaN`` with ``onderdrukt`` True), never 0. Counts under
  :data:`SMALL_COUNT` are flagged ``klein``.
* Every output row keeps ``status`` and ``reeks``, so a chart can mark provisional periods and
  never join two series segments (the 2020/2021 trend break).
* Codes and numbers only: the Dutch wording (size-class labels, "de jeugdregio X") belongs to
  the report chapter (:mod:`analysis.report.chapters.gebruik.teksten`).

The functions live in ``selection`` (rates, aggregation), ``comparison`` (comparison groups,
shares, ranks) and ``trends``; this package re-exports every name.
"""

from analysis.indicators.use.comparison import (
    ComparisonFrames,
    compare,
    compare_from,
    comparison_frames,
    comparison_groups,
    group_table,
    rank_in_region,
    share,
    share_met_verblijf,
    size_classes,
)
from analysis.indicators.use.selection import (
    _STATUS_BY_ORDER,
    BEVOLKING,
    GROOTTEKLASSEN,
    NOEMER,
    RATE_COLUMNS,
    SMALL_COUNT,
    STATUS_ORDER,
    USE_INDICATORS,
    _denominators,
    _empty_rates,
    aggregate,
    grootteklasse,
    membership,
    national,
    periode_x,
    rates,
    select,
    worst_status,
)
from analysis.indicators.use.trends import (
    _segment_starts,
    breaks,
    indicator_label,
    latest_period_with_data,
    segments,
    trend,
    trend_change,
)
from analysis.metadata.regions import NEDERLAND, VERGELIJKINGSGROEPEN

__all__ = [
    "BEVOLKING",
    "ComparisonFrames",
    "GROOTTEKLASSEN",
    "NEDERLAND",
    "NOEMER",
    "RATE_COLUMNS",
    "SMALL_COUNT",
    "STATUS_ORDER",
    "USE_INDICATORS",
    "VERGELIJKINGSGROEPEN",
    "_STATUS_BY_ORDER",
    "_denominators",
    "_empty_rates",
    "_segment_starts",
    "aggregate",
    "breaks",
    "compare",
    "compare_from",
    "comparison_frames",
    "comparison_groups",
    "grootteklasse",
    "group_table",
    "indicator_label",
    "latest_period_with_data",
    "membership",
    "national",
    "periode_x",
    "rank_in_region",
    "rates",
    "segments",
    "select",
    "share",
    "share_met_verblijf",
    "size_classes",
    "trend",
    "trend_change",
    "worst_status",
]
