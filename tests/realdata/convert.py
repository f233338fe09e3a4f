"""Label-CSV exports of real CBS tables -> OData dump folders the replay server can serve.

``shared/data/cbs_statline_csv/<ID>.csv`` (PROVENANCE §5) are real StatLine tables written by a
third-party scraper: ``;``-separated, UTF-8 with BOM, first column ``ID``, **dimension columns
hold titles**, measure columns keep their real OData keys, suppressed cells are empty, and a
file of exactly 10 000 rows is cut after the first page. This module turns one file,
mechanically, into the folder shape ``cbsodata.download_data`` writes (``TableInfos.json``,
``DataProperties.json``, one ``<Dimension>.json`` per dimension, ``TypedDataSet.json`` and
``UntypedDataSet.json``), in a directory the caller chooses (a tmp dir). The numbers are never
changed; only keys are put back where the export shows titles.

What is mechanical and what is stated here (so a reader can check every choice):

* **Regions** (``RegioS``/``Regio``): titles -> codes through CBS's own tables: the two
  *Gebieden in Nederland* exports (85385NED 2023, 84721NED 2020: every gemeente title with its
  ``GM`` code and every ``Code_NN``/``Naam_NN`` pair of the other divisions), the stapeling
  exports (``Gemeentenaam_1``/``Codering_3`` per year 2015–2024, which hold the gemeenten that
  no longer exist) and the cartomap layers (``statnaam``/``statcode``); 16 former gemeenten
  that none of these carry are stated in :data:`FORMER_GEMEENTEN`. A suffix ``(LD)``,
  ``(PV)``, ``(JZ)``, ``(CR)`` selects the division; ``(gemeente)`` is CBS's disambiguation of a
  gemeente title ("'s-Gravenhage (gemeente)"); a trailing alias in parentheses that the
  division tables do not carry ("Midden-Brabant (Hart van Brabant) (JZ)") is tried without it.
  "Nederland" is ``NL01``. Gemeentegrootteklassen have no code in any export: they get
  converter-assigned keys ``GK01``..``GK06`` (:data:`SIZE_CLASSES`; not CBS keys, never built).
  A title that maps to nothing raises :class:`UnmappedRegions` listing every such title.
* **Wijk tables** (stapeling: a ``Codering_N`` column beside the region dimension): the region
  key of a row is its ``Codering`` (``GM1680``, ``WK168000``; CBS's own key, padded to 8). A
  row without one and without any value (a region that did not deliver; its title can repeat
  a delivering region's, "Waterland" in 83265NED) is left out, counted in
  ``ShortDescription``; a row without ``Codering`` that has values takes its title's code
  (Nederland) or raises.
* **Periods**: "2023" -> ``2023JJ00``, "1e halfjaar 2023"/"1e half jaar 2024" -> ``2023HJ01``,
  "2e halfjaar" -> ``HJ02``, "1e kwartaal 2015" -> ``2015KW01``; a trailing ``*``/``**`` is the
  status *Voorlopig*/*Nader voorlopig*.
* **Other dimensions** (``VormenVanJeugdzorg``, …): the export has no keys; categories get
  converter-assigned keys ``C000001``… in order of first appearance (stable per file).
* **Keys are padded** as CBS pads them: ``RegioS`` keys to 6 characters (``'NL01  '``,
  ``'GM0363'``), the others to their widest key.
* **Topic titles**: the CSV has only keys; :data:`TOPICS` states the real CBS titles (as on the
  table page) for the measures the project resolves by title. Other keys get a title spelt out
  from the key (``InwonersVan15Tot65Jaar_1`` -> "Inwoners van 15 tot 65 jaar").
* ``TableInfos`` carries the CBS title from :data:`TITLES` and a ``Modified`` stamp
  :data:`MODIFIED` (the export does not record CBS's ``Modified``; the stamp is the converter's).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from analysis.replay import synthesise_untyped

#: the cut: the scraper kept only the first page of each TypedDataSet
PAGE_ROWS = 10_000
#: converter stamp for TableInfos.Modified (the exports do not record CBS's own)
MODIFIED = "2024-07-01T02:00:00"

#: CBS table titles (cbs-tables.md); the build checks TableInfos.Title against the registry
TITLES = {
    "85099NED": "Kerncijfers over jeugdzorg",
    "84134NED": "Kerncijfers over jeugdzorg, 2015-2020",
    "82972NED": "Indicatoren jeugdzorg in natura; gemeenten",
    "85100NED": "Jongeren met jeugdzorg; persoonskenmerken",
    "83454NED": "Gemeentelijke kosten; jeugdzorg",
    "85385NED": "Gebieden in Nederland 2023",
    "84721NED": "Gebieden in Nederland 2020",
    "83997NED": "Maatstaven gemeentefonds: Sociaal domein: diverse peildata; regio 2018",
    "84590NED": "Maatstaven gemeentefonds; diverse indicatoren; regio-indeling 2019",
    "84860NED": "Maatstaven gemeentefonds; diverse indicatoren; regio-indeling 2020",
    "85052NED": "Maatstaven gemeentefonds; diverse indicatoren; regio-indeling 2021",
    "85309NED": "Maatstaven gemeentefonds; diverse indicatoren; regio-indeling 2022",
    "84580NED": "Gemeentelijke uitgaven Wmo-maatwerkvoorzieningen; regio",
    "83262NED": "Wmo-cliënten; type maatwerkarrangement, regio, 2015-2020",
    "85043NED": "Wmo-cliënten; type maatwerkvoorziening, persoonskenmerken, regio (2019-2023)",
    "85896NED": "Wmo-cliënten; type maatwerkvoorziening, persoonskenmerken, regio",
    **{
        tid: f"Gebruik voorzieningen sociaal domein; aantal voorzieningen, wijken {year}"
        for tid, year in {
            "83265NED": 2015,
            "83619NED": 2016,
            "83817NED": 2017,
            "84420NED": 2018,
            "84662NED": 2019,
            "85375NED": 2022,
            "85637NED": 2023,
            "85994NED": 2024,
        }.items()
    },
}
#: category keys CBS uses (cbs-tables.md §1.2, seen on the live API); other categories get
#: converter-assigned keys
CATEGORY_KEYS = {
    "VormenVanJeugdzorg": {
        "JZ Totaal jeugdzorg": "A045561",
        "JH 1 Totaal jeugdhulp": "A045560",
    },
}

#: Real CBS topic titles (table pages) per table and key: (Title, Unit, Decimals)
_JEUGDZORG_TOPICS = {
    "JongerenMetJeugdzorg_1": ("Jongeren met jeugdzorg", "aantal", 0),
    "JongerenMetJeugdzorgRelatief_2": ("Jongeren met jeugdzorg (relatief)", "%", 1),
    "Jeugdzorgtrajecten_3": ("Jeugdzorgtrajecten", "aantal", 0),
}
_TOT18 = ("Inwoners tot 18 jaar", "aantal", 0)
#: Maatstaven gemeentefonds measures the budget chapter resolves by title (docs/budget.md §4);
#: the same keys (with the year's own number) in 84590NED, 84860NED, 85052NED and 85309NED
_MAATSTAVEN = {
    "TotaalParticuliereHuishoudens_3": ("Totaal particuliere huishoudens", "aantal", 0),
    "MetThuiswondenKinderen0Tot18Jaar_5": (
        "Met thuiswonende kinderen 0 tot 18 jaar",
        "aantal",
        0,
    ),
    "MetThuiswonendenKinderen0Tot18Jaar_5": (
        "Met thuiswonende kinderen 0 tot 18 jaar",
        "aantal",
        0,
    ),
    "Eenouderhuishoudens2OfMeerKinderen_6": ("Eenouderhuishoudens", "aantal", 0),
    "TotaalMinderjarigeKinderen_19": ("Totaal minderjarige kinderen", "aantal", 0),
    "InHuishoudensMetLaagInkomen_21": ("In huishoudens met laag inkomen", "aantal", 0),
    **{
        f"PersonenMetBijstand3112{y}_26": ("Personen met bijstand", "aantal", 0)
        for y in range(2018, 2022)
    },
}
_MAATSTAVEN_2018 = {
    "PersonenMetBijstandTotAOWLeeftijd_9": ("Personen met bijstand tot AOW-leeftijd", "aantal", 0),
    "TotaalMinderjarigeKinderen_11": ("Totaal minderjarige kinderen", "aantal", 0),
    "TotaalParticuliereHuishoudens_14": ("Totaal particuliere huishoudens", "aantal", 0),
}
_WMO_TOPICS = {
    "WmoClienten_1": ("Wmo-cliënten", "aantal", 0),
    "WmoClientenPer1000Inwoners_2": ("Wmo-cliënten per 1 000 inwoners", "per 1 000 inwoners", 0),
}
#: stapeling (83619NED page; the same four measures in every year's export): absolute counts
#: under TopicGroup "Absoluut", relative figures under "Relatief" (group titles stated here;
#: the export has no groups)
_STAPELING_TOPICS = {
    "ClientenMetVoorzieningen_5": ("Cliënten met voorzieningen", "aantal", 0),
    "HuishoudensMetVoorzieningen_6": ("Huishoudens met voorzieningen", "aantal", 0),
    "ClientenMetVoorzieningen_7": ("Cliënten met voorzieningen", "per 1 000 inwoners", 0),
    "HuishoudensMetVoorzieningen_8": (
        "Huishoudens met voorzieningen",
        "per 1 000 huishoudens",
        0,
    ),
}
_STAPELING_GROUPS = {
    "ClientenMetVoorzieningen_5": "Absoluut",
    "HuishoudensMetVoorzieningen_6": "Absoluut",
    "ClientenMetVoorzieningen_7": "Relatief",
    "HuishoudensMetVoorzieningen_8": "Relatief",
}
TOPICS: dict[str, dict[str, tuple[str, str, int]]] = {
    "85099NED": _JEUGDZORG_TOPICS,
    "84134NED": _JEUGDZORG_TOPICS,
    "85100NED": _JEUGDZORG_TOPICS,
    "82972NED": {
        "JongerenMetJeugdhulpInNatura_1": ("Jongeren met jeugdhulp in natura", "%", 1),
        "JongerenMetJeugdhMetVerblInNat_2": (
            "Jongeren met jeugdhulp met verblijf in natura",
            "%",
            1,
        ),
        "JongerenMetJeugdbescherming_3": ("Jongeren met jeugdbescherming", "%", 1),
        "JeugdbeschEnJeugdhMetVerblInNat_4": (
            "Jongeren met jeugdbescherming en jeugdhulp met verblijf in natura",
            "%",
            1,
        ),
        "JongerenMetJeugdreclassering_5": ("Jongeren met jeugdreclassering", "%", 1),
    },
    "83997NED": {"InwonersTot18Jaar_10": _TOT18, **_MAATSTAVEN_2018},
    "84590NED": {"InwonersTot18Jaar_2": _TOT18, **_MAATSTAVEN},
    "84860NED": {"InwonersTot18Jaar_2": _TOT18, **_MAATSTAVEN},
    "85052NED": {"InwonersTot18Jaar_2": _TOT18, **_MAATSTAVEN},
    "85309NED": {"InwonersTot18Jaar_2": _TOT18, **_MAATSTAVEN},
    "83454NED": {
        "BegroteKosten_1": ("Begrote kosten", "1 000 euro", 0),
        "GerealiseerdeKosten_2": ("Gerealiseerde kosten", "1 000 euro", 0),
        "BegroteKostenPer1000Inwoners_3": ("Begrote kosten per 1 000 inwoners", "1 000 euro", 0),
        "GerealiseerdeKostenPer1000Inwoners_4": (
            "Gerealiseerde kosten per 1 000 inwoners",
            "1 000 euro",
            0,
        ),
    },
    "84580NED": {
        "BegroteUitgaven_1": ("Begrote uitgaven", "1 000 euro", 0),
        "BegroteUitgavenPer1000Inwoners_2": ("Begrote uitgaven per 1 000 inwoners", "euro", 0),
        "GerealiseerdeUitgaven_3": ("Gerealiseerde uitgaven", "1 000 euro", 0),
        "GerealiseerdeUitgavenPer1000Inwoners_4": (
            "Gerealiseerde uitgaven per 1 000 inwoners",
            "euro",
            0,
        ),
    },
    "83262NED": _WMO_TOPICS,
    "85043NED": _WMO_TOPICS,
    "85896NED": _WMO_TOPICS,
}
STAPELING_EXPORTS = (
    "83265NED",
    "83619NED",
    "83817NED",
    "84420NED",
    "84662NED",
    "85375NED",
    "85637NED",
    "85994NED",
)
for _tid in STAPELING_EXPORTS:
    TOPICS[_tid] = _STAPELING_TOPICS
#: TopicGroup title per table and measure key (stated; the exports carry no groups)
TOPIC_GROUPS: dict[str, dict[str, str]] = dict.fromkeys(STAPELING_EXPORTS, _STAPELING_GROUPS)

#: Gebieden in Nederland: TopicGroup title per code prefix (CBS group titles)
GEBIEDEN_GROUP_TITLES = {
    "GM": "Gemeenten",
    "AM": "Arbeidsmarktregio's",
    "AR": "Arrondissementen (rechtsgebieden)",
    "CE": "Centrumgemeenten beschermd wonen",
    "CR": "COROP-gebieden",
    "CS": "COROP-subgebieden",
    "CP": "COROP-plusgebieden",
    "GG": "GGD-regio's",
    "JZ": "Jeugdregio's",
    "KK": "Kamer van Koophandel",
    "LB": "Landbouwgebieden",
    "LG": "Landbouwgebieden (groepen)",
    "LD": "Landsdelen",
    "PV": "Provincies",
    "RE": "RES-regio's",
    "ES": "Regionale eenheden (politie)",
    "MC": "Regionale meld- en coördinatiefunctie",
    "RA": "Regio's ambulancevervoer",
    "RT": "Ressorten (rechtsgebieden)",
    "ET": "Regionale energiestrategie",
    "TR": "Toeristengebieden",
    "TG": "Toeristische groepen",
    "VT": "Veilig Thuis-regio's",
    "VR": "Veiligheidsregio's",
    "ZK": "Zorgkantoorregio's",
}

#: Gemeentegrootteklassen (82972NED): converter-assigned keys; CBS's keys are not in the export
SIZE_CLASSES = {
    "Minder dan 20 000 inwoners": "GK01",
    "20 000 tot 50 000 inwoners": "GK02",
    "50 000 tot 100 000 inwoners": "GK03",
    "100 000 tot 150 000 inwoners": "GK04",
    "150 000 tot 250 000 inwoners": "GK05",
    "250 000 inwoners of meer": "GK06",
}
#: Former gemeenten (dissolved 2015–2019) whose code no file in shared/data carries: the codes of
#: CBS's "Gemeentelijke indeling" of the year they last existed. Stated, not derived.
FORMER_GEMEENTEN = {
    "Bedum": "GM0005",
    "Bussum": "GM0381",
    "Eemsmond": "GM1651",
    "De Friese Meren": "GM1921",  # renamed De Fryske Marren (GM1940) in 2015
    "Groesbeek": "GM0241",  # renamed Berg en Dal (GM1945) in 2016
    "Haarlemmerliede en Spaarnwoude": "GM0393",
    "De Marne": "GM1663",
    "Muiden": "GM0424",
    "Naarden": "GM0425",
    "Nuth": "GM0951",
    "Onderbanken": "GM0881",
    "Schijndel": "GM0844",
    "Sint-Oedenrode": "GM0846",
    "Veghel": "GM0860",
    "Winsum": "GM0053",
    "Zeevang": "GM0478",
}
REGION_DIMENSIONS = {"RegioS", "Regio", "Wijken", "WijkenEnBuurten"}
DIMENSION_TITLES = {
    "RegioS": "Regio's",
    "Regio": "Regio",
    "Perioden": "Perioden",
    "VormenVanJeugdzorg": "Vormen van jeugdzorg",
    "Persoonskenmerken": "Persoonskenmerken",
}
GEBIEDEN = ("85385NED", "84721NED")
STAPELING = (
    "83265NED",
    "83619NED",
    "83817NED",
    "84420NED",
    "84662NED",
    "85375NED",
    "85637NED",
    "85994NED",
)


class UnmappedRegions(ValueError):
    """Region titles of an export that no CBS code table maps (listed, never dropped)."""


def _norm(text: object) -> str:
    return " ".join(str(text or "").split())


def read_export(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of one label export (``;``, UTF-8 BOM), as strings."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def is_cut(path: Path) -> bool:
    """A file of exactly one page (10 000 rows) was cut by the scraper."""
    return len(read_export(path)[1]) == PAGE_ROWS


# --------------------------------------------------------------------------------------------
# regions
# --------------------------------------------------------------------------------------------


class RegionIndex:
    """Title -> code, from CBS's own code tables in the shared data (see module docstring)."""

    def __init__(self, shared: Path):
        self.gemeente: dict[str, set[str]] = {}
        self.division: dict[tuple[str, str], set[str]] = {}
        csvdir = shared / "cbs_statline_csv"
        for tid in GEBIEDEN:
            header, rows = read_export(csvdir / f"{tid}.csv")
            pairs = []
            for col in header:
                m = re.fullmatch(r"Code_(\d+)", col)
                if m and f"Naam_{int(m.group(1)) + 1}" in header:
                    pairs.append((col, f"Naam_{int(m.group(1)) + 1}"))
            for r in rows:
                code = r["Code_1"].strip()
                self._gm(r["RegioS"], code)
                self._gm(r["Naam_2"], code)
                for ccol, ncol in pairs:
                    c = r[ccol].strip()
                    if c[:2] != "GM":
                        self.division.setdefault((c[:2], _norm(r[ncol])), set()).add(c)
        for tid in STAPELING:
            path = csvdir / f"{tid}.csv"
            if not path.exists():
                continue
            header, rows = read_export(path)
            ncol = next((h for h in header if h.startswith("Gemeentenaam_")), None)
            ccol = next((h for h in header if h.startswith("Codering_")), None)
            dim = "RegioS" if "RegioS" in header else "Wijken"
            if ncol is None or ccol is None:
                continue
            for r in rows:
                code = r[ccol].strip()
                if code.startswith("GM"):
                    self._gm(r[dim], code)
                    self._gm(r[ncol], code)
        for name, code in FORMER_GEMEENTEN.items():
            self._gm(name, code)
        for topo in sorted((shared / "cartomap").glob("*.topojson")):
            layer = topo.name.split("_")[0]
            if layer not in {"gemeente", "jeugdregio", "provincie"}:
                continue
            doc = json.loads(topo.read_text(encoding="utf-8"))
            for obj in doc["objects"].values():
                for g in obj["geometries"]:
                    p = g.get("properties", {})
                    code, naam = str(p.get("statcode", "")), p.get("statnaam")
                    if not code or naam is None:
                        continue
                    if code.startswith("GM"):
                        self._gm(naam, code)
                    else:
                        self.division.setdefault((code[:2], _norm(naam)), set()).add(code)

    def _gm(self, title: str, code: str) -> None:
        t = _norm(title)
        if t and code.startswith("GM"):
            self.gemeente.setdefault(t, set()).add(code)

    def code(self, title: str) -> str | None:
        """The code of one export title, or None when nothing maps it (or it is ambiguous)."""
        t = _norm(title)
        if t == "Nederland":
            return "NL01"
        if t in SIZE_CLASSES:
            return SIZE_CLASSES[t]
        m = re.fullmatch(r"(.*?)\s*\((LD|PV|JZ|CR)\)", t)
        if m:
            name, prefix = m.group(1), m.group(2)
            for cand in (name, re.sub(r"\s*\([^()]*\)$", "", name)):
                hits = self.division.get((prefix, cand), set())
                if len(hits) == 1:
                    return next(iter(hits))
            return None
        for cand in (t, re.sub(r"\s*\(gemeente\)$", "", t)):
            hits = self.gemeente.get(cand, set())
            if len(hits) == 1:
                return next(iter(hits))
        return None


