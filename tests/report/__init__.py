"""Tests for ``analysis.report``: shared helpers building a tiny processed layer."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"

#: (code, name, jeugdregio code, jeugdregio name) in classification year 2024.
GEMEENTEN_2024 = [
    ("GM0363", "Amsterdam", "JZ13", "Amstelland en de Meerlanden"),
    ("GM0373", "Bergen (NH.)", "JZ09", "Noord-Holland Noord"),
    ("GM0893", "Bergen (L.)", "JZ40", "Noord-Limburg"),
    ("GM0796", "'s-Hertogenbosch", "JZ32", "Noordoost-Brabant"),
    ("GM1900", "Súdwest-Fryslân", "JZ02", "Friesland"),
    ("GM0599", "Rotterdam", "JZ23", "Rijnmond"),
]
#: 2023 also has a gemeente that no longer exists in 2024.
GEMEENTEN_2023 = [*GEMEENTEN_2024, ("GM0457", "Weesp", "JZ13", "Amstelland en de Meerlanden")]
JAREN = (2022, 2023)


def make_data_dir(root: Path, *, synthetic: bool = True) -> Path:
    """Write ``root/processed/{indicators,regio_indeling}.parquet`` and ``sources.json``."""
    import pandas as pd

    processed = Path(root) / "processed"
    processed.mkdir(parents=True, exist_ok=True)
    rows = []
    for jaar, gemeenten in ((2023, GEMEENTEN_2023), (2024, GEMEENTEN_2024)):
        for code, naam, jz, jz_naam in gemeenten:
            rows.append(
                {
                    "jaar": jaar,
                    "gemeente_code": code,
                    "gemeente_naam": naam,
                    "indeling": "jeugdregio",
                    "regio_code": jz,
                    "regio_naam": jz_naam,
                    "methode": "gebieden_in_nederland",
                    "bron": "85385NED",
                }
            )
            rows.append(
                {
                    **rows[-1],
                    "indeling": "provincie",
                    "regio_code": "PV27",
                    "regio_naam": "Noord-Holland",
                }
            )
    pd.DataFrame(rows).to_parquet(processed / "regio_indeling.parquet", index=False)

    ind = []
    for i, (code, naam, *_rest) in enumerate(GEMEENTEN_2024):
        for jaar in JAREN:
            for indicator, eenheid, waarde in (
                ("jongeren_met_jeugdhulp", "aantal", 1000.0 * (i + 1) + jaar - 2000),
                ("jongeren_met_jeugdhulp_pct", "%", 8.0 + i + (jaar - 2022) * 0.5),
            ):
                ind.append(
                    {
                        "regio_code": code,
                        "regio_naam": naam,
                        "regio_niveau": "gemeente",
                        "indeling_jaar": 2024,
                        "periode": str(jaar),
                        "periode_type": "jaar",
                        "jaar": jaar,
                        "indicator": indicator,
                        "waarde": waarde,
                        "eenheid": eenheid,
                        "status": "definitief",
                        "onderdrukt": False,
                        "bron": "85099NED",
                        "bron_modified": "2024-06-30T02:00:00",
                        "reeks": "jeugdzorg_2021_heden",
                        "berekend": False,
                        "dekking": 1.0,
                    }
                )
    pd.DataFrame(ind).to_parquet(processed / "indicators.parquet", index=False)

    files = sorted(processed.glob("*.parquet"))
    sources = [
        {
            "table_id": "85099NED",
            "catalog": "opendata",
            "title": "Jeugdhulp; gemeenten",
            "modified": "2024-06-30T02:00:00",
            "retrieved_at": "2025-01-10T12:00:00+01:00",
            "files": [
                {"name": f.name, "sha256": hashlib.sha256(f.read_bytes()).hexdigest(), "rows": 1}
                for f in files
            ],
            "synthetic": synthetic,
        },
        {
            "kind": "geo",
            "name": "gemeente_2024.topojson",
            "url": "https://cartomap.github.io/nl/wgs84/gemeente_2024.topojson",
            "retrieved_at": "2025-01-10T12:00:00+01:00",
            "sha256": "ab" * 32,
            "synthetic": synthetic,
        },
    ]
    (processed / "sources.json").write_text(json.dumps(sources, indent=1), encoding="utf-8")
    return Path(root)
