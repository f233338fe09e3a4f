"""Which reports exist for a profile, and the commands that render them.

``plan`` turns the processed layer into one :class:`ReportJob` for Nederland, one per jeugdregio
and one per gemeente of the reference classification; every parameter set is validated before
anything executes. ``render_all`` runs the batch engine and writes the index; ``render_single``
renders one report (``make report GEMEENTE=… | REGIO=…``).

A gemeente report has two editions (:data:`analysis.validation.EDITIES`): ``standaard`` and
``rekenkamer`` (``notebooks/gemeente_rekenkamer.ipynb``), written next to each other as
``gemeente/<CODE>-<naam>-<jaar>.html`` and ``gemeente/<CODE>-<naam>-<jaar>-rekenkamer.html``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.config import Settings, project_root
from analysis.metadata.regions import NEDERLAND, NEDERLAND_NAAM
from analysis.report.engine import BatchSummary, ReportJob, run_batch, run_single
from analysis.report.params import (
    ParamCatalog,
    ParameterError,
    output_path,
    param_catalog,
    safe_filename,
    validate_report_params,
)
from analysis.validation import check_editie, profile_settings

if TYPE_CHECKING:  # pragma: no cover
    from analysis.report.engine.inprocess import Renderer

NOTEBOOKS = {
    "nederland": "nederland.ipynb",
    "jeugdregio": "jeugdregio.ipynb",
    "gemeente": "gemeente.ipynb",
}
#: Notebook of each non-default edition of the gemeente report.
EDITIE_NOTEBOOKS = {"rekenkamer": "gemeente_rekenkamer.ipynb"}
#: indicator whose latest year is the default report year
HEADLINE = "jongeren_met_jeugdhulp"


def processed_settings(profiel: str) -> Settings:
    """:func:`profile_settings` of a profile that has processed data; else
    :class:`ParameterError` saying which command makes them."""
    cfg = profile_settings(profiel)
    if not (cfg.processed_dir / "indicators.parquet").exists():
        cmd = "make demo-data" if profiel == "demoland" else "make data"
        raise ParameterError(f"geen verwerkte gegevens in {cfg.processed_dir}; draai eerst `{cmd}`")
    return cfg


def notebook(kind: str, editie: str = "standaard") -> Path:
    """The notebook rendering report ``kind`` in ``editie`` (editions: gemeente reports only)."""
    if editie != "standaard" and kind == "gemeente":
        return project_root() / "notebooks" / EDITIE_NOTEBOOKS[check_editie(editie)]
    return project_root() / "notebooks" / NOTEBOOKS[kind]


def editie_suffix(editie: str) -> str:
    """File-name suffix of an edition: none for ``standaard``, ``-rekenkamer`` otherwise."""
    return "" if check_editie(editie) == "standaard" else f"-{editie}"


def default_year(cfg: Settings) -> int:
    """Latest year with youth-care figures (else with any figures)."""
    df = pd.read_parquet(cfg.processed_dir / "indicators.parquet", columns=["indicator", "jaar"])
    use = df[df["indicator"] == HEADLINE]
    return int((use if not use.empty else df)["jaar"].max())


@dataclass
class Plan:
    profiel: str
    cfg: Settings
    catalog: ParamCatalog
    jaar: int
    indeling_jaar: int
    jobs: list[ReportJob]


def _job(
    kind: str,
    code: str,
    naam: str,
    params: dict,
    plan_root: Path,
    profiel: str,
    jaar: int,
    group: str,
) -> ReportJob:
    editie = params.get("editie") or "standaard"
    stem = safe_filename(code, naam, jaar) + editie_suffix(editie)
    out = output_path(plan_root, profiel, kind, stem + ".html")
    return ReportJob(
        kind=kind,
        code=code,
        notebook=notebook(kind, editie),
        params=params,
        out_html=out,
        title=naam if editie == "standaard" else f"{naam} ({editie}editie)",
        group=group,
    )


def plan(
    profiel: str,
    *,
    jaar: int | None = None,
    indeling_jaar: int | None = None,
    vergelijkingsgroep: str = "grootteklasse",
    editie: str = "standaard",
) -> Plan:
    """Every report of a profile, with validated parameters; ``editie="rekenkamer"`` adds the
    rekenkamer edition of every gemeente report (after the standard one)."""
    check_editie(editie)
    cfg = processed_settings(profiel)
    catalog = param_catalog(cfg.data_dir)
    jaar = jaar or default_year(cfg)
    indeling = indeling_jaar or catalog.latest_indeling()
    common = {
        "jaar": jaar,
        "indeling_jaar": indeling,
        "data_dir": str(cfg.data_dir),
        "profiel": profiel,
    }
    nl = validate_report_params("nederland", dict(common), catalog)
    jobs = [_job("nederland", NEDERLAND, NEDERLAND_NAAM, nl, cfg.reports_dir, profiel, jaar, "")]
    mem = pd.read_parquet(cfg.processed_dir / "regio_indeling.parquet")
    mem = mem[(mem["jaar"] == indeling) & (mem["indeling"] == "jeugdregio")]
    regio_of = dict(zip(mem["gemeente_code"], mem["regio_code"], strict=True))
    regios = catalog.jeugdregios.get(indeling, {})
    for code, naam in sorted(regios.items()):
        params = validate_report_params("jeugdregio", {**common, "regio": code}, catalog)
        jobs.append(
            _job("jeugdregio", code, naam, params, cfg.reports_dir, profiel, jaar, f"{code} {naam}")
        )
    # gemeenten region by region: the workers then share a region's map bases, figures that
    # only the highlighted gemeente changes (see figures.kaartbasis)
    gemeenten = sorted(
        catalog.gemeenten.get(indeling, {}).items(),
        key=lambda item: (regio_of.get(item[0], ""), item[0]),
    )
    for code, naam in gemeenten:
        params = validate_report_params(
            "gemeente",
            {**common, "gemeente": code, "vergelijkingsgroep": vergelijkingsgroep},
            catalog,
        )
        rc = regio_of.get(code, "")
        group = f"{rc} {regios.get(rc, '')}".strip()
        for ed in ("standaard", editie) if editie != "standaard" else ("standaard",):
            ps = params if ed == "standaard" else {**params, "editie": ed}
            jobs.append(_job("gemeente", code, naam, ps, cfg.reports_dir, profiel, jaar, group))
    return Plan(profiel, cfg, catalog, jaar, indeling, jobs)


def _write_index(p: Plan, jobs: list[ReportJob]) -> Path:
    from analysis.report.index import IndexEntry, write_index
    from analysis.report.werkboek import write_companion

    root = p.cfg.reports_dir / p.profiel
    for j in jobs:  # the companion XLSX of every published report, before the index links it
        write_companion(j.out_html, p.cfg.processed_dir)
    entries = [
        IndexEntry(
            kind=j.kind,
            code=j.code,
            title=j.title,
            group=j.group,
            href=j.out_html.relative_to(root).as_posix(),
        )
        for j in jobs
        if j.out_html.exists()
    ]
    synthetic = p.profiel == "demoland"
    title = f"Rapporten jeugdzorg {p.jaar}" + (" — Demoland (synthetisch)" if synthetic else "")
    return write_index(root, entries, title=title, synthetic=synthetic)


def render_all(
    *,
    profiel: str,
    jaar: int | None = None,
    workers: int = 2,
    limit: int | None = None,
    resume: bool = True,
    engine: str = "warm",
    editie: str = "standaard",
) -> int:
    """Render every report of a profile plus its index; non-zero exit if any failed.
    ``editie="rekenkamer"``: every gemeente's rekenkamer edition too."""
    try:
        p = plan(profiel, jaar=jaar, editie=editie)
    except ParameterError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    jobs = p.jobs[:limit] if limit else p.jobs
    print(
        f"{len(jobs)} rapporten ({profiel}, jaar {p.jaar}, indeling {p.indeling_jaar}) "
        f"-> {p.cfg.reports_dir / profiel}"
    )
    summary = run_batch(
        jobs,
        workers=workers,
        resume=resume,
        engine=engine,
        data_dir=p.cfg.data_dir,
        reports_dir=p.cfg.reports_dir,
    )
    index = _write_index(p, p.jobs)
    print(f"index: {index}")
    return summary.exit_code


