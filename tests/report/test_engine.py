"""Execution engines: the papermill reference, the warm batch engine, resume and failures."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat
import pytest

from analysis.config import project_root
from analysis.report.engine import (
    BatchSummary,
    JobFailure,
    RenderError,
    ReportJob,
    check_notebook_params,
    inputs_digest,
    job_fingerprint,
    notebook_error,
    notebook_parameters,
    package_digest,
    pool,
    render_one,
    run_batch,
    state_path_for,
)
from analysis.report.engine import state as resume_state
from analysis.report.engine.staging import (
    clean_leftovers,
    new_staging_dir,
    publish_text,
    staging_root,
)
from analysis.report.engine.worker import Payload
from analysis.report.footer import footer_info
from analysis.report.params import ParameterError

from . import NOTEBOOKS, fixtures, make_data_dir

RAPPORT = NOTEBOOKS / "rapport.ipynb"
LEK = NOTEBOOKS / "lek.ipynb"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return make_data_dir(tmp_path_factory.mktemp("data"))


def rapport_job(reports: Path, data: Path, gemeente: str, **extra) -> ReportJob:
    params = {"gemeente": gemeente, "data_dir": str(data), "profiel": "demoland", **extra}
    return ReportJob(
        kind="gemeente",
        code=gemeente,
        notebook=RAPPORT,
        params=params,
        out_html=reports / "demoland" / "gemeente" / f"{gemeente}.html",
        title=gemeente,
        group="JZ13",
    )


def other_job(reports: Path, notebook: str, code: str, params: dict) -> ReportJob:
    return ReportJob(
        kind="gemeente",
        code=code,
        notebook=NOTEBOOKS / notebook,
        params=params,
        out_html=reports / "demoland" / "gemeente" / f"{code}.html",
        title=code,
        group="JZ13",
    )


# --------------------------------------------------------------------------- fast checks


def test_notebook_parameters_and_unknown_parameter():
    assert notebook_parameters(RAPPORT) == (
        "gemeente",
        "jaar",
        "indeling_jaar",
        "vergelijkingsgroep",
        "data_dir",
        "profiel",
    )
    check_notebook_params(RAPPORT, {"gemeente": "GM0363"})
    with pytest.raises(ParameterError, match=r"'regio'.*declareert: gemeente, jaar"):
        check_notebook_params(RAPPORT, {"regio": "JZ13"})
    with pytest.raises(ParameterError, match="bestaat niet"):
        check_notebook_params(NOTEBOOKS / "nope.ipynb", {})


def test_batch_validates_jobs_before_running(tmp_path, data_dir):
    reports = tmp_path / "reports"
    outside = rapport_job(tmp_path / "elders", data_dir, "GM0363")
    with pytest.raises(ParameterError, match="buiten de rapportmap"):
        run_batch([outside], data_dir=data_dir, reports_dir=reports, progress=False)
    a = rapport_job(reports, data_dir, "GM0363")
    with pytest.raises(ParameterError, match="allebei"):
        run_batch([a, a], data_dir=data_dir, reports_dir=reports, progress=False)
    bad = ReportJob(**{**a.__dict__, "params": {"onbekend": 1}})
    with pytest.raises(ParameterError, match="'onbekend'"):
        run_batch([bad], data_dir=data_dir, reports_dir=reports, progress=False)
    with pytest.raises(ParameterError, match="warm, papermill"):
        run_batch([a], engine="snel", data_dir=data_dir, reports_dir=reports, progress=False)
    with pytest.raises(ParameterError, match="workers"):
        run_batch([a], workers=0, data_dir=data_dir, reports_dir=reports, progress=False)
    assert not reports.exists()


def test_empty_batch(tmp_path, data_dir):
    summary = run_batch([], data_dir=data_dir, reports_dir=tmp_path, progress=False)
    assert (summary.rendered, summary.skipped, summary.failed, summary.exit_code) == (0, 0, 0, 0)


def test_fingerprint_tracks_params_notebook_inputs(tmp_path, data_dir):
    job = rapport_job(tmp_path, data_dir, "GM0363")
    base = {"notebook_sha": "a", "inputs": "b", "package": "c", "kernel_name": "python3"}
    fp = job_fingerprint(job, **base)
    assert fp == job_fingerprint(job, **base)
    other = ReportJob(**{**job.__dict__, "params": {**job.params, "jaar": 2022}})
    assert job_fingerprint(other, **base) != fp
    for key in ("notebook_sha", "inputs", "package"):
        assert job_fingerprint(job, **{**base, key: "z"}) != fp


def test_inputs_digest_follows_contents(tmp_path):
    data = make_data_dir(tmp_path)
    before = inputs_digest(data)
    assert inputs_digest(data) == before
    sources = data / "processed" / "sources.json"
    sources.write_text(sources.read_text().replace("2025-01-10", "2025-01-11"))
    assert inputs_digest(data) != before
    assert len(package_digest()) == 64


def test_state_file_lives_in_profile_folder(tmp_path):
    out = tmp_path / "demoland" / "gemeente" / "GM0363.html"
    assert state_path_for(out, tmp_path) == (tmp_path / "demoland" / ".state.json").resolve()
    assert state_path_for(tmp_path / "x.html", tmp_path) == (tmp_path / ".state.json").resolve()


def test_summary_format_and_exit_code():
    ok = BatchSummary(engine="warm", workers=2, rendered=4, total_seconds=2.0)
    assert ok.exit_code == 0 and ok.seconds_per_report == 0.5
    bad = BatchSummary(
        engine="warm",
        workers=2,
        rendered=1,
        failed=1,
        failures=[JobFailure("GM0001", "/x.html", "Traceback\nValueError: kapot")],
    )
    assert bad.exit_code == 1
    text = bad.format()
    assert "1 mislukt" in text and "GM0001" in text and "ValueError: kapot" in text


def test_notebook_error_returns_traceback_tail():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="ValueError",
            evalue="kapot",
            traceback=["\x1b[31mTraceback\x1b[0m", "ValueError: kapot"],
        )
    ]
    nb.cells = [nbformat.v4.new_code_cell("y"), cell]
    assert notebook_error(nb) == "Traceback\nValueError: kapot"
    nb.cells = nb.cells[:1]
    assert notebook_error(nb) is None


# --------------------------------------------------------------------------- kernels


def _coalesce_streams(outputs: list) -> list:
    """Consecutive stream outputs of one name as one: how a kernel chunks its stdout into
    messages depends on timing (machine load), not on what the cell printed."""
    out: list = []
    for o in outputs:
        if (
            o.get("output_type") == "stream"
            and out
            and out[-1].get("output_type") == "stream"
            and out[-1].get("name") == o.get("name")
        ):
            out[-1].text += o.text
        else:
            out.append(o)
    return out


def _normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop only what is inherently run-specific (timings, output path, random cell id, how
    stdout was chunked into messages)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if "outputs" in cell:
            cell.outputs = _coalesce_streams(cell.outputs)
    for key in ("start_time", "end_time", "duration", "output_path"):
        nb.metadata.papermill.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # nbclient timestamps
        for key in ("start_time", "end_time", "duration"):
            cell.metadata.get("papermill", {}).pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected"  # nbformat gives the new cell a random id
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                # warnings name the kernel's per-process temp file: /tmp/ipykernel_<pid>/...
                out.text = re.sub(r"ipykernel_\d+", "ipykernel_PID", out.text)
    return nb


def _stdout(nb: nbformat.NotebookNode) -> str:
    return "".join(
        o.text
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )


def _without_render_time(html: str) -> str:
    return re.sub(r"<tr><th>gemaakt op</th><td>[^<]*</td></tr>", "", html)


def _run_in_one_warm_kernel(
    jobs: list[ReportJob], data: Path, reports: Path, warm_dir: Path
) -> None:
    """Render ``jobs`` with one worker, keeping the executed notebooks in ``warm_dir``; all
    must succeed in the same kernel."""
    summary = run_batch(
        jobs,
        workers=1,
        engine="warm",
        data_dir=data,
        reports_dir=reports,
        keep_ipynb_dir=warm_dir,
        progress=False,
    )
    assert (summary.rendered, summary.failed) == (len(jobs), 0), summary.format()
    assert len(summary.kernel_start_seconds) == 1


def _assert_equals_isolated_run(job: ReportJob, data: Path, warm_dir: Path, ref_dir: Path) -> str:
    """Render ``job`` alone with papermill into ``ref_dir`` and assert that the executed
    notebook (normalised) and the HTML equal the warm run's; returns the HTML."""
    ref_ipynb, ref_html = ref_dir / f"{job.code}.ipynb", ref_dir / f"{job.code}.html"
    footer = footer_info(data, job.params, notebook=job.notebook)
    render_one(
        job.notebook, job.params, ref_html, footer=footer, keep_ipynb=ref_ipynb, title=job.title
    )
    ref = _normalise(nbformat.read(ref_ipynb, as_version=4))
    got = _normalise(nbformat.read(warm_dir / f"{job.code}.ipynb", as_version=4))
    assert len(ref.cells) == len(got.cells)
    for i, (a, b) in enumerate(zip(ref.cells, got.cells, strict=True)):
        assert a == b, f"{job.code}: cell {i} differs"
    assert ref.metadata == got.metadata
    html = ref_html.read_text()
    assert _without_render_time(html) == _without_render_time(job.out_html.read_text())
    return html


