"""Validation of the local-data files: every bad input is rejected by file, line and field."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from analysis.localdata import KINDS, Reference, check_kind, coverage, kind, load, read_published
from analysis.localdata.check import Problem

from .conftest import EXAMPLES, edit, read_rows, write_rows

WT = "wachttijden/jz91_aanbieders_2025-09.csv"


def _problems(root: Path, processed: Path, name: str) -> list[Problem]:
    res = check_kind(root, kind(name), Reference.from_processed(processed))
    assert not res.ok
    assert res.records.empty  # nothing of a failed kind is handed on
    return res.problems


def _only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_example_files_pass_against_demoland_codes(processed: Path, demo_indeling) -> None:
    res = load(EXAMPLES, processed, publish=False)
    assert res.ok, [str(p) for p in res.problems]
    assert "regio_indeling.parquet" in res.reference.description
    n_gm = demo_indeling["gemeente_code"].nunique()
    n_jz = demo_indeling["regio_code"].nunique()
    wt = res.results["wachttijden"]
    assert len(wt.files) == 2
    # every record of the example set is synthetic, and says so in its source
    for r in res.results.values():
        assert len(r.records) > 0
        assert r.records["bron_titel"].str.startswith("SYNTHETISCH VOORBEELD").all()
    cov = coverage("wachttijden", wt.records, res.reference)
    assert cov["gemeenten_totaal"] == n_gm and cov["regios_totaal"] == n_jz
    assert cov["regios"] == len({c for c in wt.records["code"] if c.startswith("JZ")})
    assert cov["aanbieders"] == wt.records["aanbieder"].dropna().nunique() == 4
    # bouwstenen: "onbekend" is no sourced value
    bs = res.results["bouwstenen"].records
    known = bs.loc[bs["waarde"] != "onbekend", "code"].nunique()
    assert coverage("bouwstenen", bs, res.reference)["regios"] == known


def test_values_are_read_as_written_and_nothing_is_filled_in(processed: Path) -> None:
    res = check_kind(EXAMPLES, kind("wachttijden"), Reference.from_processed(processed))
    df = res.records
    zeewind = df[df["aanbieder"] == "Praktijk Zeewind"].iloc[0]
    assert zeewind["wachttijd_mediaan_weken"] == 4.5  # decimal comma "4,5"
    assert pd.isna(zeewind["wachttijd_gemiddeld_weken"])  # empty stays empty
    assert zeewind["peildatum"] == pd.Timestamp("2025-09-30")
    assert zeewind["bestand"].endswith("jz91_aanbieders_2025-09.csv") and zeewind["regel"] == 4
    # the gemeente's own figure has no aanbieder, the region monitor has no mean
    assert df["wachttijd_gemiddeld_weken"].notna().sum() == 2


# ---- the bad inputs ------------------------------------------------------------------


def test_record_without_source(registry_copy: Path, processed: Path) -> None:
    edit(registry_copy / WT, 3, "bron_titel", "")
    p = _only(_problems(registry_copy, processed, "wachttijden"))
    assert p.file.endswith(WT) and p.line == 3 and p.field == "bron_titel"
    assert "every record needs a source" in p.message and "bron_vindplaats" in p.message


def test_unknown_code_against_regio_indeling(registry_copy: Path, processed: Path) -> None:
    edit(registry_copy / WT, 2, "code", "GM9999")
    p = _only(_problems(registry_copy, processed, "wachttijden"))
    assert (p.line, p.field) == (2, "code")
    assert "'GM9999' is an unknown code" in p.message
    assert str(processed / "regio_indeling.parquet") in p.message  # says which reference


def test_unknown_code_format_check_without_regio_indeling(
    registry_copy: Path, tmp_path: Path
) -> None:
    edit(registry_copy / WT, 2, "code", "JZ9")
    empty = tmp_path / "no-processed"
    res = check_kind(registry_copy, kind("wachttijden"), Reference.from_processed(empty))
    p = _only(res.problems)
    assert (p.line, p.field) == (2, "code")
    assert "code format only" in p.message and "JZ + 2 digits" in p.message
    # a real-looking code passes the format check (stated as such), not the Demoland reference
    edit(registry_copy / WT, 2, "code", "JZ13")
    assert check_kind(registry_copy, kind("wachttijden"), Reference.from_processed(empty)).ok


def test_code_of_the_wrong_level(registry_copy: Path, processed: Path) -> None:
    path = registry_copy / "bouwstenen" / "regionale_agenda_2025.csv"
    edit(path, 5, "code", "GM9001")  # building blocks are per jeugdregio
    p = _only(_problems(registry_copy, processed, "bouwstenen"))
    assert (p.line, p.field) == (5, "code") and "JZ-codes of jeugdregio's" in p.message


def test_duplicate_key_across_files(registry_copy: Path, processed: Path) -> None:
    rows = read_rows(registry_copy / WT)
    write_rows(registry_copy / "wachttijden" / "zz_extra.csv", [rows[0], rows[2]])
    p = _only(_problems(registry_copy, processed, "wachttijden"))
    assert p.file.endswith("zz_extra.csv") and p.line == 2
    assert "duplicate key" in p.message and f"{WT}:3" in p.message
    assert "code + aanbieder + peildatum + zorgvorm" in p.message


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("wachttijd_mediaan_weken", "-3", "'-3' is negative; valid: 0 or more"),
        ("aantal_wachtend", "-1", "'-1' is negative"),
        ("aandeel_binnen_treeknorm_pct", "120", "'120' is impossible; valid: 0 to 100"),
        ("wachttijd_mediaan_weken", "25", "25 is above wachttijd_maximum_weken (21)"),
    ],
)
def test_negative_or_impossible_value(
    registry_copy: Path, processed: Path, field: str, value: str, expected: str
) -> None:
    edit(registry_copy / WT, 2, field, value)
    p = _only(_problems(registry_copy, processed, "wachttijden"))
    assert (p.line, p.field) == (2, field)
    assert expected in p.message


def test_negative_budget_amount(registry_copy: Path, processed: Path) -> None:
    edit(registry_copy / "budget" / "meicirculaire_2024.csv", 3, "bedrag_euro", "-9876000")
    p = _only(_problems(registry_copy, processed, "budget"))
    assert (p.line, p.field) == (3, "bedrag_euro") and "negative" in p.message


def test_date_in_the_future(registry_copy: Path, processed: Path) -> None:
    future = (date.today() + timedelta(days=30)).isoformat()
    edit(registry_copy / WT, 4, "peildatum", future)
    p = _only(_problems(registry_copy, processed, "wachttijden"))
    assert (p.line, p.field) == (4, "peildatum")
    assert "in the future" in p.message and date.today().isoformat() in p.message


def test_recorded_before_the_source_existed(registry_copy: Path, processed: Path) -> None:
    edit(registry_copy / WT, 2, "vastgelegd_op", "2025-01-01")
    p = _only(_problems(registry_copy, processed, "wachttijden"))
    assert (p.line, p.field) == (2, "vastgelegd_op") and "before bron_datum" in p.message


@pytest.mark.parametrize(
    ("damage", "line", "field", "expected"),
    [
        ("extra_field", 3, None, "has 19 fields, the header has 18"),
        ("not_utf8", 2, None, "not valid UTF-8"),
        ("comma_separated", 1, None, "separator must be ';'"),
        ("decimal_point", 2, "wachttijd_mediaan_weken", "decimal comma"),
        ("bad_date", 2, "peildatum", "not a date; valid: YYYY-MM-DD"),
        ("unknown_column", 1, "wachtijd", "unknown column; valid: code, naam"),
        ("empty", 1, None, "is empty; the first line must be the header"),
    ],
)
def test_file_that_does_not_parse(
    registry_copy: Path, processed: Path, damage: str, line: int, field: str | None, expected: str
) -> None:
    path = registry_copy / WT
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if damage == "extra_field":
        lines[2] += ";x"
    elif damage == "not_utf8":
        latin = lines[1].replace("Kustkompas", "Kustkompas Café", 1)  # saved as Windows-1252
        path.write_bytes(("\n".join(lines[:1]) + "\n").encode() + latin.encode("cp1252"))
    elif damage == "comma_separated":
        lines[0] = lines[0].replace(";", ",")
    elif damage == "decimal_point":
        edit(path, 2, "wachttijd_mediaan_weken", "9.5")
    elif damage == "bad_date":
        edit(path, 2, "peildatum", "30-09-2025")
    elif damage == "unknown_column":
        lines[0] = lines[0].replace("toelichting", "wachtijd")
    elif damage == "empty":
        lines = []
    if damage not in {"not_utf8", "decimal_point", "bad_date"}:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    probs = _problems(registry_copy, processed, "wachttijden")
    p = probs[0]
    assert p.file.endswith(WT) and (p.line, p.field) == (line, field), [str(q) for q in probs]
    assert expected in p.message
    assert f"{WT}:{line}:" in str(p)


def test_unknown_indicator_id_in_doelen(registry_copy: Path, processed: Path) -> None:
    edit(registry_copy / "doelen" / "gm9001_biezenberg.csv", 2, "indicator", "wachttijd_jeugd")
    p = _only(_problems(registry_copy, processed, "doelen"))
    assert (p.line, p.field) == (2, "indicator")
    assert "'wachttijd_jeugd' is an unknown indicator id" in p.message
    assert "jongeren_met_jeugdhulp" in p.message


def test_bad_choice_in_bouwstenen(registry_copy: Path, processed: Path) -> None:
    edit(registry_copy / "bouwstenen" / "regionale_agenda_2025.csv", 2, "waarde", "misschien")
    p = _only(_problems(registry_copy, processed, "bouwstenen"))
    assert (p.line, p.field) == (2, "waarde") and "valid: ja, nee, onbekend" in p.message


def test_folder_that_is_not_a_kind(registry_copy: Path, processed: Path) -> None:
    (registry_copy / "wachtijden").mkdir()
    res = load(registry_copy, processed, publish=False)
    assert not res.ok
    p = _only(res.problems)
    assert p.file.endswith("wachtijden") and "valid: " + ", ".join(KINDS) in p.message


# ---- publishing ----------------------------------------------------------------------


def test_failed_check_leaves_the_published_copy_untouched(
    registry_copy: Path, processed: Path
) -> None:
    first = load(registry_copy, processed)
    assert first.ok and set(first.published) == set(KINDS)
    published = {k: p.read_bytes() for k, p in first.published.items()}
    wt = read_published(processed, "wachttijden")
    assert len(wt) == 9 and {"bestand", "regel", "bron_titel"} <= set(wt.columns)

    edit(registry_copy / WT, 3, "bron_uitgever", "")  # wachttijden now fails
    (registry_copy / "budget" / "meicirculaire_2024.csv").unlink()  # budget now empty but valid
    second = load(registry_copy, processed)
    assert not second.ok and "wachttijden" not in second.published
    assert first.published["wachttijden"].read_bytes() == published["wachttijden"]
    assert read_published(processed, "budget").empty  # a valid kind is republished
    assert first.published["doelen"].read_bytes() == published["doelen"]
    assert not list((processed / "lokaal").glob(".*.tmp"))


def test_read_published_without_a_load_is_empty_with_columns(tmp_path: Path) -> None:
    df = read_published(tmp_path, "budget")
    assert df.empty and list(df.columns[:2]) == ["bestand", "regel"]
    assert "bedrag_euro" in df.columns


def test_name_that_differs_from_the_code_is_a_warning(registry_copy: Path, processed: Path) -> None:
    edit(registry_copy / WT, 6, "naam", "Zuid-Demowold")  # JZ91 is West-Demokust
    res = check_kind(registry_copy, kind("wachttijden"), Reference.from_processed(processed))
    assert res.ok  # names vary between sources; a warning, not a rejection
    w = _only(res.warnings)
    assert (w.line, w.field) == (6, "naam")
    assert "'Zuid-Demowold' is not the name of JZ91" in w.message and "West-Demokust" in w.message
    # the examples use the reference's names (case and spacing do not matter)
    clean = check_kind(EXAMPLES, kind("wachttijden"), Reference.from_processed(processed))
    assert clean.warnings == []


def test_year_out_of_range(registry_copy: Path, processed: Path) -> None:
    edit(registry_copy / "bouwstenen" / "regionale_agenda_2025.csv", 2, "jaar", "2014")
    p = _only(_problems(registry_copy, processed, "bouwstenen"))
    assert (p.line, p.field) == (2, "jaar")
    assert f"'2014' is out of range; valid: 2015 to {date.today().year}" in p.message


def test_excel_style_file_with_bom_and_crlf_reads_the_same(
    registry_copy: Path, processed: Path
) -> None:
    path = registry_copy / "budget" / "meicirculaire_2024.csv"
    ref = Reference.from_processed(processed)
    plain = check_kind(registry_copy, kind("budget"), ref).records
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    excel = check_kind(registry_copy, kind("budget"), ref)
    assert excel.ok, [str(p) for p in excel.problems]
    pd.testing.assert_frame_equal(excel.records, plain)
    assert excel.records["bedrag_euro"].tolist()[2] == 61234500.5  # "61234500,50"
