"""Raw snapshots → the processed layer (see ``docs/data-contract.md``).

Steps, each reading only the one before it:

1. memberships gemeente → region per year: CBS "Gebieden in Nederland" where a snapshot
   exists, otherwise derived from boundaries (interior point in polygon); method recorded;
2. every declared measure of every build table, resolved by title from the snapshot's own
   metadata, in tidy long form on the classification of its own year (codes stripped, labels
   beside them, suppressed cells NaN + ``onderdrukt``, period status kept);
3. gemeente counts restated onto the reference classification (boundary crosswalk), with a
   conservation check on national totals;
4. gemeente values carried to jeugdregio and provincie by each indicator's declared
   aggregation rule (``registry.Indicator.aggregatie``: sum, weighted mean, or none), with
   the coverage of each aggregate;
5. atomic writes of ``indicators.parquet``, ``regio_indeling.parquet``, ``sources.json`` and
   ``build_report.json``.
"""

from analysis.build.core import (
    _build,
    _checks,
    _wijken,
    build,
)
from analysis.build.extract import (
    NUMERIC_TYPES,
    SUPPRESSED_MARKERS,
    _periods,
    _row_key,
    _skip_text,
    check_values,
    extract_measures,
    normalise_region,
    parse_period,
)
from analysis.build.harmonisation import (
    _KEY,
    ESTIMATES,
    _additive_gemeente_counts,
    _anti_join,
    _dedupe_sources,
    _estimates_only_where_needed,
    _gemeente_rows,
    _weighted,
    _weighted_mean,
    aggregate,
    aggregation_rules,
    carry_region_totals,
    carry_unchanged_rates,
    compare_region_totals,
    drop_impossible,
    harmonise,
    table_classification,
)
from analysis.build.memberships import (
    boundary_memberships,
    combine_memberships,
    memberships_from_gebieden,
)
from analysis.build.model import (
    STATUS,
    BuildError,
    BuildReport,
    Steps,
)
from analysis.build.publishing import (
    KEEP_VERSIONS,
    PROCESSED_FILES,
    VERSIONS_DIR,
    _owner_alive,
    _prune_versions,
    _table_ids,
    _versions_dir,
    guard_shrink,
    missing_entries,
    missing_tables,
    new_version_name,
    previous_content,
    processed_problem,
    publish,
)
from analysis.build.sources import (
    _fill_membership_names,
    _fill_names,
    _geo_sources,
    _write_parquet_atomic,
    select_snapshots,
)
from analysis.metadata.regions import NIVEAU
from analysis.metadata.schema import COLUMNS, ROW_KEY, VALUE_KEYS

__all__ = [
    "BuildError",
    "BuildReport",
    "COLUMNS",
    "ESTIMATES",
    "KEEP_VERSIONS",
    "NIVEAU",
    "NUMERIC_TYPES",
    "PROCESSED_FILES",
    "ROW_KEY",
    "STATUS",
    "SUPPRESSED_MARKERS",
    "Steps",
    "VALUE_KEYS",
    "VERSIONS_DIR",
    "_KEY",
    "_additive_gemeente_counts",
    "_anti_join",
    "_build",
    "_checks",
    "_dedupe_sources",
    "_estimates_only_where_needed",
    "_fill_membership_names",
    "_fill_names",
    "_gemeente_rows",
    "_geo_sources",
    "_owner_alive",
    "_periods",
    "_prune_versions",
    "_row_key",
    "_skip_text",
    "_table_ids",
    "_versions_dir",
    "_weighted",
    "_weighted_mean",
    "_wijken",
    "_write_parquet_atomic",
    "aggregate",
    "aggregation_rules",
    "boundary_memberships",
    "build",
    "carry_region_totals",
    "carry_unchanged_rates",
    "check_values",
    "combine_memberships",
    "compare_region_totals",
    "drop_impossible",
    "extract_measures",
    "guard_shrink",
    "harmonise",
    "memberships_from_gebieden",
    "missing_entries",
    "missing_tables",
    "new_version_name",
    "normalise_region",
    "parse_period",
    "previous_content",
    "processed_problem",
    "publish",
    "select_snapshots",
    "table_classification",
]