@pytest.mark.slow
@pytest.mark.parametrize("caching", ["cache", "no-cache"])
def test_warm_engine_equals_isolated_papermill_runs(tmp_path, data_dir, monkeypatch, caching):
    """Three reports in ONE warm kernel, the first leaking every kind of state it can, give
    the same executed notebooks (outputs, PNG bytes, execution counts) and the same HTML as
    three isolated papermill runs; also with every cache switched off (``ANALYSIS_NO_CACHE=1``
    reaches the kernels: the probe prints it)."""
    if caching == "no-cache":
        monkeypatch.setenv("ANALYSIS_NO_CACHE", "1")
    reports = tmp_path / "reports"
    jobs = [
        other_job(reports, "lek.ipynb", "lek-zet", {"modus": "zet"}),
        rapport_job(reports, data_dir, "GM0796"),
        other_job(reports, "lek.ipynb", "lek-controleer", {"modus": "controleer"}),
    ]
    warm_dir = tmp_path / "warm"
    _run_in_one_warm_kernel(jobs, data_dir, reports, warm_dir)

    for job in jobs:
        _assert_equals_isolated_run(job, data_dir, warm_dir, tmp_path / "ref")

    # the probe is sensitive: the leaking run itself sees the state it set ...
    zet = _stdout(nbformat.read(warm_dir / "lek-zet.ipynb", as_version=4))
    controleer = _stdout(nbformat.read(warm_dir / "lek-controleer.ipynb", as_version=4))
    for line in ("LEK in globals: True", "linewidth: 7.5", "max_rows: 3", "env: 1", "cwd: \n"):
        assert line in zet
    # ... and the later run in the same kernel sees a fresh one
    for line in (
        "LEK in globals: False",
        "linewidth: 1.5",
        "axes.facecolor: white",
        "max_rows: 60",
        "np precision: 8",
        "env: None",
        "sys.path lek: False",
        "cwd: notebooks",
        "warnings recorded: 1",
        "np not continuing seeded stream: True",
        "py not continuing seeded stream: True",
        f"caches on: {caching == 'cache'}",
    ):
        assert line in controleer
    got = nbformat.read(warm_dir / "lek-controleer.ipynb", as_version=4)
    assert got.cells[5].outputs[0].data["text/plain"] == "3.14159265"  # %precision reset
    assert [c.execution_count for c in got.cells if c.cell_type == "code"] == list(range(1, 9))


