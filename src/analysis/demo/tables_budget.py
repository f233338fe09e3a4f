"""Demoland's budget tables in the exact CBS shapes (docs/budget.md §2).

* ``83454NED`` Gemeentelijke kosten; jeugdzorg: region dimension ``Regio`` (not ``RegioS``),
  only gemeente rows (CBS publishes no national row), half-years 2015–2018 and years
  2015–; about three quarters of the gemeenten deliver in a year (partial delivery, both cost
  figures empty otherwise), the realisation of the running year is not known yet; besides the
  cost measures the per-1 000-inwoners measures that the build must not pick.
* ``84580NED`` Gemeentelijke uitgaven Wmo-maatwerkvoorzieningen (2017–), with a national row.
* Maatstaven gemeentefonds per year: one row per gemeente of the year's classification and
  Demoland, the measures the expected-cost model uses (rounded to 10 like CBS).

Costs are generated per atom from the same need variables the Maatstaven publish, so the
expected-cost model has something to find; every figure is synthetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from analysis.demo import statline as sl
from analysis.demo import tables as tb
from analysis.demo.world import World

_S_BUDGET = 31

#: VormenVanJeugdzorg of 83454NED: (key, title, share of the total)
KOSTEN_VORMEN = (
    ("A045561", "JZ Totaal jeugdzorg", 1.0),
    ("A045560", "JH 1 Totaal jeugdhulp", 0.86),
    ("A027918", "JH 122 Jeugdhulp met verblijf (ZIN en PGB)", 0.36),
    ("A045580", "JBR Totaal jeugdbescherming en -reclassering", 0.11),
)
HALF_SHARE = (0.48, 0.52)
#: Maatstaven gemeentefonds: (stem, title) in table order (titles as the build resolves them)
MAATSTAVEN = (
    ("InwonersTot18Jaar", "Inwoners tot 18 jaar"),
    ("TotaalParticuliereHuishoudens", "Totaal particuliere huishoudens"),
    ("MetThuiswondenKinderen0Tot18Jaar", "Met thuiswonende kinderen 0 tot 18 jaar"),
    ("Eenouderhuishoudens", "Eenouderhuishoudens"),
    ("TotaalMinderjarigeKinderen", "Totaal minderjarige kinderen"),
    ("InHuishoudensMetLaagInkomen", "In huishoudens met laag inkomen"),
    ("PersonenMetBijstand", "Personen met bijstand"),
)
WMO_TYPES = (
    ("T001001", "Totaal", 1.0),
    ("A050913", "Totaal exclusief verblijf en opvang", 0.78),
    ("A050914", "Ondersteuning thuis, totaal", 0.41),
)


def behoefte(world: World) -> dict[str, np.ndarray]:
    """Per atom: the need variables (stable over the years) and the cost per young person."""
    rng = np.random.default_rng([world.seed, _S_BUDGET])
    n = world.n_atoms
    laag = rng.uniform(0.04, 0.20, n)  # share of minors in low-income households
    eenouder = rng.uniform(0.08, 0.22, n)  # share of households with children
    bijstand = rng.uniform(0.02, 0.08, n)  # persons on bijstand per household
    per_jongere = (
        700 + 5200 * laag + 2600 * eenouder + 6000 * bijstand + rng.normal(0, 120, n)
    )  # euro per young person 0-17
    return {
        "laag": laag,
        "eenouder": eenouder,
        "bijstand": bijstand,
        "per_jongere": np.maximum(per_jongere, 300.0),
        "begroting": rng.uniform(0.86, 1.04, n),
    }


def _jongeren(world: World, year: int) -> np.ndarray:
    return world.atom_ages[:, world.pop_index(year), :18].sum(axis=1).astype(float)


def _infos(table_id: str, title: str, short: str, summary: str, description: str, **kw) -> dict:
    return dict(
        table_id=table_id,
        title=title,
        short_title=short,
        summary=summary,
        description=description,
        default_presentation="ts=1700000000000&graphtype=Table&r=RegioS&k=Topics&t=Perioden",
        **kw,
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
    """83454NED in its CBS shape (see the module docstring)."""
    del revision  # the cost table is not revised in Demoland releases
    b = behoefte(world)
    rng = np.random.default_rng([world.seed, _S_BUDGET, 1])
    periods: list[tb.Period] = []
    for y in years:
        st = tb.status_of(world, y)
        mk = {"Voorlopig": "*", "Nader voorlopig": "**"}.get(st, "")
        if y <= 2018:
            periods.append(tb.Period(f"{y}HJ01", f"1e halfjaar {y}{mk}", st, y, 1))
            periods.append(tb.Period(f"{y}HJ02", f"2e halfjaar {y}{mk}", st, y, 2))
        periods.append(tb.Period(f"{y}JJ00", f"{y}{mk}", st, y, 0))
    rows = [r for r in tb.region_rows(world, years, provinces=False) if r.kind == "GM"]
    codes = [r.code for r in rows]
    base = {c: rng.random() < 0.75 for c in codes}
    flips = rng.random((len(codes), len(world.years))) < 0.08
    shares = np.array([s for _, _, s in KOSTEN_VORMEN])
    n_f, n_r, n_p = len(KOSTEN_VORMEN), len(rows), len(periods)
    real = np.full((n_f, n_r, n_p), np.nan)
    budg = np.full((n_f, n_r, n_p), np.nan)
    for pi, p in enumerate(periods):
        mat, exists = tb.region_matrix(world, rows, p.year)
        f = 1.04 ** (p.year - 2021) * (HALF_SHARE[p.half - 1] if p.half else 1.0)
        atom_real = _jongeren(world, p.year) * b["per_jongere"] / 1000.0 * f
        r_reg = np.floor(mat @ atom_real + 0.5)
        b_reg = np.floor(mat @ (atom_real / b["begroting"]) + 0.5)
        yi = p.year - world.first_year
        ok = exists & np.array([base[c] != bool(flips[i, yi]) for i, c in enumerate(codes)])
        r_reg[~ok] = np.nan
        b_reg[~ok] = np.nan
        if p.year == world.last_year:
            r_reg[:] = np.nan  # the realisation of the running year is not known yet
        real[:, :, pi] = np.floor(r_reg[None, :] * shares[:, None] + 0.5)
        budg[:, :, pi] = np.floor(b_reg[None, :] * shares[:, None] + 0.5)
    jong = np.array(
        [[(tb.region_matrix(world, rows, p.year)[0] @ world.atom_pop(p.year)) for p in periods]]
    )[0].T  # (regions, periods) inhabitants, for the per-1 000 measures

    props = sl.Properties()
    props.dim("VormenVanJeugdzorg", "Vormen van jeugdzorg", "Dimension")
    props.dim("Regio", "Regio", "GeoDimension")
    props.dim("Perioden", "Perioden", "TimeDimension")
    props.topic("Begrote kosten", "Long", "1 000 euro", 0, stem="BegroteKosten")
    k2 = props.topic("Gerealiseerde kosten", "Long", "1 000 euro", 0, stem="GerealiseerdeKosten")
    props.topic(
        "Begrote kosten per 1 000 inwoners", "Long", "1 000 euro", 0,
        stem="BegroteKostenPer1000Inwoners",
    )  # fmt: skip
    props.topic(
        "Gerealiseerde kosten per 1 000 inwoners", "Long", "1 000 euro", 0,
        stem="GerealiseerdeKostenPer1000Inwoners",
    )  # fmt: skip
    ex = tb.exists_grid(rows, periods)

    def per1000(v: np.ndarray, ri: int) -> list:
        with np.errstate(divide="ignore", invalid="ignore"):
            return tb._py(np.floor(v / (jong[ri] / 1000.0) + 0.5))

    def gen() -> Iterator[tuple]:
        i = 0
        for fi, (fkey, _, _) in enumerate(KOSTEN_VORMEN):
            for ri, reg in enumerate(rows):
                bb, rr = tb._py(budg[fi, ri]), tb._py(real[fi, ri])
                b1, r1 = per1000(budg[fi, ri], ri), per1000(real[fi, ri], ri)
                for pi, p in enumerate(periods):
                    if not (full_cube or ex[ri, pi]):
                        continue
                    yield (i, fkey, reg.key, p.key, bb[pi], rr[pi], b1[pi], r1[pi])
                    i += 1

    infos = _infos(
        table_id,
        title,
        "Gemeentelijke kosten; jeugdzorg",
        "Begrote en gerealiseerde kosten van gemeenten voor jeugdzorg\nnaar vorm van jeugdzorg",
        "Alleen gemeenten die gegevens leverden en instemden met publicatie; andere cellen zijn "
        "leeg. Er is geen landtotaal.",
        info_id=info_id,
        modified=modified,
        period=f"{years[0]} - {years[-1]}",
        frequency="Perjaar",
        default_selection=f"$select=VormenVanJeugdzorg, Regio, Perioden, {k2}",
        first_year=years[0],
    )
    return sl.write_table(
        folder,
        infos=infos,
        props=props,
        dimensions=[
            ("VormenVanJeugdzorg", [sl.dimension_record(k, t) for k, t, _ in KOSTEN_VORMEN]),
            *tb.region_period_dims(rows, periods, "Regio"),
        ],
        rows=gen(),
    )


def _round10(x: np.ndarray) -> np.ndarray:
    return 10 * np.floor(x / 10 + 0.5)


def write_maatstaven(world: World, table_id: str, title: str, year: int, folder: Path, **kw) -> int:
    """Maatstaven gemeentefonds of ``year``: Demoland and every gemeente of the year."""
    b = behoefte(world)
    rows = [
        r
        for r in tb.region_rows(world, [year], provinces=False)
        if r.kind == "NL" or (r.gemeente is not None and r.gemeente.exists(year))
    ]
    mat, _ = tb.region_matrix(world, rows, year)
    jong = _jongeren(world, year)
    pop = world.atom_pop(year).astype(float)
    hh = pop / 2.2
    hh_kind = jong / 1.8
    atom = {
        "InwonersTot18Jaar": jong,
        "TotaalParticuliereHuishoudens": hh,
        "MetThuiswondenKinderen0Tot18Jaar": hh_kind,
        "Eenouderhuishoudens": hh_kind * b["eenouder"],
        "TotaalMinderjarigeKinderen": jong * 0.985,
        "InHuishoudensMetLaagInkomen": jong * 0.985 * b["laag"],
        "PersonenMetBijstand": hh * b["bijstand"],
    }
    props = sl.Properties()
    props.dim("RegioS", "Regio's", "GeoDimension")
    values = {}
    for stem, t in MAATSTAVEN:
        key = props.topic(t, "Long", "aantal", 0, stem=stem)
        values[key] = tb._py(_round10(mat @ atom[stem]))

    def gen() -> Iterator[tuple]:
        for ri, reg in enumerate(rows):
            yield (ri, reg.key, *(values[k][ri] for k in props.topic_keys))

    infos = _infos(
        table_id,
        title,
        f"Maatstaven gemeentefonds {year}",
        "Maatstaven van het gemeentefonds per gemeente",
        "Verdeelmaatstaven, geen bedragen; peildata in de tabel.",
        info_id=kw["info_id"],
        modified=kw["modified"],
        period=str(year),
        frequency="Perjaar",
        default_selection="$select=RegioS",
    )
    return sl.write_table(
        folder, infos=infos, props=props, dimensions=[("RegioS", tb.region_dim(rows))], rows=gen()
    )


def write_wmo_uitgaven(
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
    """84580NED: begrote and gerealiseerde Wmo-uitgaven per type, gemeenten and Demoland."""
    del revision
    rng = np.random.default_rng([world.seed, _S_BUDGET, 2])
    per_inw = rng.uniform(0.20, 0.34, world.n_atoms)  # 1 000 euro per 1 000 inwoners / 1000
    rows = tb.region_rows(world, years, provinces=False)
    periods = tb.year_periods(world, years)
    codes = [r.code for r in rows]
    deliver = {c: rng.random() < 0.8 for c in codes}
    shares = np.array([s for _, _, s in WMO_TYPES])
    real = np.full((len(WMO_TYPES), len(rows), len(periods)), np.nan)
    budg = np.full_like(real, np.nan)
    for pi, p in enumerate(periods):
        mat, exists = tb.region_matrix(world, rows, p.year)
        atom = world.atom_pop(p.year) * per_inw * 1.03 ** (p.year - 2017)
        r = np.floor(mat @ atom + 0.5)
        ok = exists & np.array([deliver[c] or c.startswith("NL") for c in codes])
        r[~ok] = np.nan
        bb = np.floor(r * 0.97 + 0.5)
        bb[[c.startswith("NL") for c in codes]] = np.nan  # no national budget at CBS
        real[:, :, pi] = np.floor(r[None, :] * shares[:, None] + 0.5)
        budg[:, :, pi] = np.floor(bb[None, :] * shares[:, None] + 0.5)
    props = sl.Properties()
    props.dim("MaatwerkvoorzieningenType", "Maatwerkvoorzieningen type", "Dimension")
    props.dim("RegioS", "Regio's", "GeoDimension")
    props.dim("Perioden", "Perioden", "TimeDimension")
    props.topic("Begrote uitgaven", "Long", "1 000 euro", 0, stem="BegroteUitgaven")
    props.topic("Gerealiseerde uitgaven", "Long", "1 000 euro", 0, stem="GerealiseerdeUitgaven")
    ex = tb.exists_grid(rows, periods)

    def gen() -> Iterator[tuple]:
        i = 0
        for fi, (fkey, _, _) in enumerate(WMO_TYPES):
            for ri, reg in enumerate(rows):
                bb, rr = tb._py(budg[fi, ri]), tb._py(real[fi, ri])
                for pi, p in enumerate(periods):
                    if not (full_cube or ex[ri, pi]):
                        continue
                    yield (i, fkey, reg.key, p.key, bb[pi], rr[pi])
                    i += 1

    infos = _infos(
        table_id,
        title,
        "Gemeentelijke uitgaven Wmo-maatwerkvoorzieningen",
        "Begrote en gerealiseerde uitgaven voor Wmo-maatwerkvoorzieningen",
        "Alleen gemeenten die leverden; het landtotaal is een schatting.",
        info_id=info_id,
        modified=modified,
        period=f"{years[0]} - {years[-1]}",
        frequency="Perjaar",
        default_selection="$select=MaatwerkvoorzieningenType, RegioS, Perioden",
        first_year=years[0],
    )
    return sl.write_table(
        folder,
        infos=infos,
        props=props,
        dimensions=[
            ("MaatwerkvoorzieningenType", [sl.dimension_record(k, t) for k, t, _ in WMO_TYPES]),
            *tb.region_period_dims(rows, periods),
        ],
        rows=gen(),
    )


#: folder (under the Demoland output) of the synthetic local budget file (kind ``budget``)
REGISTRY_DIR = "registry"
BUDGET_JAREN = (2022, 2023, 2024)


def write_rijksbudget(world: World, out_dir: Path) -> Path:
    """A synthetic local budget file (``registry/budget/*.csv``, kind ``budget`` of
    :mod:`analysis.localdata`): a Rijk budget per gemeente and year from invented circulaires,
    every record with a (synthetic) source, so the chapter can show a "tekort ten opzichte van
    het rijksbudget" offline. About one in five gemeenten has no record (nothing is imputed)."""
    from analysis.localdata.kinds import kind

    b = behoefte(world)
    rng = np.random.default_rng([world.seed, _S_BUDGET, 3])
    dekking = rng.uniform(0.82, 1.02, world.n_atoms)  # Rijk budget / realised cost
    cols = kind("budget").columns
    lines = [";".join(cols)]
    for y in (j for j in BUDGET_JAREN if world.first_year <= j <= world.last_year):
        atom = _jongeren(world, y) * b["per_jongere"] * 1.04 ** (y - 2021) * dekking
        for g in world.gemeenten_in(y):
            if rng.random() < 0.2:
                continue
            bedrag = float(np.floor(atom[list(g.atoms)].sum() + 0.5))
            rec = {
                "code": g.code,
                "naam": g.name,
                "jaar": str(y),
                "uitkering": "algemene uitkering, onderdeel jeugd",
                "bedrag_euro": f"{bedrag:.0f}",
                "circulaire": f"meicirculaire {y}",
                "circulaire_datum": f"{y}-05-31",
                "bron_titel": f"SYNTHETISCH: Meicirculaire gemeentefonds {y}, bijlage jeugd",
                "bron_uitgever": "Ministerie van Demozaken (synthetisch)",
                "bron_datum": f"{y}-05-31",
                "bron_vindplaats": f"https://example.org/demoland/meicirculaire-{y}, bijlage 3",
                "vastgelegd_op": f"{world.last_year + 1}-01-15",
                "vastgelegd_door": "Demoland-generator",
                "toelichting": "Synthetische gegevens (Demoland), geen echte bedragen",
            }
            lines.append(";".join(rec.get(c, "") for c in cols))
    path = Path(out_dir) / REGISTRY_DIR / "budget" / "demoland_circulaires.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------
# Iv3 on dataderden ("Gemeenten <jaar> onbewerkte Iv3-data")
# --------------------------------------------------------------------------------------

#: (code, title, share of the youth cost) per structure; main codes 6.72/6.82 are totals of
#: their subdivisions (as in CBS's definition files) and Wmo codes carry other cost
_IV3_OUD = (
    ("6.71", "Maatwerkdienstverlening 18+", None),
    ("6.72", "Maatwerkdienstverlening 18-", "totaal"),
    ("6.72a", "Jeugdhulp begeleiding", 0.20),
    ("6.72b", "Jeugdhulp behandeling", 0.18),
    ("6.72c", "Jeugdhulp dagbesteding", 0.04),
    ("6.72d", "Jeugdhulp zonder verblijf overig", 0.08),
    ("6.73a", "Pleegzorg", 0.08),
    ("6.73b", "Gezinsgericht", 0.05),
    ("6.73c", "Jeugdhulp met verblijf overig", 0.10),
    ("6.74a", "Jeugd behandeling GGZ zonder verblijf", 0.07),
    ("6.74b", "Jeugdhulp crisis/LTA/GGZ-verblijf", 0.05),
    ("6.74c", "Gesloten plaatsing", 0.04),
    ("6.82", "Geëscaleerde zorg 18-", "totaal"),
    ("6.82a", "Jeugdbescherming", 0.09),
    ("6.82b", "Jeugdreclassering", 0.02),
)
_IV3_NIEUW = (
    ("6.711", "Huishoudelijke hulp (WMO)", None),
    ("6.751", "Jeugdhulp ambulant lokaal", 0.30),
    ("6.752", "Jeugdhulp ambulant regionaal", 0.15),
    ("6.753", "Jeugdhulp ambulant landelijk", 0.04),
    ("6.761", "Jeugdhulp met verblijf lokaal", 0.05),
    ("6.762", "Jeugdhulp met verblijf regionaal", 0.17),
    ("6.763", "Jeugdhulp met verblijf landelijk", 0.05),
    ("6.792", "PGB Jeugd", 0.13),
    ("6.821", "Jeugdbescherming", 0.09),
    ("6.822", "Jeugdreclassering", 0.02),
)
#: lasten categories: (code, title, share); L7.4 is a reserve mutation the build leaves out
_IV3_CATEGORIE = (
    ("L3.8", "Overige goederen en diensten", 0.12),
    ("L4.3.1", "Inkomensoverdrachten aan gemeenten", 0.88),
    ("L7.4", "Toevoegingen aan reserves", 0.05),
)
_VERSLAGSOORT = (("A001", "Begroting"), ("A002", "Realisatie"))


def write_iv3(world: World, table_id: str, title: str, year: int, folder: Path, **kw) -> int:
    """One Iv3 year in the dataderden shape: padded keys (``Gemeenten``,
    ``TaakveldBalanspost``, ``Categorie``), ``Verslagsoort`` resolved by title, amounts in
    1 000 euro; the taakveld structure of the year (through 2024 the old codes, from 2025 the
    new ones)."""
    b = behoefte(world)
    taakvelden = _IV3_OUD if year <= 2024 else _IV3_NIEUW
    rows = [
        r
        for r in tb.region_rows(world, [year], provinces=False)
        if r.gemeente is not None and r.gemeente.exists(year)
    ]
    mat, _ = tb.region_matrix(world, rows, year)
    jeugd = mat @ (_jongeren(world, year) * b["per_jongere"] / 1000.0 * 1.04 ** (year - 2021))
    wmo = mat @ (world.atom_pop(year) * 0.27)
    width_tv = max(len(c) for c, _, _ in taakvelden) + 2
    props = sl.Properties()
    props.dim("Gemeenten", "Gemeenten", "GeoDimension")
    props.dim("TaakveldBalanspost", "Taakveld/balanspost", "Dimension")
    props.dim("Categorie", "Categorie", "Dimension")
    props.dim("Verslagsoort", "Verslagsoort", "Dimension")
    props.topic("Bedrag", "Long", "1 000 euro", 0, stem="Bedrag")
    leaf_share = {c: s for c, _, s in taakvelden if isinstance(s, float)}
    totals = {"6.72": ("6.72a", "6.72b", "6.72c", "6.72d"), "6.82": ("6.82a", "6.82b")}

    def bedrag(ri: int, code: str, share, cat_share: float, factor: float) -> int:
        if share is None:
            return int(round(wmo[ri] * cat_share * factor))
        if share == "totaal":
            return sum(bedrag(ri, c, leaf_share[c], cat_share, factor) for c in totals[code])
        return int(round(jeugd[ri] * share * cat_share * factor))

    def gen() -> Iterator[tuple]:
        i = 0
        for ri, reg in enumerate(rows):
            for code, _, share in taakvelden:
                for ckey, _, cshare in _IV3_CATEGORIE:
                    for vkey, vtitle in _VERSLAGSOORT:
                        factor = 0.95 if vtitle == "Begroting" else 1.0
                        yield (i, sl.pad(reg.code, 8), code.ljust(width_tv), ckey.ljust(8),
                               vkey, bedrag(ri, code, share, cshare, factor))  # fmt: skip
                        i += 1

    infos = _infos(
        table_id,
        title,
        f"Iv3 gemeenten {year}",
        "Onbewerkte Iv3-data van gemeenten (lasten per taakveld en categorie)",
        "Onbewerkte gegevens zoals gemeenten ze aanleverden; bedragen x 1 000 euro.",
        info_id=kw["info_id"],
        modified=kw["modified"],
        period=str(year),
        frequency="Perjaar",
        default_selection="$select=Gemeenten, TaakveldBalanspost, Categorie, Verslagsoort",
    )
    return sl.write_table(
        folder,
        infos=infos,
        props=props,
        dimensions=[
            ("Gemeenten", [sl.dimension_record(sl.pad(r.code, 8), r.title) for r in rows]),
            (
                "TaakveldBalanspost",
                [sl.dimension_record(c.ljust(width_tv), f"{c} {t}") for c, t, _ in taakvelden],
            ),
            (
                "Categorie",
                [sl.dimension_record(k.ljust(8), f"{k} {t}") for k, t, _ in _IV3_CATEGORIE],
            ),
            ("Verslagsoort", [sl.dimension_record(k, t) for k, t in _VERSLAGSOORT]),
        ],
        rows=gen(),
    )
