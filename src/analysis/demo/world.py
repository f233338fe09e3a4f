"""Demoland's world: geometry, gemeenten, regions, mergers and population.

Everything is drawn from ``numpy.random.default_rng([seed, stream])`` with one stream per
component, so the same arguments always give the same world. The unit of the model is the
*atom*: a gemeente of the first classification year. Later gemeenten are unions of atoms
(mergers), regions are sets of atoms per year (a region switch moves one atom), and every
figure is generated per atom and summed to whatever a table publishes.

Geometry is built in RD New (EPSG:28992): a Voronoi tessellation of relaxed random points,
clipped to a star-shaped country outline inside the real RD extent (its area scales with the
number of gemeenten, about 115 km2 each: Netherlands-sized at 342), plus one island. The
tessellation is noded once (``polygonize`` of the Voronoi edges and the coastline), so
neighbouring gemeenten share bit-identical boundary vertices.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import MultiPoint, Point, Polygon

from analysis.demo import names as nm
from analysis.metadata.regions import DEMOLAND_DIVISIONS

DIVISIONS = DEMOLAND_DIVISIONS
PREFIX = {
    "jeugdregio": "JZ",
    "provincie": "PV",
    "arbeidsmarktregio": "AM",
    "veiligheidsregio": "VR",
}
N_AGES = 101  # 0..99 and "100 jaar of ouder"
CENTRE = (150_000.0, 465_000.0)

# rng streams
_S_GEOM, _S_POP, _S_MERGE, _S_REGION, _S_NAMES, _S_SWITCH = range(1, 7)


@dataclass(frozen=True)
class Region:
    """A region of one division (code valid in every year)."""

    code: str
    name: str


@dataclass(frozen=True)
class Gemeente:
    """A published gemeente: a code valid from ``start`` to ``end`` (inclusive, None = open)."""

    code: str
    name: str
    atoms: tuple[int, ...]
    start: int | None = None
    end: int | None = None

    def exists(self, year: int) -> bool:
        return (self.start is None or year >= self.start) and (self.end is None or year <= self.end)


@dataclass
class World:
    """The generated country; see the module docstring."""

    seed: int
    first_year: int
    last_year: int
    outline: Polygon
    atom_geoms: list[Polygon]
    island: int
    city: int
    tiny: list[int]
    adjacency: list[list[int]]  # atom graph incl. the ferry edge to the island
    gemeenten: list[Gemeente]
    regions: dict[str, list[Region]]
    member: dict[str, np.ndarray]  # division -> atom -> region index (jeugdregio: before switches)
    mergers: list[dict]
    switches: list[dict]  # {"year", "atom", "from", "to"} (region indices)
    merger_year: int | None
    switch_year: int | None
    spread_region: int
    pop_years: list[int]
    atom_ages: np.ndarray  # (n_atoms, len(pop_years), N_AGES) int64, 1 January
    _code_cache: dict[int, list[str]] = field(default_factory=dict, repr=False)

    @property
    def n_atoms(self) -> int:
        return len(self.atom_geoms)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    def pop_index(self, year: int) -> int:
        return year - self.pop_years[0]

    def atom_pop(self, year: int) -> np.ndarray:
        """Total population per atom on 1 January of ``year``."""
        return self.atom_ages[:, self.pop_index(year), :].sum(axis=1)

    def gemeenten_in(self, year: int) -> list[Gemeente]:
        """The gemeenten of the classification of ``year``, by code."""
        return sorted((g for g in self.gemeenten if g.exists(year)), key=lambda g: g.code)

    def codes_ever(self, years: list[int]) -> list[Gemeente]:
        """Gemeenten existing in at least one of ``years``, by code."""
        return sorted(
            (g for g in self.gemeenten if any(g.exists(y) for y in years)), key=lambda g: g.code
        )

    def membership(self, division: str, year: int) -> np.ndarray:
        """Atom -> region index for ``division`` in ``year`` (region switches applied)."""
        m = self.member[division].copy()
        if division == "jeugdregio":
            for sw in self.switches:
                if year >= sw["year"]:
                    m[sw["atom"]] = sw["to"]
        return m

    def gemeente_region(self, g: Gemeente, division: str, year: int) -> Region:
        idx = {int(self.membership(division, year)[a]) for a in g.atoms}
        if len(idx) != 1:
            raise AssertionError(f"{g.code} is split over {division} {sorted(idx)} in {year}")
        return self.regions[division][idx.pop()]


# --------------------------------------------------------------------------------------
# geometry
# --------------------------------------------------------------------------------------


def _outline(rng: np.random.Generator, size: float) -> Polygon:
    th = np.linspace(0.0, 2 * np.pi, 96, endpoint=False)
    r = np.ones_like(th)
    for k in range(2, 6):
        r += rng.uniform(0.03, 0.07) * np.sin(k * th + rng.uniform(0, 2 * np.pi))
    xy = np.c_[CENTRE[0] + 100e3 * size * r * np.cos(th), CENTRE[1] + 125e3 * size * r * np.sin(th)]
    return Polygon(np.round(xy, 1))


def _island(outline: Polygon, rng: np.random.Generator, size: float) -> Polygon:
    theta = 2.25 + rng.uniform(-0.15, 0.15)  # north-west coast
    ray = shapely.LineString(
        [CENTRE, (CENTRE[0] + 4e5 * np.cos(theta), CENTRE[1] + 4e5 * np.sin(theta))]
    )
    hit = ray.intersection(outline.exterior)
    edge = np.array(shapely.get_coordinates(hit)[-1])
    u = edge - np.array(CENTRE)
    u /= np.hypot(*u)
    ellipse = affinity.scale(Point(0, 0).buffer(1.0, quad_segs=8), 3.5e3 * size, 9.5e3 * size)
    angle = np.degrees(np.arctan2(u[1], u[0]))
    ellipse = affinity.rotate(ellipse, angle + 90.0, origin=(0, 0))
    dist = 15e3 * size
    while True:
        c = edge + u * dist
        isl = affinity.translate(ellipse, c[0], c[1])
        if outline.distance(isl) > 4e3 * size:
            break
        dist += 2e3 * size
    return Polygon(np.round(np.asarray(isl.exterior.coords), 1))


def _sample_points(outline: Polygon, n: int, rng: np.random.Generator) -> np.ndarray:
    x0, y0, x1, y1 = outline.bounds
    pts: list[np.ndarray] = []
    shapely.prepare(outline)
    while sum(len(p) for p in pts) < n:
        cand = np.c_[rng.uniform(x0, x1, 4 * n), rng.uniform(y0, y1, 4 * n)]
        ok = shapely.contains_xy(outline, cand[:, 0], cand[:, 1])
        pts.append(cand[ok])
    return np.concatenate(pts)[:n]


def _lloyd(points: np.ndarray, outline: Polygon, iterations: int = 4) -> np.ndarray:
    for _ in range(iterations):
        cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=outline, ordered=True)
        clipped = shapely.intersection(np.asarray(shapely.get_parts(cells)), outline)
        points = shapely.get_coordinates(shapely.centroid(clipped))
    return np.round(points, 1)


def _coverage(points: np.ndarray, outline: Polygon) -> list[Polygon]:
    """One polygon per point, tiling ``outline`` exactly (shared vertices are identical)."""
    edges = shapely.voronoi_polygons(
        MultiPoint(points), extend_to=outline.buffer(30e3), only_edges=True
    )
    lines = shapely.union_all([edges, outline.exterior])
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
    inside = shapely.contains(outline, shapely.point_on_surface(faces))
    faces = faces[inside]
    tree = shapely.STRtree(faces)
    pidx, fidx = tree.query(shapely.points(points), predicate="within")
    owner = np.full(len(faces), -1)
    owner[fidx] = pidx
    if len(set(pidx.tolist())) != len(points):
        raise RuntimeError("Voronoi tessellation lost a cell")
    # fragments (a cell cut in two by the coast): attach to the neighbour sharing most boundary
    while (owner < 0).any():
        for f in np.flatnonzero(owner < 0):
            nb = tree.query(faces[f], predicate="intersects")
            best, best_len = -1, 0.0
            for g in nb:
                if g == f or owner[g] < 0:
                    continue
                shared = shapely.length(shapely.intersection(faces[f].boundary, faces[g].boundary))
                if shared > best_len:
                    best, best_len = int(g), float(shared)
            if best >= 0:
                owner[f] = owner[best]
    out: list[Polygon] = []
    for i in range(len(points)):
        mine = faces[owner == i]
        geom = mine[0] if len(mine) == 1 else shapely.union_all(mine)
        if geom.geom_type != "Polygon":
            raise RuntimeError(f"cell {i} is not a single polygon ({geom.geom_type})")
        out.append(shapely.orient_polygons(geom, exterior_cw=True))
    return out


def _adjacency(geoms: list[Polygon]) -> list[list[int]]:
    arr = np.asarray(geoms, dtype=object)
    tree = shapely.STRtree(arr)
    a, b = tree.query(arr, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    shared = shapely.length(
        shapely.intersection(shapely.boundary(arr[a]), shapely.boundary(arr[b]))
    )
    adj: list[list[int]] = [[] for _ in geoms]
    for i, j, s in zip(a.tolist(), b.tolist(), shared.tolist(), strict=True):
        if s > 1.0:
            adj[i].append(j)
            adj[j].append(i)
    return [sorted(x) for x in adj]


# --------------------------------------------------------------------------------------
# graphs
# --------------------------------------------------------------------------------------


def _connected(nodes: list[int], adj: list[list[int]]) -> bool:
    if not nodes:
        return True
    allowed = set(nodes)
    seen = {nodes[0]}
    todo = deque([nodes[0]])
    while todo:
        u = todo.popleft()
        for v in adj[u]:
            if v in allowed and v not in seen:
                seen.add(v)
                todo.append(v)
    return len(seen) == len(allowed)


def _grow(
    adj: list[list[int]],
    xy: np.ndarray,
    weight: np.ndarray,
    k: int,
    rng: np.random.Generator,
    no_seed: tuple[int, ...] = (),
) -> np.ndarray:
    """Partition a connected graph into ``k`` contiguous regions grown from spread seeds."""
    m = len(adj)
    allowed = np.array([i not in no_seed for i in range(m)])
    seeds = [int(rng.choice(np.flatnonzero(allowed)))]
    mind = np.hypot(*(xy - xy[seeds[0]]).T)
    while len(seeds) < k:
        score = mind * rng.uniform(0.8, 1.0, m)
        score[~allowed] = -1
        score[seeds] = -1
        s = int(np.argmax(score))
        seeds.append(s)
        mind = np.minimum(mind, np.hypot(*(xy - xy[s]).T))
    label = np.full(m, -1)
    size = np.zeros(k)
    for r, s in enumerate(seeds):
        label[s] = r
        size[r] = weight[s]
    target = rng.uniform(0.35, 2.2, k)
    jitter = rng.uniform(0.8, 1.25, m)
    frontier: list[set[int]] = [set(adj[s]) for s in seeds]
    while (label < 0).any():
        for r in np.argsort(size / target, kind="stable"):
            cand = sorted(v for v in frontier[r] if label[v] < 0)
            if not cand:
                continue
            d = np.hypot(*(xy[cand] - xy[seeds[r]]).T) * jitter[cand]
            v = cand[int(np.argmin(d))]
            label[v] = r
            size[r] += weight[v]
            frontier[r].update(adj[v])
            break
        else:  # pragma: no cover - graph not connected
            raise RuntimeError("region growth stalled: graph not connected")
    return label


def _quotient(adj: list[list[int]], label: np.ndarray, k: int) -> list[list[int]]:
    out: list[set[int]] = [set() for _ in range(k)]
    for u, nbs in enumerate(adj):
        for v in nbs:
            if label[u] != label[v]:
                out[label[u]].add(int(label[v]))
    return [sorted(s) for s in out]


def _order_north_to_south(label: np.ndarray, xy: np.ndarray, k: int) -> np.ndarray:
    """Relabel regions so that index 0 is the northernmost (like CBS numbers JZ01 up north)."""
    cy = np.array([xy[label == r, 1].mean() for r in range(k)])
    cx = np.array([xy[label == r, 0].mean() for r in range(k)])
    order = np.lexsort((cx, -np.round(cy, -4)))
    remap = np.empty(k, dtype=int)
    remap[order] = np.arange(k)
    return remap[label]


def region_codes(prefix: str, n: int) -> list[str]:
    """``JZ91``.. for up to 9 regions, else ``JZ50``.. (ranges unused by CBS)."""
    if n <= 9:
        return [f"{prefix}{91 + i}" for i in range(n)]
    if n <= 50:
        return [f"{prefix}{50 + i}" for i in range(n)]
    raise ValueError(f"at most 50 regions per division, asked {n}")


# --------------------------------------------------------------------------------------
# population
# --------------------------------------------------------------------------------------


def age_profile(youth_share: float, city: bool = False) -> np.ndarray:
    """Share of the population per age 0..99 and 100+ with the given 0–17 share."""
    a = np.arange(N_AGES, dtype=float)
    w = np.ones(N_AGES)
    adult = a >= 18
    w[adult] = (
        1.0
        + 0.30 * np.exp(-(((a[adult] - 58) / 9) ** 2))
        + 0.12 * np.exp(-(((a[adult] - 30) / 7) ** 2))
    )
    if city:
        w[adult] += 0.45 * np.exp(-(((a[adult] - 27) / 6) ** 2))
    w *= np.exp(-((a / 87.0) ** 9))
    tail = np.arange(100, 111, dtype=float)
    w[100] = float(np.exp(-((tail / 87.0) ** 9)).sum())
    young = w[:18].sum()
    rest = w[18:].sum()
    k = youth_share * rest / ((1 - youth_share) * young)
    w[:18] *= k
    return w / w.sum()


def integerise(raw: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Round rows of ``raw`` to integers summing to ``totals`` (largest remainder, stable)."""
    fl = np.floor(raw)
    rem = (totals - fl.sum(axis=-1)).astype(np.int64)
    frac = raw - fl
    order = np.argsort(-frac, axis=-1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(raw.shape[-1])[None, :].repeat(raw.shape[0], 0), -1)
    return (fl + (rank < rem[:, None])).astype(np.int64)