@lru_cache(maxsize=4)
def region_index(shared: Path) -> RegionIndex:
    return RegionIndex(shared)


# --------------------------------------------------------------------------------------------
# periods and other dimensions
# --------------------------------------------------------------------------------------------


def period_key(title: str) -> tuple[str, str]:
    """Export period title -> (CBS key, Status)."""
    t = _norm(title)
    stars = len(t) - len(t.rstrip("*"))
    t = t.rstrip("*").strip()
    status = {0: "Definitief", 1: "Voorlopig", 2: "Nader voorlopig"}[min(stars, 2)]
    if m := re.fullmatch(r"(\d{4})", t):
        return f"{m.group(1)}JJ00", status
    if m := re.fullmatch(r"([12])e\s*half\s*jaar\s+(\d{4})", t):
        return f"{m.group(2)}HJ0{m.group(1)}", status
    if m := re.fullmatch(r"([1-4])e\s*kwartaal\s+(\d{4})", t):
        return f"{m.group(2)}KW0{m.group(1)}", status
    raise ValueError(
        f"period title {title!r} not understood; expected '2023', '1e halfjaar 2023', "
        "'1e half jaar 2024' or '1e kwartaal 2015' (optionally with * or **)"
    )


def _spell(key: str) -> str:
    """``InwonersVan15Tot65Jaar_1`` -> 'Inwoners van 15 tot 65 jaar' (fallback topic title)."""
    base = re.sub(r"_\d+$", "", key)
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", base)
    text = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return text[:1].upper() + text[1:]


