"""Scripted adversarial run (issue 12): bad parameters, hostile names, corrupted caches and
server faults against a fresh Demoland in a temporary folder. Prints every case, then the
number tried and passed; exit 0 only when every case passed.

    .venv/bin/python benchmarks/faults.py [-k SUBSTRING] [--keep DIR] [--no-render]

A case passes when the program does the right thing: a clear one-line error (non-zero exit,
no traceback, short, naming the bad value or file), nothing run that came from input, no
markup from data in a report, and the last good snapshot / report left as it was. Runs in a
few minutes on 2 cores (two Demoland builds, three report renders, some 40 program runs).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))
# the report kernels import this checkout too, not whatever is installed
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p
)

IMG = "Biezenberg<img src=x onerror=alert(1)>"
SCRIPT_REGIO = "Noord<script>alert(2)</script>land"
SCRIPT_TITEL = "Jeugdhulp<script>alert(3)</script>"
HUGE = "x" * 100_000
#: the longest error output a case accepts (a clear message, not a dump)
MAX_ERROR = 2000


class Failed(AssertionError):
    """A case found a defect."""


def check(condition: object, message: str) -> None:
    if not condition:
        raise Failed(message)


@dataclass
class World:
    """The temporary Demoland the cases run against."""

    root: Path
    data: Path
    hostile: Path
    render: bool = True
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def env(self, data: Path | None = None, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"GEMEENTE", "REGIO", "JAAR"}}
        env.update(
            PYTHONPATH=str(SRC),
            ANALYSIS_DEMO_DIR=str(data or self.data),
            ANALYSIS_DATA_DIR=str(data or self.data),  # `build` (profile cbs) on Demoland
            ANALYSIS_REPORTS_DIR=str(self.reports),
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def run(self, *args: str, data: Path | None = None, timeout: float = 600):
        return subprocess.run(
            [sys.executable, "-m", "analysis", *args],
            cwd=ROOT,
            env=self.env(data),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def make(self, *assignments: str, environ: dict[str, str] | None = None):
        return subprocess.run(
            ["make", "-s", "report", f"PY={sys.executable}", "PROFIEL=demoland", *assignments],
            cwd=ROOT,
            env={**self.env(), **(environ or {})},
            capture_output=True,
            text=True,
            timeout=600,
        )

    def rendered(self) -> list[Path]:
        return sorted(self.reports.rglob("*.html")) if self.reports.exists() else []


def clear_error(proc, *phrases: str, file: str | None = None) -> str:
    """Non-zero exit with a short error naming ``phrases`` (case-insensitive), no traceback."""
    err = proc.stderr
    check(proc.returncode != 0, f"exit 0; stdout: {proc.stdout[-300:]!r}")
    check("Traceback" not in err, f"traceback: {err[-600:]!r}")
    check(len(err) <= MAX_ERROR, f"error output of {len(err)} characters")
    missing = [p for p in phrases if p.casefold() not in err.casefold()]
    check(not missing, f"error does not name {missing}: {err[-400:]!r}")
    if file:
        check(file in err, f"error does not name the file {file}: {err[-400:]!r}")
    lines = [
        ln
        for ln in err.splitlines()
        if ln.strip() and not ln.startswith(("[IPKernelApp]", "make:"))
    ]
    return lines[-1][:120] if lines else ""


# ----------------------------------------------------------------------------- set-up


def demoland(data: Path, *, hostile: bool = False) -> None:
    """Generate Demoland into ``data`` (with hostile names in the CBS region list and the
    boundary files when asked) and build it through the real client."""
    from analysis.config import settings
    from analysis.demo import names
    from analysis.pipeline import run_demo_data

    saved = names.ISLAND, names.region_names
    old_env = os.environ.get("ANALYSIS_DEMO_DIR")
    if hostile:
        original = names.region_names
        names.ISLAND = IMG
        names.region_names = lambda n, rng, taken: [SCRIPT_REGIO, *original(n, rng, taken)[1:]]
    os.environ["ANALYSIS_DEMO_DIR"] = str(data)
    try:
        run = run_demo_data(cfg=replace(settings(), data_dir=data), progress=lambda m: None)
    finally:
        names.ISLAND, names.region_names = saved
        if old_env is None:
            os.environ.pop("ANALYSIS_DEMO_DIR", None)
        else:
            os.environ["ANALYSIS_DEMO_DIR"] = old_env
    if run.exit_code:
        raise RuntimeError(f"Demoland build failed:\n{run.summary()}")
    if hostile:
        sources = data / "processed" / "sources.json"
        entries = json.loads(sources.read_text(encoding="utf-8"))
        entries[0]["title"] = SCRIPT_TITEL
        sources.write_text(json.dumps(entries), encoding="utf-8")


def tree_digest(folder: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Corrupted:
    """Replace (or delete) a file for the duration of a case, then put the original back."""

    def __init__(self, path: Path, content: bytes | None) -> None:
        self.path, self.content = path, content

    def __enter__(self) -> Path:
        self.backup = self.path.read_bytes() if self.path.exists() else None
        if self.content is None:
            self.path.unlink()
        else:
            self.path.write_bytes(self.content)
        return self.path

    def __exit__(self, *exc) -> None:
        if self.backup is not None:
            self.path.write_bytes(self.backup)


# ----------------------------------------------------------------------------- parameters


def _report(w: World, *args: str):
    return w.run("report", "--profiel", "demoland", *args)


def p_empty_gemeente(w: World) -> str:
    before = w.rendered()
    msg = clear_error(_report(w, "--gemeente", ""), "--gemeente", "leeg")
    check(w.rendered() == before, "a report was rendered")
    return msg


def p_blank_regio(w: World) -> str:
    return clear_error(_report(w, "--regio", "  "), "--regio", "leeg")


def p_unknown_code(w: World) -> str:
    return clear_error(_report(w, "--gemeente", "GM0000"), "onbekende gemeente", "GM9")


def p_typo_suggests(w: World) -> str:
    return clear_error(_report(w, "--gemeente", "Biezenbrg"), "bedoelde u", "Biezenberg")


def p_huge_value(w: World) -> str:
    return clear_error(_report(w, "--gemeente", HUGE), "(100000 tekens)")


def p_huge_unknown_option(w: World) -> str:
    return clear_error(w.run("report", HUGE), "(100000 tekens)")


def p_control_characters(w: World) -> str:
    proc = _report(w, "--gemeente", "GM\x1b[2J9001\n")
    check("\x1b" not in proc.stderr, "a terminal escape reached the terminal")
    return clear_error(proc, "onbekende gemeente", "\\x1b")


def p_year_without_data(w: World) -> str:
    return clear_error(_report(w, "--jaar", "1900"), "beschikbare jaren")


def p_year_not_a_number(w: World) -> str:
    return clear_error(_report(w, "--jaar", "twintig"), "--jaar", "twintig")


def p_unknown_classification(w: World) -> str:
    return clear_error(_report(w, "--indeling-jaar", "1999"), "indelingsjaren")


def p_unknown_profile(w: World) -> str:
    return clear_error(w.run("report", "--profiel", "nergensland"), "--profiel", "nergensland")


def p_gemeente_and_regio(w: World) -> str:
    return clear_error(_report(w, "--gemeente", "GM9001", "--regio", "JZ91"), "niet allebei")


def p_unknown_group(w: World) -> str:
    return clear_error(
        _report(w, "--gemeente", "GM9001", "--vergelijkingsgroep", "provinsie"), "provincie"
    )


def p_unknown_regio(w: World) -> str:
    return clear_error(_report(w, "--regio", "JZ00"), "onbekende jeugdregio", "JZ9")


def p_unknown_table(w: World) -> str:
    return clear_error(w.run("data", "--tables", "99999XXX"), "99999XXX")


def p_path_traversal(w: World) -> str:
    from analysis.report.params import ParameterError, output_path, safe_filename

    for part in ("../../x.html", "..", ".verborgen.html", "a/b.html", "x\x00.html"):
        try:
            output_path(w.reports, "demoland", "gemeente", part)
        except ParameterError:
            continue
        raise Failed(f"output_path accepted {part!r}")
    name = safe_filename("../../GM01", "../etc/passwd", 2025)
    check("/" not in name and not name.startswith("."), f"unsafe file name {name!r}")
    return name


# ----------------------------------------------------------------------------- make


def m_backticks(w: World) -> str:
    marker = w.root / "gemaakt-door-backticks"
    for value in (f"`touch {marker}`GM9001", f"$$(touch {marker})GM9001", f"GM1; touch {marker}"):
        proc = w.make(f"GEMEENTE={value}")
        check(not marker.exists(), f"the shell ran {value!r}")
        clear_error(proc, "onbekende gemeente")
    proc = w.make(environ={"GEMEENTE": f"`touch {marker}`"})
    check(not marker.exists(), "the shell ran a value from the environment")
    return clear_error(proc, "onbekende gemeente")


def m_make_function(w: World) -> str:
    marker = w.root / "gemaakt-door-make"
    proc = w.make(f"GEMEENTE=$(shell touch {marker})")
    check(not marker.exists(), "make ran $(shell …) from a value")
    return clear_error(proc, "onbekende gemeente")


def m_quote(w: World) -> str:
    proc = w.make('GEMEENTE=Demo"Oog"x')
    check("syntax error" not in proc.stderr and "unexpected" not in proc.stderr, proc.stderr)
    return clear_error(proc, "onbekende gemeente", 'Demo"Oog"x')


def m_empty(w: World) -> str:
    msgs = [clear_error(w.make(a), "leeg") for a in ("GEMEENTE=", "REGIO=")]
    return msgs[-1]


# ----------------------------------------------------------------------------- hostile names


def _live_markup(doc) -> list[str]:
    found = []
    for el in doc.iter():
        if isinstance(el.tag, str):
            found += [f"<{el.tag} {a}>" for a in el.attrib if a.lower().startswith("on")]
    return found


def _hostile_reports(w: World) -> dict[str, Path]:
    if "hostile" not in w.notes:
        from analysis.report import jobs as report_jobs
        from analysis.report.engine import run_batch

        saved = {k: os.environ.get(k) for k in ("ANALYSIS_DEMO_DIR", "ANALYSIS_REPORTS_DIR")}
        os.environ["ANALYSIS_DEMO_DIR"] = str(w.hostile)
        os.environ["ANALYSIS_REPORTS_DIR"] = str(w.root / "hostile-reports")
        try:
            plan = report_jobs.plan("demoland")
            gm = next(j for j in plan.jobs if j.kind == "gemeente" and j.title == IMG)
            jz = next(j for j in plan.jobs if j.kind == "jeugdregio" and j.title == SCRIPT_REGIO)
            jobs = [plan.jobs[0], jz, gm]
            summary = run_batch(
                jobs,
                workers=1,
                resume=False,
                progress=False,
                data_dir=plan.cfg.data_dir,
                reports_dir=plan.cfg.reports_dir,
            )
            check(summary.exit_code == 0, f"hostile reports failed: {summary.format()[-500:]}")
            index = report_jobs._write_index(plan, plan.jobs)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        w.notes["hostile"] = {j.kind: j.out_html for j in jobs} | {"index": index}
    return w.notes["hostile"]  # type: ignore[return-value]


def h_reports(w: World) -> str:
    import lxml.html

    for kind, path in _hostile_reports(w).items():
        if kind == "index":
            continue
        doc = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
        check(not _live_markup(doc), f"{kind}: live handlers {_live_markup(doc)[:3]}")
        check(not doc.xpath("//script"), f"{kind}: a <script> element")
        text = doc.text_content()
        check(SCRIPT_TITEL in text, f"{kind}: the hostile source title is not shown as text")
        name = {"gemeente": IMG, "jeugdregio": SCRIPT_REGIO}.get(kind, SCRIPT_REGIO)
        check(name in text, f"{kind}: the hostile name is not shown as text")
        csp = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
        check(csp and "script-src 'none'" in csp[0], f"{kind}: no CSP forbidding scripts")
    return "3 reports: names as text, no handlers, no scripts, CSP script-src 'none'"


def h_index(w: World) -> str:
    import base64

    import lxml.html

    doc = lxml.html.document_fromstring(_hostile_reports(w)["index"].read_text(encoding="utf-8"))
    check(not _live_markup(doc), f"index: live handlers {_live_markup(doc)[:3]}")
    scripts = doc.xpath("//script")
    check(len(scripts) == 1, f"index: {len(scripts)} scripts")
    digest = base64.b64encode(hashlib.sha256(scripts[0].text.encode()).digest()).decode()
    csp = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    check(csp and f"'sha256-{digest}'" in csp[0], "index: CSP does not pin its own script")
    check(IMG in doc.text_content(), "index: the hostile name is not shown as text")
    return "one script, pinned by hash"


def h_markdown(w: World) -> str:
    import lxml.html

    from analysis.report.output import markdown_html

    for text in (IMG, "<script>alert(1)</script>", "[x](javascript:alert(1))", "<iframe src=x>"):
        doc = lxml.html.fragment_fromstring(markdown_html(text), create_parent="div")
        check(not _live_markup(doc), f"markdown made a handler of {text!r}")
        check(not doc.xpath("//script|//img|//iframe"), f"markdown made markup of {text!r}")
        hrefs = [a.get("href", "") for a in doc.iter("a")]
        check(not any("javascript:" in h for h in hrefs), f"markdown link {hrefs}")
    return "4 texts"


# ----------------------------------------------------------------------------- corrupted caches


def _processed(w: World) -> Path:
    return w.data / "processed"


def c_truncated_parquet(w: World) -> str:
    path = _processed(w) / "indicators.parquet"
    with Corrupted(path, path.read_bytes()[: path.stat().st_size // 2]):
        proc = _report(w, "--gemeente", "GM9001")
    return clear_error(proc, "indicators.parquet")


def c_sources_not_json(w: World) -> str:
    with Corrupted(_processed(w) / "sources.json", b'[{"table_id": '):
        proc = _report(w, "--gemeente", "GM9001")
    return clear_error(proc, "sources.json")


def c_sources_wrong_shape(w: World) -> str:
    with Corrupted(_processed(w) / "sources.json", b'{"niet": "een lijst"}'):
        proc = _report(w, "--gemeente", "GM9001")
    return clear_error(proc, "sources.json")


def c_missing_region_list(w: World) -> str:
    with Corrupted(_processed(w) / "regio_indeling.parquet", None):
        proc = _report(w, "--gemeente", "GM9001")
    return clear_error(proc, "regio_indeling.parquet")


def _snapshot_file(w: World, table: str, name: str) -> Path:
    from analysis.cbs import snapshot

    folder = snapshot.latest(w.data / "raw", "opendata", table)
    check(folder is not None, f"no snapshot of {table}")
    return folder / name


def c_tampered_snapshot(w: World) -> str:
    path = _snapshot_file(w, "85099NED", "TypedDataSet.json")
    before = tree_digest(_processed(w).resolve())
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r'("[A-Za-z]+_\d+": )(\d+)', r"\g<1>999\2", text, count=1)
    check(changed != text, "no value to tamper with")
    with Corrupted(path, changed.encode("utf-8")):
        proc = w.run("build")
    check(tree_digest(_processed(w).resolve()) == before, "the processed layer was replaced")
    return clear_error(proc, "85099NED", "TypedDataSet.json")


def c_corrupt_raw_json(w: World) -> str:
    path = _snapshot_file(w, "85099NED", "RegioS.json")
    with Corrupted(path, path.read_bytes()[:-20]):
        proc = w.run("build")
    return clear_error(proc, "RegioS.json")


def c_failed_render_keeps_report(w: World) -> str:
    if not w.render:
        return "skipped (--no-render)"
    proc = _report(w)
    check(proc.returncode == 0, f"national report failed: {proc.stderr[-400:]}")
    good = next(p for p in w.rendered() if "NL01" in p.name)
    before = good.read_bytes()
    with Corrupted(_processed(w) / "sources.json", b"[{}]"):
        proc = _report(w)
    check(good.read_bytes() == before, "the last good report was replaced")
    leftovers = [p for p in w.reports.rglob("*") if ".tmp" in p.name]
    check(not leftovers, f"temporary files in reports/: {leftovers[:3]}")
    return clear_error(proc, "sources.json")


# ----------------------------------------------------------------------------- server faults


def _serve(w: World, fault: str | None, **kw):
    """Fetch 85099NED for other years (so it downloads) from a replay server with ``fault``."""
    from analysis import registry
    from analysis.cbs.fetch import RetryPolicy, fetch_table
    from analysis.config import settings
    from analysis.replay import ReplayServer

    raw = w.data / "raw" / "opendata" / "85099NED"
    before = tree_digest(raw)
    dumps = w.data / "dumps"
    with ReplayServer(dumps / "opendata", geo_dir=dumps / "geo") as srv:
        if fault:
            srv.inject(fault, table="85099NED", entity="TypedDataSet", times=None, **kw)
        cfg = replace(
            settings(),
            data_dir=w.data,
            catalog_urls={"opendata": srv.url, "dataderden": srv.url},
            offline=False,
        )
        policy = RetryPolicy(
            page_retries=1, table_retries=1, backoff=0.01, timeout=(2.0, 1.0), max_pages=50
        )
        years = [2023, 2024] if fault else [2022, 2023, 2024]
        result = fetch_table(
            registry.table("85099NED"),
            years=years,
            settings=cfg,
            policy=policy,
            progress=lambda m: None,
            synthetic=True,
        )
    after = tree_digest(raw)
    kept = all(after.get(k) == v for k, v in before.items())
    return result, kept


def _server_fault(kind: str, **kw) -> Callable[[World], str]:
    def case(w: World) -> str:
        result, kept = _serve(w, kind, **kw)
        check(result.status == "failed", f"status {result.status}: {result.message[:200]}")
        check(kept, "the previous snapshot changed")
        check(len(result.message) < 600, f"message of {len(result.message)} characters")
        return f"failed cleanly, snapshot kept: {result.message[:80]}"

    case.__name__ = f"s_{kind}"
    return case


def s_recovers(w: World) -> str:
    from analysis.cbs import snapshot

    result, _ = _serve(w, None)
    check(result.status == "downloaded", f"status {result.status}: {result.message[:200]}")
    problems = snapshot.verify(Path(result.snapshot))
    check(not problems, f"the new snapshot fails its checksums: {problems[:2]}")
    return result.message[:80]


def s_missing_table(w: World) -> str:
    from analysis import registry
    from analysis.cbs.fetch import RetryPolicy, fetch_table
    from analysis.config import settings
    from analysis.replay import ReplayServer

    dumps = w.data / "dumps" / "opendata"
    with ReplayServer({"03759ned": dumps / "03759ned"}) as srv:
        cfg = replace(
            settings(),
            data_dir=w.root / "leeg",
            catalog_urls={"opendata": srv.url, "dataderden": srv.url},
            offline=False,
        )
        result = fetch_table(
            registry.table("85099NED"),
            years=[2024],
            settings=cfg,
            policy=RetryPolicy(backoff=0.01),
            progress=lambda m: None,
        )
    check(result.status == "not_found", f"status {result.status}: {result.message[:200]}")
    return result.message[:80]


# ----------------------------------------------------------------------------- runner

CASES: list[tuple[str, Callable[[World], str]]] = [
    ("parameters", p_empty_gemeente),
    ("parameters", p_blank_regio),
    ("parameters", p_unknown_code),
    ("parameters", p_typo_suggests),
    ("parameters", p_huge_value),
    ("parameters", p_huge_unknown_option),
    ("parameters", p_control_characters),
    ("parameters", p_year_without_data),
    ("parameters", p_year_not_a_number),
    ("parameters", p_unknown_classification),
    ("parameters", p_unknown_profile),
    ("parameters", p_gemeente_and_regio),
    ("parameters", p_unknown_group),
    ("parameters", p_unknown_regio),
    ("parameters", p_unknown_table),
    ("parameters", p_path_traversal),
    ("make", m_backticks),
    ("make", m_make_function),
    ("make", m_quote),
    ("make", m_empty),
    ("hostile names", h_markdown),
    ("hostile names", h_reports),
    ("hostile names", h_index),
    ("corrupted caches", c_truncated_parquet),
    ("corrupted caches", c_sources_not_json),
    ("corrupted caches", c_sources_wrong_shape),
    ("corrupted caches", c_missing_region_list),
    ("corrupted caches", c_failed_render_keeps_report),
    ("corrupted caches", c_tampered_snapshot),
    ("corrupted caches", c_corrupt_raw_json),
    ("server faults", _server_fault("http500")),
    ("server faults", _server_fault("truncate")),
    ("server faults", _server_fault("drop")),
    ("server faults", _server_fault("reset")),
    ("server faults", _server_fault("nextlink_loop")),
    ("server faults", _server_fault("slow", delay=3.0)),
    ("server faults", s_recovers),
    ("server faults", s_missing_table),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", default="", help="only cases whose name contains this")
    ap.add_argument("--keep", type=Path, default=None, help="work in (and keep) this folder")
    ap.add_argument("--no-render", action="store_true", help="skip the cases that render")
    args = ap.parse_args(argv)

    cases = [(g, f) for g, f in CASES if args.k in f.__name__]
    if args.no_render:
        cases = [(g, f) for g, f in cases if f not in (h_reports, h_index)]
    if shutil.which("make") is None:
        cases = [(g, f) for g, f in cases if g != "make"]
        print("make not found: the make cases are left out")

    tmp = None
    if args.keep:
        root = args.keep.resolve()
        root.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="faults-")
        root = Path(tmp.name)
    t0 = time.perf_counter()
    w = World(
        root=root, data=root / "demoland", hostile=root / "vijandig", render=not args.no_render
    )
    print(f"Demoland in {root} …", flush=True)
    demoland(w.data)
    if any(f in (h_reports, h_index) for _, f in cases):
        demoland(w.hostile, hostile=True)
    print(f"set-up {time.perf_counter() - t0:.0f} s\n", flush=True)

    passed = 0
    failures: list[str] = []
    group = None
    for g, case in cases:
        if g != group:
            print(f"== {g}")
            group = g
        start = time.perf_counter()
        try:
            detail = case(w)
            ok = True
        except Failed as exc:
            ok, detail = False, str(exc)
        except Exception as exc:  # a crash of the case is a failure too, with its origin
            ok = False
            detail = f"{type(exc).__name__}: {exc}"[:300]
            detail += " @ " + traceback.extract_tb(exc.__traceback__)[-1].name
        took = time.perf_counter() - start
        mark = "ok  " if ok else "FAIL"
        print(f"  {mark} {case.__name__:<32} {took:5.1f} s  {' '.join(str(detail).split())[:150]}")
        if ok:
            passed += 1
        else:
            failures.append(case.__name__)
        sys.stdout.flush()

    total = time.perf_counter() - t0
    print(f"\n{len(cases)} cases tried, {passed} passed, {len(failures)} failed ({total:.0f} s)")
    if failures:
        print("failed: " + ", ".join(failures))
    if tmp is not None:
        tmp.cleanup()
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
