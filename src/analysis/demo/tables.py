"""Demoland's CBS tables: youth care, population, costs, Gebieden in Nederland and KWB.

Every figure is generated per atom (see :mod:`analysis.demo.world`) and summed to the
regions a table publishes, so the levels are consistent: a published NL or PV count is the
rounded sum of the *unrounded* gemeente counts. Youth-care counts are rounded to multiples
of 5 and suppressed (``null``) when the true count is below 10. Like StatLine, every
``TypedDataSet`` is a full cube over its dimensions (a gemeente code that does not exist in
a period has a row of ``null`` values; ``full_cube=False`` leaves those rows out), except
where noted (03759ned keeps the Geslacht and BurgerlijkeStaat breakdown for the country row
only, to keep the file small).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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


def region_rows(
    world: World, years: list[int], *, country: str = NEDERLAND, provinces: bool = True
) -> list[RegionRow]:
    """Country, provinces (``(PV)`` titles) and every gemeente existing in one of ``years``."""
    rows = [RegionRow("NL", country, "Demoland", "Demoland (synthetisch land)")]
    if provinces:
        for i, pv in enumerate(world.regions["provincie"]):
            rows.append(RegionRow("PV", pv.code, f"{pv.name} (PV)", "", index=i))
    gems = sorted(
        world.codes_ever(years), key=lambda g: (ascii_fold(sort_name(g.name)).casefold(), g.code)
    )
    for g in gems:
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


# --------------------------------------------------------------------------------------
# youth care (84134NED, 85099NED)
# --------------------------------------------------------------------------------------

# (85099NED key, 85099NED title, 84134NED title, category group, kind)
FORMS: tuple[tuple[str, str, str, int, str], ...] = (
    ("A045561", "JZ Totaal jeugdzorg", "JZ Totaal jeugdzorg", 0, "jz"),
    ("A045562", "JZ Totaal jeugdzorg in natura", "JZ Totaal jeugdzorg in natura", 0, "jz"),
    ("A045560", "JH 1 Totaal jeugdhulp", "JH 1 Totaal jeugdhulp", 1, "jh"),
    ("A045563", "JH 11 Jeugdhulp PGB", "JH 11 Jeugdhulp PGB", 1, "jh"),
    ("A045564", "JH 12 Jeugdhulp in natura", "JH 12 Jeugdhulp in natura", 1, "jh"),
    ("A042503", "JH 121 Jeugdhulp zonder verblijf", "JH 121 zonder verblijf", 2, "jh"),
    ("A017916", "JH 1211 uitgevoerd door wijkteam", "JH 1211 uitgevoerd door wijkteam", 3, "jh"),
    ("A027917", "JH 1212 niet door wijkteam", "JH 1212 niet door wijkteam", 3, "jh"),
    ("A045565", "JH 12121 ambulant", "JH 12121 ambulant", 4, "jh"),
    ("A045566", "JH 12122 daghulp", "JH 12122 daghulp", 4, "jh"),
    ("A045567", "JH 12123 netwerk", "JH 12123 netwerk", 4, "jh"),
    ("A027918", "JH 122 Jeugdhulp met verblijf", "JH 122 met verblijf", 2, "v"),
    ("A045568", "JH 1221 Pleegzorg", "JH 1221 Pleegzorg", 5, "v"),
    ("A045569", "JH 1222 Gezinsgericht", "JH 1222 Gezinsgericht", 5, "v"),
    ("A045570", "JH 1223 Gesloten plaatsing", "JH 1223 Gesloten plaatsing", 5, "v"),
    ("A045571", "JH 1224 Ander verblijf", "JH 1224 Ander verblijf", 5, "v"),
    ("A027919", "JB 1 Totaal jeugdbescherming", "JB 1 Totaal jeugdbescherming", 6, "jb"),
    ("A045572", "JB 11 Ondertoezichtstelling", "JB 11 Ondertoezichtstelling", 6, "jb"),
    (
        "A045573",
        "JB 111 OTS zonder uithuisplaatsing",
        "JB 111 OTS zonder uithuisplaatsing",
        7,
        "jb",
    ),
    ("A045574", "JB 112 OTS met uithuisplaatsing", "JB 112 OTS met uithuisplaatsing", 7, "jb"),
    ("A045575", "JB 12 Voogdij", "JB 12 Voogdij", 6, "jb"),
    ("A045576", "JB 121 Voogdij bij pleegouders", "JB 121 Voogdij bij pleegouders", 8, "jb"),
    ("A045577", "JB 122 Voogdij overig", "JB 122 Voogdij overig", 8, "jb"),
    ("A027920", "JR 1 Totaal jeugdreclassering", "JR 1 Totaal jeugdreclassering", 9, "jr"),
    ("A045578", "JR 11 Toezicht en begeleiding", "JR 11 Toezicht en begeleiding", 9, "jr"),
    ("A045579", "JR 12 Overige trajecten", "JR 12 Overige trajecten", 9, "jr"),
)
_FORM_GROUPS = (
    ("Jeugdzorg", None),
    ("Jeugdhulp", None),
    ("Jeugdhulp in natura", 1),
    ("Jeugdhulp zonder verblijf", 2),
    ("Niet door wijkteam", 3),
    ("Jeugdhulp met verblijf", 2),
    ("Jeugdbescherming", None),
    ("Ondertoezichtstelling", 6),
    ("Voogdij", 6),
    ("Jeugdreclassering", None),
)
_HALF_SHARE = {"jz": 0.80, "jh": 0.80, "v": 0.86, "jb": 0.88, "jr": 0.72}


def form_key_84(i: int) -> str:
    """84134NED uses other category keys than 85099NED (titles are what the build resolves)."""
    return f"A{28400 + i:06d}"


def youth_category_groups(dim_key: str = "VormenVanJeugdzorg") -> list[dict]:
    return [
        {"ID": i, "DimensionKey": dim_key, "Title": t, "Description": "", "ParentID": p}
        for i, (t, p) in enumerate(_FORM_GROUPS)
    ]


class YouthModel:
    """Expected youth-care counts per atom, year and form (before status factors)."""

    def __init__(self, world: World) -> None:
        self.world = world
        rng = np.random.default_rng([world.seed, _S_YOUTH])
        n = world.n_atoms
        years = world.years
        jz = world.member["jeugdregio"]
        k = len(world.regions["jeugdregio"])
        reg_mean = rng.normal(0.0, 0.07, k)
        sd = np.full(n, 0.10)
        sd[jz == world.spread_region] = 0.32
        e_jh = np.exp(reg_mean[jz] + rng.normal(0, 1, n) * sd)
        e_v = e_jh**0.6 * np.exp(rng.normal(0, 0.15, n))
        e_jb = e_jh**0.5 * np.exp(rng.normal(0, 0.18, n))
        e_jr = np.exp(rng.normal(0, 0.25, n))
        e_jb[world.city] *= 1.35
        e_jr[world.city] *= 1.5
        pgb = rng.uniform(0.05, 0.10, n)
        wijk = rng.uniform(0.15, 0.55, n)
        self.traj_ratio = rng.uniform(1.15, 1.55, (n, len(FORMS)))
        noise = np.exp(rng.normal(0, 0.03, (n, len(years), 4)))
        self.half_jitter = rng.uniform(0.98, 1.02, (n, len(years), 2))

        y = np.array(years, dtype=float)
        level = (1 + 0.02 * (y - 2015)) * np.where(y >= TREND_BREAK_YEAR, TREND_BREAK_FACTOR, 1.0)
        ages = world.atom_ages[:, [world.pop_index(yy) for yy in years], :]
        self.y17 = ages[:, :, :18].sum(axis=2).astype(float)  # (n, Y)
        self.y22 = ages[:, :, :23].sum(axis=2).astype(float)
        base = self.y17 * level[None, :]  # jeugdhulp grows, JB and JR are flat
        flat = self.y17 * np.where(y >= TREND_BREAK_YEAR, TREND_BREAK_FACTOR, 1.0)[None, :]
        jh = base * 0.092 * e_jh[:, None] * noise[:, :, 0]
        v = np.minimum(base * 0.0085 * e_v[:, None] * noise[:, :, 1], jh * 0.4)
        jb = flat * 0.0085 * e_jb[:, None] * noise[:, :, 2]
        jr = flat * 0.0028 * e_jr[:, None] * noise[:, :, 3]
        jh12 = jh * (1 - 0.6 * pgb[:, None])
        jh121 = np.minimum(jh12 * 0.93, jh12 - v * 0.5)
        jh1212 = jh121 * np.minimum(0.97, 1 - wijk[:, None] + 0.07)
        jb11 = jb * 0.82
        jb12 = jb * 0.24
        jz = jh + 0.30 * jb + 0.45 * jr
        vals = {
            "JZ Totaal": jz,
            "JZ natura": jz - 0.5 * pgb[:, None] * jh,
            "JH 1": jh,
            "JH 11": jh * pgb[:, None],
            "JH 12": jh12,
            "JH 121": jh121,
            "JH 1211": jh121 * wijk[:, None],
            "JH 1212": jh1212,
            "JH 12121": jh1212 * 0.92,
            "JH 12122": jh1212 * 0.10,
            "JH 12123": jh1212 * 0.05,
            "JH 122": v,
            "JH 1221": v * 0.45,
            "JH 1222": v * 0.17,
            "JH 1223": v * 0.04,
            "JH 1224": v * 0.40,
            "JB 1": jb,
            "JB 11": jb11,
            "JB 111": jb11 * 0.68,
            "JB 112": jb11 * 0.36,
            "JB 12": jb12,
            "JB 121": jb12 * 0.62,
            "JB 122": jb12 * 0.42,
            "JR 1": jr,
            "JR 11": jr * 0.78,
            "JR 12": jr * 0.30,
        }
        order = [
            "JZ Totaal", "JZ natura", "JH 1", "JH 11", "JH 12", "JH 121", "JH 1211", "JH 1212",
            "JH 12121", "JH 12122", "JH 12123", "JH 122", "JH 1221", "JH 1222", "JH 1223",
            "JH 1224", "JB 1", "JB 11", "JB 111", "JB 112", "JB 12", "JB 121", "JB 122",
            "JR 1", "JR 11", "JR 12",
        ]  # fmt: skip
        self.expected = np.stack([vals[k] for k in order], axis=2)  # (n, Y, F)
        self.half_share = np.array([_HALF_SHARE[f[4]] for f in FORMS])

    def true_counts(self, period: Period, factor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Integer (unrounded) counts and trajectories per atom and form for a period."""
        yi = period.year - self.world.first_year
        e = self.expected[:, yi, :] * factor[:, None]
        if period.half:
            share = np.minimum(
                0.99, self.half_share[None, :] * self.half_jitter[:, yi, period.half - 1, None]
            )
            if period.half == 2:
                share = np.minimum(0.99, share * 1.01)
            e = e * share
        counts = np.floor(e + 0.5)
        traj = np.floor(e * self.traj_ratio + 0.5)
        return counts, traj


