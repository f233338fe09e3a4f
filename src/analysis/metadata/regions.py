"""Region levels, code prefixes, boundary layers and divisions, declared once.

Every module that needs to know what a ``GM``/``JZ``/``PV`` code is, which boundary layers
exist, which divisions "Gebieden in Nederland" carries, or what Nederland is called, imports
it from here.
"""

from __future__ import annotations

__all__ = [
    "BOUNDARY_DIVISIONS",
    "CODE_PATTERN",
    "DEMOLAND_DIVISIONS",
    "GEBIEDEN_GROUPS",
    "LAYERS",
    "NEDERLAND",
    "NEDERLAND_NAAM",
    "NIVEAU",
    "PREFIXES",
    "VERGELIJKINGSGROEPEN",
    "region_level",
]

#: Nederland in the processed layer, whatever code a CBS table gives it (``NL00``, ``NL01``)
NEDERLAND = "NL01"
NEDERLAND_NAAM = "Nederland"

#: code prefix -> level of the region in ``indicators.parquet`` (``regio_niveau``)
NIVEAU: dict[str, str] = {
    "GM": "gemeente",
    "JZ": "jeugdregio",
    "PV": "provincie",
    "NL": "land",
    "WK": "wijk",
}

#: a well-formed region code of the processed layer
CODE_PATTERN = rf"GM\d{{4}}|JZ\d{{2}}|PV\d{{2}}|{NEDERLAND}"

#: boundary layers (cartomap ``<layer>_<year>.topojson``) -> Dutch display label
LAYERS: dict[str, str] = {
    "gemeente": "Gemeente",
    "provincie": "Provincie",
    "jeugdregio": "Jeugdregio",
    "arbeidsmarktregio": "Arbeidsmarktregio",
    "ggdregio": "GGD-regio",
    "veiligheidsregio": "Veiligheidsregio",
    "zorgkantoorregio": "Zorgkantoorregio",
    "regionaalmeld_coordinatiepunt": "Regionaal Meld- en Coördinatiepunt (RMC)",
    "veiligthuisregio": "Veilig Thuis-regio",
}

#: code prefix of each layer's ``statcode`` (a sanity check against swapped files)
PREFIXES: dict[str, str] = {
    "gemeente": "GM",
    "provincie": "PV",
    "jeugdregio": "JZ",
    "arbeidsmarktregio": "AM",
    "ggdregio": "GG",
    "veiligheidsregio": "VR",
    "zorgkantoorregio": "ZK",
    "regionaalmeld_coordinatiepunt": "MC",
    "veiligthuisregio": "VT",
}

#: every division a gemeente can belong to (all layers but the gemeente itself)
BOUNDARY_DIVISIONS: tuple[str, ...] = tuple(layer for layer in LAYERS if layer != "gemeente")

#: division -> pattern of its TopicGroup title in CBS "Gebieden in Nederland"
GEBIEDEN_GROUPS: dict[str, str] = {
    "jeugdregio": r"^Jeugd(zorg)?regio",
    "provincie": r"^Provincie",
    "arbeidsmarktregio": r"^Arbeidsmarktregio",
    "ggdregio": r"^GGD",
    "veiligheidsregio": r"^Veiligheidsregio",
    "zorgkantoorregio": r"^Zorgkantoorregio",
}

#: the divisions the synthetic country Demoland generates (boundaries and Gebieden groups)
DEMOLAND_DIVISIONS: tuple[str, ...] = (
    "jeugdregio",
    "provincie",
    "arbeidsmarktregio",
    "veiligheidsregio",
)

#: groups a gemeente report compares the gemeente with
VERGELIJKINGSGROEPEN: tuple[str, ...] = ("grootteklasse", "jeugdregio", "provincie")


def region_level(code: str) -> str | None:
    """``regio_niveau`` of a processed-layer code (``GM0363`` -> ``gemeente``); None if unknown."""
    return NIVEAU.get(code[:2])