# --------------------------------------------------------------------------------------
# the world
# --------------------------------------------------------------------------------------


def _event_year(preferred: int, first: int, last: int) -> int | None:
    if first < preferred <= last:
        return preferred
    if last > first:
        return first + (last - first + 1) // 2
    return None


def build_world(
    *, n_gemeenten: int, n_regios: int, seed: int, first_year: int, last_year: int
) -> World:
    """Draw Demoland (see the module docstring)."""
    if n_gemeenten < 10 or n_gemeenten > 990:
        raise ValueError(f"n_gemeenten must be within 10..990, got {n_gemeenten}")
    if n_regios < 2 or n_regios > min(50, n_gemeenten // 3):
        raise ValueError(f"n_regios must be within 2..{min(50, n_gemeenten // 3)}, got {n_regios}")
    if last_year < first_year:
        raise ValueError("last_year must not be before first_year")

    def stream(k: int) -> np.random.Generator:
        return np.random.default_rng([seed, k])

    # ---- geometry -------------------------------------------------------------------
    rg = stream(_S_GEOM)
    size = float(np.sqrt(n_gemeenten / 342))  # ~120 km2 per gemeente, NL-sized at 342
    outline = _outline(rg, size)
    island_geom = _island(outline, rg, size)
    pts = _lloyd(_sample_points(outline, n_gemeenten - 1, rg), outline)
    geoms = _coverage(pts, outline)
    island = len(geoms)
    geoms.append(shapely.orient_polygons(island_geom, exterior_cw=True))
    n = len(geoms)
    adj = _adjacency(geoms)
    cxy = shapely.get_coordinates(shapely.centroid(np.asarray(geoms, dtype=object)))
    mainland = [i for i in range(n) if i != island]
    ferry = min(mainland, key=lambda i: (geoms[i].distance(geoms[island]), i))
    adj[island] = [ferry]
    adj[ferry] = sorted([*adj[ferry], island])
    areas = shapely.area(np.asarray(geoms, dtype=object))

    # ---- population -----------------------------------------------------------------
    rp = stream(_S_POP)
    target = np.array(CENTRE) + rp.uniform([-60e3, -10e3], [-10e3, 50e3]) * size
    city = int(np.argmin(np.hypot(*(cxy[: n - 1] - target).T)))
    pop0 = np.clip(rp.lognormal(np.log(24_000), 0.8, n), 4_500, 250_000)
    n_tiny = max(2, n // 40)
    others = [i for i in mainland if i != city]
    tiny = sorted([island, *(int(i) for i in rp.choice(others, n_tiny - 1, replace=False))])
    pop0[tiny] = rp.uniform(1_000, 3_000, len(tiny))
    share = rp.uniform(0.09, 0.13)
    rest = pop0.sum() - pop0[city]
    pop0[city] = share / (1 - share) * rest
    growth = rp.normal(0.0045, 0.004, n)
    growth[city] = 0.009
    growth[tiny] = -0.002
    youth = np.clip(rp.normal(0.20, 0.012, n), 0.17, 0.235)
    youth[city] = 0.185
    youth[tiny] = 0.165
    pop_years = list(range(first_year, last_year + 2))
    t = np.arange(len(pop_years))
    totals = np.round(pop0[:, None] * (1 + growth[:, None]) ** t[None, :]).astype(np.int64)
    ages = np.empty((n, len(pop_years), N_AGES), dtype=np.int64)
    for i in range(n):
        prof = age_profile(float(youth[i]), city=i == city)
        ages[i] = integerise(totals[i][:, None] * prof[None, :], totals[i])

    # ---- mergers --------------------------------------------------------------------
    merger_year = _event_year(2022, first_year, last_year)
    switch_year = _event_year(2024, first_year, last_year)
    rm = stream(_S_MERGE)
    groups: list[list[int]] = []
    if merger_year is not None:
        n_mergers = max(1, round(n / 120))
        sizes = [3 if j == 1 else 2 for j in range(n_mergers)]
        used = {city, island}
        small = [i for i in np.argsort(pop0, kind="stable").tolist() if i not in used]
        small = small[: max(4, len(small) // 2)]
        for size in sizes:
            for start in rm.permutation(small).tolist():
                if start in used:
                    continue
                grp = [start]
                while len(grp) < size:
                    nb = sorted(
                        {
                            v
                            for u in grp
                            for v in adj[u]
                            if v not in used and v not in grp and v != island
                        },
                        key=lambda v: (pop0[v], v),
                    )
                    if not nb:
                        break
                    grp.append(nb[0])
                if len(grp) == size:
                    groups.append(sorted(grp))
                    used.update(grp)
                    for u in grp:  # keep merger groups apart
                        used.update(adj[u])
                    break

    # ---- super nodes (merger groups contracted) and regions -------------------------
    node_of = np.arange(n)
    nodes: list[list[int]] = []
    in_group = {a: gi for gi, g in enumerate(groups) for a in g}
    seen_groups: dict[int, int] = {}
    for a in range(n):
        if a in in_group:
            gi = in_group[a]
            if gi not in seen_groups:
                seen_groups[gi] = len(nodes)
                nodes.append(groups[gi])
            node_of[a] = seen_groups[gi]
        else:
            node_of[a] = len(nodes)
            nodes.append([a])
    m = len(nodes)
    nadj_sets: list[set[int]] = [set() for _ in range(m)]
    for u in range(n):
        for v in adj[u]:
            if node_of[u] != node_of[v]:
                nadj_sets[node_of[u]].add(int(node_of[v]))
    nadj = [sorted(s) for s in nadj_sets]
    nxy = np.array([np.average(cxy[g], axis=0, weights=areas[g]) for g in nodes])
    nweight = np.array([len(g) for g in nodes], dtype=float)
    island_node = int(node_of[island])

    rr = stream(_S_REGION)
    n_prov = min(n_regios, max(2, round(n_regios * 12 / 42)))
    n_vr = min(n_regios, max(2, round(n_regios * 25 / 42)))
    n_am = min(m - 1, max(2, round(n_regios * 35 / 42)))
    jz_node = _grow(nadj, nxy, nweight, n_regios, rr, no_seed=(island_node,))
    jz_node = _order_north_to_south(jz_node, nxy, n_regios)
    jz = jz_node[node_of]
    jz_adj = _quotient(nadj, jz_node, n_regios)
    jz_xy = np.array([nxy[jz_node == r].mean(axis=0) for r in range(n_regios)])
    jz_w = np.bincount(jz, minlength=n_regios).astype(float)
    pv_r = _order_north_to_south(_grow(jz_adj, jz_xy, jz_w, n_prov, rr), jz_xy, n_prov)
    vr_r = _order_north_to_south(_grow(jz_adj, jz_xy, jz_w, n_vr, rr), jz_xy, n_vr)
    for _attempt in range(50):
        am_node = _grow(nadj, nxy, nweight, n_am, rr, no_seed=(island_node,))
        am = am_node[node_of]
        if any(len(set(am[jz == r].tolist())) > 1 for r in range(n_regios)):
            break
    else:  # pragma: no cover
        raise RuntimeError("could not draw arbeidsmarktregio's that split a jeugdregio")
    am = _order_north_to_south(am_node, nxy, n_am)[node_of]
    member = {
        "jeugdregio": jz,
        "provincie": pv_r[jz],
        "arbeidsmarktregio": am,
        "veiligheidsregio": vr_r[jz],
    }

    # ---- names and codes ------------------------------------------------------------
    rn = stream(_S_NAMES)
    plain = nm.gemeente_names(n - 2, rn, set(nm.SPECIAL) | set(nm.MERGED))
    names: list[str] = [""] * n
    names[city] = nm.CITY
    names[island] = nm.ISLAND
    merged_atoms = {a for g in groups for a in g}
    dia_cands = [a for a in mainland if a != city and a not in merged_atoms and a not in tiny]
    diacritic = int(rn.choice(dia_cands))
    names[diacritic] = nm.DIACRITIC
    it = iter(plain)
    for a in range(n):
        if not names[a]:
            names[a] = next(it)
    order = sorted(range(n), key=lambda a: (nm.ascii_fold(nm.sort_name(names[a])).casefold(), a))
    codes = [""] * n
    for k, a in enumerate(order):
        codes[a] = f"GM{9001 + k}"
    gemeenten: list[Gemeente] = []
    for a in range(n):
        end = merger_year - 1 if a in merged_atoms and merger_year is not None else None
        gemeenten.append(Gemeente(codes[a], names[a], (a,), None, end))
    mergers: list[dict] = []
    merged_names = [x for x in nm.MERGED]
    for gi, grp in enumerate(groups):
        code = f"GM{9001 + n + gi}"
        name = merged_names[gi % len(merged_names)]
        gemeenten.append(Gemeente(code, name, tuple(grp), merger_year, None))
        mergers.append(
            {
                "year": merger_year,
                "to": {"code": code, "name": name},
                "from": [{"code": codes[a], "name": names[a]} for a in grp],
            }
        )

    def largest(atoms: np.ndarray) -> str:
        a = max(atoms.tolist(), key=lambda i: (pop0[i], -i))
        return names[a]

    regions: dict[str, list[Region]] = {}
    jz_names = nm.region_names(n_regios, rn, set())
    regions["jeugdregio"] = [
        Region(c, jz_names[r]) for r, c in enumerate(region_codes("JZ", n_regios))
    ]
    pv_pool = list(nm.PROVINCES)
    regions["provincie"] = [Region(c, pv_pool[r]) for r, c in enumerate(region_codes("PV", n_prov))]
    regions["arbeidsmarktregio"] = [
        Region(c, f"Werkregio {largest(np.flatnonzero(am == r))}")
        for r, c in enumerate(region_codes("AM", n_am))
    ]
    regions["veiligheidsregio"] = [
        Region(c, f"Veiligheidsregio {largest(np.flatnonzero(member['veiligheidsregio'] == r))}")
        for r, c in enumerate(region_codes("VR", n_vr))
    ]

    # ---- the region(s) with a large internal spread, and the region switch(es) --------
    sizes_jz = np.bincount(jz, minlength=n_regios)
    cands = [r for r in range(n_regios) if r != jz[city]] or list(range(n_regios))
    spread_region = max(cands, key=lambda r: (sizes_jz[r], -r))
    switches: list[dict] = []
    if switch_year is not None:
        rs = stream(_S_SWITCH)
        n_switch = 1 if n_regios < 20 else 2
        current = jz.copy()
        touched: set[int] = set()
        protected = {city, island, diacritic} | merged_atoms
        for _ in range(n_switch):
            options = []
            for a in rs.permutation(n).tolist():
                if a in protected:
                    continue
                src = int(current[a])
                if src in touched:
                    continue
                members = np.flatnonzero(current == src).tolist()
                if len(members) < 3:
                    continue
                rest_nodes = [x for x in members if x != a]
                if not _connected(rest_nodes, adj):
                    continue
                targets = sorted({int(current[v]) for v in adj[a] if v != island} - {src} - touched)
                for tgt in targets:
                    same_pv = pv_r[tgt] == pv_r[src]
                    options.append((0 if same_pv else 1, a, src, tgt))
            if not options:
                break
            options.sort(key=lambda o: o[0])
            _, a, src, tgt = options[0]
            current[a] = tgt
            touched.update({src, tgt})
            switches.append({"year": switch_year, "atom": a, "from": src, "to": tgt})

    return World(
        seed=seed,
        first_year=first_year,
        last_year=last_year,
        outline=outline,
        atom_geoms=geoms,
        island=island,
        city=city,
        tiny=tiny,
        adjacency=adj,
        gemeenten=sorted(gemeenten, key=lambda g: g.code),
        regions=regions,
        member=member,
        mergers=mergers,
        switches=switches,
        merger_year=merger_year if groups else None,
        switch_year=switch_year if switches else None,
        spread_region=int(spread_region),
        pop_years=pop_years,
        atom_ages=ages,
    )