def _number(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    return float(text)


def _is_number(text: str) -> bool:
    try:
        _number(text)
        return True
    except ValueError:
        return False


# --------------------------------------------------------------------------------------------
# conversion
# --------------------------------------------------------------------------------------------


def convert(table_id: str, dest: Path, *, shared: Path) -> Path:
    """Convert ``cbs_statline_csv/<table_id>.csv`` into ``dest/<table_id>/`` (a dump folder)."""
    src = shared / "cbs_statline_csv" / f"{table_id}.csv"
    if not src.exists():
        have = sorted(p.stem for p in (shared / "cbs_statline_csv").glob("*.csv"))
        raise FileNotFoundError(f"no export {src}; exports: {', '.join(have)}")
    header, rows = read_export(src)
    columns = [c for c in header if c != "ID"]
    dims = [c for c in columns if not re.search(r"_\d+$", c)]
    measures = [c for c in columns if c not in dims]
    index = region_index(shared)

    # dimension endpoints and row keys
    dim_entries: dict[str, list[dict]] = {}
    key_of: dict[str, dict[str, str]] = {}
    row_keys: dict[str, list[str | None]] = {}  # wijk tables: region key per row
    unmapped: list[str] = []
    left_out = 0
    coder = next((h for h in header if re.fullmatch(r"Codering_\d+", h)), None)
    for dim in dims:
        titles = list(dict.fromkeys(r[dim] for r in rows))
        keys: dict[str, str] = {}
        entries = []
        if dim in REGION_DIMENSIONS and coder is not None:
            per_row: list[str | None] = []
            seen: dict[str, str] = {}
            for r in rows:
                has_value = any(_is_number(r[m]) and r[m].strip() for m in measures)
                code = r[coder].strip() or (index.code(r[dim]) if has_value else None)
                if code is None:
                    if has_value:
                        unmapped.append(r[dim])
                    left_out += 1
                    per_row.append(None)
                    continue
                per_row.append(code.ljust(8))
                seen.setdefault(code.ljust(8), _norm(r[dim]))
            row_keys[dim] = per_row
            entries = [
                {"Key": k, "Title": t, "Description": None, "CategoryGroupID": None}
                for k, t in seen.items()
            ]
        elif dim in REGION_DIMENSIONS:
            for t in titles:
                code = index.code(t)
                if code is None:
                    unmapped.append(t)
                    continue
                keys[t] = code.ljust(6)
                entries.append(
                    {
                        "Key": keys[t],
                        "Title": _norm(t),
                        "Description": None,
                        "CategoryGroupID": None,
                    }
                )
        elif dim == "Perioden":
            for t in titles:
                k, status = period_key(t)
                keys[t] = k
                entries.append({"Key": k, "Title": _norm(t), "Description": "", "Status": status})
        else:
            known = CATEGORY_KEYS.get(dim, {})
            for i, t in enumerate(titles, 1):
                keys[t] = known.get(_norm(t), f"C{i:06d}")
                entries.append(
                    {"Key": keys[t], "Title": _norm(t), "Description": "", "CategoryGroupID": None}
                )
        dim_entries[dim] = entries
        key_of[dim] = keys
    for dim in dims:
        if dim in REGION_DIMENSIONS and dim not in row_keys:
            by_code: dict[str, list[str]] = {}
            for t, k in key_of[dim].items():
                by_code.setdefault(k, []).append(t)
            clash = {k.strip(): ts for k, ts in by_code.items() if len(ts) > 1}
            if clash:
                raise UnmappedRegions(
                    f"{table_id}: several region titles map to one code: "
                    + "; ".join(f"{k}: {', '.join(map(repr, ts))}" for k, ts in clash.items())
                )
    if unmapped:
        raise UnmappedRegions(
            f"{table_id}: {len(unmapped)} region titles map to no code in Gebieden in Nederland "
            f"(85385NED/84721NED), the stapeling exports or the cartomap names: "
            + "; ".join(repr(u) for u in unmapped)
        )

    # measures: type from the values, title/unit/decimals from TOPICS where stated
    stated = TOPICS.get(table_id, {})
    numeric = {m: all(_is_number(r[m]) for r in rows) for m in measures}
    props: list[dict] = []

    def prop(**kw) -> dict:
        entry = {
            "odata.type": f"Cbs.OData.{kw['Type']}",
            "ID": len(props),
            "Position": len(props),
            "ParentID": None,
            "Description": "",
            "ReleasePolicy": None,
            "Datatype": None,
            "Unit": None,
            "Decimals": None,
            "Default": None,
        }
        entry.update(kw)
        props.append(entry)
        return entry

    for dim in dims:
        kind = (
            "GeoDimension"
            if dim in REGION_DIMENSIONS
            else "TimeDimension"
            if dim == "Perioden"
            else "Dimension"
        )
        prop(Type=kind, Key=dim, Title=DIMENSION_TITLES.get(dim) or _spell(dim))
    groups: dict[str, int] = {}
    for m in measures:
        parent = None
        if table_id in GEBIEDEN and (g := re.fullmatch(r"(Code|Naam|Omschrijving)_(\d+)", m)):
            code_col = m if g.group(1) == "Code" else f"Code_{int(g.group(2)) - 1}"
            prefix = (rows[0].get(code_col) or "").strip()[:2] if rows else ""
            if not prefix.isalpha():
                prefix = code_col  # numeric classifications (stedelijkheid): a group each
            if prefix not in groups:
                title = GEBIEDEN_GROUP_TITLES.get(prefix, f"Indeling {prefix}")
                groups[prefix] = prop(Type="TopicGroup", Key="", Title=title)["ID"]
            parent = groups[prefix]
        if (group_title := TOPIC_GROUPS.get(table_id, {}).get(m)) is not None:
            if group_title not in groups:
                groups[group_title] = prop(Type="TopicGroup", Key="", Title=group_title)["ID"]
            parent = groups[group_title]
        title, unit, decimals = stated.get(m, (None, None, None))
        if numeric[m]:
            values = [_number(r[m]) for r in rows]
            integral = all(v is None or float(v).is_integer() for v in values)
            if decimals is None:
                decimals = 0 if integral else 1
            prop(
                Type="Topic",
                Key=m,
                Title=title or _spell(m),
                ParentID=parent,
                Datatype="Long" if decimals == 0 else "Double",
                Unit=unit or "aantal",
                Decimals=decimals,
                Default="Missing",
            )
        else:
            prop(
                Type="Topic",
                Key=m,
                Title=title or (re.sub(r"_\d+$", "", m) if parent is not None else _spell(m)),
                ParentID=parent,
                Datatype="String",
                Unit="",
                Decimals=0,
                Default="Missing",
            )
    topic = {p["Key"]: p for p in props if p["Type"] == "Topic"}

    typed = []
    for i, r in enumerate(rows):
        out: dict = {"ID": i}
        skip = False
        for dim in dims:
            k = row_keys[dim][i] if dim in row_keys else key_of[dim].get(r[dim])
            if k is None:
                skip = True
            out[dim] = k
        if skip:
            continue
        for m in measures:
            p = topic[m]
            if p["Datatype"] == "String":
                out[m] = r[m]
            else:
                v = _number(r[m])
                out[m] = None if v is None else int(v) if p["Decimals"] == 0 else v
        typed.append(out)

    info = {
        "Updated": MODIFIED,
        "ID": 1,
        "Identifier": table_id,
        "Title": TITLES.get(table_id, table_id),
        "ShortTitle": TITLES.get(table_id, table_id),
        "ShortDescription": (
            "Converted from a label CSV export (shared/data/cbs_statline_csv); "
            f"{'cut at the first page' if len(rows) == PAGE_ROWS else 'complete'}"
            + (f"; {left_out} rows without a region code left out." if left_out else ".")
        ),
        "Modified": MODIFIED,
        "MetaDataModified": MODIFIED,
        "ReasonDelivery": "Actualisering",
        "OutputStatus": "Regulier",
        "Source": "CBS.",
        "Language": "nl",
        "Catalog": "CBS",
        "Frequency": "Perjaar",
        "Period": "",
        "RecordCount": len(typed),
        "ColumnCount": len(columns),
    }
    folder = dest / table_id
    folder.mkdir(parents=True, exist_ok=True)

    def write(name: str, obj: object) -> None:
        (folder / name).write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")

    write("TableInfos.json", [info])
    write("DataProperties.json", props)
    for dim, entries in dim_entries.items():
        write(f"{dim}.json", entries)
    write("TypedDataSet.json", typed)
    write("UntypedDataSet.json", synthesise_untyped(typed, props))
    return folder


def convert_many(table_ids: Iterable[str], dest: Path, *, shared: Path) -> dict[str, Path]:
    """Convert several exports into ``dest``; table id -> dump folder."""
    return {tid: convert(tid, dest, shared=shared) for tid in table_ids}
