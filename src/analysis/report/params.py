"""Validation of report parameters before anything executes, and safe output paths.

``param_catalog(data_dir)`` reads ``processed/regio_indeling.parquet`` and
``processed/indicators.parquet`` once; ``validate_report_params(kind, params, catalog)`` checks a
parameter dict for one report kind and returns a normalised copy (codes upper-cased, a gemeente
or region *name* resolved to its code, years as ``int``). Errors are :class:`ParameterError`
(a ``ValueError``) with a Dutch message naming the bad value and the closest valid choices.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.echo import echo

#: Report kinds and the parameters each notebook declares (its ``parameters`` cell).
KIND_PARAMS: dict[str, tuple[str, ...]] = {
    "nederland": ("jaar", "indeling_jaar", "data_dir", "profiel"),
    "jeugdregio": ("regio", "jaar", "indeling_jaar", "data_dir", "profiel"),
    "gemeente": ("gemeente", "jaar", "indeling_jaar", "vergelijkingsgroep", "data_dir", "profiel"),
}
#: Parameters that must be given for a kind (the rest fall back to the notebook defaults).
KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    "nederland": (),
    "jeugdregio": ("regio",),
    "gemeente": ("gemeente",),
}
VERGELIJKINGSGROEPEN: tuple[str, ...] = ("grootteklasse", "jeugdregio", "provincie")
PROFIELEN: tuple[str, ...] = ("cbs", "demoland")

_MAX_SUGGESTIONS = 5


class ParameterError(ValueError):
    """A report parameter is invalid; the message names the value and valid alternatives."""


@dataclass(frozen=True)
class ParamCatalog:
    """Valid choices derived from the processed layer.

    ``gemeenten`` and ``jeugdregios`` map a classification year to ``{code: name}``;
    ``jaren`` are the calendar years with data in ``indicators.parquet``.
    """

    gemeenten: dict[int, dict[str, str]]
    jeugdregios: dict[int, dict[str, str]]
    jaren: tuple[int, ...]
    data_dir: Path | None = None

    @property
    def indeling_jaren(self) -> tuple[int, ...]:
        """Classification years present in ``regio_indeling.parquet``."""
        return tuple(sorted(self.gemeenten))

    def latest_indeling(self) -> int:
        """The most recent classification year."""
        if not self.gemeenten:
            raise ParameterError("regio_indeling bevat geen indelingsjaren")
        return max(self.gemeenten)


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


# --------------------------------------------------------------------------- matching helpers


def _fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: ``'s-Hertogenbosch`` -> ``shertogenbosch``."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", ascii_only.casefold())


def _suggest(value: str, choices: Mapping[str, str]) -> list[str]:
    """Closest ``"CODE Naam"`` strings for ``value`` among ``{code: name}``."""
    key = _fold(value)
    by_code = {_fold(c): c for c in choices}
    by_name: dict[str, list[str]] = {}
    for code, name in choices.items():
        by_name.setdefault(_fold(name), []).append(code)
    hits: list[str] = []
    # names that contain the input ("bergen" -> "Bergen (L.)", "Bergen (NH.)")
    if len(key) >= 3:
        for folded, codes in sorted(by_name.items()):
            if key in folded:
                hits.extend(codes)
    for m in difflib.get_close_matches(key, list(by_name), n=_MAX_SUGGESTIONS, cutoff=0.6):
        hits.extend(by_name[m])
    for m in difflib.get_close_matches(key, list(by_code), n=_MAX_SUGGESTIONS, cutoff=0.6):
        hits.append(by_code[m])
    seen: list[str] = []
    for code in hits:
        if code not in seen:
            seen.append(code)
    return [f"{c} {choices[c]}" for c in seen[:_MAX_SUGGESTIONS]]


def _resolve_code(value: Any, prefix: str, choices: Mapping[str, str]) -> str | None:
    """Return the code for a code (any case, digits only allowed) or an exact name, else None."""
    text = str(value).strip()
    upper = text.upper()
    if upper in choices:
        return upper
    digits = re.fullmatch(rf"(?:{prefix})?\s*(\d+)", upper)
    if digits:
        width = max((len(c) - len(prefix) for c in choices if c.startswith(prefix)), default=0)
        candidate = prefix + digits.group(1).zfill(width)
        if candidate in choices:
            return candidate
    key = _fold(text)
    matches = [c for c, n in choices.items() if _fold(n) == key]
    if len(matches) == 1:
        return matches[0]
    return None


def _unknown(label: str, value: Any, choices: Mapping[str, str], context: str) -> ParameterError:
    suggestions = _suggest(str(value), choices)
    hint = (
        "bedoelde u: " + "; ".join(suggestions)
        if suggestions
        else f"geldige codes zijn bijvoorbeeld: {'; '.join(f'{c} {n}' for c, n in list(sorted(choices.items()))[:_MAX_SUGGESTIONS])}"
    )
    return ParameterError(f"onbekende {label} {echo(value)} {context}; {hint}")


def _as_year(name: str, value: Any) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ParameterError(f"{name} moet een jaartal zijn, niet {echo(value)}") from None
    if isinstance(value, float) and not float(value).is_integer():
        raise ParameterError(f"{name} moet een jaartal zijn, niet {echo(value)}")
    return year


def _years(values: tuple[int, ...] | list[int]) -> str:
    return ", ".join(str(v) for v in values) or "(geen)"


# --------------------------------------------------------------------------- validation


def validate_report_params(kind: str, params: dict, catalog: ParamCatalog) -> dict:
    """Check ``params`` for a report of ``kind`` and return a normalised copy.

    Raises :class:`ParameterError` for an unknown kind or parameter, an unknown gemeente or
    region (listing the closest valid codes with names), a year without data (listing the
    available years), an invalid ``vergelijkingsgroep`` or ``profiel``.
    """
    if kind not in KIND_PARAMS:
        raise ParameterError(f"onbekend rapporttype {echo(kind)}; geldig: {', '.join(KIND_PARAMS)}")
    allowed = KIND_PARAMS[kind]
    unknown = [k for k in params if k not in allowed]
    if unknown:
        raise ParameterError(
            f"onbekende parameter(s) {', '.join(map(echo, unknown))} voor rapport {kind!r}; "
            f"geldig: {', '.join(allowed)}"
        )
    missing = [
        k for k in KIND_REQUIRED[kind] if params.get(k) is None or not str(params[k]).strip()
    ]
    if missing:
        raise ParameterError(f"rapport {kind!r} vraagt om parameter(s): {', '.join(missing)}")

    out = dict(params)
    if "profiel" in out and out["profiel"] not in PROFIELEN:
        raise ParameterError(
            f"onbekend profiel {echo(out['profiel'])}; geldig: {', '.join(PROFIELEN)}"
        )
    if "data_dir" in out:
        if not isinstance(out["data_dir"], (str, Path)):
            raise ParameterError(f"data_dir moet een pad zijn, niet {echo(out['data_dir'])}")
        out["data_dir"] = str(out["data_dir"])
    if out.get("jaar") is not None:
        jaar = _as_year("jaar", out["jaar"])
        if jaar not in catalog.jaren:
            raise ParameterError(
                f"geen gegevens voor jaar {echo(jaar)}; beschikbare jaren: {_years(catalog.jaren)}"
            )
        out["jaar"] = jaar
    if out.get("indeling_jaar") is not None:
        indeling = _as_year("indeling_jaar", out["indeling_jaar"])
        if indeling not in catalog.gemeenten:
            raise ParameterError(
                f"geen gemeentelijke indeling voor {echo(indeling)}; "
                f"beschikbare indelingsjaren: {_years(catalog.indeling_jaren)}"
            )
        out["indeling_jaar"] = indeling
    else:
        indeling = catalog.latest_indeling()

    if kind == "gemeente":
        choices = catalog.gemeenten.get(indeling, {})
        code = _resolve_code(out["gemeente"], "GM", choices)
        if code is None:
            elsewhere = [
                j
                for j, g in sorted(catalog.gemeenten.items())
                if _resolve_code(out["gemeente"], "GM", g) is not None
            ]
            context = f"in indeling {indeling}"
            if elsewhere:
                context += f" (wel in indeling {_years(elsewhere)})"
            raise _unknown("gemeente", out["gemeente"], choices, context)
        out["gemeente"] = code
        groep = out.get("vergelijkingsgroep")
        if groep is not None and groep not in VERGELIJKINGSGROEPEN:
            close = difflib.get_close_matches(str(groep), VERGELIJKINGSGROEPEN, n=1)
            hint = f" (bedoelde u {close[0]!r}?)" if close else ""
            raise ParameterError(
                f"onbekende vergelijkingsgroep {echo(groep)}{hint}; "
                f"geldig: {', '.join(VERGELIJKINGSGROEPEN)}"
            )
    elif kind == "jeugdregio":
        choices = catalog.jeugdregios.get(indeling, {})
        code = _resolve_code(out["regio"], "JZ", choices)
        if code is None:
            raise _unknown("jeugdregio", out["regio"], choices, f"in indeling {indeling}")
        out["regio"] = code
    return out


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