def write_youth(
    world: World,
    model: YouthModel,
    table_id: str,
    title: str,
    years: list[int],
    folder: Path,
    *,
    modified: str,
    revision: int,
    old_style: bool,
    info_id: int,
    full_cube: bool = True,
) -> int:
    """84134NED (``old_style``) or 85099NED."""
    periods = youth_periods(world, years)
    rows = region_rows(world, years)
    revised = revised_periods(periods)
    rev = revision_factor(world, revision)

    props = sl.Properties()
    props.dim(
        "VormenVanJeugdzorg",
        "Vormen van jeugdzorg",
        "Dimension",
        "Jeugdzorg = jeugdhulp, jeugdbescherming en jeugdreclassering. Een jongere kan meerdere "
        "vormen tegelijk hebben; de totalen zijn unieke jongeren, geen optelling.",
    )
    props.dim("RegioS", "Regio's", "GeoDimension", "Gemeente volgens het woonplaatsbeginsel.")
    props.dim("Perioden", "Perioden", "TimeDimension")
    parent = None
    if old_style:
        props.topic(
            "Jongeren tot 23 jaar",
            "Long",
            "aantal",
            0,
            description="Aantal inwoners van 0 tot 23 jaar op 1 januari.",
        )
        parent = props.group("Gebruik van jeugdzorg")
    k_count = props.topic(
        "Jongeren met jeugdzorg",
        "Long",
        "aantal",
        0,
        stem="JongerenMetJeugdzorg",
        parent=parent,
        description="Aantal unieke jongeren met de vorm van jeugdzorg in de periode. "
        "Afgerond op vijftallen; minder dan 10 jongeren wordt niet gepubliceerd.",
    )
    props.topic(
        "Jongeren met jeugdzorg, relatief",
        "Double",
        "%",
        1,
        stem="JongerenMetJeugdzorgRelatief",
        parent=parent,
        description="Jongeren met jeugdzorg als percentage van de inwoners van 0 tot 18 jaar "
        "(jeugdreclassering: 0 tot 23 jaar) op 1 januari.",
    )
    props.topic(
        "Jeugdzorgtrajecten",
        "Long",
        "aantal",
        0,
        stem="Jeugdzorgtrajecten",
        parent=parent,
        description="Aantal trajecten in de periode; afgerond op vijftallen.",
    )

    n_f, n_r, n_p = len(FORMS), len(rows), len(periods)
    count = np.full((n_f, n_r, n_p), np.nan)
    rel = np.full((n_f, n_r, n_p), np.nan)
    traj = np.full((n_f, n_r, n_p), np.nan)
    pop23 = np.full((n_r, n_p), np.nan)
    denom_jr = np.array([f[4] == "jr" for f in FORMS])
    for pi, p in enumerate(periods):
        mat, exists = region_matrix(world, rows, p.year)
        factor = np.full(world.n_atoms, PROVISIONAL_FACTOR[p.status])
        if p.key in revised:
            factor = factor * rev
        c_atoms, t_atoms = model.true_counts(p, factor)
        c_reg = mat @ c_atoms  # (R, F)
        t_reg = mat @ t_atoms
        yi = p.year - world.first_year
        d17 = mat @ model.y17[:, yi]
        d22 = mat @ model.y22[:, yi]
        pub = publish(c_reg, exists)
        count[:, :, pi] = pub.T
        traj[:, :, pi] = publish(t_reg, exists).T
        denom = np.where(denom_jr[None, :], d22[:, None], d17[:, None])
        r = np.round(100.0 * c_reg / np.maximum(denom, 1), 1)
        r[np.isnan(pub)] = np.nan
        rel[:, :, pi] = r.T
        pop23[:, pi] = np.where(exists, d22, np.nan)

    ex = exists_grid(rows, periods)

    def gen() -> Iterator[tuple]:
        i = 0
        for fi, f in enumerate(FORMS):
            fkey = form_key_84(fi) if old_style else f[0]
            for ri, reg in enumerate(rows):
                c = _py(count[fi, ri])
                rl = _py(rel[fi, ri], as_int=False, decimals=1)
                tr = _py(traj[fi, ri])
                pp = _py(pop23[ri]) if old_style else None
                for pi, p in enumerate(periods):
                    if not (full_cube or ex[ri, pi]):
                        continue
                    vals = (c[pi], rl[pi], tr[pi])
                    if old_style:
                        vals = (pp[pi], *vals)  # type: ignore[index]
                    yield (i, fkey, reg.key, p.key, *vals)
                    i += 1

    forms_dim = [
        sl.dimension_record(
            form_key_84(i) if old_style else f[0],
            f[2] if old_style else f[1],
            "",
            f[3],
        )
        for i, f in enumerate(FORMS)
    ]
    last = periods[-1]
    infos = dict(
        table_id=table_id,
        info_id=info_id,
        title=title,
        short_title="Kerncijfers over jeugdzorg",
        summary="Jongeren met jeugdhulp, jeugdbescherming en jeugdreclassering\n"
        "naar vorm van jeugdzorg, regio (woonplaatsbeginsel) en periode",
        description="Deze tabel bevat het aantal jongeren met jeugdzorg en het aantal "
        "jeugdzorgtrajecten per gemeente, naar vorm van jeugdzorg, per jaar en per halfjaar. "
        "Jongeren worden toegerekend aan de gemeente die volgens het woonplaatsbeginsel "
        "verantwoordelijk is. Aantallen zijn afgerond op vijftallen; minder dan 10 jongeren "
        "wordt niet gepubliceerd."
        + (
            " De cijfers vanaf 2021 zijn niet vergelijkbaar met die over 2015-2020 (trendbreuk)."
            if not old_style
            else " Deze tabel wordt niet meer bijgewerkt; de reeks vanaf 2021 staat in 85099NED."
        ),
        modified=modified,
        period=f"{years[0]} - {years[-1]}",
        frequency="Perhalfjaar",
        default_selection=(
            f"$filter=((RegioS eq '{rows[0].key}')) and ((Perioden eq '{last.key}'))"
            f"&$select=VormenVanJeugdzorg, RegioS, Perioden, {k_count}"
        ),
        default_presentation="ts=1700000000000&graphtype=Table&r=VormenVanJeugdzorg&k=Topics&t=RegioS,Perioden",
        output_status="Gediscontinueerd" if old_style else "Regulier",
        first_year=years[0],
    )
    return sl.write_table(
        folder,
        infos=infos,
        props=props,
        dimensions=[
            ("VormenVanJeugdzorg", forms_dim),
            ("RegioS", region_dim(rows)),
            ("Perioden", [sl.period_record(p.key, p.title, p.status) for p in periods]),
        ],
        rows=gen(),
        category_groups=youth_category_groups(),
    )


