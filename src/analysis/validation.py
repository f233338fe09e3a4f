"""The one validator of report parameters, and its fuzzy matcher.

Used by :func:`analysis.report.params.validate_report_params` (before anything executes) and
by :func:`analysis.store.report_context` (inside a notebook): both give the same
:class:`ParameterError` (a ``ValueError``) with a Dutch message naming the bad value and the
valid choices: an unknown code or name lists the closest codes with names, a year without
data lists the years with data.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.config import Settings, demoland_settings, settings
from analysis.echo import echo
from analysis.metadata.regions import VERGELIJKINGSGROEPEN

#: Report kinds and the parameters each notebook declares (its ``parameters`` cell).
KIND_PARAMS: dict[str, tuple[str, ...]] = {
    "nederland": ("jaar", "indeling_jaar", "data_dir", "profiel"),
    "jeugdregio": ("regio", "jaar", "indeling_jaar", "data_dir", "profiel"),
    "gemeente": (
        "gemeente",
        "jaar",
        "indeling_jaar",
        "vergelijkingsgroep",
        "data_dir",
        "profiel",
        "editie",
    ),
}
#: Parameters that must be given for a kind (the rest fall back to the notebook defaults).
KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    "nederland": (),
    "jeugdregio": ("regio",),
    "gemeente": ("gemeente",),
}
PROFIELEN: tuple[str, ...] = ("cbs", "demoland")
#: Editions of the gemeente report: the default and the one for audit offices (rekenkamers).
EDITIES: tuple[str, ...] = ("standaard", "rekenkamer")

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
    # a code: the numerically nearest codes of the same prefix ("GM0364" -> "GM0363")
    code = re.fullmatch(r"([A-Za-z]{2})?\s*(\d+)", str(value).strip())
    if code:
        prefix = (code.group(1) or "").upper()
        same = [c for c in choices if c[2:].isdigit() and (not prefix or c[:2] == prefix)]
        want = int(code.group(2))
        hits += sorted(same, key=lambda c: (abs(int(c[2:]) - want), c))[:3]
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


# --------------------------------------------------------------------------- single checks


def check_kind(kind: str) -> str:
    """``kind`` if it is a report kind, else :class:`ParameterError` listing the kinds."""
    if kind not in KIND_PARAMS:
        raise ParameterError(f"onbekend rapporttype {echo(kind)}; geldig: {', '.join(KIND_PARAMS)}")
    return kind


def as_year(name: str, value: Any) -> int:
    """``value`` as a year (``"2023"`` -> 2023); :class:`ParameterError` otherwise."""
    if isinstance(value, bool):
        raise ParameterError(f"{name} moet een jaartal zijn, niet {echo(value)}")
    return _as_year(name, value)


def check_jaar(value: Any, jaren: Sequence[int]) -> int:
    """A year with data; otherwise the error lists the years with data."""
    jaar = as_year("jaar", value)
    if jaar not in jaren:
        raise ParameterError(
            f"geen gegevens voor jaar {echo(jaar)}; beschikbare jaren: {_years(jaren)}"
        )
    return jaar


def check_indeling_jaar(value: Any, indeling_jaren: Sequence[int]) -> int:
    """A classification year of the data; otherwise the error lists those years."""
    indeling = as_year("indeling_jaar", value)
    if indeling not in indeling_jaren:
        raise ParameterError(
            f"geen gemeentelijke indeling voor {echo(indeling)}; "
            f"beschikbare indelingsjaren: {_years(sorted(indeling_jaren))}"
        )
    return indeling


def resolve_region(
    label: str,
    value: Any,
    choices: Mapping[str, str],
    indeling: int,
    elsewhere: Mapping[int, Mapping[str, str]] | None = None,
) -> str:
    """The code of a gemeente (``label`` ``gemeente``, prefix GM) or jeugdregio (JZ) given by
    code (any case, digits only) or exact name in ``choices`` (``{code: name}`` of classification
    ``indeling``). Unknown: :class:`ParameterError` with the closest codes and names, and the
    other classification years (``elsewhere``) where the value does exist."""
    prefix = "GM" if label == "gemeente" else "JZ"
    code = _resolve_code(value, prefix, choices)
    if code is not None:
        return code
    context = f"in indeling {indeling}"
    found = [j for j, c in sorted((elsewhere or {}).items()) if _resolve_code(value, prefix, c)]
    if found:
        context += f" (wel in indeling {_years(found)})"
    raise _unknown(label, value, choices, context)


def check_vergelijkingsgroep(groep: Any) -> str:
    """A declared comparison group; otherwise the error names the closest and all valid ones."""
    if groep not in VERGELIJKINGSGROEPEN:
        close = difflib.get_close_matches(str(groep), VERGELIJKINGSGROEPEN, n=1)
        hint = f" (bedoelde u {close[0]!r}?)" if close else ""
        raise ParameterError(
            f"onbekende vergelijkingsgroep {echo(groep)}{hint}; "
            f"geldig: {', '.join(VERGELIJKINGSGROEPEN)}"
        )
    return str(groep)


def profile_settings(profiel: str) -> Settings:
    """The settings of a data profile (:data:`PROFIELEN`): ``cbs`` the CBS data under the data
    folder, ``demoland`` the synthetic Demoland; :class:`ParameterError` for anything else."""
    if profiel == "cbs":
        return settings()
    if profiel == "demoland":
        return demoland_settings()
    raise ParameterError(f"onbekend profiel {echo(profiel)}; geldig: {', '.join(PROFIELEN)}")


def check_editie(editie: Any) -> str:
    """A gemeente-report edition (``standaard``, ``rekenkamer``); otherwise the error lists them."""
    if editie not in EDITIES:
        close = difflib.get_close_matches(str(editie), EDITIES, n=1)
        hint = f" (bedoelde u {close[0]!r}?)" if close else ""
        raise ParameterError(f"onbekende editie {echo(editie)}{hint}; geldig: {', '.join(EDITIES)}")
    return str(editie)


def check_notebook_editie(editie: Any, notebook_editie: str) -> str:
    """Inside a gemeente notebook: ``editie`` must be the edition the notebook renders
    (``gemeente.ipynb``: standaard, ``gemeente_rekenkamer.ipynb``: rekenkamer)."""
    editie = check_editie(editie)
    if editie != notebook_editie:
        name = "gemeente_rekenkamer.ipynb" if editie == "rekenkamer" else "gemeente.ipynb"
        raise ParameterError(
            f"editie {echo(editie)} wordt gemaakt met notebook {name}, niet met dit notebook "
            f"(editie {notebook_editie!r}); gebruik `python -m analysis report --editie {editie}`"
        )
    return editie


# --------------------------------------------------------------------------- validation


def validate_report_params(kind: str, params: dict, catalog: ParamCatalog) -> dict:
    """Check ``params`` for a report of ``kind`` and return a normalised copy.

    Raises :class:`ParameterError` for an unknown kind or parameter, an unknown gemeente or
    region (listing the closest valid codes with names), a year without data (listing the
    available years), an invalid ``vergelijkingsgroep``, ``editie`` or ``profiel``.
    """
    check_kind(kind)
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
        out["jaar"] = check_jaar(out["jaar"], catalog.jaren)
    if out.get("indeling_jaar") is not None:
        indeling = out["indeling_jaar"] = check_indeling_jaar(
            out["indeling_jaar"], catalog.indeling_jaren
        )
    else:
        indeling = catalog.latest_indeling()

    if kind == "gemeente":
        choices = catalog.gemeenten.get(indeling, {})
        out["gemeente"] = resolve_region(
            "gemeente", out["gemeente"], choices, indeling, elsewhere=catalog.gemeenten
        )
        if out.get("vergelijkingsgroep") is not None:
            check_vergelijkingsgroep(out["vergelijkingsgroep"])
        if out.get("editie") is not None:
            out["editie"] = check_editie(out["editie"])
    elif kind == "jeugdregio":
        choices = catalog.jeugdregios.get(indeling, {})
        out["regio"] = resolve_region("jeugdregio", out["regio"], choices, indeling)
    return out
