"""Command line: ``python -m analysis data | build | demo-data | demo | reports | report | tables |
catalogue | notebooks | registry``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from analysis import registry
from analysis.config import settings
from analysis.localdata.command import add_registry_parser


def _years(text: str) -> tuple[int, ...]:
    """``2015-2025`` or ``2019,2021`` → a tuple of years."""
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            a, b = (int(x) for x in part.split("-", 1))
            out.extend(range(a, b + 1))
        elif part:
            out.append(int(part))
    if not out:
        raise argparse.ArgumentTypeError(f"no years in {text!r}; use e.g. 2015-2025")
    return tuple(sorted(set(out)))


def _ids(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def cmd_data(args: argparse.Namespace) -> int:
    from analysis.pipeline import run_data

    try:
        ids = args.tables
        if ids is not None:
            registry.tables(ids=ids)  # unknown ids fail here, before any request
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    run = run_data(
        table_ids=args.tables,
        years=args.years,
        indeling_jaar=args.indeling_jaar,
        do_build=not args.no_build,
        keep_going=args.keep_going,
    )
    return run.exit_code


def cmd_build(args: argparse.Namespace) -> int:
    from analysis.build import BuildError, build

    try:
        build(settings(), indeling_jaar=args.indeling_jaar, progress=print)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from analysis.pipeline import run_demo_data

    run = run_demo_data(n_gemeenten=args.gemeenten, n_regios=args.regios, seed=args.seed)
    return run.exit_code


def cmd_tables(args: argparse.Namespace) -> int:
    for t in registry.TABLES:
        years = f"{t.years[0]}–{t.years[1] or ''}"
        flag = "build" if t.build else ""
        print(
            f"{t.id or '(onbekend)':<10} {t.catalog:<10} {years:<10} {t.status:<11} "
            f"{flag:<5} {t.series}"
        )
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    from analysis.catalogue import write_catalogue

    path = write_catalogue()
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
    from analysis.report.jobs import render_single

    return render_single(
        gemeente=args.gemeente,
        regio=args.regio,
        jaar=args.jaar,
        indeling_jaar=args.indeling_jaar,
        vergelijkingsgroep=args.vergelijkingsgroep,
        profiel=args.profiel,
    )


def cmd_reports(args: argparse.Namespace) -> int:
    from analysis.report.jobs import render_all

    cfg = settings()
    if not cfg.offline and not args.no_fetch:
        from analysis.pipeline import run_data

        run = run_data(cfg=cfg)
        if run.exit_code and not args.keep_going:
            print(
                "data run failed; reports not rendered (use --keep-going to render from "
                "the last good snapshots)",
                file=sys.stderr,
            )
            return run.exit_code
    return render_all(
        profiel="cbs", jaar=args.jaar, workers=args.workers, limit=args.limit, resume=not args.force
    )


def cmd_demo(args: argparse.Namespace) -> int:
    from analysis.pipeline import demoland_settings, run_demo_data
    from analysis.report.jobs import render_all

    demo = demoland_settings()
    if args.regenerate or not (demo.processed_dir / "indicators.parquet").exists():
        run = run_demo_data(n_gemeenten=args.gemeenten, n_regios=args.regios)
        if run.exit_code:
            return run.exit_code
    return render_all(
        profiel="demoland",
        jaar=args.jaar,
        workers=args.workers,
        limit=args.limit,
        resume=not args.force,
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("data", help="download CBS snapshots + boundaries, build processed/")
    d.add_argument("--tables", type=_ids, default=None, help="only these table ids (ID,ID,…)")
    d.add_argument("--years", type=_years, default=tuple(range(2015, 2027)))
    d.add_argument(
        "--indeling-jaar",
        type=int,
        default=None,
        help="reference gemeente classification (default: latest with boundaries)",
    )
    d.add_argument("--no-build", action="store_true", help="only fetch")
    d.add_argument(
        "--keep-going",
        action="store_true",
        help="exit 0 even when some indicators could not be built (they are named)",
    )
    d.set_defaults(func=cmd_data)

    b = sub.add_parser("build", help="rebuild processed/ from the cached snapshots")
    b.add_argument("--indeling-jaar", type=int, default=None)
    b.set_defaults(func=cmd_build)

    dd = sub.add_parser("demo-data", help="generate Demoland and build it, offline")
    dd.add_argument("--gemeenten", type=int, default=40)
    dd.add_argument("--regios", type=int, default=4)
    dd.add_argument("--seed", type=int, default=20261123)
    dd.set_defaults(func=cmd_demo_data)

    for name, func, help_ in (
        ("demo", cmd_demo, "render every Demoland report and the index, offline"),
        ("reports", cmd_reports, "render every report from the CBS snapshots"),
    ):
        r = sub.add_parser(name, help=help_)
        r.add_argument("--jaar", type=int, default=None)
        r.add_argument("--workers", type=int, default=2)
        r.add_argument("--limit", type=int, default=None, help="render only the first N reports")
        r.add_argument("--force", action="store_true", help="re-render unchanged reports too")
        if name == "demo":
            r.add_argument("--gemeenten", type=int, default=40)
            r.add_argument("--regios", type=int, default=4)
            r.add_argument("--regenerate", action="store_true")
        else:
            r.add_argument("--no-fetch", action="store_true")
            r.add_argument("--keep-going", action="store_true")
        r.set_defaults(func=func)

    one = sub.add_parser("report", help="render one report (gemeente, jeugdregio or Nederland)")
    one.add_argument("--gemeente", default=None, help="code (GM0363) or name (Amsterdam)")
    one.add_argument("--regio", default=None, help="jeugdregio code (JZ13) or name")
    one.add_argument("--jaar", type=int, default=None)
    one.add_argument("--indeling-jaar", type=int, default=None)
    one.add_argument("--vergelijkingsgroep", default="grootteklasse")
    one.add_argument("--profiel", default="cbs", choices=["cbs", "demoland"])
    one.set_defaults(func=cmd_report)

    sub.add_parser("tables", help="list the declared CBS tables").set_defaults(func=cmd_tables)
    sub.add_parser("catalogue", help="write docs/indicatoren.md").set_defaults(func=cmd_catalogue)
    nb = sub.add_parser("notebooks", help="generate notebooks/*.ipynb from the chapter declaration")
    nb.add_argument("--check", action="store_true", help="only check that they are current")
    nb.set_defaults(func=cmd_notebooks)
    add_registry_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    return int(args.func(args) or 0)