# --------------------------------------------------------------------------------------
# population (03759ned)
# --------------------------------------------------------------------------------------

_GESLACHT = (("T001038", "Totaal mannen en vrouwen"), ("3000   ", "Mannen"), ("4000   ", "Vrouwen"))
_STAAT = (
    ("T001019", "Totaal burgerlijke staat"),
    ("1010   ", "Ongehuwd"),
    ("1020   ", "Gehuwd"),
    ("1050   ", "Verweduwd"),
    ("1080   ", "Gescheiden"),
)
# (key, title, first age, last age exclusive) for age groups; single ages are generated
_AGE_GROUPS = (
    ("70100  ", "0 tot 15 jaar", 0, 15),
    ("70200  ", "15 tot 25 jaar", 15, 25),
    ("52020  ", "0 tot 20 jaar", 0, 20),
    ("53950  ", "20 tot 65 jaar", 20, 65),
    ("21700  ", "65 jaar of ouder", 65, 101),
    ("22000  ", "80 jaar of ouder", 80, 101),
)


def leeftijd_categories() -> list[tuple[str, str, int, int, int | None]]:
    """(key, title, from, to, category group) for every Leeftijd category, in table order."""
    cats: list[tuple[str, str, int, int, int | None]] = [("10000  ", "Totaal", 0, 101, None)]
    for a in range(100):
        key = "10010  " if a == 0 else f"1{a:02d}00  "
        cats.append((key, f"{a} jaar", a, a + 1, 0))
    cats.append(("22200  ", "100 jaar of ouder", 100, 101, 0))
    cats.extend((k, t, lo, hi, 1) for k, t, lo, hi in _AGE_GROUPS)
    return cats


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _staat_fractions(male: bool) -> np.ndarray:
    """(ages, 4) shares ongehuwd, gehuwd, verweduwd, gescheiden."""
    a = np.arange(101, dtype=float)
    shift = 2.0 if male else 0.0
    ong = 1 - 0.72 * _logistic((a - 30 - shift) / 4.0)
    wid = (0.25 if male else 0.55) * _logistic((a - 80) / 6.0)
    gesch = 0.12 * _logistic((a - 45) / 8.0) * (1 - wid)
    geh = np.clip(1 - ong - wid - gesch, 0, None)
    out = np.stack([ong, geh, wid, gesch], axis=1)
    out[a < 18] = [1, 0, 0, 0]
    return out / out.sum(axis=1, keepdims=True)


