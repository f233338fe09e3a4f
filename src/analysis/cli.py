"""Command line: ``python -m analysis data | build | demo-data | demo | reports | report | serve |
tables | catalogue | notebooks | registry | validate``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from analysis import registry
from analysis.config import settings
from analysis.echo import echo, shorten_in
from analysis.localdata.command import add_registry_parser
from analysis.validation import EDITIES, profile_settings


class _Parser(argparse.ArgumentParser):
    """``ArgumentParser`` whose error messages echo at most ~80 characters of an argument."""

    _seen: tuple[str, ...] = ()

    def parse_known_args(self, args=None, namespace=None):
        self._seen = tuple(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message: str):
        super().error(shorten_in(message, self._seen))


def _subject(option: str):
    """Argument type of ``--gemeente``/``--regio``: any non-blank text (else a clear error,
    not silently the report of Nederland)."""

    def check(text: str) -> str:
        if not text.strip():
            voorbeeld = "GM0363 of Amsterdam" if option == "--gemeente" else "JZ13"
            raise argparse.ArgumentTypeError(
                f"is leeg; geef een code of naam ({voorbeeld}), "
                f"of laat {option} weg voor het rapport van Nederland"
            )
        return text

    check.__name__ = option.lstrip("-")
    return check


def _int(text: str) -> int:
    """Argument type: a whole number (the error echoes at most ~80 characters)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen geheel getal: {echo(text)}") from None


def _years(text: str) -> tuple[int, ...]:
    """``2015-2025`` or ``2019,2021`` → a tuple of years."""
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            a, b = (_int(x) for x in part.split("-", 1))
            out.extend(range(a, b + 1))
        elif part:
            out.append(_int(part))
    if not out:
        raise argparse.ArgumentTypeError(f"no years in {echo(text)}; use e.g. 2015-2025")
    return tuple(sorted(set(out)))


_SHRINK_HELP = "replace processed/ even if it loses a table or indicator the current one has"
_STRICT_HELP = "a declared table missing on the server (404) is an error"