def _render_one_job(
    job: ReportJob, cfg: Settings, engine: str, render: Renderer | None = None
) -> BatchSummary:
    """One job in-process (``engine="inprocess"``; ``render`` replaces the in-process
    kernel) or through the batch engine."""
    if engine == "inprocess":
        return run_single(job, data_dir=cfg.data_dir, reports_dir=cfg.reports_dir, render=render)
    return run_batch(
        [job],
        workers=1,
        resume=False,
        engine=engine,
        data_dir=cfg.data_dir,
        reports_dir=cfg.reports_dir,
    )


def processed_damaged(profiel: str) -> str | None:
    """One line when the processed layer of a profile exists but is damaged."""
    from analysis.build import processed_problem

    cfg = profile_settings(profiel)
    if not cfg.processed_dir.exists():
        return None  # the report command says how to build it
    cmd = "python -m analysis demo-data" if profiel == "demoland" else "python -m analysis build"
    return processed_problem(cfg.processed_dir, rebuild=cmd)


def single_job(
    *,
    gemeente: str | None = None,
    regio: str | None = None,
    jaar: int | None = None,
    indeling_jaar: int | None = None,
    vergelijkingsgroep: str = "grootteklasse",
    profiel: str = "cbs",
    editie: str = "standaard",
) -> tuple[ReportJob, Settings]:
    """The validated job of one report (gemeente, jeugdregio or, given neither, Nederland)
    and its profile's settings; :class:`ParameterError` naming what is wrong."""
    if gemeente and regio:
        raise ParameterError("geef --gemeente of --regio, niet allebei")
    if check_editie(editie) != "standaard" and not gemeente:
        raise ParameterError(f"editie {editie!r} bestaat alleen voor een gemeenterapport")
    cfg = processed_settings(profiel)
    catalog = param_catalog(cfg.data_dir)
    common = {
        "jaar": jaar or default_year(cfg),
        "indeling_jaar": indeling_jaar,
        "data_dir": str(cfg.data_dir),
        "profiel": profiel,
    }
    if gemeente:
        kind = "gemeente"
        params = validate_report_params(
            kind,
            {
                **common,
                "gemeente": gemeente,
                "vergelijkingsgroep": vergelijkingsgroep,
                "editie": editie,
            },
            catalog,
        )
        code = params["gemeente"]
    elif regio:
        kind = "jeugdregio"
        params = validate_report_params(kind, {**common, "regio": regio}, catalog)
        code = params["regio"]
    else:
        kind, code = "nederland", NEDERLAND
        params = validate_report_params(kind, common, catalog)
    indeling = params.get("indeling_jaar") or catalog.latest_indeling()
    params["indeling_jaar"] = indeling
    names = {
        **catalog.gemeenten.get(indeling, {}),
        **catalog.jeugdregios.get(indeling, {}),
        NEDERLAND: NEDERLAND_NAAM,
    }
    job = _job(
        kind, code, names.get(code, code), params, cfg.reports_dir, profiel, params["jaar"], ""
    )
    return job, cfg


def report_command(*, render: Renderer | None = None, **request: Any) -> int:
    """``python -m analysis report``: refuse a damaged processed layer (one line), then
    :func:`render_single` with ``request`` (its keyword arguments)."""
    problem = processed_damaged(request.get("profiel", "cbs"))
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return render_single(**request, render=render)


def render_single(
    *, engine: str = "inprocess", render: Renderer | None = None, **request: Any
) -> int:
    """Validate and render one report; prints where it went. ``request``: the keyword
    arguments of :func:`single_job` (gemeente, regio, jaar, indeling_jaar, vergelijkingsgroep,
    profiel, editie). ``engine="inprocess"`` runs the notebook in this process, without a
    kernel process (same HTML); ``"warm"`` and ``"papermill"`` use the batch engine.
    ``render``: with ``"inprocess"``, what executes the notebook instead (the report server's
    warm kernel)."""
    try:
        job, cfg = single_job(**request)
    except ParameterError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    summary = _render_one_job(job, cfg, engine, render)
    if summary.exit_code == 0:
        from analysis.report.werkboek import write_companion

        print(f"rapport: {job.out_html}")
        print(f"tabellen: {write_companion(job.out_html, cfg.processed_dir)}")
    return summary.exit_code
