"""The companion XLSX of a report: every table of the report (from the CSV payloads embedded in
its HTML, see :func:`analysis.report.chapters._basis.csv_link`), one sheet each, plus a
"Bronnen" sheet (table id, title, Modified, retrieval time).

Written from the published HTML, so the batch engine needs no change; ``<report>.xlsx`` sits
next to ``<report>.html`` and the index links it.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Tabel", "companion_path", "tabellen", "write_companion", "write_xlsx"]

_LINK = re.compile(
    r'<a download="(?P<naam>[^"]*)" data-tabel="(?P<titel>[^"]*)" '
    r'href="data:text/csv;charset=utf-8;base64,(?P<b64>[A-Za-z0-9+/=]*)"'
)
_ONGELDIG = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Tabel:
    """One embedded table: its caption, file name and rows (strings as in the CSV)."""

    titel: str
    naam: str
    rijen: list[list[str]]


def tabellen(report_html: str) -> list[Tabel]:
    """The tables whose CSV is embedded in ``report_html``, in report order."""
    out = []
    for m in _LINK.finditer(report_html):
        tekst = base64.b64decode(m["b64"]).decode("utf-8-sig")
        rijen = list(csv.reader(io.StringIO(tekst), delimiter=";"))
        out.append(Tabel(html.unescape(m["titel"]), html.unescape(m["naam"]), rijen))
    return out


def _getal(cel: str) -> object:
    """A CSV cell as a number when it is one (decimal comma), else the text; '' -> None."""
    if cel == "":
        return None
    if re.fullmatch(r"-?\d+", cel):
        return int(cel)
    if re.fullmatch(r"-?\d+,\d+(e-?\d+)?", cel):
        return float(cel.replace(",", "."))
    return cel


def _blad_naam(titel: str, gebruikt: set[str]) -> str:
    basis = _ONGELDIG.sub(" ", titel).strip("' ")[:28].strip() or "Tabel"
    naam, i = basis, 2
    while naam.lower() in gebruikt or naam.lower() == "bronnen":
        naam, i = f"{basis[:25]} ({i})", i + 1
    gebruikt.add(naam.lower())
    return naam


def _bronnen(report_html: str, sources: list[dict]) -> list[list[str]]:
    """Rows of the sources sheet: the snapshot tables whose id the report names."""
    rijen = [["Tabel", "Titel", "Modified", "Opgehaald"]]
    for s in sources:
        tid = s.get("table_id")
        if tid and tid in report_html:
            rijen.append(
                [tid, s.get("title", ""), s.get("modified", ""), s.get("retrieved_at", "")]
            )
    return rijen


def write_xlsx(report_html: str, out_xlsx: Path, sources: list[dict]) -> Path:
    """Write the workbook of ``report_html`` to ``out_xlsx`` (atomically)."""
    from openpyxl import Workbook  # imported lazily: only exports need it

    from analysis.atomic import write_bytes

    wb = Workbook()
    wb.remove(wb.active)
    gebruikt: set[str] = set()
    for t in tabellen(report_html):
        ws = wb.create_sheet(_blad_naam(t.titel, gebruikt))
        ws.append([t.titel])
        for i, rij in enumerate(t.rijen):
            ws.append(rij if i == 0 else [_getal(c) for c in rij])
    ws = wb.create_sheet("Bronnen")
    for rij in _bronnen(report_html, sources):
        ws.append(rij)
    buf = io.BytesIO()
    wb.save(buf)
    write_bytes(Path(out_xlsx), buf.getvalue())
    return Path(out_xlsx)


def companion_path(out_html: Path) -> Path:
    """``<report>.xlsx`` next to ``<report>.html``."""
    return Path(out_html).with_suffix(".xlsx")


def write_companion(out_html: Path, processed_dir: Path) -> Path | None:
    """(Re)write the XLSX of a published report when missing or older than its HTML."""
    out_html = Path(out_html)
    if not out_html.is_file():
        return None
    target = companion_path(out_html)
    if target.is_file() and target.stat().st_mtime_ns >= out_html.stat().st_mtime_ns:
        return target
    path = Path(processed_dir) / "sources.json"
    sources = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    return write_xlsx(out_html.read_text(encoding="utf-8"), target, sources)
