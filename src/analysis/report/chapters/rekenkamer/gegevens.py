"""Data of the rekenkamer edition: figures of the gemeente with their source, the local goals
and building blocks, the problems of rejected local files, and the data notes (numbers only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd

from analysis import localdata, store

T = TypeVar("T")

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
    """The yearly rows of ``code`` (default: the report's) in the report's classification."""
    df = ctx.indicators
    return df[_jaarrijen(df, ctx.indeling_jaar) & (df["regio_code"] == (code or ctx.code))]


def _jaarrijen(df: pd.DataFrame, indeling_jaar: int) -> pd.Series:
    return (df["indeling_jaar"] == indeling_jaar) & (df["periode_type"] == "jaar")


def _opzoektabel(ctx, naam: str, maak: Callable[[], T]) -> T:
    """``maak()``, a look-up table over every region of the report's indicator frame: built
    once per data version and classification/report year when the report reads a processed
    layer (a report would otherwise scan the whole frame for each figure), else now."""
    if not store.reads_processed(ctx):
        return maak()
    return store.per_data_version(
        ctx.data_dir, f"rekenkamer-{naam}:{ctx.indeling_jaar}:{ctx.jaar}", maak
    )


def cijfer(ctx, indicator: str, code: str | None = None) -> Cijfer:
    """The latest yearly figure up to the report year (``None`` value when there is none)."""
    code = code or ctx.code
    waarden, onderdrukt = _opzoektabel(
        ctx, "cijfers", lambda: _laatste_cijfers(ctx.indicators, ctx.indeling_jaar, ctx.jaar)
    )
    gevonden = waarden.get((code, indicator))
    if gevonden is not None:
        return gevonden
    return Cijfer(indicator, None, None, "", "", (code, indicator) in onderdrukt)


def cijfer_direct(ctx, indicator: str, code: str | None = None) -> Cijfer:
    """:func:`cijfer` from the report's own rows: the definition that :func:`cijfer`'s table
    of every region reproduces (test)."""
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


def _laatste_cijfers(
    df: pd.DataFrame, indeling_jaar: int, jaar: int
) -> tuple[dict[tuple[str, str], Cijfer], set[tuple[str, str]]]:
    """For every (region, indicator): the :func:`cijfer_direct` answer with a value, and the
    pairs without one whose report-year cell is suppressed."""
    kolommen = ["regio_code", "indicator", "jaar", "waarde", "status", "bron", "onderdrukt"]
    sel = df.loc[_jaarrijen(df, indeling_jaar) & (df["jaar"] <= jaar), kolommen]
    met = sel[sel["waarde"].notna()].sort_values("jaar", kind="stable")
    laatste = met.groupby(["regio_code", "indicator"], observed=True, sort=False).tail(1)
    waarden = {
        (str(r.regio_code), str(r.indicator)): Cijfer(
            str(r.indicator), float(r.waarde), int(r.jaar), str(r.status), str(r.bron or "")
        )
        for r in laatste.itertuples(index=False)
    }
    eigen = sel[(sel["jaar"] == jaar) & sel["onderdrukt"].fillna(False).astype(bool)]
    onderdrukt = {
        (str(c), str(i)) for c, i in zip(eigen["regio_code"], eigen["indicator"], strict=True)
    }
    return waarden, onderdrukt


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
    return list(
        _opzoektabel(ctx, "onderdrukt", lambda: _onderdrukt_per_regio(ctx)).get(ctx.code, [])
    )


def _onderdrukt_per_regio(ctx) -> dict[str, list[str]]:
    df = ctx.indicators
    rows = df.loc[_jaarrijen(df, ctx.indeling_jaar) & (df["jaar"] == ctx.jaar)]
    rows = rows[rows["onderdrukt"].fillna(False).astype(bool)]
    per: dict[str, set[str]] = {}
    for code, ind in zip(
        rows["regio_code"].astype(str), rows["indicator"].astype(str), strict=True
    ):
        per.setdefault(code, set()).add(ind)
    return {code: sorted(inds) for code, inds in per.items()}


def trendbreuken(ctx) -> list[tuple[str, int, str, int, int]]:
    """(old series, its last year, new series, its first year, number of indicators) for each
    series break in the gemeente's figures: an indicator whose ``reeks`` changes."""
    overgangen = _opzoektabel(
        ctx, "reeksovergangen", lambda: _reeksovergangen(ctx.indicators, ctx.indeling_jaar)
    ).get(ctx.code, [])
    breuken: dict[tuple[str, int, str, int], int] = {}
    for key in overgangen:
        breuken[key] = breuken.get(key, 0) + 1
    return [(*k, n) for k, n in sorted(breuken.items(), key=lambda kv: (kv[0][1], kv[0][0]))]


def reeksovergangen(rows: pd.DataFrame) -> list[tuple[str, int, str, int]]:
    """(old series, its last year, new series, its first year) per change of ``reeks`` between
    consecutive years of an indicator in ``rows`` (one region's yearly rows), by indicator
    and year: the definition that :func:`trendbreuken`'s table of every region reproduces
    (test)."""
    rows = rows[rows["reeks"].fillna("") != ""]
    out = []
    for _ind, sel in rows.groupby("indicator", observed=True):
        per_jaar = list(sel.groupby("jaar")["reeks"].first().sort_index().items())
        for (j0, r0), (j1, r1) in zip(per_jaar, per_jaar[1:], strict=False):
            if r0 != r1:
                out.append((str(r0), int(j0), str(r1), int(j1)))
    return out


def _reeksovergangen(df: pd.DataFrame, indeling_jaar: int) -> dict[str, list]:
    """:func:`reeksovergangen` of every region at once."""
    rows = df.loc[_jaarrijen(df, indeling_jaar), ["regio_code", "indicator", "jaar", "reeks"]]
    rows = rows[rows["reeks"].fillna("") != ""]
    eerste = (
        rows.groupby(["regio_code", "indicator", "jaar"], observed=True, sort=True)["reeks"]
        .first()
        .astype(str)
        .reset_index()
    )
    groep = eerste.groupby(["regio_code", "indicator"], observed=True, sort=False)
    vorige, vorig_jaar = groep["reeks"].shift(), groep["jaar"].shift()
    wissel = vorige.notna() & (eerste["reeks"] != vorige)
    out: dict[str, list] = {}
    for code, r0, j0, r1, j1 in zip(
        eerste.loc[wissel, "regio_code"].astype(str),
        vorige[wissel],
        vorig_jaar[wissel],
        eerste.loc[wissel, "reeks"],
        eerste.loc[wissel, "jaar"],
        strict=True,
    ):
        out.setdefault(code, []).append((str(r0), int(j0), str(r1), int(j1)))
    return out


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
