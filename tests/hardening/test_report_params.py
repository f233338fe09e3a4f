"""Bad report parameters: an empty gemeente or regio is an error (issue 12 item 8), and error
messages echo at most ~80 characters of the bad input (item 16)."""

from __future__ import annotations

import pytest

from analysis import cli
from analysis.echo import echo, shorten_in
from analysis.report.params import ParameterError, param_catalog, validate_report_params

HUGE = "x" * 100_000


@pytest.fixture()
def demo_env(demoland, tmp_path, monkeypatch):
    """The Demoland profile pointed at the session's Demoland, reports into a temp folder."""
    root, _ = demoland
    reports = tmp_path / "reports"
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(root))
    monkeypatch.setenv("ANALYSIS_REPORTS_DIR", str(reports))
    return root, reports


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse errors
        code = exc.code
    out, err = capsys.readouterr()
    return int(code or 0), out, err


def _rendered(reports) -> list[str]:
    return sorted(p.name for p in reports.rglob("*.html")) if reports.exists() else []


@pytest.mark.parametrize(
    "argv",
    [
        ["--gemeente", ""],
        ["--gemeente", "   "],
        ["--regio", ""],
        ["--regio", "\t"],
        ["--gemeente=", "--regio", "JZ91"],
    ],
)
def test_empty_gemeente_or_regio_is_an_error_not_the_national_report(demo_env, capsys, argv):
    _, reports = demo_env
    code, out, err = _run(["report", "--profiel", "demoland", *argv], capsys)
    assert code == 2
    assert "leeg" in err and ("--gemeente" in err or "--regio" in err)
    assert _rendered(reports) == [] and "rapport:" not in out


def test_empty_required_parameter_is_missing(demoland):
    catalog = param_catalog(demoland[0])
    for kind, key in (("gemeente", "gemeente"), ("jeugdregio", "regio")):
        for value in ("", "  ", "\n"):
            with pytest.raises(ParameterError, match=f"vraagt om parameter.*{key}"):
                validate_report_params(kind, {key: value}, catalog)


def test_validation_echoes_at_most_80_characters(demoland):
    catalog = param_catalog(demoland[0])
    cases = [
        ("gemeente", {"gemeente": HUGE}),
        ("jeugdregio", {"regio": HUGE}),
        ("gemeente", {"gemeente": "GM9001", "vergelijkingsgroep": HUGE}),
        ("nederland", {"jaar": HUGE}),
        ("nederland", {"indeling_jaar": HUGE}),
        ("nederland", {"profiel": HUGE}),
        (HUGE, {}),
        ("nederland", {HUGE: 1}),
    ]
    for kind, params in cases:
        with pytest.raises(ParameterError) as info:
            validate_report_params(kind, params, catalog)
        message = str(info.value)
        assert len(message) < 600, (kind, list(params), len(message))
        assert "(100000 tekens)" in message and "x" * 81 not in message
    for key in ("jaar", "indeling_jaar"):  # a number, but 300 digits long
        with pytest.raises(ParameterError, match=r"\(300 tekens\)") as info:
            validate_report_params("nederland", {key: "9" * 300}, catalog)
        assert len(str(info.value)) < 400


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--profiel", "demoland", "--gemeente", HUGE],
        ["report", "--profiel", "demoland", "--regio", HUGE],
        ["report", "--profiel", "demoland", "--jaar", HUGE],
        ["report", "--profiel", HUGE],
        ["report", "--profiel", "demoland", "--indeling-jaar", HUGE],
        ["demo", "--workers", HUGE],
        ["data", "--years", HUGE],
        [HUGE],
        ["report", HUGE],
    ],
)
def test_cli_echoes_at_most_80_characters(demo_env, capsys, argv):
    code, out, err = _run(argv, capsys)
    assert code == 2
    assert len(err) < 2000 and len(out) < 2000, len(err)
    assert "(100000 tekens)" in err and "x" * 81 not in err


def test_echo_keeps_short_values_and_control_characters_visible():
    assert echo("GM0363") == "'GM0363'"
    assert echo(2023) == "2023"
    assert echo("a\x1b[2Jb") == "'a\\x1b[2Jb'"
    long = "ab" * 100
    assert echo(long) == f"{long[:80]!r}… (200 tekens)"
    assert shorten_in(f"bad {long!r}, or {long}", [long, "ab"]) == (
        f"bad {echo(long)}, or {echo(long)}"
    )
