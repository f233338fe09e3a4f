"""Helpers shared by the chapter packages: Markdown and HTML output, a Dutch table renderer,
the "no data" message and the source-table lookup for captions.

Chapters import these from here (not from the package ``analysis.report.chapters``), so the
package can import its chapters without an import cycle.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

import pandas as pd

from analysis import registry
from analysis.report import output
from analysis.report.text import GEEN_GEGEVENS, GEEN_GEGEVENS_ZIN

__all__ = ["bronnen", "csv_bytes", "csv_link", "geen_gegevens", "html_tabel", "md", "toon_html"]

#: a Dutch formatted number: sign, thousands by (narrow) space or dot, decimal comma, % or €
_GETAL = re.compile(
    r"^(?P<teken>[-\u2212+]?)\s*(?:€\s*)?(?P<getal>\d{1,3}(?:[ .\u202f\u00a0]\d{3})+|\d+)"
    r"(?:,(?P<dec>\d+))?\s*(?P<pct>%?)$"
)
_LEEG = {"", "–", "—", "-", ".", "x", GEEN_GEGEVENS}


def md(text: str) -> None:
    """Show Markdown (see :mod:`analysis.report.output`)."""
    output.markdown(text)


def toon_html(markup: str) -> None:
    """Show raw HTML (see :mod:`analysis.report.output`)."""
    output.html(markup)


def geen_gegevens() -> None:
    """The standard message for a theme without data in this dataset."""
    md(f"*{GEEN_GEGEVENS_ZIN}*")


def _cel_waarde(cel: object) -> tuple[object, bool]:
    """A formatted cell back to its figure: ``'1 245,5'`` -> 1245.5, ``'12,5 %'`` -> 12.5
    (second item True when it carried %); text stays text, "no data" becomes None."""
    if cel is None or (isinstance(cel, float) and math.isnan(cel)):
        return None, False
    if isinstance(cel, int | float):
        return cel, False
    tekst = str(cel).strip()
    if tekst in _LEEG:
        return None, False
    m = _GETAL.match(tekst)
    if not m:
        return tekst, False
    getal = re.sub(r"[ .\u202f\u00a0]", "", m["getal"])
    waarde = float(f"{getal}.{m['dec']}") if m["dec"] else int(getal)
    return (-waarde if m["teken"] in "-\u2212" and m["teken"] else waarde), bool(m["pct"])


def _csv_cel(v: object) -> str:
    """One CSV cell: numbers with a decimal comma, no thousands separator; empty for none."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e15):
        return str(int(v))
    if isinstance(v, float):
        return repr(round(v, 10)).replace(".", ",")
    return str(v)


def csv_bytes(df: pd.DataFrame, *, cijfers: pd.DataFrame | None = None) -> bytes:
    """The table as a Dutch CSV: ``;`` separator, decimal comma, UTF-8 with BOM.

    ``cijfers``: the raw (numeric) frame behind the formatted ``df``, written as is; without
    it the formatted cells are parsed back to figures (a column whose cells all carried
    ``%`` gets ``(%)`` in its header).
    """
    bron = df if cijfers is None else cijfers
    kolommen = [bron.iloc[:, i].tolist() for i in range(bron.shape[1])]
    koppen = [str(c) for c in bron.columns]
    if cijfers is None:
        for i, kolom in enumerate(kolommen):
            geparsed = [_cel_waarde(c) for c in kolom]
            kolommen[i] = [w for w, _ in geparsed]
            gevuld = [pct for w, pct in geparsed if w is not None]
            if gevuld and all(gevuld) and "%" not in koppen[i]:
                koppen[i] += " (%)"
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(koppen)
    for rij in zip(*kolommen, strict=True) if kolommen else []:
        w.writerow([_csv_cel(v) for v in rij])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _bestandsnaam(titel: str, data: bytes) -> str:
    ascii_ = unicodedata.normalize("NFKD", titel).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:60].rstrip("-") or "tabel"
    return f"{slug}-{hashlib.sha256(data).hexdigest()[:8]}.csv"


def csv_link(data: bytes, titel: str) -> str:
    """An embedded download link (``data:`` URI, no script) for CSV ``data``."""
    b64 = base64.b64encode(data).decode("ascii")
    return (
        f'<p class="tabel-download"><a download="{html.escape(_bestandsnaam(titel, data))}" '
        f'data-tabel="{html.escape(titel)}" '
        f'href="data:text/csv;charset=utf-8;base64,{b64}">Download deze tabel (CSV)</a></p>'
    )


def html_tabel(
    df: pd.DataFrame,
    *,
    bijschrift: str | None = None,
    rechts: Sequence[str] = (),
    noot: str | None = None,
    cijfers: pd.DataFrame | None = None,
) -> str:
    """A plain HTML table of already formatted (string) cells, without index, followed by a
    link that downloads the table as CSV (see :func:`csv_bytes`).

    ``rechts``: columns aligned right (numbers). ``noot``: a note under the table.
    ``cijfers``: the raw numeric frame for the CSV (else the cells are parsed back).
    """
    uitlijning = [
        f' style="text-align: {"right" if c in rechts else "left"};">' for c in df.columns
    ]
    kop = "".join(
        f"<th{u}{html.escape(str(c))}</th>" for c, u in zip(df.columns, uitlijning, strict=True)
    )
    kolommen = [df.iloc[:, i].tolist() for i in range(df.shape[1])]
    rijen = [
        "<tr>"
        + "".join(f"<td{u}{html.escape(str(v))}</td>" for u, v in zip(uitlijning, rij, strict=True))
        + "</tr>"
        for rij in (zip(*kolommen, strict=True) if kolommen else [()] * len(df))
    ]
    cap = f"<caption>{html.escape(bijschrift)}</caption>" if bijschrift else ""
    out = (
        f'<table class="rapport-tabel">{cap}<thead><tr>{kop}</tr></thead>'
        f"<tbody>{''.join(rijen)}</tbody></table>"
    )
    if noot:
        out += f'<p style="font-size: 0.9em; color: #444;">{html.escape(noot)}</p>'
    return out + csv_link(csv_bytes(df, cijfers=cijfers), bijschrift or "tabel")


def bronnen(
    df: pd.DataFrame,
    indicators: Iterable[str],
    jaren: Iterable[int],
    *,
    indeling_jaar: int,
    regio_codes: Iterable[str] | None = None,
) -> set[str]:
    """Table ids behind ``indicators`` in ``jaren``: the ``bron`` of the data rows (of
    ``regio_codes`` when given) plus the registry tables declared for them (derived rows only
    say ``berekend``)."""
    inds = list(indicators)
    years = sorted(set(int(j) for j in jaren))
    ids: set[str] = set()
    if len(df) and inds and years:
        rows = df[
            df["indicator"].isin(inds)
            & (df["indeling_jaar"] == indeling_jaar)
            & df["jaar"].isin(years)
        ]
        if regio_codes is not None:
            rows = rows[rows["regio_code"].isin(list(regio_codes))]
        for value in rows["bron"].dropna().unique():
            ids.update(p.strip() for p in str(value).split(",") if p.strip())
    for table in registry.TABLES:
        if not table.id or not table.build:
            continue
        if any(m.indicator in inds for m in table.measures) and any(table.covers(y) for y in years):
            ids.add(table.id)
    ids.discard("berekend")
    return ids
