"""Iv3 (gemeentelijke begroting en jaarrekening): the youth taakvelden across the two taakveld
structures, declared once (docs/budget.md §5).

Through boekjaar 2024 youth care is booked on 6.72 (a–d), 6.73 (a–c), 6.74 (a–c) and 6.82
(a/b); from 2025 on the finer codes 6.751–6.763, 6.792 and 6.821/6.822. The mapping below
was built from CBS's definition files (``iv3_definities_Gemeente_<jaar>.json``, code lists
``taakveld``), where a main code and its letter subdivisions stand side by side: the main codes
(6.72, 6.82) are **totals** of their subdivisions and are never added to them.

:func:`lasten_per_groep` groups Iv3 lasten by report group; a boekjaar whose data carry a code in
the social-domain range 6.7/6.8 that neither structure knows is an error naming the codes.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.registry import _IV3_GROEPEN

__all__ = [
    "GROEPEN",
    "STRUCTUREN",
    "TRENDBREUKEN",
    "Uitgesloten",
    "Iv3Error",
    "groep_van",
    "lasten_per_groep",
    "structuur",
]

#: report groups (docs/budget.md §5), in display order (one indicator ``iv3_lasten_<groep>`` each)
GROEPEN: dict[str, str] = dict(_IV3_GROEPEN)

#: Per structure: youth code -> group (leaf codes that are summed), main codes that are totals
#: of leaf codes (never summed), and the other known codes of the 6.7/6.8 range (Wmo).
STRUCTUREN: dict[str, dict[str, object]] = {
    "t/m 2024": {
        "jaren": (2017, 2024),
        "leaf": {
            "6.72a": "jeugdhulp_zonder_verblijf",
            "6.72b": "jeugdhulp_zonder_verblijf",
            "6.72c": "jeugdhulp_zonder_verblijf",
            "6.72d": "jeugdhulp_zonder_verblijf",
            # 6.74a "Jeugd behandeling GGZ zonder verblijf" is care without a stay
            "6.74a": "jeugdhulp_zonder_verblijf",
            "6.73a": "jeugdhulp_met_verblijf",
            "6.73b": "jeugdhulp_met_verblijf",
            "6.73c": "jeugdhulp_met_verblijf",
            "6.74b": "jeugdhulp_met_verblijf",
            "6.74c": "jeugdhulp_met_verblijf",
            "6.82a": "jeugdbescherming_reclassering",
            "6.82b": "jeugdbescherming_reclassering",
        },
        "totaal": {"6.72": ("6.72a", "6.72b", "6.72c", "6.72d"), "6.82": ("6.82a", "6.82b")},
        "overig": ("6.71", "6.71a", "6.71b", "6.71c", "6.71d", "6.81", "6.81a", "6.81b"),
    },
    "vanaf 2025": {
        "jaren": (2025, None),
        "leaf": {
            "6.751": "jeugdhulp_zonder_verblijf",
            "6.752": "jeugdhulp_zonder_verblijf",
            "6.753": "jeugdhulp_zonder_verblijf",
            "6.761": "jeugdhulp_met_verblijf",
            "6.762": "jeugdhulp_met_verblijf",
            "6.763": "jeugdhulp_met_verblijf",
            "6.792": "pgb_jeugd",
            "6.821": "jeugdbescherming_reclassering",
            "6.822": "jeugdbescherming_reclassering",
        },
        "totaal": {},
        "overig": ("6.711", "6.712", "6.713", "6.714", "6.791", "6.811", "6.812"),
    },
}
#: Trend breaks in the Iv3 series: 2023 new booking rules, 2025 new taakveld structure
TRENDBREUKEN: dict[int, str] = {
    2023: "nieuwe boekingsregels (Iv3 2023): niet vergelijkbaar met eerdere jaren",
    2025: "nieuwe taakveldindeling (6.751–6.822): niet vergelijkbaar met 2024 en eerder",
}
#: lasten categories left out: reserve mutations and internal settlements
Uitgesloten: tuple[str, ...] = ("7.1", "7.4", "7.5")


class Iv3Error(ValueError):
    """Iv3 data that the declared taakveld structures cannot place."""


def structuur(boekjaar: int) -> str:
    """The name of the taakveld structure of ``boekjaar``."""
    for naam, s in STRUCTUREN.items():
        eerste, laatste = s["jaren"]  # type: ignore[misc]
        if boekjaar >= eerste and (laatste is None or boekjaar <= laatste):
            return naam
    raise Iv3Error(
        f"boekjaar {boekjaar}: no taakveld structure declared; valid from "
        f"{min(s['jaren'][0] for s in STRUCTUREN.values())}"  # type: ignore[index]
    )


def groep_van(code: str, boekjaar: int) -> str | None:
    """The report group of a leaf taakveld code (None for totals and non-youth codes)."""
    leaf: dict[str, str] = STRUCTUREN[structuur(boekjaar)]["leaf"]  # type: ignore[assignment]
    return leaf.get(code.strip())


def _known(boekjaar: int) -> set[str]:
    s = STRUCTUREN[structuur(boekjaar)]
    return set(s["leaf"]) | set(s["totaal"]) | set(s["overig"])  # type: ignore[arg-type]


def onbekende_codes(codes: Iterable[str], boekjaar: int) -> list[str]:
    """Codes of the 6.7/6.8 range that the structure of ``boekjaar`` does not declare."""
    known = _known(boekjaar)
    return sorted({c.strip() for c in codes if c.strip().startswith(("6.7", "6.8"))} - known)


def lasten_per_groep(df: pd.DataFrame, boekjaar: int) -> pd.DataFrame:
    """Sum Iv3 lasten per gemeente and report group for one boekjaar.

    ``df``: columns ``gemeente`` (GM code), ``taakveld`` (code, padding allowed), ``categorie``
    (lasten category code, e.g. ``L3.4.1`` or ``3.4.1``) and ``bedrag`` (1 000 euro). Totals
    (6.72, 6.82) and the excluded categories (:data:`Uitgesloten`) are not summed; missing
    amounts stay missing. Raises :class:`Iv3Error` naming the codes neither structure knows.
    """
    missing = [c for c in ("gemeente", "taakveld", "categorie", "bedrag") if c not in df.columns]
    if missing:
        raise Iv3Error(f"Iv3 {boekjaar}: columns {missing} missing; present: {list(df.columns)}")
    onbekend = onbekende_codes(df["taakveld"].astype(str), boekjaar)
    if onbekend:
        valid = sorted(_known(boekjaar))
        raise Iv3Error(
            f"Iv3 {boekjaar}: unknown taakveld code(s) {', '.join(onbekend)} for the structure "
            f"'{structuur(boekjaar)}'; known codes in 6.7/6.8: {', '.join(valid)}"
        )
    d = df.assign(
        gemeente=df["gemeente"].astype(str).str.strip(),
        groep=[groep_van(str(c), boekjaar) for c in df["taakveld"]],
        cat=df["categorie"].astype(str).str.strip().str.removeprefix("L"),
    )
    d = d[d["groep"].notna() & ~d["cat"].isin(Uitgesloten)]
    out = (
        d.groupby(["gemeente", "groep"])["bedrag"]
        .agg(lambda s: s.sum(min_count=1) if s.notna().all() else float("nan"))
        .rename("lasten")
        .reset_index()
    )
    out["boekjaar"] = int(boekjaar)
    out["trendbreuk"] = out["boekjaar"].map(TRENDBREUKEN).fillna("")
    return out
