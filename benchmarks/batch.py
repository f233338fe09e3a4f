"""Naive papermill+nbconvert per report vs. the warm-kernel batch engine, side by side.

    python benchmarks/batch.py                      # 8 gemeente reports, 2 workers, Demoland
    python benchmarks/batch.py --n 20 --workers 2
    python benchmarks/batch.py --full               # warm engine over every report of the profile
    python benchmarks/batch.py --full --editie rekenkamer   # ... plus every rekenkamer edition
    python benchmarks/batch.py --notebook tests/report/notebooks/rapport.ipynb  # any gemeente-style

Defaults: the Demoland data under ``data/demoland/`` (make it with
``python -m analysis demo-data --gemeenten 342 --regios 42``) and ``notebooks/gemeente.ipynb``.
Output goes to ``benchmarks/out/`` (git-ignored). Prints kernel start time, seconds per report
for both engines, their ratio, totals, peak memory of the whole process tree (this process,
workers, kernels; RSS sampled with psutil) and an extrapolation to 342 + 42 + 1 reports.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

import psutil

from analysis.config import project_root
from analysis.report import jobs as report_jobs
from analysis.report.engine import ReportJob, WarmKernel, run_batch
from analysis.report.params import (
    ParamCatalog,
    param_catalog,
    safe_filename,
    validate_report_params,
)

ALL_REPORTS = 342 + 42 + 1
DEMO_COMMAND = "python -m analysis demo-data --gemeenten 342 --regios 42"


#: one PSS sample per this many RSS samples
PSS_EVERY = 25


def _pss(pid: int) -> int | None:
    """Proportional set size of ``pid`` in bytes (Linux ``smaps_rollup``), else None."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


