"""Demoland's Gebieden in Nederland tables (regional classification per year)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from analysis.demo import statline as sl
from analysis.demo.names import sort_name
from analysis.demo.tables_common import (
    _merger_text,
    _pad_name,
    cbs_order,
    revised_counts,
)
from analysis.demo.world import Gemeente, World

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
    gems = cbs_order(world.gemeenten_in(year))
    pop = world.atom_pop(year).astype(float)
    if revision:
        pop = revised_counts(world, pop, revision)
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