def write_population(
    world: World,
    table_id: str,
    title: str,
    years: list[int],
    folder: Path,
    *,
    modified: str,
    revision: int,
    info_id: int,
    full_cube: bool = True,
) -> int:
    periods = year_periods(world, years, provisional=False)
    rows = region_rows(world, years)
    rev_year = years[-1]
    rev = revision_factor(world, revision)
    cats = leeftijd_categories()
    n_c = len(cats)
    # ages per atom for every year incl. next (for the mean population)
    need = sorted({*years, *(y + 1 for y in years)})
    ages: dict[int, np.ndarray] = {}
    for y in need:
        a = world.atom_ages[:, world.pop_index(y), :].astype(float)
        if revision and y == rev_year:
            a = np.floor(a * (1 + (rev[:, None] - 1) * 0.05) + 0.5)
        ages[y] = a

    def cat_values(age_arr: np.ndarray) -> np.ndarray:
        cs = np.concatenate(
            [np.zeros(age_arr.shape[:-1] + (1,)), np.cumsum(age_arr, axis=-1)], axis=-1
        )
        return np.stack([cs[..., hi] - cs[..., lo] for _, _, lo, hi, _ in cats], axis=-1)

    n_r, n_p = len(rows), len(periods)
    jan = np.full((n_r, n_p, n_c), np.nan)
    avg = np.full((n_r, n_p, n_c), np.nan)
    for pi, p in enumerate(periods):
        mat, exists = region_matrix(world, rows, p.year)
        v0 = cat_values(mat @ ages[p.year])
        v1 = cat_values(mat @ ages[p.year + 1])
        v0[~exists] = np.nan
        v1[~exists] = np.nan
        jan[:, pi] = v0
        if p.year < world.last_year:
            avg[:, pi] = np.floor((v0 + v1) / 2 + 0.5)

    # country breakdown by sex and marital status: (sex 3, staat 5, period, category)
    a = np.arange(101, dtype=float)
    male_share = 0.512 - 0.16 * _logistic((a - 82) / 6.0)
    nl = np.zeros((3, 5, len(need), n_c))
    for yi, y in enumerate(need):
        tot = ages[y].sum(axis=0)
        men = np.floor(tot * male_share + 0.5)
        women = tot - men
        for si, (arr, male) in enumerate(((men, True), (women, False))):
            fr = _staat_fractions(male)
            split = np.zeros((101, 4))
            for age in range(101):
                split[age] = _lr(arr[age] * fr[age], arr[age])
            nl[si + 1, 1:, yi] = cat_values(split.T)
            nl[si + 1, 0, yi] = cat_values(arr)
        nl[0, :, yi] = nl[1, :, yi] + nl[2, :, yi]
    nl_jan = np.stack([nl[:, :, need.index(p.year)] for p in periods], axis=2)
    nl_avg = np.full_like(nl_jan, np.nan)
    for pi, p in enumerate(periods):
        if p.year < world.last_year:
            nl_avg[:, :, pi] = np.floor(
                (nl[:, :, need.index(p.year)] + nl[:, :, need.index(p.year + 1)]) / 2 + 0.5
            )

    props = sl.Properties()
    props.dim("Geslacht", "Geslacht", "Dimension")
    props.dim("Leeftijd", "Leeftijd", "Dimension", "Leeftijd op 1 januari.")
    props.dim("BurgerlijkeStaat", "Burgerlijke staat", "Dimension")
    props.dim("RegioS", "Regio's", "GeoDimension")
    props.dim("Perioden", "Perioden", "TimeDimension")
    k1 = props.topic(
        "Bevolking op 1 januari", "Long", "aantal", 0, stem="BevolkingOp1Januari",
        description="Aantal inwoners op 1 januari van het jaar.",
    )  # fmt: skip
    props.topic(
        "Gemiddelde bevolking", "Long", "aantal", 0, stem="GemiddeldeBevolking",
        description="Gemiddelde van de bevolking op 1 januari van het jaar en van het jaar erna.",
    )  # fmt: skip
    nl_row = next(i for i, r in enumerate(rows) if r.kind == "NL")

    ex = exists_grid(rows, periods)

    def gen() -> Iterator[tuple]:
        i = 0
        jan_l = [[_py(jan[r, :, c]) for c in range(n_c)] for r in range(n_r)]
        avg_l = [[_py(avg[r, :, c]) for c in range(n_c)] for r in range(n_r)]
        for gi, (gkey, _) in enumerate(_GESLACHT):
            for ci, cat in enumerate(cats):
                for bi, (bkey, _) in enumerate(_STAAT):
                    total = gi == 0 and bi == 0
                    for ri, reg in enumerate(rows):
                        if not total and ri != nl_row:
                            continue
                        if total:
                            v0, v1 = jan_l[ri][ci], avg_l[ri][ci]
                        else:
                            v0, v1 = _py(nl_jan[gi, bi, :, ci]), _py(nl_avg[gi, bi, :, ci])
                        for pi, p in enumerate(periods):
                            if not (full_cube or ex[ri, pi]):
                                continue
                            yield (i, gkey, cat[0], bkey, reg.key, p.key, v0[pi], v1[pi])
                            i += 1

    cgroups = [
        {
            "ID": 0,
            "DimensionKey": "Leeftijd",
            "Title": "Leeftijd per jaar",
            "Description": "",
            "ParentID": None,
        },
        {
            "ID": 1,
            "DimensionKey": "Leeftijd",
            "Title": "Leeftijdsgroepen",
            "Description": "",
            "ParentID": None,
        },
    ]
    infos = dict(
        table_id=table_id,
        info_id=info_id,
        title=title,
        short_title="Bevolking; geslacht, leeftijd, regio",
        summary="Bevolking op 1 januari en gemiddelde bevolking\nnaar geslacht, leeftijd, "
        "burgerlijke staat en regio",
        description="Deze tabel bevat de bevolking op 1 januari en de gemiddelde bevolking "
        "naar leeftijd en regio. Uitsplitsing naar geslacht en burgerlijke staat alleen voor "
        "het land.",
        modified=modified,
        period=f"{years[0]} - {years[-1]}",
        frequency="Perjaar",
        default_selection=(
            f"$filter=((RegioS eq '{rows[0].key}')) and ((Perioden eq '{periods[-1].key}'))"
            f"&$select=Geslacht, Leeftijd, BurgerlijkeStaat, RegioS, Perioden, {k1}"
        ),
        default_presentation="ts=1700000000000&graphtype=Table&r=Leeftijd&k=Topics&t=RegioS,Perioden",
        first_year=years[0],
    )
    return sl.write_table(
        folder,
        infos=infos,
        props=props,
        dimensions=[
            ("Geslacht", [sl.dimension_record(k, t) for k, t in _GESLACHT]),
            ("Leeftijd", [sl.dimension_record(k, t, "", g) for k, t, _, _, g in cats]),
            ("BurgerlijkeStaat", [sl.dimension_record(k, t) for k, t in _STAAT]),
            ("RegioS", region_dim(rows)),
            ("Perioden", [sl.period_record(p.key, p.title, p.status) for p in periods]),
        ],
        rows=gen(),
        category_groups=cgroups,
    )


