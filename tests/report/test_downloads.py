"""Every report table downloadable as CSV (embedded ``data:`` link, Dutch CSV) and the companion
XLSX of a report (one sheet per table plus "Bronnen"), linked from the index."""

from __future__ import annotations

import base64
import html
import io
import re

import pandas as pd
import pytest

from analysis.report.chapters._basis import csv_bytes, html_tabel
from analysis.report.index import IndexEntry, write_index
from analysis.report.werkboek import companion_path, tabellen, write_companion, write_xlsx

NNBSP = "\u202f"
_LINK = re.compile(r'href="data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)"')


def _csv(markup: str) -> list[bytes]:
    return [base64.b64decode(b) for b in _LINK.findall(markup)]


def _figure(cell: str) -> float | str | None:
    """A formatted report cell read independently of the code under test."""
    t = html.unescape(cell).replace(NNBSP, "").replace("\u2212", "-").replace("€", "").strip()
    t = t.removesuffix("%").strip()
    if t in ("", "–", "geen gegevens"):
        return None
    try:
        return float(t.replace(",", "."))
    except ValueError:
        return html.unescape(cell).strip()


def test_csv_of_formatted_table_holds_the_figures() -> None:
    df = pd.DataFrame(
        {
            "Gemeente": ["Één", "Noord-Zuid"],
            "Jongeren met jeugdzorg": [f"12{NNBSP}345", "–"],
            "Aandeel": ["12,5 %", "-3,1 %"],
        }
    )
    markup = html_tabel(df, bijschrift="Jeugdzorg per gemeente", rechts=["Aandeel"])
    (data,) = _csv(markup)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    assert data.decode("utf-8-sig").splitlines()[0] == (
        "Gemeente;Jongeren met jeugdzorg;Aandeel (%)"
    )
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",")
    assert back["Gemeente"].tolist() == ["Één", "Noord-Zuid"]
    assert back["Jongeren met jeugdzorg"].iloc[0] == 12345
    assert pd.isna(back["Jongeren met jeugdzorg"].iloc[1])
    assert back["Aandeel (%)"].tolist() == [12.5, -3.1]
    assert 'download="jeugdzorg-per-gemeente-' in markup and "<script" not in markup


def test_csv_prefers_the_raw_figures() -> None:
    shown = pd.DataFrame({"Jaar": ["2023"], "Kosten": ["€ 1,2 mln"]})
    raw = pd.DataFrame({"Jaar": [2023], "Kosten (euro)": [1_234_567.89]})
    back = pd.read_csv(io.BytesIO(csv_bytes(shown, cijfers=raw)), sep=";", decimal=",")
    assert back.to_dict("list") == {"Jaar": [2023], "Kosten (euro)": [1_234_567.89]}


