"""Generate Demoland: synthetic CBS table dumps and boundaries, in the exact real shapes.

``generate(out_dir)`` writes

- ``opendata/<table_id>/`` one folder per build table of :mod:`analysis.registry` whose
  years fall in ``[first_year, last_year]``, shaped like ``cbsodata.download_data(dir=...)``
  output (``TableInfos.json``, ``DataProperties.json``, ``CategoryGroups.json`` where the
  table has groups, one file per dimension, ``TypedDataSet.json``);
- ``geo/<layer>_<year>.topojson`` for gemeente, jeugdregio, provincie, arbeidsmarktregio
  and veiligheidsregio, every year, in the cartomap layout;
- ``DEMOLAND.md`` and ``demoland.json`` saying plainly that all of it is synthetic.

``bump_release(out_dir, table_id, modified=...)`` simulates a new CBS release of one table:
a new ``Modified`` and revised provisional figures.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from analysis import registry
from analysis.demo import stapeling as stap
from analysis.demo import tables as tb
from analysis.demo import tables_budget as tbb
from analysis.demo import toegang
from analysis.demo.topo import write_geo
from analysis.demo.world import DIVISIONS, World, build_world

__all__ = ["DemolandInfo", "generate", "bump_release", "load_info", "planned_tables"]

INFO_FILE = "demoland.json"
README_FILE = "DEMOLAND.md"
SYNTHETIC_NOTICE = (
    "SYNTHETISCHE GEGEVENS: Demoland is een verzonnen land. Niets in deze map zijn "
    "CBS-cijfers of echte grenzen; de bestanden hebben alleen de vorm van CBS-tabellen."
)

_TITLES = {
    "84134NED": "Kerncijfers over jeugdzorg, 2015-2020",
    "85099NED": "Kerncijfers over jeugdzorg",
    "03759ned": "Bevolking op 1 januari en gemiddeld; geslacht, leeftijd en regio",
    "83454NED": "Gemeentelijke kosten; jeugdzorg, regio",
    "84580NED": "Gemeentelijke uitgaven Wmo-maatwerkvoorzieningen; regio",
}
_SERIES = (
    "jeugdzorg_kerncijfers",
    "bevolking",
    "jeugdzorg_kosten",
    "gebieden_in_nederland",
    "kerncijfers_wijken_buurten",
    *toegang.SERIES,
    "gemeentefonds_maatstaven",
    "wmo_uitgaven",
    "iv3",
    "stapeling",
    "wmo_clienten",
    "jeugdzorg_samenloop",
)


@dataclass
class DemolandInfo:
    """What was generated (also written to ``demoland.json``)."""

    out_dir: Path
    seed: int
    n_gemeenten: int
    n_regios: int
    first_year: int
    last_year: int
    full_cube: bool = True
    synthetic: str = SYNTHETIC_NOTICE
    sizes: dict[str, int] = field(default_factory=dict)
    merger_year: int | None = None
    switch_year: int | None = None
    mergers: list[dict] = field(default_factory=list)
    region_switches: list[dict] = field(default_factory=list)
    regions: dict[str, list[dict]] = field(default_factory=dict)
    gemeenten: dict[str, list[dict]] = field(default_factory=dict)  # year -> gemeenten
    spread_region: str = ""
    city: str = ""
    island: str = ""
    trend_break: dict[str, Any] = field(default_factory=dict)
    tables: list[dict] = field(default_factory=list)
    not_generated: list[dict] = field(default_factory=list)
    geo: list[str] = field(default_factory=list)

    def table(self, table_id: str) -> dict:
        """The entry of one generated table."""
        for t in self.tables:
            if t["id"].lower() == table_id.lower():
                return t
        raise KeyError(f"{table_id} was not generated; generated: {[t['id'] for t in self.tables]}")

    def gemeente_codes(self, year: int) -> list[str]:
        return [g["code"] for g in self.gemeenten[str(year)]]

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("out_dir")
        return d


# --------------------------------------------------------------------------------------
# planning
# --------------------------------------------------------------------------------------


def _table_years(t: registry.Table, first: int, last: int) -> list[int]:
    if t.table_year is not None:
        return [t.table_year] if first <= t.table_year <= last else []
    lo = max(first, t.years[0])
    hi = min(last, t.years[1] if t.years[1] is not None else last)
    return list(range(lo, hi + 1))


def _title(t: registry.Table, years: list[int]) -> str:
    if t.id in _TITLES or t.id in toegang.TITLES:
        title = _TITLES.get(t.id) or toegang.TITLES[t.id]
    elif t.reeks == "stapeling":
        title = f"Gebruik voorzieningen sociaal domein; aantal voorzieningen, wijken {years[0]}"
    else:
        title = re.sub(r"\\(.)", r"\1", t.title).strip("^$")
        if t.table_year is not None and str(t.table_year) not in title:
            title = f"{title} {t.table_year}"
    if not re.search(t.title, title, flags=re.IGNORECASE):  # pragma: no cover - guard
        raise AssertionError(f"title {title!r} does not match the registry pattern {t.title!r}")
    return title


def planned_tables(
    first_year: int, last_year: int
) -> tuple[list[tuple[registry.Table, list[int]]], list[dict]]:
    """Build tables of the registry Demoland generates for the years, and the skipped ones."""
    plan: list[tuple[registry.Table, list[int]]] = []
    skipped: list[dict] = []
    for t in registry.tables(build_only=True):
        years = _table_years(t, first_year, last_year)
        if not years:
            continue
        if t.reeks not in _SERIES:
            skipped.append({"id": t.id, "reason": f"no Demoland generator for reeks {t.reeks!r}"})
            continue
        plan.append((t, years))
    return plan, skipped


def _default_modified(t: registry.Table, years: list[int]) -> str:
    y = years[-1]
    if t.reeks in toegang.SERIES:
        return toegang.modified(years)
    return {
        "jeugdzorg_kerncijfers": f"{y + 1}-04-30T02:00:00",
        "bevolking": f"{y}-06-30T02:00:00",
        "jeugdzorg_kosten": f"{y}-11-14T02:00:00",
        "gebieden_in_nederland": f"{y}-02-01T02:00:00",
        "kerncijfers_wijken_buurten": f"{y + 1}-03-26T02:00:00",
        "gemeentefonds_maatstaven": f"{y}-09-20T02:00:00",
        "wmo_uitgaven": f"{y}-11-14T02:00:00",
        "iv3": f"{y + 1}-07-15T02:00:00",
        "stapeling": f"{y + 1}-09-15T02:00:00",
        "wmo_clienten": f"{y + 1}-05-15T02:00:00",
        "jeugdzorg_samenloop": f"{y + 1}-04-30T02:00:00",
    }[t.reeks]


def _writer(
    world: World, model: tb.YouthModel, t: registry.Table, years: list[int]
) -> Callable[..., int]:
    assert t.id is not None
    if t.reeks in toegang.SERIES:
        return toegang.writer(world, t.reeks, t.id, _title(t, years), years)
    if t.reeks == "jeugdzorg_kerncijfers":
        old = t.years[1] is not None

        def write(folder: Path, **kw: Any) -> int:
            return tb.write_youth(
                world, model, t.id, _title(t, years), years, folder, old_style=old, **kw
            )  # type: ignore[arg-type]

        return write
    if t.reeks == "bevolking":
        return lambda folder, **kw: tb.write_population(
            world, t.id, _title(t, years), years, folder, **kw
        )
    if t.reeks == "jeugdzorg_kosten":
        return lambda folder, **kw: tbb.write_costs(
            world, t.id, _title(t, years), years, folder, **kw
        )
    if t.reeks == "wmo_uitgaven":
        return lambda folder, **kw: tbb.write_wmo_uitgaven(
            world, t.id, _title(t, years), years, folder, **kw
        )
    if t.reeks == "iv3":
        return lambda folder, **kw: tbb.write_iv3(
            world, t.id, _title(t, years), years[0], folder, **kw
        )
    if t.reeks == "gemeentefonds_maatstaven":
        return lambda folder, **kw: tbb.write_maatstaven(
            world, t.id, _title(t, years), years[0], folder, **kw
        )
    if t.reeks == "gebieden_in_nederland":
        return lambda folder, **kw: tb.write_gebieden(world, t.id, years[0], folder, **kw)
    if t.reeks == "kerncijfers_wijken_buurten":
        return lambda folder, **kw: tb.write_kwb(world, t.id, years[0], folder, **kw)
    if t.reeks == "stapeling":
        return lambda folder, **kw: stap.write_stapeling(
            world, t.id, _title(t, years), years[0], folder, **kw
        )
    if t.reeks == "wmo_clienten":
        return lambda folder, **kw: stap.write_wmo(
            world, t.id, _title(t, years), years, folder, **kw
        )
    if t.reeks == "jeugdzorg_samenloop":
        return lambda folder, **kw: stap.write_samenloop(
            world, t.id, _title(t, years), years, folder, **kw
        )
    raise AssertionError(t.reeks)  # pragma: no cover


# --------------------------------------------------------------------------------------
# generate / bump
# --------------------------------------------------------------------------------------


def _info(world: World, out_dir: Path, n_gemeenten: int, n_regios: int) -> DemolandInfo:
    gem_by_year: dict[str, list[dict]] = {}
    for y in world.years:
        pop = world.atom_pop(y)
        rows = []
        for g in world.gemeenten_in(y):
            row: dict[str, Any] = {"code": g.code, "naam": g.name}
            for d in DIVISIONS:
                reg = world.gemeente_region(g, d, y)
                row[d] = reg.code
            row["inwoners"] = int(pop[list(g.atoms)].sum())
            rows.append(row)
        gem_by_year[str(y)] = rows
    code_of = {g.atoms[0]: g.code for g in world.gemeenten if len(g.atoms) == 1}
    name_of = {g.code: g.name for g in world.gemeenten}
    switches = []
    for sw in world.switches:
        jz = world.regions["jeugdregio"]
        code = code_of[sw["atom"]]
        switches.append(
            {
                "year": sw["year"],
                "gemeente": code,
                "naam": name_of[code],
                "from": jz[sw["from"]].code,
                "to": jz[sw["to"]].code,
            }
        )
    return DemolandInfo(
        out_dir=out_dir,
        seed=world.seed,
        n_gemeenten=n_gemeenten,
        n_regios=n_regios,
        first_year=world.first_year,
        last_year=world.last_year,
        sizes={
            "gemeenten_first_year": len(world.gemeenten_in(world.first_year)),
            "gemeenten_last_year": len(world.gemeenten_in(world.last_year)),
            **{d: len(world.regions[d]) for d in DIVISIONS},
        },
        merger_year=world.merger_year,
        switch_year=world.switch_year,
        mergers=world.mergers,
        region_switches=switches,
        regions={
            d: [{"code": r.code, "naam": r.name} for r in world.regions[d]] for d in DIVISIONS
        },
        gemeenten=gem_by_year,
        spread_region=world.regions["jeugdregio"][world.spread_region].code,
        city=code_of[world.city],
        island=code_of[world.island],
        trend_break={"year": tb.TREND_BREAK_YEAR, "factor": tb.TREND_BREAK_FACTOR},
    )


def _write_info(info: DemolandInfo) -> None:
    path = info.out_dir / INFO_FILE
    path.write_text(
        json.dumps(info.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def load_info(out_dir: Path) -> DemolandInfo:
    """Read ``demoland.json`` back."""
    data = json.loads((Path(out_dir) / INFO_FILE).read_text(encoding="utf-8"))
    return DemolandInfo(out_dir=Path(out_dir), **data)


def _prepare(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("opendata", "geo"):
        p = out_dir / sub
        if p.exists() and any(p.iterdir()):
            if not (out_dir / INFO_FILE).exists():
                raise FileExistsError(
                    f"{p} exists and is not a Demoland output; refusing to overwrite"
                )
            shutil.rmtree(p)


def generate(
    out_dir: Path,
    *,
    n_gemeenten: int = 40,
    n_regios: int = 4,
    seed: int = 20261123,
    first_year: int = 2015,
    last_year: int = 2025,
    full_cube: bool = True,
) -> DemolandInfo:
    """Write Demoland to ``out_dir`` (see the module docstring); deterministic in the arguments.

    ``n_gemeenten`` is the number of gemeenten in ``first_year``, before the mergers.
    ``full_cube`` (default, as StatLine does) writes a row for every region x period, also for
    gemeente codes that do not exist in that period (all values ``null``); ``False`` leaves
    those rows out.
    """
    out_dir = Path(out_dir)
    world = build_world(
        n_gemeenten=n_gemeenten,
        n_regios=n_regios,
        seed=seed,
        first_year=first_year,
        last_year=last_year,
    )
    _prepare(out_dir)
    info = _info(world, out_dir, n_gemeenten, n_regios)
    info.full_cube = full_cube
    plan, skipped = planned_tables(first_year, last_year)
    info.not_generated = skipped
    model = tb.YouthModel(world)
    for k, (t, years) in enumerate(plan):
        assert t.id is not None
        modified = _default_modified(t, years)
        folder = out_dir / "opendata" / t.id
        n = _writer(world, model, t, years)(
            folder, modified=modified, revision=0, info_id=9000 + k, full_cube=full_cube
        )
        info.tables.append(
            {
                "id": t.id,
                "title": _title(t, years),
                "reeks": t.reeks,
                "years": [years[0], years[-1]],
                "table_year": t.table_year,
                "path": f"opendata/{t.id}",
                "record_count": n,
                "modified": modified,
                "revision": 0,
                "info_id": 9000 + k,
            }
        )
    info.geo = write_geo(world, out_dir)
    tbb.write_rijksbudget(world, out_dir)
    _write_info(info)
    (out_dir / README_FILE).write_text(_readme(info), encoding="utf-8")
    return info


def bump_release(out_dir: Path, table_id: str, *, modified: str) -> None:
    """Simulate a new CBS release of ``table_id``: new ``Modified``, revised provisional cells.

    The table is regenerated with the next revision number: about a quarter of the atoms get
    their provisional figures (or, without provisional periods, those of the last period)
    revised upwards, and every aggregate is recomputed, so the table stays consistent.
    """
    out_dir = Path(out_dir)
    info = load_info(out_dir)
    entry = info.table(table_id)
    world = build_world(
        n_gemeenten=info.n_gemeenten,
        n_regios=info.n_regios,
        seed=info.seed,
        first_year=info.first_year,
        last_year=info.last_year,
    )
    t = registry.table(entry["id"])
    years = list(range(entry["years"][0], entry["years"][1] + 1))
    revision = int(entry.get("revision", 0)) + 1
    model = tb.YouthModel(world)
    folder = out_dir / entry["path"]
    n = _writer(world, model, t, years)(
        folder,
        modified=modified,
        revision=revision,
        info_id=int(entry["info_id"]),
        full_cube=info.full_cube,
    )
    entry.update({"modified": modified, "revision": revision, "record_count": n})
    _write_info(info)


def _readme(info: DemolandInfo) -> str:
    merg = (
        "\n".join(
            f"- {m['year']}: "
            + " + ".join(f"{f['name']} ({f['code']})" for f in m["from"])
            + f" → {m['to']['name']} ({m['to']['code']})"
            for m in info.mergers
        )
        or "- geen"
    )
    sw = (
        "\n".join(
            f"- {s['year']}: {s['naam']} ({s['gemeente']}) van {s['from']} naar {s['to']}"
            for s in info.region_switches
        )
        or "- geen"
    )
    cube = (
        "Zoals in StatLine is elke tabel een volledige kubus: een gemeentecode die in een "
        "periode niet bestaat, heeft een regel met alleen `null`-waarden."
        if info.full_cube
        else "Regels voor gemeentecodes die in een periode niet bestaan, zijn weggelaten."
    )
    tabs = "\n".join(
        f"- `{t['id']}` {t['title']} ({t['years'][0]}–{t['years'][1]})" for t in info.tables
    )
    return f"""# Demoland — SYNTHETISCHE GEGEVENS

