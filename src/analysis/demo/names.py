"""Fictional, Dutch-sounding names for Demoland's gemeenten and regions.

Every generated gemeente name is a stem + ending from the lists below, or one of the fixed
special names. The stems are chosen so that no combination is the name of a real Dutch
gemeente (checked by a test against the recorded CBS and cartomap names).
"""

from __future__ import annotations

import unicodedata

import numpy as np

CITY = "'s-Demohage"
DIACRITIC = "Súdwest-Demolân"
ISLAND = "Demo-Oog"
SPECIAL = (CITY, DIACRITIC, ISLAND)

STEMS = (
    "Kievit",
    "Reiger",
    "Grutto",
    "Kwartel",
    "Wulp",
    "Tureluur",
    "Plevier",
    "Roerdomp",
    "Otter",
    "Dassen",
    "Bunzing",
    "Hermelijn",
    "Egel",
    "Vlier",
    "Klaver",
    "Pinksterbloem",
    "Dotter",
    "Boterbloem",
    "Zegge",
    "Biezen",
    "Lisdodde",
    "Wilgen",
    "Elzen",
    "Berken",
    "Eiken",
    "Linden",
    "Hazel",
    "Hulst",
    "Mispel",
    "Kwelder",
    "Slenk",
    "Kreken",
    "Geul",
    "Zavel",
    "Mergel",
    "Keien",
    "Turf",
    "Knip",
    "Schollen",
    "Mossel",
    "Peper",
    "Tulpen",
    "Kwak",
    "Pruimen",
    "Knollen",
    "Rapen",
    "Bieten",
    "Lupine",
    "Distel",
    "Heide",
    "Varen",
    "Raaf",
    "Kraai",
    "Ekster",
    "Specht",
    "Merel",
    "Lijster",
    "Vink",
    "Gors",
    "Zwaluw",
)
ENDINGS = (
    "brug",
    "dam",
    "dijk",
    "veen",
    "wijk",
    "hoven",
    "horst",
    "loo",
    "meer",
    "zand",
    "berg",
    "beek",
    "hout",
    "rode",
    "woude",
    "wolde",
    "kerk",
    "sluis",
    "haven",
    "burg",
    "holt",
    "voorde",
    "drecht",
    "um",
    "rade",
    "donk",
    "gaast",
    "weide",
    "schot",
    "heem",
)
MERGED = (
    "Demowolde",
    "Demolanden",
    "Kievitstreek",
    "Reigerland",
    "Demohorsten",
    "Heuvelrug-Demo",
    "Otterwaarden",
    "Demo-Kwartier",
    "Wulpenland",
    "Demomeren",
    "Berkenstreek",
    "Demodelta",
)
PROVINCES = (
    "Noord-Demoland",
    "Zuid-Demoland",
    "Oost-Demoland",
    "West-Demoland",
    "Midden-Demoland",
    "Demolân",
    "Demoveen",
    "Demokust",
    "Demodelta",
    "Demoheuvelland",
    "Demowaard",
    "Demomarken",
    "Demogouw",
    "Demostreek",
    "Demozand",
    "Demowold",
)
_COMPASS = (
    "Noord",
    "Zuid",
    "Oost",
    "West",
    "Midden",
    "Noordoost",
    "Noordwest",
    "Zuidoost",
    "Zuidwest",
)
_LANDS = (
    "Demoland",
    "Demoveen",
    "Demokust",
    "Demodelta",
    "Demoheuvels",
    "Demowold",
    "Demogouw",
)


def sort_name(name: str) -> str:
    """CBS-style sort key: ``'s-Demohage`` sorts as ``Demohage, 's-``; accents ignored."""
    base = name
    for prefix in ("'s-", "'t "):
        if base.startswith(prefix):
            base = base[len(prefix) :] + ", " + prefix.strip()
    return base


def ascii_fold(text: str) -> str:
    """Drop diacritics (for keys and sorting)."""
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c))


def all_generated_names() -> list[str]:
    """Every name the generator can produce (for collision tests)."""
    combos = [s + e for s in STEMS for e in ENDINGS]
    regions = [f"{c}-{land}" for c in _COMPASS for land in _LANDS]
    return sorted(set(combos) | set(SPECIAL) | set(MERGED) | set(PROVINCES) | set(regions))


def gemeente_names(n: int, rng: np.random.Generator, reserved: set[str]) -> list[str]:
    """``n`` unique stem+ending names, none in ``reserved``."""
    stems = list(STEMS)
    endings = list(ENDINGS)
    out: list[str] = []
    seen = set(reserved)
    tries = 0
    while len(out) < n:
        tries += 1
        if tries > 100_000:
            raise RuntimeError("cannot draw enough unique gemeente names")
        name = stems[int(rng.integers(len(stems)))] + endings[int(rng.integers(len(endings)))]
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def region_names(n: int, rng: np.random.Generator, taken: set[str]) -> list[str]:
    """``n`` unique ``<Compass>-<Land>`` names, none in ``taken``."""
    pool = [f"{c}-{land}" for land in _LANDS for c in _COMPASS]
    pool = [p for p in pool if p not in taken]
    if n > len(pool):
        raise ValueError(f"at most {len(pool)} region names available, asked {n}")
    idx = rng.permutation(len(pool))[:n]
    return [pool[int(i)] for i in idx]
