"""Regional cohesion of the 42 jeugdregio's (policy questions A2, A3, A5, A12).

Pure functions on DataFrames / GeoDataFrames, one module per part:

* :mod:`.composition` – members, population, largest member, dominance;
* :mod:`.stability` – entering, leaving, switching, herindelingen, boundary changes over time;
* :mod:`.congruence` – fit with other divisions, population-weighted ARI and NMI;
* :mod:`.geometry` – contiguity with the island rule, compactness;
* :mod:`.dispersion` – spread of use and spending among the members, with exclusions;
* :mod:`.profile` – signals from the thresholds in :data:`DREMPELS`;
* :mod:`.pipeline` – :func:`analyse` loads boundaries and runs everything for a report.

Definitions and thresholds (Dutch) are in ``docs/samenhang.md``.
"""

from analysis.indicators.cohesion.composition import composition
from analysis.indicators.cohesion.congruence import (
    Gewichten,
    adjusted_rand_index,
    agreement,
    agreement_matrix,
    congruence_per_region,
    contingency,
    normalized_mutual_information,
)
from analysis.indicators.cohesion.constants import (
    DIVISIES,
    DOC_PAGE,
    DREMPELS,
    INDELING_LABELS,
    MAATSTAVEN,
    SIGNALEN,
    Drempel,
    Maatstaf,
    Signaal,
    drempel,
)
from analysis.indicators.cohesion.dispersion import (
    MAATEN,
    dispersion,
    dispersion_change,
    member_values,
)
from analysis.indicators.cohesion.geometry import region_geometry, region_parts
from analysis.indicators.cohesion.pipeline import (
    NOTITIES,
    Geodata,
    Notitie,
    Samenhang,
    analyse,
    load_geodata,
)
from analysis.indicators.cohesion.population import (
    population_from_indicators,
    population_years,
    restated_population,
)
from analysis.indicators.cohesion.profile import cohesion_profile
from analysis.indicators.cohesion.stability import (
    SOORTEN,
    area_crosswalk,
    change_timeline,
    composition_changed,
    events_for_gemeente,
    events_for_region,
    membership_events,
    region_events,
    region_transfers,
)

__all__ = [
    "DIVISIES",
    "DOC_PAGE",
    "DREMPELS",
    "INDELING_LABELS",
    "MAATEN",
    "MAATSTAVEN",
    "SIGNALEN",
    "NOTITIES",
    "SOORTEN",
    "Drempel",
    "Geodata",
    "Gewichten",
    "Maatstaf",
    "Notitie",
    "Samenhang",
    "Signaal",
    "adjusted_rand_index",
    "agreement",
    "agreement_matrix",
    "analyse",
    "area_crosswalk",
    "change_timeline",
    "cohesion_profile",
    "composition",
    "composition_changed",
    "congruence_per_region",
    "contingency",
    "dispersion",
    "dispersion_change",
    "drempel",
    "events_for_gemeente",
    "events_for_region",
    "load_geodata",
    "member_values",
    "membership_events",
    "normalized_mutual_information",
    "population_from_indicators",
    "population_years",
    "region_events",
    "region_geometry",
    "region_parts",
    "region_transfers",
    "restated_population",
]
