"""Demoland's population table (03759ned) and Kerncijfers wijken en buurten (KWB)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from analysis.demo import statline as sl
from analysis.demo.tables_common import (
    _pad_name,
    _py,
    atom_huishoudens,
    cbs_order,
    exists_grid,
    region_matrix,
    region_period_dims,
    region_rows,
    revised_counts,
    revision_factor,
    year_periods,
)
from analysis.demo.world import World

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
            a = revised_counts(world, a, revision, rev)
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
            *region_period_dims(rows, periods),
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
    gems = cbs_order(world.gemeenten_in(year))
    ages = world.atom_ages[:, world.pop_index(year), :].astype(float)
    if revision:
        ages = revised_counts(world, ages, revision)
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
