"""Timings and peak memory of ``analysis.geo`` on the recorded cartomap layers (printed only).

Workload: fetch every recorded layer into a fresh temporary cache (copy + validation), decode
every file, load boundaries cold and memoised, derive all 19 memberships that have a derived
reference table, the 2020 -> 2023 crosswalk with a restated count, and dissolve 2023.

"peak alloc" is tracemalloc's peak (Python + numpy; GEOS memory is not traced), peak RSS covers
everything. Usage: ``python benchmarks/geo.py [--repeat 3]`` (``GEO_BASE_URL`` = source folder).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from analysis.config import project_root, settings
from analysis.geo import (
    boundaries,
    crosswalk_from_boundaries,
    dissolve_regions,
    fetch_layer,
    load_boundaries,
    load_membership,
    read_topojson,
    restate_counts,
)
from analysis.geo import membership as membership_mod


def _shared_data() -> Path:
    """The recorded real data (``ANALYSIS_SHARED_DATA``, else ``<project>/../shared/data``)."""
    return Path(os.environ.get("ANALYSIS_SHARED_DATA") or project_root().parent / "shared" / "data")


T = TypeVar("T")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, fn: Callable[[], T], repeat: int = 1) -> T:
    """Best wall time of ``repeat`` runs, then one traced run for peak Python allocations."""
    best = float("inf")
    out: T
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {label:<46} {best * 1000:9.1f} ms   peak alloc {peak / 2**20:7.1f} MB")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per step (best is shown)")
    args = ap.parse_args()
    source = Path(os.environ.get("GEO_BASE_URL") or _shared_data() / "cartomap")
    files = sorted(source.glob("*.topojson"))
    if not files:
        raise SystemExit(f"no *.topojson in {source}")
    layer_years = []
    for p in files:
        m = re.fullmatch(r"(?P<layer>.+)_(?P<year>\d{4})", p.stem)
        if m and m["layer"] in boundaries.LAYERS:
            layer_years.append((m["layer"], int(m["year"])))
    size_mb = sum(p.stat().st_size for p in files) / 2**20
    print(f"source {source}: {len(files)} files, {size_mb:.2f} MB")
    print(f"start: peak RSS {_rss_mb():.0f} MB")

    with tempfile.TemporaryDirectory(prefix="geo_bench_") as tmp:
        s = settings(data_dir=Path(tmp), geo_base_url=str(source), offline=False)

        def fetch_all() -> None:
            for layer, year in layer_years:
                fetch_layer(layer, year, settings=s, refresh=True)

        timed(f"fetch + validate + cache {len(layer_years)} layers", fetch_all, 1)
        timed(
            "fetch again (cached, no read)",
            lambda: [fetch_layer(*ly, settings=s) for ly in layer_years],
            args.repeat,
        )

        def decode_all() -> int:
            return sum(len(read_topojson(p)) for p in files)

        n = timed(f"decode all {len(files)} files (read_topojson)", decode_all, args.repeat)
        print(f"    ({n} features)")
        big = max(files, key=lambda p: p.stat().st_size)
        timed(f"decode {big.name}", lambda: read_topojson(big), args.repeat)

        def cold_load() -> None:
            boundaries._load_cached.cache_clear()
            load_boundaries("gemeente", 2023, settings=s)

        timed("load_boundaries gemeente 2023 (cold)", cold_load, args.repeat)
        timed(
            "load_boundaries gemeente 2023 (memoised)",
            lambda: load_boundaries("gemeente", 2023, settings=s),
            args.repeat,
        )

        def one_membership() -> pd.DataFrame:
            membership_mod._membership_cached.cache_clear()
            return load_membership("jeugdregio", 2023, settings=s)

        timed("membership jeugdregio 2023 (layers memoised)", one_membership, args.repeat)
        derived = sorted((_shared_data() / "derived").glob("gemeente_*_*.csv"))
        pairs = []
        for f in derived:
            m = re.fullmatch(r"gemeente_(?P<ind>.+)_(?P<year>\d{4})\.csv", f.name)
            if m:
                pairs.append((m["ind"], int(m["year"])))

        def all_memberships() -> int:
            boundaries._load_cached.cache_clear()
            membership_mod._membership_cached.cache_clear()
            return sum(len(load_membership(i, y, settings=s)) for i, y in pairs)

        rows = timed(f"{len(pairs)} memberships from cold (decode included)", all_memberships, 1)
        print(f"    ({rows} membership rows)")

        g20 = load_boundaries("gemeente", 2020, settings=s)
        g23 = load_boundaries("gemeente", 2023, settings=s)
        cw = timed(
            "crosswalk gemeente 2020 -> 2023",
            lambda: crosswalk_from_boundaries(g20, g23),
            args.repeat,
        )
        rng = np.random.default_rng(0)
        counts = pd.DataFrame(
            {
                "regio_code": np.repeat(g20["statcode"].to_numpy(), 120),
                "periode": np.tile(np.arange(120), len(g20)),
                "waarde": rng.integers(0, 1000, len(g20) * 120).astype(float),
            }
        )
        timed(
            f"restate_counts {len(counts):,} rows (120 groups)",
            lambda: restate_counts(counts, cw, by=["periode"]),
            args.repeat,
        )
        mem23 = load_membership("jeugdregio", 2023, settings=s)
        timed(
            "dissolve 342 gemeenten -> 42 jeugdregio's",
            lambda: dissolve_regions(g23, mem23),
            args.repeat,
        )
    print(f"end: peak RSS {_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
