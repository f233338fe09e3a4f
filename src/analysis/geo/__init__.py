"""Geography by year: boundary layers, gemeente -> region memberships, herindeling crosswalks.

Typical use::

    from analysis import geo

    gem = geo.load_boundaries("gemeente", 2023)           # EPSG:28992
    lid = geo.load_membership("jeugdregio", 2023)         # contract columns of regio_indeling
    cw = geo.crosswalk_from_boundaries(geo.load_boundaries("gemeente", 2020), gem)
    bev_2023 = geo.restate_counts(bev_2020, cw)           # counts only; recompute rates
"""

from __future__ import annotations

from analysis.geo.boundaries import (
    CRS,
    LAYERS,
    PREFIXES,
    GeoDownloadError,
    available_years,
    cached_layers,
    fetch_layer,
    layer_provenance,
    load_boundaries,
    to_rd,
)
from analysis.geo.crosswalk import (
    CROSSWALK_COLUMNS,
    METHODES,
    ConservationError,
    check_conservation,
    compose,
    crosswalk_from_boundaries,
    crosswalk_from_mergers,
    load_crosswalk,
    restate_counts,
)
from analysis.geo.membership import (
    MEMBERSHIP_COLUMNS,
    dissolve_regions,
    load_membership,
    membership_changes,
    membership_from_boundaries,
)
from analysis.geo.topojson import TopoJSONError, read_topojson

__all__ = [
    "CROSSWALK_COLUMNS",
    "CRS",
    "LAYERS",
    "MEMBERSHIP_COLUMNS",
    "METHODES",
    "PREFIXES",
    "ConservationError",
    "GeoDownloadError",
    "TopoJSONError",
    "available_years",
    "cached_layers",
    "check_conservation",
    "compose",
    "crosswalk_from_boundaries",
    "crosswalk_from_mergers",
    "dissolve_regions",
    "fetch_layer",
    "layer_provenance",
    "load_boundaries",
    "load_crosswalk",
    "load_membership",
    "membership_changes",
    "membership_from_boundaries",
    "read_topojson",
    "restate_counts",
    "to_rd",
]
