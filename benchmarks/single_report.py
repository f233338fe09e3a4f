"""One gemeente report on demand: the kernel path (before) vs the in-process path (now).

    python benchmarks/single_report.py                    # Demoland under data/demoland/
    python benchmarks/single_report.py --gemeente GM9003 --repeat 3
    python benchmarks/single_report.py --data-dir /tmp/demo   # builds a small Demoland there

Each run is a fresh interpreter doing what ``python -m analysis report --gemeente …
--profiel demoland`` does, from cached (processed) data:

* ``kernel``    — the batch engine with one worker: a worker process starts a kernel
  (preloading the libraries), the notebook runs there, HTML is exported in the worker;
* ``inprocess`` — what ``report`` does when no report server runs: the notebook runs in an
  in-process kernel in the command's own process (no kernel or worker process), same client
  and export;
* ``server``    — ``python -m analysis report --gemeente …`` (the real command, a fresh
  interpreter each time) answered by a running ``python -m analysis serve`` (started first,
  after its warm-up report): the first gemeente, then gemeenten of other jeugdregio's (whose
  map bases the server has not built yet). CPU counts the command and the server's growth.

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


def _tree_cpu(pid: int) -> float:
    import psutil

    proc = psutil.Process(pid)
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system
    return total


def _children_cpu() -> float:
    """CPU seconds of this process's finished (waited-for) children: the commands run."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _others(data_dir: Path, gemeente: str, n: int) -> list[str]:
    """``gemeente`` and then up to ``n - 1`` gemeenten, each of another jeugdregio."""
    import pandas as pd

    from analysis.report.params import param_catalog

    catalog = param_catalog(data_dir)
    jaar = catalog.latest_indeling()
    mem = pd.read_parquet(data_dir / "processed" / "regio_indeling.parquet")
    mem = mem[(mem["jaar"] == jaar) & (mem["indeling"] == "jeugdregio")]
    regio = dict(zip(mem["gemeente_code"], mem["regio_code"], strict=True))
    out, seen = [gemeente], {regio.get(gemeente)}
    for code in sorted(regio):
        if len(out) >= n:
            break
        if regio[code] not in seen:
            out.append(code)
            seen.add(regio[code])
    return out


def _server_path(args, env: dict[str, str], data_dir: Path, gemeente: str) -> str:
    """Start a report server, time ``report`` through it; the first gemeente's HTML."""
    reports = args.out / "server"
    shutil.rmtree(reports, ignore_errors=True)
    env = {**env, "ANALYSIS_REPORTS_DIR": str(reports), "ANALYSIS_SERVER": "auto"}
    cli = [sys.executable, "-m", "analysis"]
    t0 = time.perf_counter()
    srv = subprocess.Popen(
        [*cli, "serve", "--profiel", "demoland", "--idle", "600"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        while subprocess.run(
            [*cli, "serve", "--status", "--profiel", "demoland"], env=env, capture_output=True
        ).returncode:
            if srv.poll() is not None:
                raise SystemExit(f"server stopte:\n{srv.stdout.read()[-3000:]}")
            time.sleep(0.2)
        print(f"   server: opgestart en opgewarmd in {time.perf_counter() - t0:.2f} s")
        walls, cpus = [], []
        for code in _others(data_dir, gemeente, max(args.repeat, 3)):
            cpu0 = _tree_cpu(srv.pid) + _children_cpu()
            t1 = time.perf_counter()
            done = subprocess.run(
                [*cli, "report", "--gemeente", code, "--profiel", "demoland"],
                env=env,
                capture_output=True,
                text=True,
            )
            wall = time.perf_counter() - t1
            if done.returncode or "rekenserver: pid" not in done.stdout:
                raise SystemExit(
                    f"server-pad mislukt:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
                )
            cpu = _tree_cpu(srv.pid) + _children_cpu() - cpu0
            walls.append(wall)
            cpus.append(cpu)
            print(f"   server: {code} {wall:6.2f} s wall, {cpu:6.2f} s cpu")
        print(
            f"{'server':>9}: {statistics.median(walls):6.2f} s wall, "
            f"{statistics.median(cpus):6.2f} s cpu (mediaan; commando + groei van de server)"
        )
    finally:
        subprocess.run(
            [*cli, "serve", "--stop", "--profiel", "demoland"], env=env, capture_output=True
        )
        srv.wait(60)
    (out,) = (reports / "demoland" / "gemeente").glob(f"{gemeente}-*.html")
    return RENDER_TIME.sub("", out.read_text(encoding="utf-8"))


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
    html["server"] = _server_path(args, env, data_dir, gemeente)
    same = html["kernel"] == html["inprocess"] == html["server"]
    print(f"HTML gelijk (behalve 'gemaakt op'): {'ja' if same else 'NEE'}")
    print(f"referentie-rekentijd: {cpu_referentie():.3f} s (lager = snellere/rustiger machine)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
