"""Tables of the chapter "Regionale samenhang": formatted (string) cells, ready for
:func:`analysis.report.chapters.html_tabel`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.indicators.cohesion import DIVISIES
from analysis.metadata.cohesion import DREMPELS
from analysis.report.chapters.samenhang.teksten import (
    drempel_waarde,
    ja_nee,
    num,
    pct,
    regio_label,
)

RELATIES = {
    "gelijk": "valt samen",
    "binnen": "ligt binnen één regio",
    "omvat": "bestaat uit hele regio's",
    "overlappend": "overlapt gedeeltelijk",
}


def profiel(p: pd.DataFrame) -> pd.DataFrame:
    """The cohesion profile of every jeugdregio."""
    p = p.sort_values("regio_code")
    return pd.DataFrame(
        {
            "Jeugdregio": [
                regio_label(c, n) for c, n in zip(p["regio_code"], p["regio_naam"], strict=True)
            ],
            "Gemeenten": [num(v) for v in p["n_gemeenten"]],
            "Inwoners": [num(v) for v in p["bevolking"]],
            "Grootste gemeente": [
                f"{n} ({pct(a)})" if isinstance(n, str) else "–"
                for n, a in zip(p["grootste_naam"], p["aandeel_grootste"], strict=True)
            ],
            "Wijzigingen": [num(v) if v is not pd.NA else "–" for v in p["n_wijzigingen"]],
            "Congruentie arbeidsmarktregio": [pct(v) for v in p["modaal_aandeel_am"]],
            "Delen (eilanden)": [
                f"{num(d)} ({num(e)})" if not pd.isna(d) else "–"
                for d, e in zip(p["n_delen"], p["n_eilanden"], strict=True)
            ],
            "CV gebruik": [num(v, 2) for v in p["cv_gebruik"]],
            "Signalen": [s if s else "geen" for s in p["signalen"]],
        }
    )


def tijdlijn(t: pd.DataFrame) -> pd.DataFrame:
    """Events of the timeline (with ``soort_label`` and ``omschrijving``)."""
    return pd.DataFrame(
        {
            "Van–naar": [f"{a}–{b}" for a, b in zip(t["van_jaar"], t["naar_jaar"], strict=True)],
            "Soort": t["soort_label"].to_numpy(),
            "Samenwerking gewijzigd": ["ja" if x else "nee" for x in t["samenstelling_gewijzigd"]],
            "Omschrijving": t["omschrijving"].to_numpy(),
            "Methode": [
                "lidmaatschap" if m == "leden" else "grenzen vergeleken" for m in t["methode"]
            ],
        }
    )


def congruentie(c: pd.DataFrame) -> pd.DataFrame:
    """One jeugdregio compared with the other divisions."""
    return pd.DataFrame(
        {
            "Indeling": [DIVISIES.get(i, i) for i in c["indeling"]],
            "Jaar": c["jaar"].astype("int64").astype("str").to_numpy(),
            "Grootste overlap": [
                f"{n} ({r})"
                for r, n in zip(c["modale_regio_code"], c["modale_regio_naam"], strict=True)
            ],
            "Aandeel inwoners": [pct(v, 1) for v in c["modaal_aandeel"]],
            "Regio's geraakt": [num(v) for v in c["n_regio_geraakt"]],
            "Verhouding": [RELATIES.get(r, r) for r in c["relatie"]],
            "Gemeenten buiten de grootste overlap": [
                g if g else "–" for g in c["gemeenten_buiten_modaal"]
            ],
        }
    )


def niet_congruent(niet: pd.DataFrame) -> pd.DataFrame:
    """Jeugdregio's spread over more than one arbeidsmarktregio."""
    return pd.DataFrame(
        {
            "Jeugdregio": [
                regio_label(a, b)
                for a, b in zip(niet["regio_code"], niet["regio_naam"], strict=True)
            ],
            "Aandeel in grootste arbeidsmarktregio": [pct(v, 1) for v in niet["modaal_aandeel"]],
            "Arbeidsmarktregio's": niet["regio_geraakt"].to_numpy(),
            "Gemeenten daarbuiten": niet["gemeenten_buiten_modaal"].to_numpy(),
        }
    )


def matrix(scores: pd.DataFrame, kolom: str, jaar: int) -> pd.DataFrame:
    """Symmetric matrix of one agreement score between the divisions in ``jaar``."""
    s = scores[scores["jaar"] == jaar]
    names = list(dict.fromkeys([*s["indeling_a"], *s["indeling_b"]]))
    order = ["jeugdregio", *[d for d in DIVISIES if d in names]]
    order = [o for o in order if o in names]
    m = pd.DataFrame(np.nan, index=order, columns=order)
    for r in s.itertuples():
        m.loc[r.indeling_a, r.indeling_b] = getattr(r, kolom)
        m.loc[r.indeling_b, r.indeling_a] = getattr(r, kolom)
    for o in order:
        m.loc[o, o] = 1.0
    return m


def drempels() -> pd.DataFrame:
    """Every threshold with its value and meaning."""
    return pd.DataFrame(
        {
            "Drempel": list(DREMPELS),
            "Waarde": [drempel_waarde(naam) for naam in DREMPELS],
            "Betekenis": [d.omschrijving for d in DREMPELS.values()],
        }
    )


def leden(tab: pd.DataFrame, inw: pd.Series) -> pd.DataFrame:
    """The gemeenten of a jeugdregio with their population and share."""
    tot = inw.sum()
    return pd.DataFrame(
        {
            "Gemeente": [
                f"{n} ({c})"
                for c, n in zip(tab["gemeente_code"], tab["gemeente_naam"], strict=True)
            ],
            "Inwoners": [num(v) for v in inw],
            "Aandeel in de regio": [pct(v / tot if tot else np.nan, 1) for v in inw],
        }
    )


def andere_indelingen(res, code: str, regio: str) -> pd.DataFrame:
    """The region of each other division a gemeente belongs to, and whether it is the one most
    gemeenten of its jeugdregio are in."""
    kolommen = ("Indeling", "Jaar", "Regio", "Zelfde als de meeste gemeenten van de jeugdregio")
    rows = []
    for d in DIVISIES:
        lm = res.geodata.lidmaatschap.get(d, {})
        jaar = res.congruentie_jaar.get(d)
        if jaar is None or jaar not in lm:
            rows.append(
                dict(
                    zip(kolommen, (DIVISIES[d], "–", "geen indeling beschikbaar", "–"), strict=True)
                )
            )
            continue
        m = lm[jaar]
        r = m[m["gemeente_code"] == code]
        c = res.congruentie[
            (res.congruentie["indeling"] == d) & (res.congruentie["regio_code"] == regio)
        ]
        modal = c["modale_regio_code"].iloc[0] if len(c) else None
        if r.empty:
            rows.append(
                dict(zip(kolommen, (DIVISIES[d], str(jaar), "niet gevonden", "–"), strict=True))
            )
            continue
        zelfde = ja_nee(r["regio_code"].iloc[0] == modal) if modal else "–"
        regio_tekst = f"{r['regio_naam'].iloc[0]} ({r['regio_code'].iloc[0]})"
        rows.append(dict(zip(kolommen, (DIVISIES[d], str(jaar), regio_tekst, zelfde), strict=True)))
    return pd.DataFrame(rows)