@pytest.mark.slow
@pytest.mark.parametrize("caching", ["cache", "no-cache"])
def test_warm_engine_equals_isolated_runs_of_the_report_notebooks(tmp_path, monkeypatch, caching):
    """The real notebooks in ONE warm kernel: the second and third gemeente of a jeugdregio
    reuse the figure bases (maps, trend charts) the first one built, and the jeugdregio
    report those of the national family. Each output still equals an isolated run, with the
    caches on and with every cache switched off (``ANALYSIS_NO_CACHE=1``, read by
    :func:`analysis.config.cache_enabled` in the kernels)."""
    if caching == "no-cache":
        monkeypatch.setenv("ANALYSIS_NO_CACHE", "1")
    data = fixtures.write_dataset(tmp_path / "testland")
    reports = tmp_path / "reports"
    common = {"jaar": 2023, "indeling_jaar": None, "data_dir": str(data), "profiel": "demoland"}
    notebooks = project_root() / "notebooks"

    def job(kind: str, code: str, params: dict, notebook: str = "") -> ReportJob:
        return ReportJob(
            kind=kind,
            code=code,
            notebook=notebooks / (notebook or f"{kind}.ipynb"),
            params={**common, **params},
            out_html=reports / "demoland" / kind / f"{code}.html",
            title=code,
            group="JZ91",
        )

    groep = {"vergelijkingsgroep": "grootteklasse"}
    rekenkamer = {"gemeente": "GM9002", "editie": "rekenkamer", **groep}
    jobs = [
        job("jeugdregio", "JZ92", {"regio": "JZ92"}),
        job("jeugdregio", "JZ91", {"regio": "JZ91"}),
        *(job("gemeente", c, {"gemeente": c, **groep}) for c in ("GM9001", "GM9002", "GM9004")),
        # the rekenkamer edition after the standard reports, in the same warm kernel
        job("gemeente", "GM9002-rekenkamer", rekenkamer, "gemeente_rekenkamer.ipynb"),
    ]
    warm_dir = tmp_path / "warm"
    _run_in_one_warm_kernel(jobs, data, reports, warm_dir)
    for j in jobs[1:]:  # JZ92 only built the bases
        html = _assert_equals_isolated_run(j, data, warm_dir, tmp_path / "ref")
        assert "verticale as is voor alle" in html  # a shared trend base


