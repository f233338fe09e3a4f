"""Region-level constants of the cohesion analysis (the other divisions compared with the
jeugdregio's); thresholds, signals and measures are declared in :mod:`analysis.metadata.cohesion`
and re-exported here."""

from __future__ import annotations

from analysis.metadata.cohesion import (
    DOC_PAGE,
    DREMPELS,
    MAATSTAVEN,
    SIGNALEN,
    Drempel,
    Maatstaf,
    Signaal,
    drempel,
)

__all__ = [
    "DIVISIES",
    "DOC_PAGE",
    "DREMPELS",
    "INDELING_LABELS",
    "MAATSTAVEN",
    "SIGNALEN",
    "Drempel",
    "Maatstaf",
    "Signaal",
    "drempel",
]

#: Other regional divisions compared with the jeugdregio's, with their Dutch labels.
DIVISIES: dict[str, str] = {
    "arbeidsmarktregio": "arbeidsmarktregio",
    "ggdregio": "GGD-regio",
    "veiligheidsregio": "veiligheidsregio",
    "zorgkantoorregio": "zorgkantoorregio",
    "regionaalmeld_coordinatiepunt": "RMC-regio",
    "veiligthuisregio": "Veilig Thuis-regio",
}
INDELING_LABELS: dict[str, str] = {"jeugdregio": "jeugdregio", **DIVISIES}
