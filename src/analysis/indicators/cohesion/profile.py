"""The cohesion profile: one row per jeugdregio with the measures and the signals of DREMPELS."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.metadata.cohesion import SIGNALEN, drempel

__all__ = ["cohesion_profile", "PROFILE_COLUMNS"]

PROFILE_COLUMNS = [
    "jaar",
    "regio_code",
    "regio_naam",
    "n_gemeenten",
    "bevolking",
    "jongeren",
    "grootste_naam",
    "aandeel_grootste",
    "n_wijzigingen",
    "modaal_aandeel_am",
    "n_am_geraakt",
    "n_delen",
    "n_eilanden",
    "polsby_popper",
    "cv_gebruik",
    "n_meegeteld_gebruik",
    "jaar_spreiding",
    *SIGNALEN,
    "signalen",
    "n_signalen",
    "onbekend",
]


def _lookup(frame: pd.DataFrame | None, column: str, index: pd.Index) -> pd.Series:
    if frame is None or frame.empty or column not in frame:
        return pd.Series(np.nan, index=index, dtype="float64")
    return frame.drop_duplicates("regio_code").set_index("regio_code")[column].reindex(index)


def cohesion_profile(
    jaar: int,
    composition: pd.DataFrame,
    timeline: pd.DataFrame | None = None,
    congruence_am: pd.DataFrame | None = None,
    geometry: pd.DataFrame | None = None,
    dispersion_gebruik: pd.DataFrame | None = None,
    *,
    drempels: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Combine the parts into one row per region, with a boolean per signal (NA = unknown).

    Dispersion is taken from year ``jaar`` or, without figures for it, the latest earlier year
    with figures (``jaar_spreiding``).

    Every input is optional except ``composition`` (rows of year ``jaar`` are used); a missing
    input leaves its signal NA, so "not flagged" and "not measured" stay distinct (``onbekend``
    lists the NA signals). The composition signal is NA when no pair of consecutive years in the
    window ``venster_jaren`` could be compared (``timeline.attrs["overgangen"]``).
    """
    comp = composition[composition["jaar"] == jaar].drop_duplicates("regio_code")
    idx = pd.Index(comp["regio_code"], name="regio_code")
    out = comp.set_index("regio_code")[
        ["regio_naam", "n_gemeenten", "bevolking", "jongeren", "grootste_naam", "aandeel_grootste"]
    ].copy()
    out.insert(0, "jaar", int(jaar))

    window = drempel("venster_jaren", drempels)
    covered = timeline is not None and any(
        jaar - window < int(o["naar_jaar"]) <= jaar and o.get("methode") != "geen"
        for o in timeline.attrs.get("overgangen", [])
    )
    if timeline is not None and covered:
        t = timeline[
            timeline["samenstelling_gewijzigd"]
            & (timeline["naar_jaar"] <= jaar)
            & (timeline["naar_jaar"] > jaar - window)
        ]
        counts = pd.Series(
            [c for r in t["regios"].astype("str") for c in r.split(",") if c], dtype="str"
        ).value_counts()
        out["n_wijzigingen"] = counts.reindex(idx).fillna(0).astype("int64")
        out["samenstelling_gewijzigd"] = (out["n_wijzigingen"] > 0).astype("boolean")
    else:  # no pair of years inside the window: unknown, not "unchanged"
        out["n_wijzigingen"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["samenstelling_gewijzigd"] = pd.array([pd.NA] * len(out), dtype="boolean")

    out["modaal_aandeel_am"] = _lookup(congruence_am, "modaal_aandeel", idx).astype("float64")
    out["n_am_geraakt"] = _lookup(congruence_am, "n_regio_geraakt", idx)
    threshold = drempel("congruent_min_aandeel", drempels)
    share = out["modaal_aandeel_am"]
    out["niet_congruent_arbeidsmarktregio"] = pd.array(
        [pd.NA if np.isnan(s) else bool(s < threshold - 1e-12) for s in share], dtype="boolean"
    )

    out["n_delen"] = _lookup(geometry, "n_delen", idx)
    out["n_eilanden"] = _lookup(geometry, "n_eilanden", idx)
    out["polsby_popper"] = _lookup(geometry, "polsby_popper", idx).astype("float64")
    out["versnipperd_gebied"] = pd.array(_lookup(geometry, "versnipperd", idx), dtype="boolean")

    out["dominante_centrumgemeente"] = pd.array(
        comp.set_index("regio_code")["dominante_centrumgemeente"].reindex(idx), dtype="boolean"
    )

    disp = None
    out["jaar_spreiding"] = pd.NA
    if dispersion_gebruik is not None and len(dispersion_gebruik):
        measured = dispersion_gebruik[
            (dispersion_gebruik["jaar"] <= jaar) & dispersion_gebruik["cv"].notna()
        ]
        if len(measured):
            use_year = int(measured["jaar"].max())
            disp = dispersion_gebruik[dispersion_gebruik["jaar"] == use_year]
            out["jaar_spreiding"] = use_year
    out["cv_gebruik"] = _lookup(disp, "cv", idx).astype("float64")
    out["n_meegeteld_gebruik"] = _lookup(disp, "n_meegeteld", idx)
    cv_limit = drempel("spreiding_cv", drempels)
    out["grote_spreiding_gebruik"] = pd.array(
        [pd.NA if np.isnan(v) else bool(v >= cv_limit) for v in out["cv_gebruik"]],
        dtype="boolean",
    )

    flags = out[list(SIGNALEN)]
    out["signalen"] = [
        "; ".join(SIGNALEN[s].label for s in SIGNALEN if row[s] is not pd.NA and bool(row[s]))
        for _, row in flags.iterrows()
    ]
    out["n_signalen"] = flags.fillna(False).astype(bool).sum(axis=1).astype("int64")
    out["onbekend"] = [
        "; ".join(SIGNALEN[s].label for s in SIGNALEN if row[s] is pd.NA)
        for _, row in flags.iterrows()
    ]
    return out.reset_index().reindex(columns=PROFILE_COLUMNS)