@pytest.mark.slow
def test_batch_survives_errors_dead_kernel_and_timeout(tmp_path, data_dir, capsys):
    reports = tmp_path / "reports"
    jobs = [
        rapport_job(reports, data_dir, "GM0363"),
        other_job(reports, "fout.ipynb", "FOUT", {"code": "FOUT"}),
        other_job(reports, "crash.ipynb", "CRASH", {"code": "CRASH"}),
        other_job(reports, "traag.ipynb", "TRAAG", {"seconden": 120}),
        rapport_job(reports, data_dir, "GM1900"),
    ]
    summary = run_batch(
        jobs, workers=1, timeout=8, data_dir=data_dir, reports_dir=reports, progress=True
    )
    assert (summary.rendered, summary.failed, summary.skipped) == (2, 3, 0)
    assert summary.exit_code == 1
    errors = {f.code: f.error for f in summary.failures}
    assert "ValueError: opzettelijke fout voor FOUT" in errors["FOUT"]
    assert "DeadKernelError" in errors["CRASH"]
    assert "CellTimeoutError" in errors["TRAAG"] or "timed out" in errors["TRAAG"]
    for job in jobs:
        assert job.out_html.is_file() == (job.code in {"GM0363", "GM1900"})
    assert "Súdwest-Fryslân" in (reports / "demoland/gemeente/GM1900.html").read_text()
    state = json.loads((reports / "demoland" / ".state.json").read_text())
    assert sorted(state["reports"]) == ["gemeente/GM0363.html", "gemeente/GM1900.html"]
    out = capsys.readouterr().out
    assert re.search(r"\[1/5\] ok\s+GM0363", out)
    assert re.search(r"\[2/5\] MISLUKT FOUT", out)
    assert "3 mislukt" in out and "MISLUKT / FAILED FOUT" in out


