"""The expected-cost model (docs/budget.md §4) on real CBS figures: R², n, coefficients and
the leave-one-out coverage of the 95 % prediction interval.

By default the real label exports in ``shared/data/cbs_statline_csv`` (83454NED costs and the
Maatstaven gemeentefonds, with the Gebieden in Nederland tables and the cartomap boundaries)
are converted, served to the real ``cbsodata`` client by the replay server, fetched and built
in a temporary folder, exactly as the real-data tests do; ``--data DIR`` uses an existing data
folder with ``processed/indicators.parquet`` instead.

    PYTHONPATH=src .venv/bin/python benchmarks/budget_model.py [--jaar 2021] [--data DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from analysis import registry
from analysis.build import build
from analysis.cbs.fetch import RetryPolicy, fetch_table
from analysis.config import settings
from analysis.indicators import budget, budget_stap
from analysis.pipeline import fetch_geo
from analysis.replay import ReplayServer

TABLES = ("83454NED", "85385NED", "84721NED", "83997NED", "84590NED", "84860NED")
TABLES += ("85052NED", "85309NED")


def build_real(tmp: Path) -> Path:
    """Convert, serve, fetch and build the real budget tables; the data folder."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.realdata.convert import convert_many

    shared = settings().shared_data
    converted = convert_many(TABLES, tmp / "converted", shared=shared)
    with ReplayServer(converted, geo_dir=shared / "cartomap") as srv:
        cfg = replace(
            settings(),
            data_dir=tmp / "data",
            catalog_urls={"opendata": srv.url, "dataderden": srv.url},
            geo_base_url=f"{srv.url}/geo",
            offline=False,
        )
        for tid in TABLES:
            res = fetch_table(
                registry.table(tid),
                years=range(2015, 2025),
                settings=cfg,
                policy=RetryPolicy(backoff=0.01),
            )
            if res.status != "downloaded":
                raise SystemExit(f"{tid}: {res.message}")
        fetch_geo([2020, 2021, 2022, 2023], cfg, lambda m: None)
    build(replace(cfg, offline=True), indeling_jaar=2023, progress=lambda m: None)
    return cfg.data_dir


def model_report(indicators: pd.DataFrame, jaar: int) -> dict:
    """Fit the model of ``jaar`` on its own classification; R², n, coefficients, LOO coverage."""
    kosten = budget.kosten_per_gemeente(indicators, indeling_jaar=jaar)
    frame, bronnen = budget_stap.model_frame(indicators, kosten, jaar, jaar)
    cols = list(budget_stap.VERKLARENDE)
    model = budget.fit_kostenmodel(frame, cols, jaar=jaar)
    t = time.perf_counter()
    loo = budget.loo_dekking(frame, cols)
    return {
        "model": model,
        "bronnen": bronnen,
        "loo": loo,
        "loo_seconds": time.perf_counter() - t,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jaar", type=int, default=2021)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        data = args.data or build_real(Path(tmp))
        built = time.perf_counter() - t
        ind = pd.read_parquet(data / "processed" / "indicators.parquet")
        r = model_report(ind, args.jaar)
    m: budget.Kostenmodel = r["model"]
    print(f"kostenmodel {m.jaar}: WLS, kosten per jongere 0-17 (euro), gewicht jongeren 0-17")
    print(f"  bronnen: 83454NED + {', '.join(r['bronnen'])}; data ready in {built:.1f} s")
    print(f"  n = {m.n}   R2 = {m.r2:.3f}")
    for k, v in m.coefficienten.items():
        print(f"  {k:24s} {v:12.2f}   (se {m.standaardfouten[k]:.2f})")
    pos = m.voorspelling["positie"].value_counts().to_dict()
    print(f"  positie t.o.v. 95%-interval: {pos}")
    print(
        f"  leave-one-out dekking van het 95%-interval: {r['loo']:.3f} ({r['loo_seconds']:.1f} s)"
    )


if __name__ == "__main__":
    main()