def _lr(raw: np.ndarray, total: float) -> np.ndarray:
    fl = np.floor(raw)
    rem = int(round(total - fl.sum()))
    if rem > 0:
        order = np.argsort(-(raw - fl), kind="stable")[:rem]
        fl[order] += 1
    return fl


# --------------------------------------------------------------------------------------
# costs (83454NED)
# --------------------------------------------------------------------------------------

# (key, title, share of the total)
COST_FORMS = (
    ("A045561", "JZ Totaal jeugdzorg", 1.0),
    ("A045560", "JH 1 Totaal jeugdhulp", 0.86),
    ("A017916", "JH 1211 Jeugdhulp zonder verblijf; wijkteam", 0.12),
    ("A027917", "JH 1212 Jeugdhulp zonder verblijf; overig", 0.38),
    ("A027918", "JH 122 Jeugdhulp met verblijf (ZIN en PGB)", 0.36),
    ("A027919", "JB 1 Totaal jeugdbescherming", 0.09),
    ("A027920", "JR 1 Totaal jeugdreclassering", 0.02),
    ("A045580", "JBR Totaal jeugdbescherming en -reclassering", 0.11),
)


def write_costs(
    world: World,
    table_id: str,
    title: str,
    years: list[int],
    folder: Path,
    *,
    modified: str,
    revision: int,
    info_id: int,
    full_cube: bool = True,
) -> int:
    periods = year_periods(world, years)
    rows = region_rows(world, years)
    revised = revised_periods(periods)
    rev = revision_factor(world, revision)
    rng = np.random.default_rng([world.seed, _S_COST])
    n = world.n_atoms
    per_youth = 1.45 * np.exp(rng.normal(0, 0.15, n))  # 1 000 euro per jongere 0-17
    budget_ratio = rng.uniform(0.86, 0.98, n)
    shares = np.array([s for _, _, s in COST_FORMS]) * 1.0
    share_noise = np.exp(rng.normal(0, 0.08, (n, len(COST_FORMS))))
    share_noise[:, 0] = 1.0
    # participation per published gemeente code and year (about 70 %)
    codes = [r.code for r in rows if r.kind == "GM"]
    base_part = {c: rng.random() < 0.75 for c in codes}
    flips = rng.random((len(codes), len(world.years))) < 0.08

    n_f, n_r, n_p = len(COST_FORMS), len(rows), len(periods)
    real = np.full((n_f, n_r, n_p), np.nan)
    budg = np.full((n_f, n_r, n_p), np.nan)
    for pi, p in enumerate(periods):
        mat, exists = region_matrix(world, rows, p.year)
        y17 = world.atom_ages[:, world.pop_index(p.year), :18].sum(axis=1)
        f = PROVISIONAL_FACTOR[p.status] ** 0.5 * np.ones(n)
        if p.key in revised:
            f = f * rev
        total = y17 * per_youth * (1.04 ** (p.year - 2021)) * f
        atom_real = total[:, None] * shares[None, :] * share_noise
        atom_budget = atom_real * budget_ratio[:, None]
        r_reg = np.floor(mat @ atom_real + 0.5)
        b_reg = np.floor(mat @ atom_budget + 0.5)
        yi = p.year - world.first_year
        ok = exists.copy()
        for ri, reg in enumerate(rows):
            if reg.kind == "GM":
                ci = codes.index(reg.code)
                ok[ri] = ok[ri] and (base_part[reg.code] != bool(flips[ci, yi]))
        b_reg[~ok] = np.nan
        r_reg[~ok] = np.nan
        if p.year == world.last_year:
            r_reg[:] = np.nan  # realisation of the running year is not known yet
        real[:, :, pi] = r_reg.T
        budg[:, :, pi] = b_reg.T

    props = sl.Properties()
    props.dim("VormenVanJeugdzorg", "Vormen van jeugdzorg", "Dimension")
    props.dim("RegioS", "Regio's", "GeoDimension")
    props.dim("Perioden", "Perioden", "TimeDimension")
    props.topic(
        "Begrote kosten", "Long", "1 000 euro", 0, stem="BegroteKosten",
        description="Begrote kosten volgens de (gewijzigde) begroting van de gemeente.",
    )  # fmt: skip
    k2 = props.topic(
        "Gerealiseerde kosten", "Long", "1 000 euro", 0, stem="GerealiseerdeKosten",
        description="Gerealiseerde kosten volgens de jaarrekening van de gemeente.",
    )  # fmt: skip

    ex = exists_grid(rows, periods)

    def gen() -> Iterator[tuple]:
        i = 0
        for fi, (fkey, _, _) in enumerate(COST_FORMS):
            for ri, reg in enumerate(rows):
                b = _py(budg[fi, ri])
                r = _py(real[fi, ri])
                for pi, p in enumerate(periods):
                    if not (full_cube or ex[ri, pi]):
                        continue
                    yield (i, fkey, reg.key, p.key, b[pi], r[pi])
                    i += 1

    infos = dict(
        table_id=table_id,
        info_id=info_id,
        title=title,
        short_title="Gemeentelijke kosten; jeugdzorg",
        summary="Begrote en gerealiseerde kosten van gemeenten voor jeugdzorg\nnaar vorm van "
        "jeugdzorg en regio",
        description="Alleen gemeenten die gegevens leverden en instemden met publicatie; "
        "andere cellen zijn leeg. Het landtotaal is een schatting voor alle gemeenten.",
        modified=modified,
        period=f"{years[0]} - {years[-1]}",
        frequency="Perjaar",
        default_selection=(
            f"$filter=((RegioS eq '{rows[0].key}'))&$select=VormenVanJeugdzorg, RegioS, "
            f"Perioden, {k2}"
        ),
        default_presentation="ts=1700000000000&graphtype=Table&r=RegioS&k=Topics&t=Perioden",
        first_year=years[0],
    )
    return sl.write_table(
        folder,
        infos=infos,
        props=props,
        dimensions=[
            ("VormenVanJeugdzorg", [sl.dimension_record(k, t) for k, t, _ in COST_FORMS]),
            ("RegioS", region_dim(rows)),
            ("Perioden", [sl.period_record(p.key, p.title, p.status) for p in periods]),
        ],
        rows=gen(),
    )