@pytest.mark.slow
def test_resume_skips_unchanged_and_rerenders_changes(tmp_path, monkeypatch):
    # pin the package digest: in a shared working tree other files of the package change
    monkeypatch.setattr(resume_state, "package_digest", lambda: "pakket-1")
    data = make_data_dir(tmp_path / "data")
    reports = tmp_path / "reports"
    a, b = rapport_job(reports, data, "GM0363"), rapport_job(reports, data, "GM0599")

    def run(*js, resume=True):
        summary = run_batch(
            js, workers=1, resume=resume, data_dir=data, reports_dir=reports, progress=False
        )
        assert summary.failed == 0, summary.format()
        return summary.rendered, summary.skipped

    def mtimes():
        return [j.out_html.stat().st_mtime_ns for j in (a, b)]

    d = rapport_job(reports, data, "GM0893")
    assert run(a, b, d) == (3, 0)
    before = mtimes()
    assert run(a, b, d) == (0, 3)  # unchanged: nothing executes
    assert mtimes() == before

    a.out_html.unlink()  # output gone
    b2 = rapport_job(reports, data, "GM0599", jaar=2022)  # new parameters
    c = rapport_job(reports, data, "GM1900")  # new job
    d_mtime = d.out_html.stat().st_mtime_ns
    assert run(a, b2, c, d) == (3, 1)
    assert mtimes()[1] != before[1] and d.out_html.stat().st_mtime_ns == d_mtime

    sources = data / "processed" / "sources.json"  # inputs changed
    sources.write_text(sources.read_text().replace("2025-01-10", "2025-01-12"))
    assert run(a) == (1, 0)
    assert "2025-01-12" in a.out_html.read_text()

    monkeypatch.setattr(resume_state, "package_digest", lambda: "pakket-2")  # code changed
    assert run(a) == (1, 0)
    assert run(a) == (0, 1)


@pytest.mark.slow
def test_render_one_reference_path(tmp_path, data_dir):
    params = {"gemeente": "GM0796", "data_dir": str(data_dir), "profiel": "demoland"}
    out = tmp_path / "r" / "GM0796.html"
    result = render_one(
        RAPPORT,
        params,
        out,
        footer=footer_info(data_dir, params, notebook=RAPPORT),
        keep_ipynb=tmp_path / "keep" / "GM0796.ipynb",
    )
    assert result.out_html == out and out.is_file()
    assert result.title == "Jeugdzorg in 's-Hertogenbosch (2023)"
    assert result.ipynb is not None and result.ipynb.is_file()
    assert result.seconds >= result.execute_seconds > 0
    html = out.read_text()
    assert "Synthetische gegevens (Demoland)" in html and "STDERR-REGEL" not in html
    with pytest.raises(RenderError) as err:
        render_one(NOTEBOOKS / "fout.ipynb", {"code": "X"}, tmp_path / "fout.html")
    assert "ValueError: opzettelijke fout voor X" in err.value.tail
    assert not (tmp_path / "fout.html").exists()


@pytest.mark.slow
def test_papermill_engine_batch(tmp_path, data_dir):
    reports = tmp_path / "reports"
    jobs = [
        rapport_job(reports, data_dir, "GM0363"),
        other_job(reports, "fout.ipynb", "FOUT", {"code": "FOUT"}),
    ]
    summary = run_batch(
        jobs, workers=2, engine="papermill", data_dir=data_dir, reports_dir=reports, progress=False
    )
    assert (summary.rendered, summary.failed) == (1, 1)
    assert "opzettelijke fout" in summary.failures[0].error
    assert jobs[0].out_html.is_file() and not jobs[1].out_html.exists()


@pytest.mark.slow
def test_kernel_that_cannot_start_fails_jobs_not_batch(tmp_path, data_dir):
    reports = tmp_path / "reports"
    jobs = [rapport_job(reports, data_dir, "GM0363"), rapport_job(reports, data_dir, "GM0599")]
    summary = run_batch(
        jobs,
        workers=1,
        kernel_name="bestaat-niet",
        data_dir=data_dir,
        reports_dir=reports,
        progress=False,
    )
    assert (summary.rendered, summary.failed) == (0, 2)
    assert all("bestaat-niet" in f.error for f in summary.failures)


def test_workers_stay_with_the_group_whose_figure_bases_their_kernel_holds():
    def p(code: str, group: str) -> Payload:
        return Payload(0, code, "nb", {}, f"{code}.html", code, None, "fp", group)

    plan = [p("NL01", ""), p("JZ01", "JZ01"), p("A1", "JZ01 A"), p("A2", "JZ01 A")]
    plan += [p("B1", "JZ02 B"), p("A3", "JZ01 A"), p("B2", "JZ02 B")]
    # worker 1 finished A1 while worker 2 works on A2: A3 comes next, before B1
    pending = [q for q in plan if q.code in {"B1", "A3", "B2"}]
    assert pool.next_payload(pending, "JZ01 A", {"JZ01 A"}).code == "A3"
    # a worker without a group (or whose group is done) starts a group no one is on
    pending = [q for q in plan if q.code in {"A3", "B1", "B2"}]
    assert pool.next_payload(pending, None, {"JZ01 A"}).code == "B1"
    assert pool.next_payload(pending, "JZ09 X", {"JZ01 A"}).code == "B2"
    # what is left is shared; plan order otherwise
    assert pool.next_payload([plan[5]], "JZ02 B", {"JZ01 A"}).code == "A3"
    pending = list(plan)
    assert [pool.next_payload(pending, None, set()).code for _ in plan] == [q.code for q in plan]


