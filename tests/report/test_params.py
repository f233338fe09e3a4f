"""Parameter validation, file names and output paths (no kernels)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.report.params import (
    ParamCatalog,
    ParameterError,
    output_path,
    param_catalog,
    safe_filename,
    validate_report_params,
)

from . import make_data_dir


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> ParamCatalog:
    return param_catalog(make_data_dir(tmp_path_factory.mktemp("data")))


def test_catalog_reads_processed_layer(catalog):
    assert catalog.indeling_jaren == (2023, 2024)
    assert catalog.jaren == (2022, 2023)
    assert catalog.gemeenten[2024]["GM0796"] == "'s-Hertogenbosch"
    assert "GM0457" in catalog.gemeenten[2023] and "GM0457" not in catalog.gemeenten[2024]
    assert catalog.jeugdregios[2024]["JZ13"] == "Amstelland en de Meerlanden"
    assert catalog.latest_indeling() == 2024


def test_catalog_missing_files_names_command(tmp_path):
    with pytest.raises(FileNotFoundError, match="demo-data"):
        param_catalog(tmp_path)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("GM0363", "GM0363"),
        ("gm0363", "GM0363"),
        ("363", "GM0363"),
        ("Amsterdam", "GM0363"),
        ("amsterdam", "GM0363"),
        ("AMSTERDAM ", "GM0363"),
        ("sudwest-fryslan", "GM1900"),
        ("Súdwest Fryslân", "GM1900"),
        ("'s-Hertogenbosch", "GM0796"),
        ("s hertogenbosch", "GM0796"),
    ],
)
def test_gemeente_by_code_or_name(catalog, given, expected):
    out = validate_report_params("gemeente", {"gemeente": given}, catalog)
    assert out["gemeente"] == expected


def test_unknown_gemeente_lists_closest_codes_with_names(catalog):
    with pytest.raises(ParameterError) as err:
        validate_report_params("gemeente", {"gemeente": "Amsterdm"}, catalog)
    msg = str(err.value)
    assert "'Amsterdm'" in msg
    assert "GM0363 Amsterdam" in msg


def test_ambiguous_name_lists_both(catalog):
    with pytest.raises(ParameterError) as err:
        validate_report_params("gemeente", {"gemeente": "Bergen"}, catalog)
    msg = str(err.value)
    assert "GM0373 Bergen (NH.)" in msg and "GM0893 Bergen (L.)" in msg


def test_unknown_code_suggests_similar_code(catalog):
    with pytest.raises(ParameterError, match="GM0363 Amsterdam"):
        validate_report_params("gemeente", {"gemeente": "GM0364"}, catalog)


def test_gemeente_missing_in_classification_year_says_where_it_exists(catalog):
    with pytest.raises(ParameterError) as err:
        validate_report_params("gemeente", {"gemeente": "Weesp", "indeling_jaar": 2024}, catalog)
    assert "indeling 2024" in str(err.value) and "2023" in str(err.value)
    ok = validate_report_params("gemeente", {"gemeente": "Weesp", "indeling_jaar": 2023}, catalog)
    assert ok["gemeente"] == "GM0457"


def test_year_without_data_lists_available_years(catalog):
    with pytest.raises(ParameterError) as err:
        validate_report_params("nederland", {"jaar": 2019}, catalog)
    assert "2019" in str(err.value) and "2022, 2023" in str(err.value)


def test_year_is_normalised_to_int(catalog):
    out = validate_report_params("nederland", {"jaar": "2023", "indeling_jaar": 2024}, catalog)
    assert out == {"jaar": 2023, "indeling_jaar": 2024}


@pytest.mark.parametrize("bad", ["twintig", 2023.5, [2023]])
def test_year_must_be_a_year(catalog, bad):
    with pytest.raises(ParameterError, match="jaar"):
        validate_report_params("nederland", {"jaar": bad}, catalog)


def test_unknown_classification_year(catalog):
    with pytest.raises(ParameterError, match="2023, 2024"):
        validate_report_params("nederland", {"indeling_jaar": 2020}, catalog)


def test_jeugdregio_by_code_and_name(catalog):
    assert validate_report_params("jeugdregio", {"regio": "jz13"}, catalog)["regio"] == "JZ13"
    assert validate_report_params("jeugdregio", {"regio": "Friesland"}, catalog)["regio"] == "JZ02"
    with pytest.raises(ParameterError, match="JZ23 Rijnmond"):
        validate_report_params("jeugdregio", {"regio": "Rijmond"}, catalog)


def test_vergelijkingsgroep_must_be_declared(catalog):
    with pytest.raises(ParameterError) as err:
        validate_report_params(
            "gemeente", {"gemeente": "GM0363", "vergelijkingsgroep": "provinsie"}, catalog
        )
    msg = str(err.value)
    assert "'provinsie'" in msg and "grootteklasse, jeugdregio, provincie" in msg
    assert "'provincie'" in msg  # the close match


def test_unknown_kind_and_unknown_parameter(catalog):
    with pytest.raises(ParameterError, match="nederland, jeugdregio, gemeente"):
        validate_report_params("provincie", {}, catalog)
    with pytest.raises(ParameterError, match="'regio'.*geldig: jaar"):
        validate_report_params("nederland", {"regio": "JZ13"}, catalog)


def test_required_parameter_and_profiel(catalog):
    with pytest.raises(ParameterError, match="gemeente"):
        validate_report_params("gemeente", {"jaar": 2023}, catalog)
    with pytest.raises(ParameterError, match="cbs, demoland"):
        validate_report_params("nederland", {"profiel": "testland"}, catalog)


def test_parameter_error_is_value_error():
    assert issubclass(ParameterError, ValueError)


@pytest.mark.parametrize(
    ("code", "name", "jaar", "expected"),
    [
        ("GM0796", "'s-Hertogenbosch", None, "GM0796-s-hertogenbosch"),
        ("GM1900", "Súdwest-Fryslân", None, "GM1900-sudwest-fryslan"),
        ("GM0363", "Amsterdam", 2023, "GM0363-amsterdam-2023"),
        ("JZ13", "Amstelland en de Meerlanden", None, "JZ13-amstelland-en-de-meerlanden"),
        ("GM0893", "Bergen (L.)", 2024, "GM0893-bergen-l-2024"),
        ("../GM1", "../../etc/passwd", None, "GM1-etc-passwd"),
        ("NL01", "", None, "NL01"),
    ],
)
def test_safe_filename(code, name, jaar, expected):
    got = safe_filename(code, name, jaar)
    assert got == expected
    assert "/" not in got and "\\" not in got and not got.startswith(".")
    assert got.isascii()


def test_safe_filename_rejects_empty_code():
    with pytest.raises(ParameterError):
        safe_filename("../", "x", None)


def test_output_path_stays_inside_reports_dir(tmp_path):
    path = output_path(tmp_path, "demoland", "gemeente", "GM0363-amsterdam.html")
    assert path == (tmp_path / "demoland" / "gemeente" / "GM0363-amsterdam.html").resolve()


@pytest.mark.parametrize(
    ("profiel", "kind", "filename"),
    [
        ("demoland", "gemeente", "../../x.html"),
        ("..", "gemeente", "x.html"),
        ("demoland", "gemeente", "/etc/passwd"),
        ("demoland", "gemeente", ".verborgen.html"),
        ("demoland", "", "x.html"),
    ],
)
def test_output_path_refuses_escapes(tmp_path, profiel, kind, filename):
    with pytest.raises(ParameterError):
        output_path(tmp_path, profiel, kind, filename)


def test_output_path_refuses_symlink_escape(tmp_path):
    outside = tmp_path / "buiten"
    outside.mkdir()
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "demoland").symlink_to(outside)
    with pytest.raises(ParameterError, match="buiten"):
        output_path(reports, "demoland", "gemeente", "x.html")


def test_output_path_accepts_path_objects(tmp_path):
    assert isinstance(output_path(Path(tmp_path), "cbs", "nederland", "NL01.html"), Path)


@pytest.mark.parametrize(
    ("kind", "params", "expected"),
    [
        (
            "gemeente",
            {"gemeente": "GM9904"},
            "'GM9904' in indeling 2024; bedoelde u: GM9007 Oosterbroek",
        ),
        ("gemeente", {"gemeente": "Grootstadt"}, "bedoelde u: GM9001 Grootstad"),
        ("jeugdregio", {"regio": "JZ93"}, "'JZ93' in indeling 2024; bedoelde u: JZ92 Regio Zuid"),
        (
            "gemeente",
            {"gemeente": "GM9001", "vergelijkingsgroep": "provinsie"},
            "'provinsie' (bedoelde u 'provincie'?)",
        ),
        ("nederland", {"indeling_jaar": 2019}, "2019; beschikbare indelingsjaren: 2023, 2024"),
        ("provincie", {}, "'provincie'; geldig: nederland, jeugdregio, gemeente"),
    ],
)
def test_report_context_and_runner_share_one_validator(tmp_path, kind, params, expected):
    """The notebook's ``report_context`` and the runner's check give the same message."""
    from analysis import store

    from . import fixtures

    d = fixtures.write_dataset(tmp_path, with_geo=False)
    with pytest.raises(ParameterError) as runner:
        validate_report_params(kind, dict(params), param_catalog(d))
    code = params.get("gemeente") or params.get("regio")
    with pytest.raises(ParameterError) as notebook:
        store.report_context(
            kind,
            code,
            2023,
            params.get("indeling_jaar"),
            d,
            "demoland",
            params.get("vergelijkingsgroep"),
        )
    assert str(notebook.value) == str(runner.value)
    assert expected in str(runner.value)


def test_nearest_codes_suggested_for_a_mistyped_code(tmp_path):
    from . import fixtures

    d = fixtures.write_dataset(tmp_path, with_geo=False)
    catalog = param_catalog(d)
    with pytest.raises(ParameterError, match=r"'GM9010'.*bedoelde u: GM9007 Oosterbroek; GM9006"):
        validate_report_params("gemeente", {"gemeente": "GM9010"}, catalog)
