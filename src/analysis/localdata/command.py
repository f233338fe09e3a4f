"""``python -m analysis registry check|load``: validate (and publish) the local-data files.

Kept import-light: the validation modules are imported when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.config import Settings, settings

#: Example set (synthetic, Demoland codes) inside the registry folder.
EXAMPLES = "voorbeeld"


def _paths(args: argparse.Namespace) -> tuple[Path, Settings]:
    base = settings()
    if args.profiel == "demoland":
        from analysis.pipeline import demoland_settings

        cfg = demoland_settings(base)
        default = base.root / "data" / "registry" / EXAMPLES
    else:
        cfg, default = base, base.root / "data" / "registry"
    root = Path(args.dir).resolve() if args.dir else default
    return root, cfg


def cmd_registry(args: argparse.Namespace) -> int:
    """Check every kind; with ``load`` also publish the kinds that passed."""
    from analysis.localdata import coverage, load

    root, cfg = _paths(args)
    res = load(root, cfg.processed_dir, publish=args.action == "load")
    print(f"registry {root}")
    print(f"codes checked against: {res.reference.description}")
    for name, r in res.results.items():
        cov = coverage(name, r.records, res.reference)
        status = "ok" if r.ok else f"FAILED ({len(r.problems)} problems)"

        def of(n: int | None, total: int | None) -> str:
            return f"{n}" if total is None else f"{n} of {total}"

        parts = [
            f"{len(r.files)} file(s)",
            f"{cov['records']} records",
            f"gemeenten with a sourced value: {of(cov['gemeenten'], cov['gemeenten_totaal'])}",
            f"jeugdregio's: {of(cov['regios'], cov['regios_totaal'])}",
        ]
        if "aanbieders" in cov:
            parts.append(f"providers: {cov['aanbieders']}")
        line = f"{name:<12} {status:<22} " + ", ".join(parts)
        if args.action == "load":
            line += (
                f"; published {res.published[name]}"
                if name in res.published
                else "; previous published copy kept"
            )
        print(line)
    for r in res.results.values():
        for w in r.warnings:
            print(f"  warning: {w}")
    if res.ok:
        return 0
    print(f"{len(res.problems)} problem(s):", file=sys.stderr)
    for p in res.problems:
        print(f"  {p}", file=sys.stderr)
    return 1


def add_registry_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``registry check|load`` to the main parser's sub-commands."""
    r = sub.add_parser("registry", help="check (and load) the local-data files of data/registry")
    r.add_argument("action", choices=["check", "load"], help="check only, or check and publish")
    r.add_argument(
        "--dir",
        default=None,
        help="registry folder (default data/registry; data/registry/voorbeeld for demoland)",
    )
    r.add_argument(
        "--profiel",
        default="cbs",
        choices=["cbs", "demoland"],
        help="whose processed data hold the codes and receive the published copy",
    )
    r.set_defaults(func=cmd_registry)
