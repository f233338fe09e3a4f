"""Benchmark of the cohesion analysis on the real boundaries (shared_data/cartomap).

Prints wall and CPU seconds for a cold run of :func:`analyse` (empty boundary cache), a run
with warm per-file memoisation (new call, same cache folder), a memoised call, storing and
loading the result as the pipeline does (Parquet parts + JSON sidecar), each part on its own,
and the three report chapters; then the headline results. The boundary cache goes to
a temporary folder, never into the repository.

    .venv/bin/python benchmarks/cohesion.py [--jaar 2025]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from analysis.config import project_root, settings
from analysis.indicators import cohesion
from analysis.indicators.cohesion import pipeline, stored


def _shared_data() -> Path:
    """The recorded real data (``ANALYSIS_SHARED_DATA``, else ``<project>/../shared/data``)."""
    return Path(os.environ.get("ANALYSIS_SHARED_DATA") or project_root().parent / "shared" / "data")


@contextmanager
def timed(label: str, results: list[tuple[str, float, float]]):
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    results.append((label, time.perf_counter() - wall, time.process_time() - cpu))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jaar", type=int, default=2025)
    args = parser.parse_args()
    shared = _shared_data()
    results: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        s = settings(geo_base_url=str(shared / "cartomap"), data_dir=Path(tmp), offline=False)
        with timed(f"analyse({args.jaar}) cold cache", results):
            res = cohesion.analyse(s, args.jaar)
        pipeline._CACHE.clear()
        with timed(f"analyse({args.jaar}) warm file memo", results):
            res = cohesion.analyse(s, args.jaar)
        with timed(f"analyse({args.jaar}) memoised result", results):
            cohesion.analyse(s, args.jaar)

        key = stored.fingerprint(s, args.jaar, synthetic=False)
        with timed(f"store {args.jaar} as Parquet parts + JSON", results):
            stored.store(s, args.jaar, res, key, 0.0)
        with timed(f"load stored {args.jaar} (checks fingerprint, sha256)", results):
            assert stored.load(s, args.jaar, synthetic=False) is not None

        data = res.geodata
        jz = data.lidmaatschap["jeugdregio"]
        y = res.geo_jaar
        with timed("composition (all years)", results):
            for m in jz.values():
                cohesion.composition(m)
        with timed("change_timeline 2015-", results):
            cohesion.change_timeline(jz, data.regio_lagen["jeugdregio"], data.gemeenten)
        with timed("agreement_matrix (7 divisions, 2024)", results):
            present = {n: d[2024] for n, d in data.lidmaatschap.items() if 2024 in d}
            cohesion.agreement_matrix(present, res.gewichten_per_jaar.get(2024))
        with timed(f"region_geometry {y}", results):
            cohesion.region_geometry(res.regios, gemeenten=res.gemeenten)

        ctx = SimpleNamespace(
            kind="nederland", code="NL01", naam="Nederland", jaar=args.jaar,
            indeling_jaar=args.jaar, data_dir=None, indicators=pd.DataFrame(),
            indeling=pd.DataFrame(), synthetic=False, settings=s, regio_code=None,
            regio_naam=None,
        )  # fmt: skip
        import IPython.display

        from analysis.report.chapters import samenhang

        shown: list[object] = []
        IPython.display.display = lambda *objs, **kw: shown.extend(objs)
        with timed("chapter nederland", results):
            samenhang.nederland(ctx)
        with timed("chapter jeugdregio JZ12", results):
            samenhang.jeugdregio(SimpleNamespace(**{**vars(ctx), "code": "JZ12", "naam": "NV"}))
        with timed("chapter gemeente GM0050", results):
            samenhang.gemeente(SimpleNamespace(**{**vars(ctx), "code": "GM0050", "naam": "Z"}))

    print(f"{'step':45s} {'wall s':>8s} {'cpu s':>8s}")
    for label, wall, cpu in results:
        print(f"{label:45s} {wall:8.2f} {cpu:8.2f}")
    print(f"\ndisplayed objects in the three chapters: {len(shown)}")

    w = res.gewichten
    print(f"\nnational agreement (weighted by {w.soort if w is not None else 'nothing'}):")
    o = res.overeenstemming
    for r in o[o["indeling_a"] == "jeugdregio"].itertuples():
        print(f"  {r.jaar} jeugdregio vs {r.indeling_b:30s} ARI {r.ari:.3f}  NMI {r.nmi:.3f}")
    c = res.congruentie
    am = c[c["indeling"] == "arbeidsmarktregio"]
    niet = am[~am["congruent"]].sort_values("modaal_aandeel")
    print(f"\nnot congruent with arbeidsmarktregio ({int(am['jaar'].iat[0])}): {len(niet)} of 42")
    for r in niet.itertuples():
        print(f"  {r.regio_code} {r.regio_naam:32s} {r.modaal_aandeel:.3f}  {r.regio_geraakt}")
    from analysis.report.chapters.samenhang.teksten import met_teksten

    t = met_teksten(res.tijdlijn)
    print(f"\ncomposition changes found: {int(t['samenstelling_gewijzigd'].sum())}")
    for r in t[t["samenstelling_gewijzigd"]].itertuples():
        print(f"  {r.van_jaar}-{r.naar_jaar} {r.soort:24s} {r.omschrijving}")
    g = res.geometrie
    print(
        f"\ngeometry {res.geo_jaar}: fragmented {int(g['versnipperd'].sum())}, with islands "
        f"{int((g['n_eilanden'] > 0).sum())}, Polsby-Popper {g['polsby_popper'].min():.2f}-"
        f"{g['polsby_popper'].max():.2f}"
    )


if __name__ == "__main__":
    main()
