"""Demoland's youth-care tables (84134NED, 85099NED); the costs (83454NED) are in tables_budget."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from analysis.demo import statline as sl
from analysis.demo.tables_common import (
    _S_YOUTH,
    PROVISIONAL_FACTOR,
    TREND_BREAK_FACTOR,
    TREND_BREAK_YEAR,
    Period,
    _py,
    exists_grid,
    publish,
    region_matrix,
    region_period_dims,
    region_rows,
    revised_periods,
    revision_factor,
    youth_periods,
)
from analysis.demo.world import World

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
            *region_period_dims(rows, periods),
        ],
        rows=gen(),
        category_groups=youth_category_groups(),
    )