@pytest.mark.slow
def test_report_tables_csv_and_xlsx_on_demoland(demoland, tmp_path) -> None:
    from openpyxl import load_workbook

    from analysis import store
    from analysis.report.engine import ReportJob, run_batch
    from analysis.report.jobs import notebook
    from analysis.report.params import param_catalog, validate_report_params

    root, _ = demoland
    catalog = param_catalog(root)
    jaar = int(store.load_indicators(root)["jaar"].max())
    params = validate_report_params(
        "nederland",
        {"jaar": jaar, "indeling_jaar": None, "data_dir": str(root), "profiel": "demoland"},
        catalog,
    )
    out = tmp_path / "nederland" / "NL01.html"
    out.parent.mkdir()
    job = ReportJob("nederland", "NL01", notebook("nederland"), params, out, "Nederland", "")
    summary = run_batch(
        [job], workers=1, resume=False, progress=False, data_dir=root, reports_dir=tmp_path
    )
    assert summary.exit_code == 0, summary.format()
    page = out.read_text(encoding="utf-8")

    # every report table is followed by its CSV, and the CSV equals the table's figures
    pairs = re.findall(
        r'(<table class="rapport-tabel">.*?</table>).*?<p class="tabel-download">'
        r'<a [^>]*href="data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)"',
        page,
        re.S,
    )
    payloads = _csv(page)
    assert len(pairs) == page.count('<table class="rapport-tabel">') >= 10
    for table, b64 in pairs:
        data = base64.b64decode(b64)
        back = pd.read_csv(
            io.BytesIO(data), sep=";", decimal=",", dtype=object, keep_default_na=False
        )
        rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
        cells = [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in rows]
        assert back.shape == (len(cells), len(cells[0]) if cells else back.shape[1])
        for i, row in enumerate(cells):
            for j, cell in enumerate(row):
                want = _figure(cell)
                got = _figure(back.iat[i, j])
                if isinstance(want, float) and isinstance(got, float):
                    assert got == pytest.approx(want, rel=1e-9), (i, j, cell, back.iat[i, j])
                else:
                    assert got == want, (i, j, cell, back.iat[i, j])

    # the companion workbook: one sheet per table plus the sources
    xlsx = write_companion(out, root / "processed")
    assert xlsx == companion_path(out) and xlsx.is_file()
    wb = load_workbook(xlsx)
    assert len(wb.sheetnames) == len(payloads) + 1 and wb.sheetnames[-1] == "Bronnen"
    first = tabellen(page)[0]
    ws = wb[wb.sheetnames[0]]
    assert ws.cell(1, 1).value == first.titel
    assert [c.value for c in ws[2]] == first.rijen[0]
    bronnen = list(wb["Bronnen"].values)
    assert bronnen[0] == ("Tabel", "Titel", "Modified", "Opgehaald")
    sources = store.load_sources(root)
    ids = {s["table_id"] for s in sources if s.get("table_id")}
    assert len(bronnen) > 1 and {r[0] for r in bronnen[1:]} <= ids
    row = next(r for r in bronnen[1:])
    src = next(s for s in sources if s.get("table_id") == row[0])
    assert row[1:] == (src["title"], src["modified"], src["retrieved_at"])

    # the index links the workbook next to the report
    index = write_index(
        tmp_path,
        [IndexEntry("nederland", "NL01", "Nederland", "", "nederland/NL01.html")],
        title="Rapporten",
        synthetic=True,
    ).read_text(encoding="utf-8")
    assert 'href="nederland/NL01.xlsx"' in index


def test_workbook_sheet_names_are_valid_and_unique(tmp_path) -> None:
    from openpyxl import load_workbook

    df = pd.DataFrame({"A": ["1"]})
    page = "".join(
        html_tabel(df, bijschrift=t)
        for t in ("Kosten: per jongere [euro]/jaar?", "Kosten: per jongere [euro]/jaar?", "Bronnen")
    )
    path = write_xlsx(page, tmp_path / "r.xlsx", [])
    names = load_workbook(path).sheetnames
    assert len(names) == len(set(n.lower() for n in names)) == 4
    assert all(len(n) <= 31 and not set("[]:*?/\\") & set(n) for n in names)
    assert load_workbook(path)[names[0]].cell(3, 1).value == 1


def test_bar_chart_carries_its_raw_figures() -> None:
    from analysis.report.figures import staven_html

    panel = pd.DataFrame(
        {"label": ["Hier", "Nederland"], "waarde": [123.456, float("nan")], "hoofd": [True, False]}
    )
    markup = staven_html([("Jeugdhulp", panel)], titel="Vergelijking", caption="Bron: x.")
    (data,) = _csv(markup)
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",")
    assert list(back.columns) == [
        "Paneel",
        "Gebied",
        "per 1\u202f000 jongeren van 0 tot 18 jaar",
        "Onderdrukt",
    ]
    assert back.iloc[:, 2].iloc[0] == 123.456 and pd.isna(back.iloc[:, 2].iloc[1])
    assert back["Gebied"].tolist() == ["Hier", "Nederland"]
