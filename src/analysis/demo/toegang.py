"""Demoland's access tables (chapter "Wachttijden en toegang"), in the CBS shapes:

- 85097NED *Jeugdhulptrajecten in natura; verwijzer, regio (gemeente)*: dimension ``Verwijzer``
  (total and eight referrers), years and half-years; begun trajectories (new / repeated, with /
  without crisis), ended trajectories (volgens plan / voortijdig) and the **average duration of
  ended trajectories in days** (the mean over the trajectories, i.e. weighted by their number);
- 85094NED *Trajecten jeugdzorg in natura; regio (gemeente), op peildatum*: periods are
  reference dates («30 juni 2023», «31 december 2023»);
- 82975NED / 82977NED *Jeugdbeschermings- / Jeugdreclasseringstrajecten; regio*: begun and ended
  trajectories and duration classes of the ended ones, years and half-years («2022 1e halfjaar»).

As in :mod:`analysis.demo.tables`, every count is generated per atom and summed to the regions,
rounded to 5 and suppressed below 10; a duration is published only where its ended trajectories
are. All of it is synthetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.demo import statline as sl
from analysis.demo import tables as tb
from analysis.demo.world import World

_S_TOEGANG = 31

#: (key, title) of the Verwijzer dimension of 85097NED; the first is the total
VERWIJZERS: tuple[tuple[str, str], ...] = (
    ("T001070", "Totaal verwijzers"),
    ("A053701", "Gemeentelijke toegang"),
    ("A053702", "Huisarts"),
    ("A053703", "Jeugdarts"),
    ("A053704", "Gecertificeerde instelling"),
    ("A053705", "Medisch specialist"),
    ("A053706", "Rechter, Officier van Justitie"),
    ("A053707", "Geen verwijzer"),
    ("A053708", "Verwijzer onbekend"),
)
#: mean share of each referrer (after the total) in begun trajectories
_MIX = np.array([0.34, 0.31, 0.05, 0.08, 0.07, 0.02, 0.09, 0.04])
_DUURKLASSEN = ("Korter dan 1 jaar", "1 tot 2 jaar", "2 jaar of langer")


@dataclass
class _Topic:
    title: str
    unit: str
    group: str | None
    values: np.ndarray  # (categories, regions, periods) or (regions, periods)
    decimals: int = 0


def _half_periods(world: World, years: list[int], *, style: str) -> list[tb.Period]:
    """Years and half-years; ``style`` 'cbs85' («1e halfjaar 2023») or 'cbs82' («2023 1e
    halfjaar»)."""
    out = []
    for y in years:
        st = tb.status_of(world, y)
        mk = tb._marker(st)
        out.append(tb.Period(f"{y}JJ00", f"{y}{mk}", st, y, 0))
        for h in (1, 2):
            title = f"{h}e halfjaar {y}{mk}" if style == "cbs85" else f"{y} {h}e halfjaar{mk}"
            out.append(tb.Period(f"{y}HJ0{h}", title, st, y, h))
    return out


def _peildata(world: World, years: list[int]) -> list[tuple[tb.Period, str]]:
    out = []
    for y in years:
        st = tb.status_of(world, y)
        mk = tb._marker(st)
        out.append((tb.Period(f"{y}MM06", f"30 juni {y}{mk}", st, y, 1), "juni"))
        out.append((tb.Period(f"{y}MM12", f"31 december {y}{mk}", st, y, 2), "december"))
    return out


class ToegangModel:
    """Expected counts per atom and year (the half-years split each year)."""

    def __init__(self, world: World) -> None:
        self.world = world
        rng = np.random.default_rng([world.seed, _S_TOEGANG])
        n, years = world.n_atoms, world.years
        self.y17 = np.stack(
            [world.atom_ages[:, world.pop_index(y), :18].sum(axis=1) for y in years], axis=1
        ).astype(float)
        y = np.array(years, dtype=float)
        level = 1 + 0.03 * (y - 2021)
        e = np.exp(rng.normal(0, 0.25, n))
        self.begonnen = self.y17 * 0.055 * e[:, None] * level[None, :]
        self.mix = rng.dirichlet(_MIX * 60, n)  # (n, 8)
        self.nieuw = rng.uniform(0.5, 0.7, n)
        self.crisis = rng.uniform(0.03, 0.14, n)
        self.uit = rng.uniform(0.85, 1.08, (n, len(years)))
        self.plan = rng.uniform(0.55, 0.8, n)
        self.voortijdig = (1 - self.plan) * rng.uniform(0.75, 0.95, n)
        # mean duration in days: differs a lot between atoms (100 to 700 days)
        self.duur = np.exp(rng.normal(np.log(260), 0.45, (n, len(years))))
        self.half = rng.uniform(0.46, 0.54, (n, len(years)))
        self.stock = self.y17 * 0.085 * np.exp(rng.normal(0, 0.2, n))[:, None]
        self.stock_mix = np.array([1.0, 0.90, 0.80, 0.10, 0.08, 0.015])
        self.jb = self.y17 * 0.004 * np.exp(rng.normal(0, 0.3, n))[:, None]
        self.jr = self.y17 * 0.0016 * np.exp(rng.normal(0, 0.35, n))[:, None]
        self.jb_klassen = rng.dirichlet([45, 30, 25], n)
        self.jr_klassen = rng.dirichlet([75, 20, 5], n)
        self.jitter = rng.uniform(0.96, 1.04, (n, len(years), 2))

    def _yi(self, year: int) -> int:
        return year - self.world.first_year

    def share(self, p: tb.Period) -> np.ndarray:
        """Per-atom share of the year in a period (1 for the year itself)."""
        h = self.half[:, self._yi(p.year)]
        return np.ones_like(h) if p.half == 0 else (h if p.half == 1 else 1 - h)


def _stack(mat: np.ndarray, atoms: np.ndarray) -> np.ndarray:
    return mat @ atoms


def _regions(world: World, years: list[int]) -> list[tb.RegionRow]:
    return tb.region_rows(world, years, provinces=False)


def _write(
    folder: Path,
    *,
    table_id: str,
    title: str,
    short_title: str,
    description: str,
    rows: list[tb.RegionRow],
    periods: list[tb.Period],
    topics: list[_Topic],
    extra_dim: tuple[str, str, list[tuple[str, str]]] | None,
    modified: str,
    info_id: int,
    full_cube: bool,
    frequency: str = "Perhalfjaar",
) -> int:
    props = sl.Properties()
    if extra_dim is not None:
        props.dim(extra_dim[0], extra_dim[1], "Dimension")
    props.dim("RegioS", "Regio's", "GeoDimension", "Gemeente volgens het woonplaatsbeginsel.")
    props.dim("Perioden", "Perioden", "TimeDimension")
    groups: dict[str, int] = {}
    keys = []
    for t in topics:
        parent = None
        if t.group is not None:
            if t.group not in groups:
                groups[t.group] = props.group(t.group)
            parent = groups[t.group]
        keys.append(
            props.topic(t.title, "Double" if t.decimals else "Long", t.unit, t.decimals,
                        parent=parent)
        )  # fmt: skip
    ex = tb.exists_grid(rows, periods)
    cats = extra_dim[2] if extra_dim is not None else [("", "")]

    def gen() -> Iterator[tuple]:
        i = 0
        for ci, (ckey, _) in enumerate(cats):
            cols = [
                (t.values[ci] if extra_dim is not None else t.values, t.decimals) for t in topics
            ]
            for ri, reg in enumerate(rows):
                vals = [
                    tb._py(v[ri], as_int=not d, decimals=d or None) for v, d in cols
                ]  # fmt: skip
                for pi, p in enumerate(periods):
                    if not (full_cube or ex[ri, pi]):
                        continue
                    dims = (ckey, reg.key, p.key) if extra_dim is not None else (reg.key, p.key)
                    yield (i, *dims, *(v[pi] for v in vals))
                    i += 1

    dimensions = []
    if extra_dim is not None:
        dimensions.append((extra_dim[0], [sl.dimension_record(k, t) for k, t in extra_dim[2]]))
    dimensions += tb.region_period_dims(rows, periods)
    last = periods[-1]
    infos = dict(
        table_id=table_id,
        info_id=info_id,
        title=title,
        short_title=short_title,
        summary=f"{short_title}\nnaar regio (woonplaatsbeginsel) en periode",
        description=description + " Aantallen zijn afgerond op vijftallen; minder dan 10 "
        "wordt niet gepubliceerd.",
        modified=modified,
        period=f"{periods[0].title} - {last.title}",
        frequency=frequency,
        default_selection=(
            f"$filter=((RegioS eq '{rows[0].key}')) and ((Perioden eq '{last.key}'))"
            f"&$select=RegioS, Perioden, {keys[0]}"
        ),
        default_presentation="ts=1700000000000&graphtype=Table&r=RegioS&k=Topics&t=Perioden",
        first_year=periods[0].year,
    )
    return sl.write_table(folder, infos=infos, props=props, dimensions=dimensions, rows=gen())


def _revisie(world: World, p: tb.Period, periods: list[tb.Period], revision: int) -> np.ndarray:
    """Per-atom factor of release ``revision`` for period ``p`` (1 outside revised periods)."""
    if revision <= 0 or p.key not in tb.revised_periods(periods):
        return np.ones(world.n_atoms)
    return tb.revision_factor(world, revision)


def _pub(x: np.ndarray, exists: np.ndarray) -> np.ndarray:
    return tb.publish(x, exists)


def write_trajecten_verwijzer(
    world: World,
    model: ToegangModel,
    table_id: str,
    title: str,
    years: list[int],
    folder: Path,
    *,
    modified: str,
    revision: int = 0,
    info_id: int,
    full_cube: bool = True,
) -> int:
    """85097NED: begun trajectories by referrer, ended ones and their mean duration."""
    periods = _half_periods(world, years, style="cbs85")
    rows = _regions(world, years)
    n_c, n_r, n_p = len(VERWIJZERS), len(rows), len(periods)
    names = ["begonnen", "nieuw", "herhaald", "crisis", "geen_crisis", "beeindigd", "plan",
             "voortijdig", "totaal", "duur"]  # fmt: skip
    out = {k: np.full((n_c, n_r, n_p), np.nan) for k in names}
    for pi, p in enumerate(periods):
        mat, exists = tb.region_matrix(world, rows, p.year)
        yi = model._yi(p.year)
        sh = model.share(p)
        jit = model.jitter[:, yi, 0] if p.half != 2 else model.jitter[:, yi, 1]
        beg = model.begonnen[:, yi] * sh * _revisie(world, p, periods, revision)
        per_v = np.column_stack([beg, beg[:, None] * model.mix])  # (atoms, C)
        end = beg * model.uit[:, yi] * jit
        duur = model.duur[:, yi] * (1.0 if p.half == 0 else jit)
        for ci in range(n_c):
            b = np.floor(per_v[:, ci] + 0.5)
            f = b / np.maximum(beg, 1e-9)  # this referrer's fraction of the atom's starts
            e = np.floor(end * f + 0.5)
            parts = {
                "begonnen": b,
                "nieuw": np.floor(b * model.nieuw + 0.5),
                "crisis": np.floor(b * model.crisis + 0.5),
                "beeindigd": e,
                "plan": np.floor(e * model.plan + 0.5),
                "voortijdig": np.floor(e * model.voortijdig + 0.5),
                "totaal": np.floor(b + model.stock[:, yi] * f * 0.9 + 0.5),
            }
            parts["herhaald"] = parts["begonnen"] - parts["nieuw"]
            parts["geen_crisis"] = parts["begonnen"] - parts["crisis"]
            for k, v in parts.items():
                out[k][ci, :, pi] = _pub(_stack(mat, v), exists)
            e_reg = _stack(mat, e)
            d_reg = _stack(mat, e * duur) / np.where(e_reg > 0, e_reg, np.nan)
            d_reg = np.round(d_reg)
            d_reg[np.isnan(out["beeindigd"][ci, :, pi])] = np.nan  # only with its weight
            out["duur"][ci, :, pi] = d_reg
    topics = [
        _Topic("Totaal trajecten", "aantal", None, out["totaal"]),
        _Topic("Totaal begonnen trajecten", "aantal", "Begonnen trajecten", out["begonnen"]),
        _Topic("Nieuw traject", "aantal", "Begonnen trajecten", out["nieuw"]),
        _Topic("Herhaald beroep", "aantal", "Begonnen trajecten", out["herhaald"]),
        _Topic("Gestart met crisis", "aantal", "Begonnen trajecten", out["crisis"]),
        _Topic("Niet gestart met crisis", "aantal", "Begonnen trajecten", out["geen_crisis"]),
        _Topic("Totaal beëindigde trajecten", "aantal", "Beëindigde trajecten", out["beeindigd"]),
        _Topic("Volgens plan", "aantal", "Beëindigde trajecten", out["plan"]),
        _Topic("Voortijdig afgesloten", "aantal", "Beëindigde trajecten", out["voortijdig"]),
        _Topic(
            "Gemiddelde duur beëindigde trajecten", "dagen", "Beëindigde trajecten", out["duur"]
        ),
    ]
    return _write(
        folder,
        table_id=table_id,
        title=title,
        short_title="Jeugdhulptrajecten; verwijzer",
        description="Deze tabel bevat begonnen en beëindigde jeugdhulptrajecten in natura per "
        "gemeente, naar verwijzer, en de gemiddelde duur van de beëindigde trajecten in dagen "
        "(het gemiddelde over de trajecten). Dat is geen wachttijd.",
        rows=rows,
        periods=periods,
        topics=topics,
        extra_dim=("Verwijzer", "Verwijzer", list(VERWIJZERS)),
        modified=modified,
        info_id=info_id,
        full_cube=full_cube,
    )


def write_trajecten_peildatum(
    world: World,
    model: ToegangModel,
    table_id: str,
    title: str,
    years: list[int],
    folder: Path,
    *,
    modified: str,
    revision: int = 0,
    info_id: int,
    full_cube: bool = True,
) -> int:
    """85094NED: trajectories in natura on 30 June and 31 December, by form."""
    pairs = _peildata(world, years)
    periods = [p for p, _ in pairs]
    rows = _regions(world, years)
    titles = ("Totaal jeugdzorgtrajecten in natura", "Totaal jeugdhulptrajecten",
              "Jeugdhulp zonder verblijf", "Jeugdhulp met verblijf",
              "Totaal jeugdbeschermingstrajecten", "Totaal jeugdreclasseringstrajecten")  # fmt: skip
    vals = np.full((len(titles), len(rows), len(periods)), np.nan)
    for pi, p in enumerate(periods):
        mat, exists = tb.region_matrix(world, rows, p.year)
        yi = model._yi(p.year)
        base = model.stock[:, yi] * model.jitter[:, yi, p.half - 1]
        base = base * _revisie(world, p, periods, revision)
        for ti in range(len(titles)):
            vals[ti, :, pi] = _pub(_stack(mat, np.floor(base * model.stock_mix[ti] + 0.5)), exists)
    topics = [_Topic(t, "aantal", None, vals[i]) for i, t in enumerate(titles)]
    return _write(
        folder,
        table_id=table_id,
        title=title,
        short_title="Trajecten jeugdzorg op peildatum",
        description="Deze tabel bevat het aantal lopende jeugdzorgtrajecten in natura op de "
        "peildatum (30 juni en 31 december), naar vorm.",
        rows=rows,
        periods=periods,
        topics=topics,
        extra_dim=None,
        modified=modified,
        info_id=info_id,
        full_cube=full_cube,
    )


def write_jb_jr(
    world: World,
    model: ToegangModel,
    table_id: str,
    title: str,
    years: list[int],
    folder: Path,
    *,
    soort: str,
    modified: str,
    revision: int = 0,
    info_id: int,
    full_cube: bool = True,
) -> int:
    """82975NED (``soort='jb'``) or 82977NED (``'jr'``): begun, ended, duration classes."""
    periods = _half_periods(world, years, style="cbs82")
    rows = _regions(world, years)
    base = model.jb if soort == "jb" else model.jr
    klassen = model.jb_klassen if soort == "jb" else model.jr_klassen
    vals = np.full((2 + len(_DUURKLASSEN), len(rows), len(periods)), np.nan)
    for pi, p in enumerate(periods):
        mat, exists = tb.region_matrix(world, rows, p.year)
        yi = model._yi(p.year)
        b = base[:, yi] * model.share(p) * _revisie(world, p, periods, revision)
        e = b * model.uit[:, yi]
        parts = [np.floor(b + 0.5), np.floor(e + 0.5)]
        parts += [np.floor(e * klassen[:, k] + 0.5) for k in range(len(_DUURKLASSEN))]
        for k, v in enumerate(parts):
            vals[k, :, pi] = _pub(_stack(mat, v), exists)
    topics = [
        _Topic("Totaal begonnen trajecten", "aantal", "Begonnen trajecten", vals[0]),
        _Topic("Totaal beëindigde trajecten", "aantal", "Beëindigde trajecten", vals[1]),
    ]
    topics += [
        _Topic(t, "aantal", "Duur beëindigde trajecten", vals[2 + k])
        for k, t in enumerate(_DUURKLASSEN)
    ]
    naam = "Jeugdbeschermingstrajecten" if soort == "jb" else "Jeugdreclasseringstrajecten"
    return _write(
        folder,
        table_id=table_id,
        title=title,
        short_title=naam,
        description=f"Deze tabel bevat begonnen en beëindigde {naam.lower()} per gemeente en "
        "de duur van de beëindigde trajecten in klassen.",
        rows=rows,
        periods=periods,
        topics=topics,
        extra_dim=None,
        modified=modified,
        info_id=info_id,
        full_cube=full_cube,
    )


# --------------------------------------------------------------------------------------
# the generator's hook
# --------------------------------------------------------------------------------------

#: registry series generated here
SERIES = (
    "jeugdhulp_trajecten",
    "jeugdzorg_trajecten_peildatum",
    "jeugdbescherming_trajecten",
    "jeugdreclassering_trajecten",
)
#: full CBS titles (the registry holds patterns)
TITLES = {
    "85097NED": "Jeugdhulptrajecten in natura; verwijzer, regio (gemeente)",
    "85094NED": "Trajecten jeugdzorg in natura; regio (gemeente), op peildatum",
    "82975NED": "Jeugdbeschermingstrajecten; regio",
    "82977NED": "Jeugdreclasseringstrajecten; regio",
}


def modified(years: list[int]) -> str:
    """Release date of a Demoland access table (after the last year, like 85099NED)."""
    return f"{years[-1] + 1}-04-30T02:00:00"


def writer(world: World, series: str, table_id: str, title: str, years: list[int]):
    """The write function (``folder, **kw``) of one access table."""
    model = ToegangModel(world)
    if series == "jeugdhulp_trajecten":
        fn, extra = write_trajecten_verwijzer, {}
    elif series == "jeugdzorg_trajecten_peildatum":
        fn, extra = write_trajecten_peildatum, {}
    elif series in ("jeugdbescherming_trajecten", "jeugdreclassering_trajecten"):
        fn = write_jb_jr
        extra = {"soort": "jb" if series == "jeugdbescherming_trajecten" else "jr"}
    else:
        raise KeyError(f"no Demoland access table for series {series!r}; valid: {SERIES}")
    return lambda folder, **kw: fn(world, model, table_id, title, years, folder, **extra, **kw)
