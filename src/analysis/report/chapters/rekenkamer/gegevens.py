"""Data of the rekenkamer edition: figures of the gemeente with their source, the local goals
and building blocks, the problems of rejected local files, and the data notes (numbers only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import localdata

__all__ = ["Cijfer", "bouwstenen", "cijfer", "doelen", "gebruikt", "lidmaatschappen", "problemen"]


@dataclass(frozen=True)
class Cijfer:
    """One figure of the report's subject: value, year, status and source table(s)."""

    indicator: str
    waarde: float | None
    jaar: int | None
    status: str
    bron: str
    onderdrukt: bool = False


def _rijen(ctx, code: str | None = None) -> pd.DataFrame:
    df = ctx.indicators
    return df[
        (df["indeling_jaar"] == ctx.indeling_jaar)
        & (df["regio_code"] == (code or ctx.code))
        & (df["periode_type"] == "jaar")
    ]


def cijfer(ctx, indicator: str, code: str | None = None) -> Cijfer:
    """The latest yearly figure up to the report year (``None`` value when there is none)."""
    rows = _rijen(ctx, code)
    rows = rows[(rows["indicator"] == indicator) & (rows["jaar"] <= ctx.jaar)]
    met = rows[rows["waarde"].notna()]
    if met.empty:
        own = rows[rows["jaar"] == ctx.jaar]
        onderdrukt = bool(len(own) and own["onderdrukt"].fillna(False).any())
        return Cijfer(indicator, None, None, "", "", onderdrukt)
    r = met.sort_values("jaar").iloc[-1]
    return Cijfer(
        indicator, float(r["waarde"]), int(r["jaar"]), str(r["status"]), str(r["bron"] or "")
    )


def _lokaal(ctx, kind: str) -> pd.DataFrame:
    return localdata.read_published(Path(ctx.settings.processed_dir), kind)


def doelen(ctx) -> pd.DataFrame:
    """The local goals and findings of the gemeente (latest year first), maybe empty."""
    df = _lokaal(ctx, "doelen")
    df = df[df["code"] == ctx.code] if len(df) else df
    return df.sort_values(["jaar", "regel"], ascending=[False, True]).reset_index(drop=True)


def problemen(ctx, kind: str) -> list[localdata.Problem]:
    """Problems of the last load in the files of ``kind`` (the rejected file's lines)."""
    return localdata.read_problems(Path(ctx.settings.processed_dir), kind)


def bouwstenen(ctx) -> pd.DataFrame:
    """One row per declared building block of the gemeente's jeugdregio: the latest value up to
    the report year with its source, or ``onbekend`` without a source."""
    df = _lokaal(ctx, "bouwstenen")
    regio = ctx.regio_code
    eigen = (
        df[(df["code"] == regio) & (df["jaar"] <= max(ctx.jaar, ctx.indeling_jaar))]
        if (len(df) and regio)
        else df.iloc[0:0]
    )
    rows = []
    for b in localdata.kinds.BOUWSTENEN:
        r = eigen[eigen["bouwsteen"] == b].sort_values("jaar")
        if r.empty:
            rows.append({"bouwsteen": b, "waarde": "onbekend", "jaar": None, "bron": ""})
            continue
        last = r.iloc[-1]
        bron = f"{last['bron_titel']} ({last['bron_uitgever']}, {str(last['bron_datum'])[:10]})"
        rows.append({"bouwsteen": b, "waarde": last["waarde"], "jaar": int(last["jaar"]),
                     "bron": bron})  # fmt: skip
    return pd.DataFrame(rows)


def lidmaatschappen(ctx) -> pd.DataFrame:
    """Every regional division the gemeente belongs to in the classification year."""
    m = ctx.indeling
    m = m[(m["jaar"] == ctx.indeling_jaar) & (m["gemeente_code"] == ctx.code)]
    return m[["indeling", "regio_code", "regio_naam"]].drop_duplicates("indeling")


def gebruikt(ctx, indicator: str) -> bool:
    """Whether the processed layer has any value of ``indicator`` for this gemeente."""
    rows = _rijen(ctx)
    return bool(rows.loc[rows["indicator"] == indicator, "waarde"].notna().any())


def onderdrukt(ctx) -> list[str]:
    """Indicators with a suppressed cell for this gemeente in the report year."""
    rows = _rijen(ctx)
    rows = rows[(rows["jaar"] == ctx.jaar) & rows["onderdrukt"].fillna(False).astype(bool)]
    return sorted(rows["indicator"].unique())


def trendbreuken(ctx) -> list[tuple[str, int, str, int, int]]:
    """(old series, its last year, new series, its first year, number of indicators) for each
    series break in the gemeente's figures: an indicator whose ``reeks`` changes."""
    rows = _rijen(ctx)
    rows = rows[rows["reeks"].fillna("") != ""]
    breuken: dict[tuple[str, int, str, int], int] = {}
    for _ind, sel in rows.groupby("indicator"):
        per_jaar = list(sel.groupby("jaar")["reeks"].first().sort_index().items())
        for (j0, r0), (j1, r1) in zip(per_jaar, per_jaar[1:], strict=False):
            if r0 != r1:
                key = (str(r0), int(j0), str(r1), int(j1))
                breuken[key] = breuken.get(key, 0) + 1
    return [(*k, n) for k, n in sorted(breuken.items(), key=lambda kv: (kv[0][1], kv[0][0]))]


def congruentie(ctx) -> dict[str, str]:
    """Per division: whether all gemeenten of the jeugdregio lie in one region of it."""
    m = ctx.indeling[ctx.indeling["jaar"] == ctx.indeling_jaar]
    leden = set(m.loc[(m["indeling"] == "jeugdregio") & (m["regio_code"] == ctx.regio_code),
                      "gemeente_code"])  # fmt: skip
    out = {"jeugdregio": "–"}
    if not leden:
        return out
    for indeling, sel in m[m["gemeente_code"].isin(leden)].groupby("indeling"):
        if indeling == "jeugdregio":
            continue
        n = sel["regio_code"].nunique()
        out[str(indeling)] = "ja" if n == 1 else f"nee: de jeugdregio ligt in {n} regio's"
    return out


def regiowissels(ctx) -> list[tuple[int, str, int, str]]:
    """(year, jeugdregio, next year, next jeugdregio) where the gemeente changed jeugdregio
    between classification years."""
    m = ctx.indeling
    m = m[(m["indeling"] == "jeugdregio") & (m["gemeente_code"] == ctx.code)]
    per_jaar = m.drop_duplicates("jaar").set_index("jaar")["regio_naam"].sort_index()
    items = list(per_jaar.items())
    return [
        (int(j0), str(r0), int(j1), str(r1))
        for (j0, r0), (j1, r1) in zip(items, items[1:], strict=False)
        if r0 != r1
    ]


def dekking(ctx) -> dict[str, int]:
    """Number of published local records per kind that concern this gemeente or its region."""
    codes = {ctx.code, ctx.regio_code} - {None}
    out = {}
    for kind in localdata.KINDS:
        df = _lokaal(ctx, kind)
        out[kind] = int(df["code"].isin(codes).sum()) if len(df) else 0
    return out
