"""One gemeente report on demand: the kernel path (before) vs the in-process path (now).

    python benchmarks/single_report.py                    # Demoland under data/demoland/
    python benchmarks/single_report.py --gemeente GM9003 --repeat 3
    python benchmarks/single_report.py --data-dir /tmp/demo   # builds a small Demoland there

Each run is a fresh interpreter doing what ``python -m analysis report --gemeente …
--profiel demoland`` does, from cached (processed) data:

* ``kernel``    — the batch engine with one worker: a worker process starts a kernel
  (preloading the libraries), the notebook runs there, HTML is exported in the worker;
* ``inprocess`` — the default now: the notebook runs in an in-process kernel in the command's
  own process (no kernel or worker process), same client and export.

Prints, per path, wall seconds and CPU seconds (the command and every process it started)
(sampled with psutil, as in ``batch.py``) and whether the two HTML files are identical apart from the render time. No data? A small
Demoland (40 gemeenten, 4 regio's) is generated first. Output: ``benchmarks/out/single/``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from analysis.config import project_root

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch import PeakRSS, cpu_referentie  # noqa: E402 - the sibling benchmark's meters

PATHS = {"kernel": "warm", "inprocess": "inprocess"}
RENDER_TIME = re.compile(r"<tr><th>gemaakt op</th><td>[^<]*</td></tr>")


def _ensure_demoland(data_dir: Path, env: dict[str, str]) -> None:
    if (data_dir / "processed" / "indicators.parquet").is_file():
        return
    print(f"geen Demoland in {data_dir}: klein Demoland maken (40 gemeenten, 4 regio's) ...")
    cmd = [sys.executable, "-m", "analysis", "demo-data", "--gemeenten", "40", "--regios", "4"]
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)


def _first_gemeente(data_dir: Path) -> str:
    from analysis.report.params import param_catalog

    catalog = param_catalog(data_dir)
    return sorted(catalog.gemeenten[catalog.latest_indeling()])[0]


def _run(engine: str, gemeente: str, env: dict[str, str]) -> tuple[float, float]:
    code = (
        "from analysis.report.jobs import render_single; raise SystemExit(render_single("
        f"gemeente={gemeente!r}, profiel='demoland', engine={engine!r}))"
    )
    with PeakRSS(interval=0.05) as meter:
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t0
    cpu = sum(v for role, v in meter.cpu_per_role().items() if role != "driver")
    if done.returncode:
        raise SystemExit(f"{engine} mislukt:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    root = project_root()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=root / "data" / "demoland")
    ap.add_argument("--gemeente", default=None, help="default: the first gemeente")
    ap.add_argument("--repeat", type=int, default=1, help="runs per path (median is printed)")
    ap.add_argument("--out", type=Path, default=root / "benchmarks" / "out" / "single")
    args = ap.parse_args(argv)

    data_dir = args.data_dir.resolve()
    env = {**os.environ, "ANALYSIS_DEMO_DIR": str(data_dir)}
    _ensure_demoland(data_dir, env)
    gemeente = args.gemeente or _first_gemeente(data_dir)
    print(f"data {data_dir}; gemeente {gemeente}; {os.cpu_count()} cpu's; {args.repeat}x per pad")
    html: dict[str, str] = {}
    for name, engine in PATHS.items():
        reports = args.out / name
        shutil.rmtree(reports, ignore_errors=True)
        runs = [
            _run(engine, gemeente, {**env, "ANALYSIS_REPORTS_DIR": str(reports)})
            for _ in range(args.repeat)
        ]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        (out,) = (reports / "demoland" / "gemeente").glob(f"{gemeente}-*.html")
        html[name] = RENDER_TIME.sub("", out.read_text(encoding="utf-8"))
        print(f"{name:>9}: {wall:6.2f} s wall, {cpu:6.2f} s cpu (commando + alle processen)")
    same = html["kernel"] == html["inprocess"]
    print(f"HTML gelijk (behalve 'gemaakt op'): {'ja' if same else 'NEE'}")
    print(f"referentie-rekentijd: {cpu_referentie():.3f} s (lager = snellere/rustiger machine)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
