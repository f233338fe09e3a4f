"""Demoland's stapeling, Wmo and youth-care overlap tables, in the shapes of the CBS tables.

* «Gebruik voorzieningen sociaal domein; aantal voorzieningen, wijken <jaar>», one table per
  year (none for 2020: the registry records that year as unknown). Dimensions
  AantalVoorzieningen (Totaal, 1 … 4, «5 of meer maatwerkvoorzieningen»; 2015: «… maatwerk-
  arrangement(en)»), SoortVoorzieningSociaalDomein (Totaal and the seven exclusive
  combinations; absent in 2015, as at CBS), a region dimension (``Wijken``; ``RegioS`` in
  2015) holding Nederland, every gemeente row (``SoortRegio`` «Gemeente», ``Codering`` GM…)
  followed by its wijk rows (``WK`` + gemeente code + number), and Perioden (year and
  half-years). Topics: Gemeentenaam, Soort regio, Codering, Indelingswijziging wijken, and
  «Cliënten met voorzieningen» / «Huishoudens met voorzieningen» under the groups «Absoluut»
  and «Relatief» (per 1 000 inwoners / huishoudens).
* Wmo clients 83262NED, 85043NED and 85896NED (Geslacht × Kenmerken × Type × RegioS ×
  Perioden; Wmo-cliënten and per 1 000 inwoners); the sex and age breakdown for the country
  row only.
* 85101NED «Jongeren met één of meerdere vormen van jeugdzorg»: four wel/geen dimensions; the
  half-years for the country row only.

To keep Demoland light (342 gemeenten give ~850 regions a year), two parts of StatLine's full
cube are left out, as 03759ned keeps its breakdowns for the country row only: the cross cells
«k voorzieningen» × one combination (the build and the reports use the margins: Totaal × each
combination and each k × Totaal) and the half-years of the wijk rows (gemeente and country rows
have the year and both half-years).

Every figure is generated per wijk (an atom of the world, split in a few wijken, one of them
sometimes a tiny «buitengebied») and summed to gemeente and country; counts are rounded to 5
and suppressed below 10, so a small wijk and a rare combination show as ``null`` and the sum
of the wijken differs from the gemeente row, as in CBS's tables. A gemeente that merges keeps
its wijk codes until the merger; from then on its wijken carry the new gemeente's code.
Nothing here is CBS data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.demo import statline as sl
from analysis.demo import tables as tb
from analysis.demo.tables import atom_huishoudens  # noqa: F401 - the households of Demoland
from analysis.demo.world import Gemeente, World
from analysis.metadata.regions import NEDERLAND, NEDERLAND_NAAM
from analysis.registry import JEUGDZORG_SAMENLOOP

_S_STAPELING = tb.S_STAPELING
WIDTH = 8  # CBS pads the keys of the Wijken dimension to 8

#: SoortVoorzieningSociaalDomein: (title, base share among user households)
SOORTEN = (
    ("Alleen Jeugd", 0.16),
    ("Alleen P-wet", 0.19),
    ("Alleen Wmo", 0.52),
    ("Jeugd en P-wet", 0.03),
    ("Jeugd en Wmo", 0.03),
    ("P-wet en Wmo", 0.05),
    ("Jeugd, P-wet en Wmo", 0.02),
)
#: share of user households with 1, 2, 3, 4, 5+ provisions
KLASSEN = (0.66, 0.21, 0.08, 0.03, 0.02)
#: half-year figures relative to the year (fewer households use a provision in half a year)
HALF = {0: 1.0, 1: 0.86, 2: 0.87}
_WIJKNAMEN = ("Centrum", "Noord", "Oost", "Zuid", "West", "Dorp", "Haven", "Molenwijk")


@dataclass(frozen=True)
class Wijk:
    code: str
    naam: str
    atom: int
    aandeel: float  # share of the atom


def wijken_van(g: Gemeente) -> list[Wijk]:
    """The wijken of gemeente ``g``: a wijk per atom, the atoms with an even index also a tiny
    «buitengebied» (1 %); numbered per gemeente, so they renumber when gemeenten merge."""
    out: list[Wijk] = []
    for a in sorted(g.atoms):
        parts = [(1.0, "")] if a % 2 else [(0.99, ""), (0.01, "Buitengebied ")]
        for share, prefix in parts:
            n = len(out)
            naam = f"Wijk {n:02d} {prefix}{_WIJKNAMEN[a % len(_WIJKNAMEN)]}"
            out.append(Wijk(f"WK{g.code[2:6]}{n:02d}", naam, a, share))
    return out


class Model:
    """Per-atom use of provisions (deterministic in the world's seed)."""

    def __init__(self, world: World) -> None:
        rng = np.random.default_rng([world.seed, _S_STAPELING, 1])
        n = world.n_atoms
        self.world = world
        self.gebruik = 0.15 * np.exp(rng.normal(0, 0.18, n))  # households with a provision
        base = np.array([s for _, s in SOORTEN])
        self.soort = rng.dirichlet(base * 120, n)  # (atoms, 7)
        self.klasse = rng.dirichlet(np.array(KLASSEN) * 150, n)  # (atoms, 5)
        self.per_huishouden = rng.uniform(1.15, 1.30, n)  # clients per household
        self.wmo = 0.058 * np.exp(rng.normal(0, 0.15, n))  # Wmo clients per inwoner
        self.jeugd = 0.095 * np.exp(rng.normal(0, 0.12, n))  # youth with jeugdzorg per 0-17

    def groei(self, year: int) -> float:
        return 1.025 ** (year - 2015)


# --------------------------------------------------------------------------------------
# stapeling year tables
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Regio:
    key: str
    title: str
    soort: str  # "Land", "Gemeente", "Wijk"
    gemeente: str  # name of the gemeente ("" for the country)
    weights: np.ndarray  # per atom


def _regio_rijen(world: World, year: int, width: int = WIDTH) -> list[_Regio]:
    n = world.n_atoms
    rows = [_Regio(sl.pad(NEDERLAND, width), NEDERLAND_NAAM, "Land", "", np.ones(n))]
    for g in tb.cbs_order(world.gemeenten_in(year)):
        w = np.zeros(n)
        w[list(g.atoms)] = 1.0
        rows.append(_Regio(sl.pad(g.code, width), g.name, "Gemeente", g.name, w))
        for wk in wijken_van(g):
            w = np.zeros(n)
            w[wk.atom] = wk.aandeel
            rows.append(_Regio(sl.pad(wk.code, width), wk.naam, "Wijk", g.name, w))
    return rows


def write_stapeling(
    world: World,
    table_id: str,
    title: str,
    year: int,
    folder: Path,
    *,
    modified: str,
    revision: int,  # noqa: ARG001 - one published year, no revisions
    info_id: int,
    full_cube: bool = True,  # noqa: ARG001 - one classification year
) -> int:
    """One stapeling year table (see the module docstring)."""
    m = Model(world)
    eerste = year == 2015
    # 2015 has a RegioS dimension (keys padded to 10 like other RegioS), later years Wijken (8)
    regios = _regio_rijen(world, year, sl.REGION_WIDTH if eerste else WIDTH)
    periods = tb.youth_periods(world, [year])
    hh = atom_huishoudens(world, year)
    pop = world.atom_pop(year).astype(float)
    users = hh * m.gebruik * m.groei(year)  # per atom, whole year
    W = np.array([r.weights for r in regios])  # (regions, atoms)
    woord = "maatwerkarrangement" if eerste else "maatwerkvoorziening"
    aantal = [("T001", "Totaal")] + [
        (f"A{k}", f"{k} {woord}{'en' if k > 1 else ''}" if k < 5 else f"5 of meer {woord}en")
        for k in range(1, 6)
    ]
    soorten = [("T001", "Totaal")] + [(f"S{i + 1:03d}", t) for i, (t, _) in enumerate(SOORTEN)]
    if eerste:
        soorten = soorten[:1]

    props = sl.Properties()
    props.dim("AantalVoorzieningen", "Aantal voorzieningen", "Dimension")
    if not eerste:
        props.dim("SoortVoorzieningSociaalDomein", "Soort voorziening sociaal domein", "Dimension")
    rdim = "RegioS" if eerste else "Wijken"
    props.dim(rdim, "Regio's" if eerste else "Wijken", "GeoDimension")
    props.dim("Perioden", "Perioden", "TimeDimension")
    props.topic("Gemeentenaam", "String", "", 0, stem="Gemeentenaam", default="Impossible")
    props.topic("Soort regio", "String", "", 0, stem="SoortRegio", default="Impossible")
    props.topic("Codering", "String", "", 0, stem="Codering", default="Impossible")
    props.topic(
        "Indelingswijziging wijken en buurten", "String", "", 0,
        stem="IndelingswijzigingWijken" if not eerste else "IndelingswijzeWijken",
    )  # fmt: skip
    g_abs = props.group("Absoluut")
    props.topic("Cliënten met voorzieningen", "Long", "aantal", 0, parent=g_abs,
                stem="ClientenMetVoorzieningen")  # fmt: skip
    props.topic("Huishoudens met voorzieningen", "Long", "aantal", 0, parent=g_abs,
                stem="HuishoudensMetVoorzieningen")  # fmt: skip
    g_rel = props.group("Relatief")
    props.topic("Cliënten met voorzieningen", "Long", "per 1 000 inwoners", 0, parent=g_rel,
                stem="ClientenMetVoorzieningen")  # fmt: skip
    props.topic("Huishoudens met voorzieningen", "Long", "per 1 000 huishoudens", 0,
                parent=g_rel, stem="HuishoudensMetVoorzieningen")  # fmt: skip

    hh_reg = W @ hh
    pop_reg = W @ pop

    def cells(ai: int, si: int, p: tb.Period) -> tuple[np.ndarray, np.ndarray]:
        """True households and clients per region for one Aantal x Soort cell."""
        share = np.ones(world.n_atoms)
        if ai > 0:
            share = share * m.klasse[:, ai - 1]
        if si > 0:
            share = share * m.soort[:, si - 1]
        h = users * share * HALF[p.half]
        return W @ h, W @ (h * m.per_huishouden)

    def gen() -> Iterator[tuple]:
        i = 0
        for ai, (akey, _) in enumerate(aantal):
            for si, (skey, _) in enumerate(soorten):
                if ai and si:
                    continue  # cross cells (k provisions x one combination): left out, see above
                for p in periods:
                    h_true, c_true = cells(ai, si, p)
                    h_pub, c_pub = tb.publish(h_true), tb.publish(c_true)
                    h_rel = np.floor(h_true / np.maximum(hh_reg, 1) * 1000 + 0.5)
                    c_rel = np.floor(c_true / np.maximum(pop_reg, 1) * 1000 + 0.5)
                    h_rel[np.isnan(h_pub)] = np.nan
                    c_rel[np.isnan(c_pub)] = np.nan
                    vals = [tb._py(v) for v in (c_pub, h_pub, c_rel, h_rel)]
                    for ri, r in enumerate(regios):
                        if r.soort == "Wijk" and p.half:
                            continue  # wijken: the year only (see the module docstring)
                        dims = (akey,) if eerste else (akey, skey)
                        wijziging = "1" if r.soort != "Land" else "."
                        yield (
                            i, *dims, r.key, p.key,
                            f"{r.gemeente:<40}", f"{r.soort:<9}", r.key, wijziging,
                            *(v[ri] for v in vals),
                        )  # fmt: skip
                        i += 1

    dims = [("AantalVoorzieningen", [sl.dimension_record(k, t) for k, t in aantal])]
    if not eerste:
        dims.append(
            ("SoortVoorzieningSociaalDomein", [sl.dimension_record(k, t) for k, t in soorten])
        )
    dims.append((rdim, [sl.dimension_record(r.key, r.title) for r in regios]))
    dims.append(("Perioden", [sl.period_record(p.key, p.title, p.status) for p in periods]))
    infos = dict(
        table_id=table_id,
        info_id=info_id,
        title=title,
        short_title=f"Voorzieningen sociaal domein wijken {year}",
        summary="Cliënten en huishoudens met voorzieningen uit de Jeugdwet, Wmo en "
        "Participatiewet\nnaar aantal en soort voorziening, per gemeente en wijk",
        description="Aantallen afgerond op vijftallen; kleine aantallen onderdrukt. Een "
        "gemeente die niet deelneemt heeft lege cellen.",
        modified=modified,
        period=str(year),
        frequency="Perjaar",
        default_selection=f"$filter=(({rdim} eq '{regios[0].key}'))",
        default_presentation="ts=1700000000000&graphtype=Table&r=Wijken&k=Topics&t=Perioden",
        first_year=year,
    )
    return sl.write_table(folder, infos=infos, props=props, dimensions=dims, rows=gen())


# --------------------------------------------------------------------------------------
# Wmo clients
# --------------------------------------------------------------------------------------

_GESLACHT = (("T001038", "Totaal mannen en vrouwen", 1.0), ("3000", "Mannen", 0.38),
             ("4000", "Vrouwen", 0.62))  # fmt: skip
_KENMERKEN = (("10000", "Totaal personen", 1.0), ("53105", "Jonger dan 65 jaar", 0.42),
              ("53925", "65 jaar of ouder", 0.58))  # fmt: skip


def write_wmo(
    world: World,
    table_id: str,
    title: str,
    years: list[int],
    folder: Path,
    *,
    modified: str,
    revision: int,  # noqa: ARG001
    info_id: int,
    full_cube: bool = True,
) -> int:
    """One Wmo-clients table (83262NED: «maatwerkarrangement»; the others «maatwerkvoorziening»)."""
    m = Model(world)
    oud = table_id == "83262NED"
    tdim = "TypeMaatwerkarrangement" if oud else "TypeMaatwerkvoorziening"
    types = (("T001", "Totaal", 1.0), ("A001", "Hulp bij het huishouden", 0.45),
             ("A002", "Ondersteuning thuis, totaal", 0.38))  # fmt: skip
    periods = tb.youth_periods(world, years)
    rows = tb.region_rows(world, years, provinces=False)
    ex = tb.exists_grid(rows, periods)
    props = sl.Properties()
    props.dim("Geslacht", "Geslacht", "Dimension")
    props.dim("KenmerkenVanPersonen", "Kenmerken van personen", "Dimension")
    props.dim(tdim, "Type maatwerk" + ("arrangement" if oud else "voorziening"), "Dimension")
    props.dim("RegioS", "Regio's", "GeoDimension")
    props.dim("Perioden", "Perioden", "TimeDimension")
    props.topic("Wmo-cliënten", "Long", "aantal", 0, stem="WmoClienten")
    props.topic("Wmo-cliënten per 1 000 inwoners", "Long", "per 1 000 inwoners", 0,
                stem="WmoClientenPer1000Inwoners")  # fmt: skip
    grids = []
    for p in periods:
        mat, exists = tb.region_matrix(world, rows, p.year)
        pop = world.atom_pop(p.year).astype(float)
        clients = mat @ (pop * m.wmo * m.groei(p.year) * (0.9 if p.half else 1.0))
        grids.append((clients, mat @ pop, exists))

    def gen() -> Iterator[tuple]:
        i = 0
        for gkey, _, gs in _GESLACHT:
            for kkey, _, ks in _KENMERKEN:
                for tkey, _, ts in types:
                    for ri, r in enumerate(rows):
                        if r.kind != "NL" and (gs, ks) != (1.0, 1.0):
                            continue  # sex and age breakdown for the country row only
                        for pi, p in enumerate(periods):
                            if not (full_cube or ex[ri, pi]):
                                continue
                            clients, pop, exists = grids[pi]
                            true = clients[ri] * gs * ks * ts
                            pub = tb.publish(np.array([true]))[0]
                            if not exists[ri]:
                                pub = np.nan
                            rel = np.nan if np.isnan(pub) else np.floor(true / pop[ri] * 1000 + 0.5)
                            yield (i, sl.pad(gkey, 7), sl.pad(kkey, 5), tkey, r.key, p.key,
                                   *tb._py(np.array([pub, rel])))  # fmt: skip
                            i += 1

    infos = dict(
        table_id=table_id,
        info_id=info_id,
        title=title,
        short_title="Wmo-cliënten",
        summary="Personen met een Wmo-maatwerkvoorziening\nnaar type en persoonskenmerken",
        description="Aantallen afgerond op vijftallen; kleine aantallen onderdrukt.",
        modified=modified,
        period=f"{years[0]} - {years[-1]}",
        frequency="Perhalfjaar",
        default_selection=f"$filter=((RegioS eq '{rows[0].key}'))",
        default_presentation="ts=1700000000000&graphtype=Table&r=RegioS&k=Topics&t=Perioden",
        first_year=years[0],
    )
    return sl.write_table(
        folder,
        infos=infos,
        props=props,
        dimensions=[
            ("Geslacht", [sl.dimension_record(sl.pad(k, 7), t) for k, t, _ in _GESLACHT]),
            (
                "KenmerkenVanPersonen",
                [sl.dimension_record(sl.pad(k, 5), t) for k, t, _ in _KENMERKEN],
            ),
            (tdim, [sl.dimension_record(k, t) for k, t, _ in types]),
            *tb.region_period_dims(rows, periods),
        ],
        rows=gen(),
    )


# --------------------------------------------------------------------------------------
# 85101NED: overlap within youth care
# --------------------------------------------------------------------------------------

#: share of youngsters with jeugdzorg per (pgb, natura, JB, JR) combination (wel = True)
_SAMENLOOP = {
    (False, True, False, False): 0.77,
    (True, False, False, False): 0.07,
    (True, True, False, False): 0.03,
    (False, True, True, False): 0.055,
    (False, True, False, True): 0.015,
    (False, True, True, True): 0.004,
    (False, False, True, False): 0.035,
    (False, False, False, True): 0.018,
    (False, False, True, True): 0.003,
}  # the other combinations with a pgb: 0 (published as 0)


def write_samenloop(
    world: World,
    table_id: str,
    title: str,
    years: list[int],
    folder: Path,
    *,
    modified: str,
    revision: int,  # noqa: ARG001
    info_id: int,
    full_cube: bool = True,
) -> int:
    """85101NED with four wel/geen dimensions (the all-«geen» cell is empty, as it must be)."""
    assert len(JEUGDZORG_SAMENLOOP) == 8  # the registry sums the pgb dimension
    m = Model(world)
    periods = tb.youth_periods(world, years)
    rows = tb.region_rows(world, years, provinces=False)
    ex = tb.exists_grid(rows, periods)
    dims = (
        ("JeugdPgb", "Jeugd-pgb", "jeugd-pgb"),
        ("JeugdhulpInNatura", "Jeugdhulp in natura", "jeugdhulp in natura"),
        ("Jeugdbescherming", "Jeugdbescherming", "jeugdbescherming"),
        ("Jeugdreclassering", "Jeugdreclassering", "jeugdreclassering"),
    )
    props = sl.Properties()
    for key, t, _ in dims:
        props.dim(key, t, "Dimension")
    props.dim("RegioS", "Regio's", "GeoDimension")
    props.dim("Perioden", "Perioden", "TimeDimension")
    props.topic("Totaal jongeren met jeugdzorg", "Long", "aantal", 0,
                stem="TotaalJongerenMetJeugdzorg")  # fmt: skip
    youth = []
    for p in periods:
        mat, exists = tb.region_matrix(world, rows, p.year)
        y17 = world.atom_ages[:, world.pop_index(p.year), :18].sum(axis=1).astype(float)
        youth.append((mat @ (y17 * m.jeugd * (0.85 if p.half else 1.0)), exists))
    combos = [(a, b, c, d) for a in (True, False) for b in (True, False) for c in (True, False)
              for d in (True, False)]  # fmt: skip

    def gen() -> Iterator[tuple]:
        i = 0
        for combo in combos:
            share = _SAMENLOOP.get(combo, 0.0)
            for ri, r in enumerate(rows):
                for pi, p in enumerate(periods):
                    if not (full_cube or ex[ri, pi]) or (r.kind != "NL" and p.half):
                        continue  # gemeenten: the year only (half-years for the country row)
                    total, exists = youth[pi]
                    v = np.nan
                    if any(combo) and exists[ri]:
                        v = tb.publish(np.array([total[ri] * share]))[0] if share else 0.0
                    keys = tuple("W" if w else "G" for w in combo)
                    yield (i, *keys, r.key, p.key, *tb._py(np.array([v])))
                    i += 1

    infos = dict(
        table_id=table_id,
        info_id=info_id,
        title=title,
        short_title="Jongeren met meerdere vormen jeugdzorg",
        summary="Jongeren met jeugdhulp (pgb, in natura), jeugdbescherming en/of "
        "jeugdreclassering\nnaar combinatie",
        description="Aantallen afgerond op vijftallen; kleine aantallen onderdrukt.",
        modified=modified,
        period=f"{years[0]} - {years[-1]}",
        frequency="Perhalfjaar",
        default_selection=f"$filter=((RegioS eq '{rows[0].key}'))",
        default_presentation="ts=1700000000000&graphtype=Table&r=RegioS&k=Topics&t=Perioden",
        first_year=years[0],
    )
    return sl.write_table(
        folder,
        infos=infos,
        props=props,
        dimensions=[
            *(
                (key, [sl.dimension_record("W", f"Wel {w}"), sl.dimension_record("G", f"Geen {w}")])
                for key, _, w in dims
            ),
            *tb.region_period_dims(rows, periods),
        ],
        rows=gen(),
    )