def _ids(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def cmd_data(args: argparse.Namespace) -> int:
    from analysis.pipeline import run_data

    try:
        ids = args.tables
        if ids is not None:
            registry.tables(ids=ids)  # unknown ids fail here, before any request
    except KeyError as exc:
        print(f"error: {shorten_in(str(exc.args[0]), ids or [])}", file=sys.stderr)
        return 2
    run = run_data(
        table_ids=args.tables,
        years=args.years,
        indeling_jaar=args.indeling_jaar,
        do_build=not args.no_build,
        keep_going=args.keep_going,
        allow_shrink=args.allow_shrink,
        strict=args.strict,
    )
    if run.exit_code == 0 and not args.no_build:
        _warm_server("cbs")
    return run.exit_code


def _warm_server(profiel: str) -> None:
    """New processed data: a report server for them (in a terminal; ANALYSIS_SERVER)."""
    from analysis.report import server

    server.after_build(profiel)


def cmd_build(args: argparse.Namespace) -> int:
    from analysis.build import BuildError
    from analysis.datalock import DataFolderBusy
    from analysis.pipeline import build_processed

    try:
        build_processed(
            settings(),
            indeling_jaar=args.indeling_jaar,
            progress=print,
            allow_shrink=args.allow_shrink,
        )
    except (BuildError, DataFolderBusy) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _warm_server("cbs")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from analysis.pipeline import run_demo_data

    run = run_demo_data(n_gemeenten=args.gemeenten, n_regios=args.regios, seed=args.seed)
    if run.exit_code == 0:
        _warm_server("demoland")
    return run.exit_code


def cmd_tables(args: argparse.Namespace) -> int:
    for t in registry.TABLES:
        years = f"{t.years[0]}–{t.years[1] or ''}"
        flag = "build" if t.build else ""
        print(
            f"{t.id or '(onbekend)':<10} {t.catalog:<10} {years:<10} {t.status:<11} "
            f"{flag:<5} {t.reeks}"
        )
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    from analysis.catalogue import write_catalogue
    from analysis.config import project_root
    from analysis.metadata.schema import write_data_contract

    for path in (write_catalogue(), write_data_contract(project_root())):
        print(f"wrote {path}")
    return 0


def cmd_notebooks(args: argparse.Namespace) -> int:
    from analysis.report.notebooks import stale, write_notebooks

    if args.check:
        old = stale()
        for path in old:
            print(f"out of date: {path} (run `python -m analysis notebooks`)", file=sys.stderr)
        return 1 if old else 0
    for path in write_notebooks():
        print(f"wrote {path}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from analysis.report import server

    request = {
        "gemeente": args.gemeente,
        "regio": args.regio,
        "jaar": args.jaar,
        "indeling_jaar": args.indeling_jaar,
        "vergelijkingsgroep": args.vergelijkingsgroep,
        "profiel": args.profiel,
        "editie": args.editie,
    }
    served = server.request_report(request)  # a running report server renders it, warm
    if served is not None:
        return served
    from analysis.report.jobs import report_command

    code = report_command(**request)
    if code == 0:
        server.after_cold_report(args.profiel)
    return code


def cmd_serve(args: argparse.Namespace) -> int:
    from analysis.report import server

    if args.stop:
        stopped = server.stop(args.profiel)
        print("rekenserver gestopt" if stopped else f"geen rekenserver voor {args.profiel}")
        return 0
    if args.status:
        info = server.status(args.profiel)
        if info is None:
            print(f"geen rekenserver voor {args.profiel}")
            return 1
        warm = ", ".join(info.get("opgewarmd") or []) or "nog niets"
        print(
            f"rekenserver {args.profiel}: pid {info['pid']}, {info['reports']} rapporten, "
            f"opgewarmd: {warm}"
        )
        return 0
    return server.serve(args.profiel, idle=args.idle, warm_up=not args.koud)


def cmd_validate(args: argparse.Namespace) -> int:
    """Print the validation checks; exit 1 when an exact check fails or there is no data."""
    from analysis.indicators import checks

    cfg = profile_settings(args.profiel)
    if not (cfg.processed_dir / "indicators.parquet").is_file():
        cmd = (
            "python -m analysis demo-data"
            if args.profiel == "demoland"
            else "python -m analysis data"
        )
        print(
            f"fout: geen verwerkte gegevens in {cfg.processed_dir}; maak ze met {cmd}",
            file=sys.stderr,
        )
        return 1
    uitkomsten = checks.run_checks(cfg.data_dir, profiel=args.profiel)
    for u in uitkomsten:
        c = u.controle
        print(f"[{u.status}] {c.omschrijving} ({c.soort}, {c.bron})")
        print(f"    referentie: {c.referentie}; marge: {c.marge}; berekend: {u.berekend}")
        if u.toelichting:
            print(f"    {u.toelichting}")
    print("\nBekende inconsistenties in de bronnen (niet gecorrigeerd):")
    for titel, uitleg in checks.BEKENDE_INCONSISTENTIES:
        print(f"- {titel}: {uitleg}")
    code = checks.exit_code(uitkomsten)
    if code:
        print("fout: een exacte controle voldoet niet", file=sys.stderr)
    return code


def cmd_reports(args: argparse.Namespace) -> int:
    from analysis.build import processed_problem
    from analysis.report.jobs import render_all

    cfg = settings()
    if not cfg.offline and not args.no_fetch:
        from analysis.pipeline import run_data

        run = run_data(cfg=cfg, strict=args.strict)
        if run.exit_code and args.strict:
            print("data run failed (--strict); reports not rendered", file=sys.stderr)
            return run.exit_code
        problem = processed_problem(cfg.processed_dir)
        if run.exit_code and problem:
            print(f"error: {problem}", file=sys.stderr)
            return run.exit_code
        code = render_all(
            profiel="cbs",
            jaar=args.jaar,
            workers=args.workers,
            limit=args.limit,
            resume=not args.force,
            editie=args.editie,
        )
        if run.missing or run.stale or run.errors:
            print(run.summary(), file=sys.stderr)
        if run.exit_code:
            print(
                "reports rendered from the last good snapshots, but the data run failed "
                "(see STALE/ERROR above)",
                file=sys.stderr,
            )
        return code or run.exit_code
    problem = processed_problem(cfg.processed_dir)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return render_all(
        profiel="cbs",
        jaar=args.jaar,
        workers=args.workers,
        limit=args.limit,
        resume=not args.force,
        editie=args.editie,
    )


def cmd_demo(args: argparse.Namespace) -> int:
    from analysis.build import processed_problem
    from analysis.config import demoland_settings
    from analysis.pipeline import run_demo_data
    from analysis.report.jobs import render_all

    demo = demoland_settings()
    problem = processed_problem(demo.processed_dir)
    if problem and demo.processed_dir.exists():
        print(f"{problem.split(';')[0]}; rebuilding Demoland", file=sys.stderr)
    if args.regenerate or problem:
        run = run_demo_data(n_gemeenten=args.gemeenten, n_regios=args.regios)
        if run.exit_code:
            return run.exit_code
    return render_all(
        profiel="demoland",
        jaar=args.jaar,
        workers=args.workers,
        limit=args.limit,
        resume=not args.force,
        editie=args.editie,
    )


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m analysis", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("data", help="download CBS snapshots + boundaries, build processed/")
    d.add_argument("--tables", type=_ids, default=None, help="only these table ids (ID,ID,…)")
    d.add_argument("--years", type=_years, default=tuple(range(2015, 2027)))
    d.add_argument(
        "--indeling-jaar",
        type=_int,
        default=None,
        help="reference gemeente classification (default: latest with boundaries)",
    )
    d.add_argument("--no-build", action="store_true", help="only fetch")
    d.add_argument(
        "--keep-going",
        action="store_true",
        help="exit 0 even when some indicators could not be built (they are named)",
    )
    d.add_argument("--allow-shrink", action="store_true", help=_SHRINK_HELP)
    d.add_argument("--strict", action="store_true", help=_STRICT_HELP)
    d.set_defaults(func=cmd_data)

    b = sub.add_parser("build", help="rebuild processed/ from the cached snapshots")
    b.add_argument("--indeling-jaar", type=_int, default=None)
    b.add_argument("--allow-shrink", action="store_true", help=_SHRINK_HELP)
    b.set_defaults(func=cmd_build)

    dd = sub.add_parser("demo-data", help="generate Demoland and build it, offline")
    dd.add_argument("--gemeenten", type=_int, default=40)
    dd.add_argument("--regios", type=_int, default=4)
    dd.add_argument("--seed", type=_int, default=20261123)
    dd.set_defaults(func=cmd_demo_data)

    for name, func, help_ in (
        ("demo", cmd_demo, "render every Demoland report and the index, offline"),
        ("reports", cmd_reports, "render every report from the CBS snapshots"),
    ):
        r = sub.add_parser(name, help=help_)
        r.add_argument("--jaar", type=_int, default=None)
        r.add_argument("--workers", type=_int, default=2)
        r.add_argument("--limit", type=_int, default=None, help="render only the first N reports")
        r.add_argument("--force", action="store_true", help="re-render unchanged reports too")
        r.add_argument(
            "--editie",
            default="standaard",
            help=f"{' or '.join(EDITIES)}; rekenkamer: also render the rekenkamer edition of every gemeente report "
            "(gemeente/<CODE>-<naam>-<jaar>-rekenkamer.html)",
        )
        if name == "demo":
            r.add_argument("--gemeenten", type=_int, default=40)
            r.add_argument("--regios", type=_int, default=4)
            r.add_argument("--regenerate", action="store_true")
        else:
            r.add_argument("--no-fetch", action="store_true")
            r.add_argument(
                "--keep-going",
                action="store_true",
                help="(default now) render from the last good snapshots when the data run fails",
            )
            r.add_argument("--strict", action="store_true", help=_STRICT_HELP)
        r.set_defaults(func=func)

    one = sub.add_parser("report", help="render one report (gemeente, jeugdregio or Nederland)")
    one.add_argument(
        "--gemeente", type=_subject("--gemeente"), default=None, help="code (GM0363) or name"
    )
    one.add_argument(
        "--regio", type=_subject("--regio"), default=None, help="jeugdregio code (JZ13) or name"
    )
    one.add_argument("--jaar", type=_int, default=None)
    one.add_argument("--indeling-jaar", type=_int, default=None)
    one.add_argument("--vergelijkingsgroep", default="grootteklasse")
    one.add_argument("--profiel", default="cbs", choices=["cbs", "demoland"])
    one.add_argument(
        "--editie",
        default="standaard",
        help=f"edition of a gemeente report: {', '.join(EDITIES)} (checked by the validator)",
    )
    one.set_defaults(func=cmd_report)
    srv = sub.add_parser(
        "serve",
        help="keep a warm report server: `report` then takes seconds, not ~10 (ANALYSIS_SERVER)",
    )
    srv.add_argument("--profiel", default="cbs", choices=["cbs", "demoland"])
    srv.add_argument(
        "--idle", type=_int, default=900, help="stop after this many seconds without a request"
    )
    srv.add_argument("--koud", action="store_true", help="no warm-up report at start")
    srv.add_argument("--stop", action="store_true", help="stop the running server")
    srv.add_argument("--status", action="store_true", help="is a server running (exit 1: no)")
    srv.set_defaults(func=cmd_serve)

    sub.add_parser("tables", help="list the declared CBS tables").set_defaults(func=cmd_tables)
    sub.add_parser(
        "catalogue", help="write docs/indicatoren.md and docs/data-contract.md"
    ).set_defaults(func=cmd_catalogue)
    nb = sub.add_parser("notebooks", help="generate notebooks/*.ipynb from the chapter declaration")
    nb.add_argument("--check", action="store_true", help="only check that they are current")
    nb.set_defaults(func=cmd_notebooks)
    va = sub.add_parser("validate", help="check the processed data against the reference values")
    va.add_argument("--profiel", default="cbs", choices=["cbs", "demoland"])
    va.set_defaults(func=cmd_validate)
    add_registry_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from analysis.report.footer import SourcesError

    try:
        return int(args.func(args) or 0)
    except SourcesError as exc:  # a damaged sources.json: one line, not a traceback
        if args.verbose:
            raise
        print(f"fout: {exc}", file=sys.stderr)
        return 1
