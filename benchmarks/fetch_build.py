"""Fetch and build times and peak memory, printed (never asserted).

Two workloads, both through the real ``cbsodata`` client and the local replay server:

* ``real``: the recorded KWB 2020 table + real boundaries 2020/2023 from ``../shared/data``,
  built onto the 2023 classification;
* ``demoland``: Demoland generated at a given size (default the real scale, 342 gemeenten in
  42 jeugdregio's), fetched twice (the second run must download nothing), then built.

Usage: ``python benchmarks/fetch_build.py [--gemeenten 342] [--regios 42] [--only real|demoland]``
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

from analysis import registry
from analysis.build import build
from analysis.cbs.fetch import RetryPolicy, fetch_table
from analysis.config import project_root, settings
from analysis.pipeline import fetch_geo, run_data, serving_demoland
from analysis.replay import ReplayServer


def _shared_data() -> Path:
    """The recorded real data (``ANALYSIS_SHARED_DATA``, else ``<project>/../shared/data``)."""
    return Path(os.environ.get("ANALYSIS_SHARED_DATA") or project_root().parent / "shared" / "data")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(label: str, fn):
    tracemalloc.start()
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {label:<38} {dt:8.2f} s   peak Python allocations {peak / 2**20:8.1f} MB")
    return out, dt


def bench_real(tmp: Path) -> None:
    cfg0 = settings()
    rec = _shared_data() / "cbs_statline_bq"
    print("real data (KWB 2020 + cartomap 2020/2023):")
    with ReplayServer({"84799NED": rec / "84799NED"}, geo_dir=_shared_data() / "cartomap") as s:
        cfg = replace(
            cfg0,
            data_dir=tmp / "real",
            offline=False,
            catalog_urls={"opendata": s.url, "dataderden": s.url},
            geo_base_url=f"{s.url}/geo",
        )
        spec = registry.table("84799NED")
        pol = RetryPolicy(backoff=0.01)
        _timed("fetch 84799NED", lambda: fetch_table(spec, years=[2020], settings=cfg, policy=pol))
        _timed(
            "fetch again (Modified unchanged)",
            lambda: fetch_table(spec, years=[2020], settings=cfg, policy=pol),
        )
        _timed(
            "fetch boundaries 2020+2023",
            lambda: fetch_geo(
                [2020, 2023], cfg, lambda m: None, layers=("gemeente", "jeugdregio", "provincie")
            ),
        )
    _timed(
        "build (restate 2020 -> 2023)",
        lambda: build(replace(cfg, offline=True), indeling_jaar=2023, progress=lambda m: None),
    )


def bench_demoland(tmp: Path, n_gem: int, n_reg: int) -> None:
    from analysis.demo import generate

    print(f"Demoland ({n_gem} gemeenten, {n_reg} jeugdregio's):")
    dumps = tmp / "demo" / "dumps"
    info, _ = _timed("generate", lambda: generate(dumps, n_gemeenten=n_gem, n_regios=n_reg))
    size = sum(p.stat().st_size for p in dumps.rglob("*") if p.is_file())
    print(f"  {'dump size':<38} {size / 2**20:8.1f} MB")
    cfg = replace(settings(), data_dir=tmp / "demo")
    years = tuple(range(getattr(info, "first_year", 2015), getattr(info, "last_year", 2025) + 1))
    quiet = lambda m: None  # noqa: E731
    with serving_demoland(dumps, cfg) as served:
        pol = RetryPolicy(backoff=0.01)
        run, _ = _timed(
            "fetch all build tables + boundaries",
            lambda: run_data(
                cfg=served, years=years, do_build=False, synthetic=True, policy=pol, progress=quiet
            ),
        )
        records = sum(r.records for r in run.fetched)
        pages = sum(r.pages for r in run.fetched)
        print(f"  {'':<38} {len(run.fetched)} tables, {pages} pages, {records} records")
        run2, _ = _timed(
            "fetch again (nothing changed)",
            lambda: run_data(
                cfg=served, years=years, do_build=False, synthetic=True, policy=pol, progress=quiet
            ),
        )
        print(f"  {'':<38} statuses: {sorted({r.status for r in run2.fetched})}")
    report, _ = _timed("build", lambda: build(replace(served, offline=True), progress=quiet))
    print(
        f"  {'':<38} {report.rows} processed rows, reference classification {report.indeling_jaar}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gemeenten", type=int, default=342)
    ap.add_argument("--regios", type=int, default=42)
    ap.add_argument("--only", choices=["real", "demoland"], default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if args.only in (None, "real"):
            bench_real(tmp)
        if args.only in (None, "demoland"):
            bench_demoland(tmp, args.gemeenten, args.regios)
    print(f"peak RSS of this process: {_peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