# --------------------------------------------------------------------------------------
# Gebieden in Nederland <year>
# --------------------------------------------------------------------------------------

# (group title, code prefix, source division, first year, last year)
_GEBIEDEN_GROUPS = (
    ("Arbeidsmarktregio's", "AM", "arbeidsmarktregio", None, None),
    ("Arrondissementen (rechtsgebieden)", "AR", "provincie", None, None),
    ("COROP-gebieden", "CR", "veiligheidsregio", None, None),
    ("COROP-plusgebieden", "CP", "veiligheidsregio", 2017, None),
    ("COROP-subgebieden", "CS", "arbeidsmarktregio", None, 2020),
    ("GGD-regio's", "GG", "veiligheidsregio", None, None),
    ("Jeugdregio's", "JZ", "jeugdregio", None, None),
    ("Landsdelen", "LD", "provincie", None, None),
    ("Provincies", "PV", "provincie", None, None),
    ("Regionale Energiestrategie-regio's", "ES", "veiligheidsregio", 2021, None),
    ("Veiligheidsregio's", "VR", "veiligheidsregio", None, None),
    ("Zorgkantoorregio's", "ZK", "arbeidsmarktregio", 2018, None),
)


_LANDSDELEN = ("Noord-Demoland", "Oost-Demoland", "West-Demoland", "Zuid-Demoland")


