"""Embedded CSV downloads of report tables: a Dutch CSV (``;`` separator, decimal comma,
UTF-8 with BOM) in a ``data:`` link under the table (no script: the report CSP forbids them).

Used by :func:`analysis.report.chapters._basis.html_tabel` and the HTML bar charts
(:mod:`analysis.report.figures.staven`); :mod:`analysis.report.werkboek` collects the links
into the companion XLSX.
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

import pandas as pd

from analysis.report.text import GEEN_GEGEVENS

__all__ = ["csv_bytes", "csv_link"]

#: a Dutch formatted number: sign, thousands by (narrow) space or dot, decimal comma, % or €
_GETAL = re.compile(
    r"^(?P<teken>[-\u2212+]?)\s*(?:€\s*)?(?P<getal>\d{1,3}(?:[ .\u202f\u00a0]\d{3})+|\d+)"
    r"(?:,(?P<dec>\d+))?\s*(?P<pct>%?)$"
)
_LEEG = {"", "–", "—", "-", ".", "x", GEEN_GEGEVENS}


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
    kolommen = [kolom.tolist() for _, kolom in bron.items()]
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
