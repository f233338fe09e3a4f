"""The processed layer's schema, declared once: files, columns, dtypes and keys.

``build`` writes these columns in this order, ``store`` reads them back with these dtypes,
test fixtures build frames with :func:`coerce`, and ``docs/data-contract.md`` is generated
from this module (``python -m analysis catalogue``; ``tests/test_catalogue.py`` checks it is
current).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = [
    "COLUMNS",
    "CONTRACT_DOC",
    "INDELING",
    "INDELING_COLUMNS",
    "INDICATORS",
    "ROW_KEY",
    "VALUE_KEYS",
    "Column",
    "ProcessedFile",
    "coerce",
    "compact_labels",
    "label_columns",
    "dtypes",
    "empty",
    "render_data_contract",
]

#: dtype names used in the contract -> pandas dtype
_PANDAS = {"str": "str", "int": "int64", "float": "float64", "bool": "bool"}


@dataclass(frozen=True)
class Column:
    """One column: name, contract type (``str``/``int``/``float``/``bool``), meaning.

    ``label``: a text column with few distinct values (a status, a source, a region's
    name) that is read, filtered and shown but never a grouping or join key (codes are);
    readers may hold it as a categorical
    (:func:`compact_labels`)."""

    name: str
    type: str
    meaning: str
    label: bool = False

    @property
    def dtype(self) -> str:
        """The pandas dtype of the column."""
        return _PANDAS[self.type]


@dataclass(frozen=True)
class ProcessedFile:
    """One parquet file of ``processed/``: its columns and the Dutch/English notes."""

    name: str
    title: str
    columns: tuple[Column, ...]
    notes: str = ""

    @property
    def names(self) -> list[str]:
        """Column names in order."""
        return [c.name for c in self.columns]


INDICATORS = ProcessedFile(
    "indicators.parquet",
    "long format, one row per region × period × indicator",
    (
        Column(
            "regio_code",
            "str",
            "`GM0363`, `JZ13`, `PV27`, `NL01` (Nederland is always `NL01`, whatever CBS calls it)",
        ),
        Column(
            "regio_naam",
            "str",
            "name as CBS (or the boundary file) gives it for that classification year",
            label=True,
        ),
        Column("regio_niveau", "str", "`gemeente`, `jeugdregio`, `provincie`, `land`", label=True),
        Column("indeling_jaar", "int", "year of the gemeente classification the code belongs to"),
        Column(
            "periode",
            "str",
            "`2023` (year), `2023H1` / `2023H2` (half-year), `2023-06-30` (reference date)",
        ),
        Column("periode_type", "str", "`jaar`, `halfjaar`, `peildatum`", label=True),
        Column("jaar", "int", "calendar year of the period"),
        Column("indicator", "str", "indicator id, defined once in `analysis.registry.INDICATORS`"),
        Column("waarde", "float", "the value; **NaN when CBS suppressed it** (never 0)"),
        Column("eenheid", "str", "`aantal`, `%`, `1 000 euro`, `dagen`, …", label=True),
        Column(
            "status",
            "str",
            "`definitief`, `voorlopig`, `nader voorlopig` (from `Perioden.Status`)",
            label=True,
        ),
        Column("onderdrukt", "bool", "True when the source cell was suppressed (`null` / `.`)"),
        Column(
            "bron",
            "str",
            "CBS table id (`85099NED`), or `berekend` for derived aggregates",
            label=True,
        ),
        Column(
            "bron_modified",
            "str",
            "`TableInfos.Modified` of the snapshot the value came from",
            label=True,
        ),
        Column(
            "reeks",
            "str",
            "comparable series of the value: the table's `segment` (e.g. `jeugdzorg_2015_2020`, "
            "`jeugdzorg_2021_heden`), else its `reeks`; a change of `reeks` within an indicator "
            "is a trend break",
            label=True,
        ),
        Column(
            "berekend",
            "bool",
            "True when the value is not a published cell: aggregated to a region or restated on "
            "another classification",
        ),
        Column(
            "dekking",
            "float",
            "for aggregates: share of member gemeenten (by count) with a published value; 1.0 "
            "for published cells",
        ),
    ),
    notes=(
        "Harmonised rows (restated on a reference classification) carry that reference year as\n"
        "`indeling_jaar`; the rows as published keep their own classification year. How an\n"
        "indicator is carried to jeugdregio and provincie is its `aggregatie` in the registry\n"
        "(`som`: summed; `gewogen_gemiddelde`: mean weighted by a named weight indicator;\n"
        "`geen`: not aggregated). Shares published by CBS (`%`) are never summed."
    ),
)

INDELING = ProcessedFile(
    "regio_indeling.parquet",
    "memberships per year",
    (
        Column("jaar", "int", "classification year"),
        Column("gemeente_code", "str", "gemeente code (`GM0363`)"),
        Column("gemeente_naam", "str", "gemeente name in that year"),
        Column(
            "indeling",
            "str",
            "`jeugdregio`, `provincie`, `arbeidsmarktregio`, `ggdregio`, `veiligheidsregio`, "
            "`zorgkantoorregio`, …",
        ),
        Column("regio_code", "str", "code of the region the gemeente belongs to"),
        Column("regio_naam", "str", "name of that region"),
        Column(
            "methode",
            "str",
            "`gebieden_in_nederland` (CBS table) or `grenzen` (interior point of the gemeente in "
            "the region polygon)",
        ),
        Column("bron", "str", "table id or boundary file name"),
    ),
)

#: columns of ``indicators.parquet``, in order
COLUMNS: list[str] = INDICATORS.names
#: columns of ``regio_indeling.parquet``, in order
INDELING_COLUMNS: list[str] = INDELING.names
#: what identifies a value apart from its region: restating or summing keeps these intact
VALUE_KEYS: tuple[str, ...] = (
    "periode",
    "periode_type",
    "jaar",
    "indicator",
    "eenheid",
    "status",
    "bron",
    "bron_modified",
    "reeks",
)
#: one value per key in ``indicators.parquet``
ROW_KEY: tuple[str, ...] = ("regio_code", "indeling_jaar", "periode", "indicator")

CONTRACT_DOC = Path("docs") / "data-contract.md"


def dtypes(file: ProcessedFile = INDICATORS) -> dict[str, str]:
    """``{column: pandas dtype}`` of one processed file."""
    return {c.name: c.dtype for c in file.columns}


def label_columns(file: ProcessedFile = INDICATORS) -> list[str]:
    """The ``label`` columns of ``file`` (read dictionary-encoded: :func:`compact_labels`)."""
    return [c.name for c in file.columns if c.label]


def coerce(df: pd.DataFrame, file: ProcessedFile = INDICATORS) -> pd.DataFrame:
    """``df`` with the contract dtypes for every contract column it has (missing booleans are
    False; a ``label`` column that is already categorical stays so); other columns are left
    alone. Returns a new frame."""
    out = df.copy(deep=False)
    for col in file.columns:
        if col.name not in out.columns:
            continue
        if col.type == "bool":
            out[col.name] = out[col.name].fillna(False).astype(bool)
        elif col.label and isinstance(out[col.name].dtype, pd.CategoricalDtype):
            continue
        else:
            out[col.name] = out[col.name].astype(col.dtype)
    return out


def compact_labels(df: pd.DataFrame, file: ProcessedFile = INDICATORS) -> pd.DataFrame:
    """``df`` with the ``label`` columns of ``file`` as categoricals (sorted categories, so
    values, comparisons and sorting are those of the text). The processed layer repeats a
    few labels over a million rows; a warm report kernel holds them in a fraction of the
    memory. Key columns stay text: categorical keys change what ``groupby``/``pivot_table``
    produce. A column read dictionary-encoded (``pd.read_parquet(...,
    read_dictionary=label_columns(file))``, 20x faster than converting text) only gets its
    categories sorted. Returns a new frame."""
    out = df.copy(deep=False)
    for col in file.columns:
        if not col.label or col.name not in out.columns:
            continue
        values = out[col.name]
        if isinstance(values.dtype, pd.CategoricalDtype):
            used = values.cat.remove_unused_categories().cat.categories
            out[col.name] = values.cat.set_categories(pd.Index(sorted(used), dtype=col.dtype))
        elif values.dtype == col.dtype:
            out[col.name] = values.astype(pd.CategoricalDtype(sorted(values.dropna().unique())))
    return out


def empty(file: ProcessedFile = INDICATORS) -> pd.DataFrame:
    """A frame with no rows and the contract's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in file.columns})