# --------------------------------------------------------------------------- package shape


def test_public_names_resolve_and_kernel_state_stands_alone():
    """Every exported name loads; the kernel-side module imports no other engine module."""
    import subprocess
    import sys

    import analysis.report.engine as eng

    for name in eng.__all__:
        assert getattr(eng, name) is not None, name
    code = (
        "import sys; import analysis.report.engine.kernel_state; "
        "print(sorted(m for m in sys.modules if m.startswith('analysis.report')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == str(
        ["analysis.report", "analysis.report.engine", "analysis.report.engine.kernel_state"]
    )


# --------------------------------------------------------------------------- staging


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_publish_leaves_no_temp_file_and_keeps_old_file_on_failure(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    target = reports / "demoland" / "gemeente" / "GM0363.html"
    staging = new_staging_dir(reports)
    assert not staging.is_relative_to(reports.resolve())  # a hidden sibling of reports/
    publish_text("<p>oud</p>", target, staging)
    assert target.read_text() == "<p>oud</p>"

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("analysis.report.engine.staging.os.fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        publish_text("<p>nieuw</p>", target, staging)
    assert target.read_text() == "<p>oud</p>"
    assert sorted(p.name for p in target.parent.iterdir()) == ["GM0363.html"]
    assert list(staging.iterdir()) == []


def test_clean_leftovers_spares_live_runs(tmp_path):
    reports = tmp_path / "reports"
    (reports / "demoland").mkdir(parents=True)
    live = new_staging_dir(reports)  # this process: still running
    (live / "bezig.html").write_text("half")
    dead = staging_root(reports) / f"{_dead_pid()}-abc"
    dead.mkdir()
    (dead / "half.html").write_text("half")
    tmp = reports / "demoland" / f".index.html.{'a' * 32}.tmp"
    tmp.write_text("half")
    keep = reports / "demoland" / ".notes.tmp"  # not one of ours
    keep.write_text("x")
    removed = clean_leftovers(reports)
    assert dead in removed and tmp in removed
    assert (live / "bezig.html").is_file() and keep.is_file()
    assert not dead.exists() and not tmp.exists()


def _python(code: str, env: dict[str, str] | None = None):
    """Run ``code`` in a fresh interpreter with this test's environment plus ``env``."""
    import os
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=900,
    )


@pytest.mark.slow
def test_killed_run_leftovers_are_removed_by_the_next_batch(tmp_path, data_dir):
    """What ``kill -9`` leaves (partial report temp files inside reports/, a staging folder
    and a kernel folder of a process that is gone) disappears at the next batch; afterwards
    reports/ holds only live files."""
    from analysis.report.engine.kernels import kernels_root

    reports = tmp_path / "reports"
    job = rapport_job(reports, data_dir, "GM0363")
    planted = [
        job.out_html.parent / f".{job.out_html.name}.{'0' * 32}.tmp",
        reports / "demoland" / f".state.json.{'1' * 32}.tmp",
        staging_root(reports) / f"{_dead_pid()}-0123456789ab" / "GM0599.html",
        kernels_root() / str(_dead_pid()) / "kernel-0123.json",
    ]
    for path in planted:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half")
    summary = run_batch([job], workers=1, data_dir=data_dir, reports_dir=reports, progress=False)
    assert summary.rendered == 1, summary.format()
    for path in planted:
        assert not path.exists(), path
        assert not path.parent.exists() or path.parent in (
            job.out_html.parent,
            reports / "demoland",
        )
    live = sorted(p.relative_to(reports).as_posix() for p in reports.rglob("*") if p.is_file())
    assert live == ["demoland/.state.json", "demoland/gemeente/GM0363.html"]
    assert not staging_root(reports).exists()


@pytest.mark.slow
def test_batch_of_two_logs_no_tcp_encryption_warning(tmp_path, data_dir):
    """Kernels talk over IPC sockets: no "running over TCP without encryption" warnings."""
    reports = tmp_path / "reports"
    code = f"""
from pathlib import Path
from analysis.report.engine import ReportJob, run_batch
jobs = [
    ReportJob("gemeente", c, Path({str(RAPPORT)!r}), {{"gemeente": c, "data_dir": {str(data_dir)!r}}},
              Path({str(reports)!r}) / "demoland" / f"{{c}}.html", c, "")
    for c in ("GM0363", "GM0599")
]
s = run_batch(jobs, workers=1, data_dir=Path({str(data_dir)!r}), reports_dir=Path({str(reports)!r}))
raise SystemExit(s.exit_code)
"""
    done = _python(code)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "2 gemaakt" in done.stdout
    assert "without encryption" not in done.stderr + done.stdout
    assert "TCP" not in done.stderr


@pytest.mark.slow
def test_single_report_in_process_equals_kernel_path(tmp_path):
    """``report --gemeente`` renders in-process without a kernel; the HTML is byte-for-byte
    the warm kernel's (except the render time in the footer)."""
    data = fixtures.write_dataset(tmp_path / "testland")
    html = {}
    for engine in ("inprocess", "warm"):
        reports = tmp_path / f"reports-{engine}"
        code = (
            "from analysis.report.jobs import render_single; raise SystemExit(render_single("
            f"gemeente='GM9002', profiel='demoland', engine={engine!r}))"
        )
        env = {"ANALYSIS_DEMO_DIR": str(data), "ANALYSIS_REPORTS_DIR": str(reports)}
        done = _python(code, env)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
        assert f"engine={engine}" in done.stdout
        (out,) = (reports / "demoland" / "gemeente").glob("GM9002-*.html")
        html[engine] = out.read_text()
        state = json.loads((reports / "demoland" / ".state.json").read_text())
        assert list(state["reports"]) == [f"gemeente/{out.name}"]
    assert "<img" in html["inprocess"] and "Havendam" in html["inprocess"]
    assert _without_render_time(html["inprocess"]) == _without_render_time(html["warm"])


@pytest.mark.slow
def test_single_report_in_process_failure_is_reported_not_published(tmp_path, data_dir):
    reports = tmp_path / "reports"
    out = reports / "demoland" / "FOUT.html"
    code = f"""
from pathlib import Path
from analysis.report.engine import ReportJob, run_single
job = ReportJob("gemeente", "FOUT", Path({str(NOTEBOOKS / "fout.ipynb")!r}), {{"code": "FOUT"}},
                Path({str(out)!r}), "FOUT", "")
s = run_single(job, data_dir=Path({str(data_dir)!r}), reports_dir=Path({str(reports)!r}))
raise SystemExit(s.exit_code)
"""
    done = _python(code)
    assert done.returncode == 1, done.stderr[-3000:]
    assert "1 mislukt" in done.stdout and "ValueError: opzettelijke fout voor FOUT" in done.stdout
    assert not out.exists()
    assert json.loads((reports / "demoland" / ".state.json").read_text())["reports"] == {}


# --------------------------------------------------------------------------- kernel-state seams


def test_pandas_option_seam_fallback_finds_the_same_options():
    """The public fallback (walking ``pd.options``) lists what the private registry lists."""
    import pandas as pd

    from analysis.report.engine import kernel_state

    private = set(kernel_state.pandas_option_keys(pd))
    public = set(kernel_state._walk_options(pd.options, ""))
    assert "display.max_rows" in private and private <= public


def test_warning_seam_lets_a_shown_warning_show_again():
    """After the filters are replaced, a warning already shown once shows again (as in a
    fresh kernel) only because the seam invalidates the "already warned" registries."""
    import warnings

    from analysis.report.engine import kernel_state

    def warn() -> None:
        warnings.warn("proef", UserWarning, stacklevel=1)

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("default")  # once per location
        warn()
        warn()
        assert len(seen) == 1
        warnings.filters[:] = list(warnings.filters)
        warn()
        assert len(seen) == 1  # the registry still remembers it
        kernel_state.invalidate_warning_caches()
        warn()
        assert len(seen) == 2