**Dit zijn geen CBS-cijfers en geen echte grenzen.** Demoland is een verzonnen land, gemaakt
door `analysis.demo.generate` (seed {info.seed}, {info.n_gemeenten} gemeenten in {info.first_year},
{info.n_regios} jeugdregio's, jaren {info.first_year}–{info.last_year}). De bestanden hebben
precies de vorm van CBS-tabellen (OData v3-dumps zoals `cbsodata.download_data` ze schrijft)
en van de cartomap-grenzen, zodat de hele pijplijn offline getest en gedemonstreerd kan worden.
Elke tabel zegt het zelf ook: `TableInfos.Source` = "Demoland (synthetisch, geen CBS-cijfers)".

## Het verhaal

- Hoofdstad {info.city} ('s-Demohage), één eiland ({info.island}) dat bij een regio op het
  vasteland hoort.
- Herindeling(en):
{merg}
- Wisseling van jeugdregio:
{sw}
- Trendbreuk in de jeugdzorgcijfers: vanaf {info.trend_break.get("year")} ongeveer
  {round((info.trend_break.get("factor", 1) - 1) * 100)} % hoger dan de reeks 2015–2020 doet
  verwachten (84134NED → 85099NED).
- Jeugdregio {info.spread_region} heeft een duidelijk grotere spreiding tussen gemeenten.
- Aantallen jongeren zijn afgerond op vijftallen; minder dan 10 wordt niet gepubliceerd (`null`).
- {cube}

## Tabellen

{tabs}

Grenzen: `geo/<laag>_<jaar>.topojson` voor gemeente, jeugdregio, provincie,
arbeidsmarktregio en veiligheidsregio. Alle details: `{INFO_FILE}`.
"""