def _pad_name(name: str) -> str:
    return name.ljust(40)


def write_gebieden(
    world: World,
    table_id: str,
    year: int,
    folder: Path,
    *,
    modified: str,
    revision: int,
    info_id: int,
    full_cube: bool = True,  # noqa: ARG001 - one classification year
) -> int:
    gems = sorted(
        world.gemeenten_in(year), key=lambda g: (ascii_fold(sort_name(g.name)).casefold(), g.code)
    )
    pop = world.atom_pop(year).astype(float)
    if revision:
        pop = np.floor(pop * (1 + (revision_factor(world, revision) - 1) * 0.05) + 0.5)
    props = sl.Properties()
    props.dim("RegioS", "Regio's", "GeoDimension")
    props.dim("Perioden", "Perioden", "TimeDimension")
    gid = props.group("Gemeenten")
    columns: list[tuple[str, object]] = []
    columns.append((props.topic("Code", "String", "", 0, parent=gid, default="Impossible"), "code"))
    columns.append((props.topic("Naam", "String", "", 0, parent=gid, default="Impossible"), "name"))
    columns.append(
        (
            props.topic(
                "Sorteringnaam",
                "String",
                "",
                0,
                stem="SorteringNaam",
                parent=gid,
                default="Impossible",
            ),
            "sort",
        )
    )
    loc = props.group("Lokaliseringen van gemeenten")
    for gtitle, prefix, division, y0, y1 in _GEBIEDEN_GROUPS:
        if (y0 is not None and year < y0) or (y1 is not None and year > y1):
            continue
        if division == "jeugdregio" and year <= 2016:
            gtitle = "Jeugdzorgregio's"
        sub = props.group(gtitle, parent=loc)
        kc = props.topic("Code", "String", "", 0, parent=sub, default="Impossible")
        kn = props.topic("Naam", "String", "", 0, parent=sub, default="Impossible")
        columns.append((kc, ("code", prefix, division)))
        columns.append((kn, ("name", prefix, division)))
    kpop = props.topic(
        "Inwonertal", "Long", "aantal", 0, description="Aantal inwoners op 1 januari.",
        default="Impossible",
    )  # fmt: skip
    columns.append((kpop, "pop"))

    def region_of(g: Gemeente, prefix: str, division: str) -> tuple[str, str]:
        reg = world.gemeente_region(g, division, year)
        code = prefix + reg.code[2:]
        if prefix == "LD":
            i = world.regions[division].index(reg) % 4
            return f"LD{i + 1:02d}", _LANDSDELEN[i]
        if prefix in {"JZ", "PV", "AM", "VR"}:
            return code, reg.name
        label = {
            "AR": "Arrondissement",
            "CR": "COROP",
            "CP": "COROP-plus",
            "CS": "COROP-sub",
            "GG": "GGD",
            "ES": "RES",
            "ZK": "Zorgkantoor",
        }
        base = (
            reg.name.split(" ", 1)[1]
            if reg.name.startswith(("Werkregio ", "Veiligheidsregio "))
            else reg.name
        )
        return code, f"{label[prefix]} {base}"

    period = f"{year}JJ00"

    def gen() -> Iterator[tuple]:
        for i, g in enumerate(gems):
            vals: list[object] = []
            for _, what in columns:
                if what == "code":
                    vals.append(sl.pad(g.code))
                elif what == "name":
                    vals.append(_pad_name(g.name))
                elif what == "sort":
                    vals.append(_pad_name(sort_name(g.name)))
                elif what == "pop":
                    vals.append(int(pop[list(g.atoms)].sum()))
                else:
                    kind, prefix, division = what  # type: ignore[misc]
                    code, name = region_of(g, prefix, division)
                    vals.append(sl.pad(code) if kind == "code" else _pad_name(name))
            yield (i, sl.pad(g.code), period, *vals)

    infos = dict(
        table_id=table_id,
        info_id=info_id,
        title=f"Gebieden in Nederland {year}",
        short_title=f"Gebieden in Nederland {year}",
        summary=f"Indeling van gemeenten in regionale gebieden per 1 januari {year}",
        description=f"Gemeenten per 1 januari {year} met de regio's waartoe zij behoren "
        "(jeugdregio, provincie, arbeidsmarktregio, veiligheidsregio, ...).",
        modified=modified,
        period=str(year),
        frequency="Perjaar",
        default_selection=f"$select=RegioS, Perioden, {columns[0][0]}, {columns[1][0]}",
        default_presentation="ts=1700000000000&graphtype=Table&r=RegioS&k=Topics",
        graph_types="Table",
    )
    return sl.write_table(
        folder,
        infos=infos,
        props=props,
        dimensions=[
            (
                "RegioS",
                [sl.dimension_record(sl.pad(g.code), g.name, _merger_text(world, g)) for g in gems],
            ),
            ("Perioden", [sl.period_record(period, str(year), "Definitief")]),
        ],
        rows=gen(),
    )


# --------------------------------------------------------------------------------------
# Kerncijfers wijken en buurten <year> (land and gemeente rows only)
# --------------------------------------------------------------------------------------