class PeakRSS:
    """Sample the summed RSS of this process and all its descendants in a thread; also the
    CPU time (user + system) each of them used, as last seen (``cpu_seconds``).

    ``peak`` (the headline figure) sums RSS, which counts the pages the processes share
    (Python, numpy, Arrow and matplotlib libraries; the workers' pages forked from the
    forkserver) once per process: an upper bound. ``peak_pss`` sums the proportional set size
    (each shared page split over its users): what the batch occupies; None where the
    system does not report it."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self.peak_pss: int | None = 0 if _pss(os.getpid()) is not None else None
        self._cpu: dict[tuple[int, float], float] = {}
        self._role: dict[tuple[int, float], str] = {}
        self._cpu0 = self._cpu_of(psutil.Process())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _cpu_of(proc: psutil.Process) -> float:
        t = proc.cpu_times()
        return t.user + t.system

    @property
    def cpu_seconds(self) -> float:
        """CPU seconds the tree used while measured (a process that ended between two
        samples misses at most its last interval)."""
        return sum(self._cpu.values()) - self._cpu0

    def cpu_per_role(self) -> dict[str, float]:
        """CPU seconds of the kernels, of the other child processes (batch workers, the
        forkserver) and of this process (the driver)."""
        out: dict[str, float] = {}
        for key, cpu in self._cpu.items():
            role = self._role.get(key, "workers")
            out[role] = out.get(role, 0.0) + cpu - (self._cpu0 if role == "driver" else 0.0)
        return out

    def _role_of(self, proc: psutil.Process, me: psutil.Process) -> str:
        if proc.pid == me.pid:
            return "driver"
        cmd = " ".join(proc.cmdline())
        return "kernels" if "ipykernel" in cmd else "workers"

    def _sample(self, with_pss: bool = False) -> tuple[int, int]:
        me = psutil.Process()
        total = pss = 0
        for proc in [me, *me.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                rss = proc.memory_info().rss
                total += rss
                if with_pss:
                    pss += _pss(proc.pid) or rss
                key = (proc.pid, proc.create_time())
                self._cpu[key] = self._cpu_of(proc)
                if key not in self._role:
                    self._role[key] = self._role_of(proc, me)
        return total, pss

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            # PSS walks every mapping of a process and holds its memory lock: sampled rarely,
            # and taken when RSS is near its peak (the RSS samples run at full rate)
            with_pss = self.peak_pss is not None and n % PSS_EVERY == 0
            total, pss = self._sample(with_pss)
            self.peak = max(self.peak, total)
            if with_pss:
                self.peak_pss = max(self.peak_pss, pss)  # type: ignore[type-var]
            n += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def cpu_referentie() -> float:
    """Seconds for a fixed pure-Python workload (best of 5): machines here vary in speed
    from hour to hour, so a benchmark figure is only comparable together with this one."""
    import timeit

    return min(timeit.repeat("sum(range(1_000_000))", number=20, repeat=5))


def _jobs(
    kind: str,
    codes: list[tuple[str, str]],
    notebook: Path,
    catalog: ParamCatalog,
    common: dict,
    reports: Path,
    profiel: str,
) -> list[ReportJob]:
    jobs = []
    for code, name in codes:
        params = dict(common)
        if kind == "gemeente":
            params["gemeente"] = code
        elif kind == "jeugdregio":
            params["regio"] = code
        params = validate_report_params(kind, params, catalog)
        filename = safe_filename(code, name, params.get("jaar")) + ".html"
        jobs.append(
            ReportJob(
                kind=kind,
                code=code,
                notebook=notebook,
                params=params,
                out_html=reports / profiel / kind / filename,
                title=name,
                group="",
            )
        )
    return jobs


def kernel_start_seconds(kernel_name: str) -> tuple[float, float]:
    """(bare kernel start as papermill does it, warm start incl. preloading libraries)."""
    bare = WarmKernel(kernel_name, preload=())
    t_bare = bare.start()
    bare.shutdown()
    warm = WarmKernel(kernel_name)
    t_warm = warm.start()
    warm.shutdown()
    return t_bare, t_warm


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def cohesion_note(data_dir: Path, indeling: int, *, synthetic: bool) -> str:
    """Whether the kernels will load the cohesion analysis stored by the data step."""
    from analysis import store
    from analysis.indicators.cohesion import stored

    meta = stored.current(store.report_settings(data_dir), indeling, synthetic=synthetic)
    if meta is None:
        return (
            f"samenhang {indeling}: niet (actueel) opgeslagen door de build; elke kernel "
            "berekent hem zelf (not stored: every kernel computes it)"
        )
    return (
        f"samenhang {indeling}: opgeslagen door de build ({meta['seconds']:.1f} s, "
        f"{meta['computed_at']}); de kernels laden hem (stored by build, loaded by kernels)"
    )


def run_full(args: argparse.Namespace, data_dir: Path, indeling: int) -> int:
    """The warm engine over exactly the jobs (and their order) of `make demo` / `make reports`."""
    reports = args.out / "full"
    shutil.rmtree(reports, ignore_errors=True)
    os.environ["ANALYSIS_REPORTS_DIR"] = str(reports)
    os.environ["ANALYSIS_DEMO_DIR" if args.profiel == "demoland" else "ANALYSIS_DATA_DIR"] = str(
        data_dir
    )
    jobs = report_jobs.plan(args.profiel, editie=args.editie).jobs
    print(cohesion_note(data_dir, indeling, synthetic=args.profiel == "demoland"))
    ref_voor = cpu_referentie()
    with PeakRSS() as mem:
        summary = run_batch(
            jobs,
            workers=args.workers,
            resume=False,
            data_dir=data_dir,
            reports_dir=reports,
            kernel_name=args.kernel,
        )
    ref_na = cpu_referentie()
    cpu = mem.cpu_seconds
    print(
        f"\nvolledig / full: {len(jobs)} rapporten in {summary.total_seconds:.1f} s "
        f"({summary.total_seconds / 60:.1f} min), {summary.failed} mislukt, "
        f"piekgeheugen {_mb(mem.peak)} (som RSS / summed RSS"
        + (f"; som PSS / summed PSS {_mb(mem.peak_pss)}" if mem.peak_pss is not None else "")
        + ")\n"
        f"cpu-tijd / cpu time: {cpu:.1f} s ({cpu / len(jobs):.2f} s per rapport; "
        f"bezetting {cpu / (summary.total_seconds * psutil.cpu_count()):.0%} van "
        f"{psutil.cpu_count()} cpu's; "
        + ", ".join(f"{k} {v:.0f} s" for k, v in sorted(mem.cpu_per_role().items()))
        + ")\n"
        f"referentie-rekentijd / reference workload: {ref_voor:.3f} s voor, {ref_na:.3f} s "
        "na (lager = snellere machine)"
    )
    return summary.exit_code


def run_compare(
    args: argparse.Namespace,
    data_dir: Path,
    catalog: ParamCatalog,
    common: dict,
    gemeenten: list[tuple[str, str]],
) -> int:
    """The engines side by side on the first ``args.n`` gemeenten, with an extrapolation."""
    t_bare, t_warm = kernel_start_seconds(args.kernel)
    print(f"kernelstart: kaal {t_bare:.2f} s, warm incl. voorladen bibliotheken {t_warm:.2f} s")

    results: dict[str, tuple[float, float, int, int, float]] = {}
    for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
        reports = args.out / engine
        shutil.rmtree(reports, ignore_errors=True)
        jobs = _jobs(
            "gemeente", gemeenten[: args.n], args.notebook.resolve(), catalog, common, reports,
            args.profiel,
        )  # fmt: skip
        with PeakRSS() as mem:
            t0 = time.perf_counter()
            summary = run_batch(
                jobs,
                workers=args.workers,
                resume=False,
                engine=engine,
                data_dir=data_dir,
                reports_dir=reports,
                kernel_name=args.kernel,
                progress=False,
            )
            wall = time.perf_counter() - t0
        if summary.failed:
            print(summary.format())
        # steady state: median seconds a worker spends on one report (the first report of a
        # warm worker also waits for its kernel, so the median ignores start-up)
        steady = statistics.median(summary.job_seconds.values())
        results[engine] = (wall, wall / len(jobs), mem.peak, summary.failed, steady)
        print(
            f"{engine:>9}: {len(jobs)} rapporten in {wall:6.1f} s = {wall / len(jobs):5.2f} s "
            f"per rapport (wall, {args.workers} workers); mediaan {steady:.2f} s per rapport "
            f"per worker; piek {_mb(mem.peak)}; {summary.failed} mislukt"
        )

    if "papermill" in results and "warm" in results:
        wall_ratio = results["papermill"][1] / results["warm"][1]
        steady_ratio = results["papermill"][4] / results["warm"][4]
        print(
            f"\nverhouding naief/warm: {wall_ratio:.1f}x (wall, incl. start-up), "
            f"{steady_ratio:.1f}x (mediaan per rapport)"
        )
    for engine, (wall, _, _, _, steady) in results.items():
        overhead = max(wall - args.n * steady / args.workers, 0.0)
        est = overhead + ALL_REPORTS * steady / args.workers
        print(
            f"extrapolatie {engine:>9}: {ALL_REPORTS} rapporten ~ {est:,.0f} s "
            f"({est / 60:.1f} min) bij {args.workers} workers "
            f"(start-up {overhead:.0f} s + {ALL_REPORTS} x {steady:.2f} s / {args.workers})"
        )
    return 1 if any(r[3] for r in results.values()) else 0


def main(argv: list[str] | None = None) -> int:
    root = project_root()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=8, help="number of gemeente reports (default 8)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--data-dir", type=Path, default=root / "data" / "demoland")
    ap.add_argument("--profiel", default="demoland", choices=["demoland", "cbs"])
    ap.add_argument("--notebook", type=Path, default=root / "notebooks" / "gemeente.ipynb")
    ap.add_argument("--kernel", default="python3")
    ap.add_argument("--out", type=Path, default=root / "benchmarks" / "out" / "batch")
    ap.add_argument(
        "--engines", default="papermill,warm", help="comma-separated: papermill,warm (default both)"
    )
    ap.add_argument(
        "--full", action="store_true", help="warm engine over all reports of the profile"
    )
    ap.add_argument(
        "--editie",
        default="standaard",
        help="with --full: rekenkamer adds the rekenkamer edition of every gemeente report",
    )
    args = ap.parse_args(argv)

    data_dir = args.data_dir.resolve()
    if not (data_dir / "processed" / "indicators.parquet").is_file():
        hint = DEMO_COMMAND if args.profiel == "demoland" else "python -m analysis data"
        print(f"Geen verwerkte gegevens in {data_dir}/processed. Maak ze eerst met:\n  {hint}")
        return 2
    catalog = param_catalog(data_dir)
    indeling = catalog.latest_indeling()
    jaar = max(catalog.jaren)
    common = {"jaar": jaar, "data_dir": str(data_dir), "profiel": args.profiel}
    gemeenten = sorted(catalog.gemeenten[indeling].items())
    print(
        f"data {data_dir} (indeling {indeling}, jaar {jaar}, {len(gemeenten)} gemeenten); "
        f"cpu's: {psutil.cpu_count()}; workers: {args.workers}"
    )

    if args.full:
        return run_full(args, data_dir, indeling)

    return run_compare(args, data_dir, catalog, common, gemeenten)


if __name__ == "__main__":
    sys.exit(main())
