"""Validation of report parameters before anything executes, and safe output paths.

``param_catalog(data_dir)`` reads ``processed/regio_indeling.parquet`` and
``processed/indicators.parquet`` once; ``validate_report_params(kind, params, catalog)`` checks a
parameter dict for one report kind and returns a normalised copy (codes upper-cased, a gemeente
or region *name* resolved to its code, years as ``int``). Errors are :class:`ParameterError`
(a ``ValueError``) with a Dutch message naming the bad value and the closest valid choices.
The checks and the matcher live in :mod:`analysis.validation`, which
:func:`analysis.store.report_context` uses too: one validator.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from analysis.echo import echo
from analysis.metadata.regions import VERGELIJKINGSGROEPEN
from analysis.validation import (
    KIND_PARAMS,
    KIND_REQUIRED,
    PROFIELEN,
    ParamCatalog,
    ParameterError,
    _as_year,
    validate_report_params,
)

__all__ = [
    "KIND_PARAMS",
    "KIND_REQUIRED",
    "PROFIELEN",
    "VERGELIJKINGSGROEPEN",
    "ParamCatalog",
    "ParameterError",
    "output_path",
    "param_catalog",
    "safe_filename",
    "validate_report_params",
]


def param_catalog(data_dir: Path) -> ParamCatalog:
    """Build a :class:`ParamCatalog` from ``data_dir/processed``."""
    import pandas as pd

    processed = Path(data_dir) / "processed"
    indeling_path = processed / "regio_indeling.parquet"
    indicators_path = processed / "indicators.parquet"
    for path in (indeling_path, indicators_path):
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} not found; build the processed layer first "
                "(`python -m analysis data` or `python -m analysis demo-data`)"
            )
    ind = pd.read_parquet(
        indeling_path,
        columns=["jaar", "gemeente_code", "gemeente_naam", "indeling", "regio_code", "regio_naam"],
    )
    gemeenten: dict[int, dict[str, str]] = {}
    for (jaar, code), naam in (
        ind.drop_duplicates(["jaar", "gemeente_code"])
        .set_index(["jaar", "gemeente_code"])["gemeente_naam"]
        .items()
    ):
        gemeenten.setdefault(int(jaar), {})[str(code)] = str(naam)
    jz = ind[ind["indeling"] == "jeugdregio"].drop_duplicates(["jaar", "regio_code"])
    jeugdregios: dict[int, dict[str, str]] = {}
    for jaar, code, naam in zip(jz["jaar"], jz["regio_code"], jz["regio_naam"], strict=True):
        jeugdregios.setdefault(int(jaar), {})[str(code)] = str(naam)
    jaren = pd.read_parquet(indicators_path, columns=["jaar"])["jaar"].dropna().unique()
    return ParamCatalog(
        gemeenten=gemeenten,
        jeugdregios=jeugdregios,
        jaren=tuple(sorted(int(j) for j in jaren)),
        data_dir=Path(data_dir),
    )


# --------------------------------------------------------------------------- file names


def _slug(text: str, *, lower: bool = True) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text))
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    if lower:
        ascii_only = ascii_only.lower()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_only).strip("-")


def safe_filename(code: str, name: str, jaar: int | None) -> str:
    """ASCII file stem ``<CODE>-<name-slug>[-<jaar>]``: no separators, no leading dots.

    ``safe_filename("GM0796", "'s-Hertogenbosch", None) == "GM0796-s-hertogenbosch"``.
    """
    code_part = _slug(code, lower=False)
    if not code_part:
        raise ParameterError(f"code {echo(code)} levert geen bruikbare bestandsnaam op")
    parts = [code_part]
    name_part = _slug(name)
    if name_part:
        parts.append(name_part)
    if jaar is not None:
        parts.append(str(_as_year("jaar", jaar)))
    return "-".join(parts)[:150].strip("-")


def output_path(reports_dir: Path, profiel: str, kind: str, filename: str) -> Path:
    """``reports_dir/<profiel>/<kind>/<filename>``; refuses anything resolving outside it."""
    root = Path(reports_dir).resolve()
    for label, part in (("profiel", profiel), ("kind", kind), ("filename", filename)):
        text = str(part)
        if not text or text in {".", ".."} or "/" in text or "\\" in text or "\x00" in text:
            raise ParameterError(
                f"{label} {echo(text)} is geen geldige enkele padcomponent (geen '/', '..' of leeg)"
            )
        if text.startswith("."):
            raise ParameterError(f"{label} {echo(text)} mag niet met een punt beginnen")
    path = (root / profiel / kind / filename).resolve()
    if not path.is_relative_to(root):
        raise ParameterError(f"uitvoerpad {path} ligt buiten de rapportmap {root}")
    return path
