"""Pieces shared by Demoland's CBS tables: periods, region rows, rounding and
suppression, revisions, and the households per atom."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from analysis.demo import statline as sl
from analysis.demo.names import ascii_fold, sort_name
from analysis.demo.world import Gemeente, World
from analysis.metadata.regions import NEDERLAND

ROUND_TO = 5
SUPPRESS_BELOW = 10
TREND_BREAK_YEAR = 2021
TREND_BREAK_FACTOR = 1.12
PROVISIONAL_FACTOR = {"Voorlopig": 0.955, "Nader voorlopig": 0.985, "Definitief": 1.0}

_S_YOUTH, _S_COST, _S_REVISION = 20, 21, 22


# --------------------------------------------------------------------------------------
# common pieces
# --------------------------------------------------------------------------------------


def status_of(world: World, year: int) -> str:
    """Voorlopig for the last year, nader voorlopig for the year before, else definitief."""
    if year >= world.last_year:
        return "Voorlopig"
    if year == world.last_year - 1:
        return "Nader voorlopig"
    return "Definitief"


def _marker(status: str) -> str:
    return {"Voorlopig": "*", "Nader voorlopig": "**"}.get(status, "")


@dataclass(frozen=True)
class Period:
    key: str
    title: str
    status: str
    year: int
    half: int  # 0 = whole year, 1 / 2 = half-year


def year_periods(world: World, years: list[int], *, provisional: bool = True) -> list[Period]:
    out = []
    for y in years:
        st = status_of(world, y) if provisional else "Definitief"
        out.append(Period(f"{y}JJ00", f"{y}{_marker(st)}", st, y, 0))
    return out


def youth_periods(world: World, years: list[int]) -> list[Period]:
    out = []
    for y in years:
        st = status_of(world, y)
        mk = _marker(st)
        out.append(Period(f"{y}JJ00", f"{y}{mk}", st, y, 0))
        out.append(Period(f"{y}HJ01", f"1e halfjaar {y}{mk}", st, y, 1))
        out.append(Period(f"{y}HJ02", f"2e halfjaar {y}{mk}", st, y, 2))
    return out


@dataclass(frozen=True)
class RegionRow:
    kind: str  # "NL", "PV", "GM"
    code: str
    title: str
    description: str
    gemeente: Gemeente | None = None
    index: int = -1  # province index for PV rows

    @property
    def key(self) -> str:
        return sl.pad(self.code)


def _merger_text(world: World, g: Gemeente) -> str:
    for mg in world.mergers:
        olds = [f["code"] for f in mg["from"]]
        if g.code == mg["to"]["code"]:
            parts = ", ".join(f"{f['name']} ({f['code']})" for f in mg["from"])
            return f"Per 1 januari {mg['year']} ontstaan uit de samenvoeging van {parts}."
        if g.code in olds:
            return (
                f"Per 1 januari {mg['year']} opgeheven; samengevoegd tot de nieuwe gemeente "
                f"{mg['to']['name']} ({mg['to']['code']})."
            )
    return ""


def cbs_order(gemeenten: Iterable[Gemeente]) -> list[Gemeente]:
    """Gemeenten in CBS's order: by sort name (accents folded, case-insensitive), then code."""
    return sorted(gemeenten, key=lambda g: (ascii_fold(sort_name(g.name)).casefold(), g.code))


def region_rows(
    world: World, years: list[int], *, country: str = NEDERLAND, provinces: bool = True
) -> list[RegionRow]:
    """Country, provinces (``(PV)`` titles) and every gemeente existing in one of ``years``."""
    rows = [RegionRow("NL", country, "Demoland", "Demoland (synthetisch land)")]
    if provinces:
        for i, pv in enumerate(world.regions["provincie"]):
            rows.append(RegionRow("PV", pv.code, f"{pv.name} (PV)", "", index=i))
    for g in cbs_order(world.codes_ever(years)):
        rows.append(RegionRow("GM", g.code, g.name, _merger_text(world, g), gemeente=g))
    return rows