def write_kwb(
    world: World,
    table_id: str,
    year: int,
    folder: Path,
    *,
    modified: str,
    revision: int,
    info_id: int,
    full_cube: bool = True,  # noqa: ARG001 - one classification year
) -> int:
    gems = sorted(
        world.gemeenten_in(year), key=lambda g: (ascii_fold(sort_name(g.name)).casefold(), g.code)
    )
    ages = world.atom_ages[:, world.pop_index(year), :].astype(float)
    if revision:
        ages = np.floor(ages * (1 + (revision_factor(world, revision)[:, None] - 1) * 0.05) + 0.5)
    area_ha = np.array([g.area for g in world.atom_geoms]) / 1e4

    props = sl.Properties(style="kwb")
    props.dim("WijkenEnBuurten", "Wijken en buurten", "GeoDetail", map_year=year)
    g1 = props.group(
        "Regioaanduiding",
        description="De gemeenten in Nederland zijn onderverdeeld in wijken en buurten.",
    )
    props.topic("Gemeentenaam", "String", "naam", 0, parent=g1, default="Impossible",
                description="De naam van de bestuurlijke gemeente.")  # fmt: skip
    props.topic("Soort regio", "String", "omschrijving", 0, parent=g1, default="Impossible",
                description="De gekozen regioaanduiding betreft: Gemeente, Wijk of Buurt.")  # fmt: skip
    props.topic("Codering", "String", "code", 0, parent=g1, default="Impossible",
                description="Gemeentecode heeft 4 posities, voorafgegaan door 'GM'.")  # fmt: skip
    props.topic("Indelingswijziging wijken en buurten", "String", "code", 0, parent=g1,
                default="Impossible")  # fmt: skip
    g2 = props.group("Bevolking", description="De bevolking op 1 januari.")
    props.topic("Aantal inwoners", "Long", "aantal", 0, parent=g2, default="Impossible",
                description=None)  # fmt: skip
    g3 = props.group("Geslacht", parent=g2)
    props.topic("Mannen", "Long", "aantal", 0, parent=g3, default="Impossible", description=None)
    props.topic("Vrouwen", "Long", "aantal", 0, parent=g3, default="Impossible", description=None)
    g4 = props.group("Leeftijdsgroepen", parent=g2)
    bands = ((0, 15), (15, 25), (25, 45), (45, 65), (65, 101))
    for lo, hi in bands:
        t = f"{lo} tot {hi} jaar" if hi < 101 else f"{lo} jaar of ouder"
        props.topic(t, "Long", "aantal", 0, parent=g4, default="Impossible",
                    description=f"Aantal inwoners dat op 1 januari {t} oud is.")  # fmt: skip
    g5 = props.group("Oppervlakte")
    props.topic("Oppervlakte totaal", "Long", "ha", 0, parent=g5, default="Impossible")
    props.topic("Bevolkingsdichtheid", "Long", "aantal inwoners per km²", 0, parent=g2,
                default="Impossible")  # fmt: skip
    # stapeling denominator (analysis.demo.stapeling); appended so earlier keys keep their number
    households = atom_huishoudens(world, year)
    props.topic("Huishoudens totaal", "Long", "aantal", 0, default="Impossible")

    def values(atoms: list[int], name: str, soort: str, code: str) -> tuple:
        a = ages[atoms].sum(axis=0)
        tot = int(a.sum())
        men = int(np.floor(tot * 0.496 + 0.5))
        area = float(area_ha[atoms].sum())
        return (
            _pad_name(name),
            soort.ljust(10),
            sl.pad(code),
            ".",
            tot,
            men,
            tot - men,
            *(int(a[lo:hi].sum()) for lo, hi in bands),
            int(round(area)),
            int(round(tot / (area / 100))),
            int(households[atoms].sum()),
        )

    def gen() -> Iterator[tuple]:
        yield (0, sl.pad("NL00"), *values(list(range(world.n_atoms)), "Demoland", "Land", "NL00"))
        for i, g in enumerate(gems, start=1):
            yield (i, sl.pad(g.code), *values(list(g.atoms), g.name, "Gemeente", g.code))

    dim = [
        {
            "Key": sl.pad("NL00"),
            "Title": "Demoland",
            "Description": None,
            "Municipality": "",
            "DetailRegionCode": "",
        }
    ] + [
        {
            "Key": sl.pad(g.code),
            "Title": g.name,
            "Description": f"Gemeente '{g.name}' ({g.code})",
            "Municipality": g.code,
            "DetailRegionCode": g.code,
        }
        for g in gems
    ]
    infos = dict(
        table_id=table_id,
        info_id=info_id,
        title=f"Kerncijfers wijken en buurten {year}",
        short_title=f"Kerncijfers wijken en buurten {year}",
        summary="Kerncijfers over demografische kenmerken\nUitgesplitst naar gemeenten",
        description=f"Overzicht van statistische gegevens van gemeenten in Demoland. Gegevens "
        f"beschikbaar over: {year}. Alleen land- en gemeenteregels.",
        modified=modified,
        period=str(year),
        frequency="Onregelmatig",
        default_selection=f"$filter=((WijkenEnBuurten eq '{sl.pad('NL00')}'))&$select=WijkenEnBuurten, "
        "Gemeentenaam_1, AantalInwoners_5",
        default_presentation="ts=1700000000000&graphtype=Table&r=WijkenEnBuurten&k=Topics&_gu=GM",
        graph_types="Table,Map",
    )
    return sl.write_table(
        folder, infos=infos, props=props, dimensions=[("WijkenEnBuurten", dim)], rows=gen()
    )


#: seed stream of the stapeling tables (analysis.demo.stapeling), shared with the households
S_STAPELING = 40


def atom_huishoudens(world: World, year: int) -> np.ndarray:
    """Particuliere huishoudens per atom on 1 January (average size 2.1–2.3 persons): the KWB
    household count and the stapeling denominator of Demoland."""
    size = np.random.default_rng([world.seed, S_STAPELING, 0]).uniform(2.1, 2.3, world.n_atoms)
    return np.floor(world.atom_pop(year) / size + 0.5)