def _table(file: ProcessedFile) -> list[str]:
    lines = [f"## `processed/{file.name}` ({file.title})", "", "| column | type | meaning |"]
    lines.append("|---|---|---|")
    lines += [f"| `{c.name}` | {c.type} | {c.meaning} |" for c in file.columns]
    return lines


def render_data_contract() -> str:
    """Markdown of ``docs/data-contract.md``, generated from this module."""
    lines = [
        "# Data contract of the processed layer",
        "",
        "Generated from `src/analysis/metadata/schema.py` by `python -m analysis catalogue`; "
        "do not edit by hand.",
        "",
        "Everything downstream of `src/analysis/build.py` (indicator functions, notebooks, "
        "reports) reads",
        "only the files below. They are rebuilt by `python -m analysis data` (CBS) or",
        "`python -m analysis demo-data` (Demoland, under `data/demoland/`).",
        "",
        *_table(INDICATORS),
        "",
        f"Key: one row per {', '.join(f'`{k}`' for k in ROW_KEY)}. Restating or summing keeps",
        f"{', '.join(f'`{k}`' for k in VALUE_KEYS)} intact.",
        "",
        INDICATORS.notes,
        "",
        *_table(INDELING),
        "",
        "## `processed/sources.json`",
        "",
        "The manifests of every snapshot that went into the build (table id, catalog, title, "
        "`Modified`,",
        "retrieval time, filter, sha256 per file), plus the boundary files used. Reports build "
        "their",
        "sources footer from it.",
        "",
        "## `processed/build_report.json`",
        "",
        "What the build did: the snapshot folder per table, rows, reference classification, "
        "warnings, the checks (name, ok, detail: gemeente counts, region totals against "
        "CBS's own figures, the stapeling combinations and wijk sums, overlapping Wmo tables), "
        "indicators skipped because a category or measure was not found or a download was cut "
        "(`skipped`, with a Dutch sentence for the chapters), declared tables the server did "
        "not have (`missing_tables`) and the published `version`.",
        "",
        "## `processed/wijken.parquet`",
        "",
        "Wijk rows (`regio_niveau` `wijk`, codes `WK…`) of the tables that publish wijken (the "
        "stapeling tables): the columns of `indicators.parquet` plus `gemeente_code` (its "
        "gemeente in its own year), `gemeente_code_ref` and `indeling_jaar_ref` (the gemeente of "
        "the reference classification it belongs to after mergers) and `koppeling` (how it was "
        "linked, or `onbekend`). Wijk rows are never summed into gemeente figures.",
        "",
        "## `processed/lokaal/<kind>.parquet`",
        "",
        "Validated local data (`python -m analysis registry load`; `docs/lokale-bronnen.md`): "
        "one file per kind, each record with its source fields and the file and line it came "
        "from; a kind is replaced only when all its files passed.",
        "",
        "## `processed/samenhang/samenhang_<jaar>.json` + parts",
        "",
        "The cohesion analysis (`analysis.indicators.cohesion.analyse`) for the latest "
        "classification year, computed once per data build by the pipeline exactly as a "
        "report would (same processed tables, offline): Parquet parts in "
        "`samenhang_<jaar>.<token>/` and a JSON file, written last, with the structure, the "
        "fingerprint of its inputs (every file under `data/raw` and the processed files, the "
        "cohesion and geo code, library versions, options) and the sha256 of every part. A "
        "report uses it only while the fingerprint and checksums match and otherwise computes "
        "the analysis itself. Data formats only: nothing in it can run code when read.",
        "",
        "## Publication",
        "",
        "`processed` is a symbolic link to `.processed/<version>/`: a build writes a complete "
        "new version and switches the link in one rename, so a reader sees the old or the new "
        "set, never a mix; a failed build leaves `processed` as it was.",
        "",
    ]
    return "\n".join(lines)


def write_data_contract(root: Path) -> Path:
    """Write ``docs/data-contract.md`` under the project ``root``; returns its path."""
    path = root / CONTRACT_DOC
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_data_contract(), encoding="utf-8")
    return path