def region_matrix(world: World, rows: list[RegionRow], year: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows x atoms) 0/1 matrix for ``year`` and a mask of rows that exist in that year."""
    mat = np.zeros((len(rows), world.n_atoms))
    exists = np.ones(len(rows), dtype=bool)
    pv = world.member["provincie"]
    for i, r in enumerate(rows):
        if r.kind == "NL":
            mat[i, :] = 1
        elif r.kind == "PV":
            mat[i, pv == r.index] = 1
        elif r.gemeente is not None and r.gemeente.exists(year):
            mat[i, list(r.gemeente.atoms)] = 1
        else:
            exists[i] = False
    return mat, exists


def exists_grid(rows: list[RegionRow], periods: list[Period]) -> np.ndarray:
    """(rows x periods): does the region exist in the period's classification year?"""
    return np.array(
        [[r.gemeente is None or r.gemeente.exists(p.year) for p in periods] for r in rows],
        dtype=bool,
    )


def region_dim(rows: list[RegionRow]) -> list[dict]:
    return [sl.dimension_record(r.key, r.title, r.description) for r in rows]


def region_period_dims(
    rows: list[RegionRow], periods: list[Period], region_key: str = "RegioS"
) -> list[tuple[str, list[dict]]]:
    """The region and ``Perioden`` dimensions of a table over ``rows`` x ``periods``."""
    return [
        (region_key, region_dim(rows)),
        ("Perioden", [sl.period_record(p.key, p.title, p.status) for p in periods]),
    ]


def _round5(x: np.ndarray) -> np.ndarray:
    return ROUND_TO * np.floor(x / ROUND_TO + 0.5)


def publish(true: np.ndarray, exists: np.ndarray | None = None) -> np.ndarray:
    """Rounded to 5, NaN when the true count is below 10 (or the region doesn't exist)."""
    out = _round5(true.astype(float))
    out[true < SUPPRESS_BELOW] = np.nan
    if exists is not None:
        out[~exists] = np.nan  # rows (first axis) of regions that don't exist
    return out


def _py(values: np.ndarray, *, as_int: bool = True, decimals: int | None = None) -> list:
    out: list = []
    for v in values.tolist():
        if v is None or v != v:
            out.append(None)
        elif as_int:
            out.append(int(v))
        else:
            out.append(round(float(v), decimals) if decimals is not None else float(v))
    return out


def revision_mask(world: World, revision: int) -> np.ndarray:
    """Atoms whose provisional figures are revised in release ``revision`` (~25 %)."""
    if revision <= 0:
        return np.zeros(world.n_atoms, dtype=bool)
    rng = np.random.default_rng([world.seed, _S_REVISION, revision])
    return rng.random(world.n_atoms) < 0.25


def revised_periods(periods: list[Period]) -> set[str]:
    """Keys revised by a new release: the provisional ones, else the last period."""
    prov = {p.key for p in periods if p.status != "Definitief"}
    return prov or ({periods[-1].key} if periods else set())


def revision_factor(world: World, revision: int) -> np.ndarray:
    """Per-atom multiplier applied to the revised periods of release ``revision``."""
    f = np.ones(world.n_atoms)
    for k in range(1, revision + 1):
        f[revision_mask(world, k)] *= 1.035
    return f


def revised_counts(
    world: World, counts: np.ndarray, revision: int, factor: np.ndarray | None = None
) -> np.ndarray:
    """``counts`` per atom (first axis) as release ``revision`` publishes them: the revised
    atoms moved by 5 % of their :func:`revision_factor` (``factor``, when already computed),
    rounded half up."""
    f = revision_factor(world, revision) if factor is None else factor
    f = f.reshape(f.shape + (1,) * (counts.ndim - 1))
    return np.floor(counts * (1 + (f - 1) * 0.05) + 0.5)


def _pad_name(name: str) -> str:
    return name.ljust(40)


#: seed stream of the stapeling tables (analysis.demo.stapeling), shared with the households
S_STAPELING = 40


def atom_huishoudens(world: World, year: int) -> np.ndarray:
    """Particuliere huishoudens per atom on 1 January (average size 2.1–2.3 persons): the KWB
    household count and the stapeling denominator of Demoland."""
    size = np.random.default_rng([world.seed, S_STAPELING, 0]).uniform(2.1, 2.3, world.n_atoms)
    return np.floor(world.atom_pop(year) / size + 0.5)
