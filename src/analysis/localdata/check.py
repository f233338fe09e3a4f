"""Read and validate local-data files: ``<root>/<kind>/*.csv``.

Files are UTF-8 (a BOM is allowed) with ``;`` as separator, a header line with the field
names of the kind, decimal commas and no thousands separators (``12,5``), dates as
``YYYY-MM-DD``. Every problem becomes a :class:`Problem` naming the file, the line, the field
and what would be valid; nothing is repaired, imputed or carried forward.

Parsing (text -> typed values) is done here; the rules on the typed values (required fields,
ranges, codes, choices, dates not in the future, cross-field rules) are a pandera schema per
kind, built by :func:`schema`.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.localdata.kinds import KINDS, Field, Kind

# pandera is imported inside the functions that validate: reports read published files only
if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = [
    "CODE_FORMAT",
    "KindResult",
    "Problem",
    "Reference",
    "check_all",
    "check_kind",
    "schema",
]

SEPARATOR = ";"
#: Sub-folders of the root that are not kinds and are skipped (the example set lives there).
RESERVED = frozenset({"voorbeeld"})
#: Files in a kind folder that are not data and are skipped.
IGNORED_FILES = frozenset({"readme.md", ".gitkeep"})
#: The code format, used when no ``regio_indeling.parquet`` is available.
CODE_FORMAT = {"GM": re.compile(r"GM\d{4}"), "JZ": re.compile(r"JZ\d{2}")}
PREFIX_TEXT = {"GM": "GM-codes of gemeenten (GM0363)", "JZ": "JZ-codes of jeugdregio's (JZ13)"}
SOURCE_FIELDS = ("bron_titel", "bron_uitgever", "bron_datum", "bron_vindplaats")

_NUMBER = re.compile(r"-?\d+(,\d+)?")
_INTEGER = re.compile(r"-?\d+")
_YEAR = re.compile(r"\d{4}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Problem:
    """One rejected item: file, line (1 = header), field and what is valid."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f" field '{self.field}':" if self.field else ""
        return f"{where}:{what} {self.message}"


def _norm(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class Reference:
    """The known GM/JZ codes, or None per prefix for the format check only."""

    gemeenten: frozenset[str] | None
    regios: frozenset[str] | None
    description: str
    #: code -> every name it has had in the reference (empty under the format check)
    names: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def format_only(cls, why: str = "") -> Reference:
        note = f" ({why})" if why else ""
        return cls(None, None, f"code format only: GM + 4 digits, JZ + 2 digits{note}")

    @classmethod
    def from_processed(cls, processed_dir: Path) -> Reference:
        """Codes of ``regio_indeling.parquet`` in ``processed_dir`` (every year), else the format."""
        path = Path(processed_dir) / "regio_indeling.parquet"
        if not path.exists():
            return cls.format_only(f"no {path}")
        ind = pd.read_parquet(
            path,
            columns=[
                "jaar",
                "gemeente_code",
                "gemeente_naam",
                "indeling",
                "regio_code",
                "regio_naam",
            ],
        )
        jz = ind[ind["indeling"] == "jeugdregio"]
        years = f"{int(ind['jaar'].min())}–{int(ind['jaar'].max())}" if len(ind) else "none"
        pairs = pd.concat(
            [
                ind[["gemeente_code", "gemeente_naam"]].set_axis(["code", "naam"], axis=1),
                jz[["regio_code", "regio_naam"]].set_axis(["code", "naam"], axis=1),
            ]
        ).dropna()
        names = {
            str(c): frozenset(g.astype(str))
            for c, g in pairs.drop_duplicates().groupby("code")["naam"]
        }
        return cls(
            frozenset(ind["gemeente_code"].dropna().astype(str)),
            frozenset(jz["regio_code"].dropna().astype(str)),
            f"codes of {path} (years {years})",
            names,
        )

    def name_differs(self, code: str, name: str) -> str | None:
        """A warning when ``name`` is none of the names ``code`` has in the reference."""
        known = self.names.get(code)
        if not known or _norm(name) in {_norm(n) for n in known}:
            return None
        return f"{name!r} is not the name of {code} in the reference ({' / '.join(sorted(known))})"

    def known(self, prefix: str) -> frozenset[str] | None:
        return self.gemeenten if prefix == "GM" else self.regios

    def valid(self, code: str) -> bool:
        prefix = code[:2]
        if prefix not in CODE_FORMAT:
            return False
        known = self.known(prefix)
        if known is None:
            return CODE_FORMAT[prefix].fullmatch(code) is not None
        return code in known

    def counts(self) -> dict[str, int | None]:
        """How many gemeenten and jeugdregio's the reference holds (None = format only)."""
        return {
            "GM": None if self.gemeenten is None else len(self.gemeenten),
            "JZ": None if self.regios is None else len(self.regios),
        }


@dataclass
class KindResult:
    """The outcome of checking every file of one kind."""

    kind: Kind
    files: list[Path] = field(default_factory=list)
    records: pd.DataFrame = field(default_factory=pd.DataFrame)
    problems: list[Problem] = field(default_factory=list)
    #: not blocking: e.g. a name that differs from the reference's name for that code
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------


def _parse_cell(f: Field, raw: str) -> tuple[object, str | None]:
    """Text -> typed value (None for empty), or an error message."""
    if raw == "":
        return None, None
    if f.type == "date":
        if _DATE.fullmatch(raw):
            try:
                return pd.Timestamp(date.fromisoformat(raw)), None
            except ValueError:
                pass
        return None, f"{raw!r} is not a date; valid: YYYY-MM-DD (e.g. 2024-03-31)"
    if f.type == "year":
        if _YEAR.fullmatch(raw):
            return int(raw), None
        return None, f"{raw!r} is not a year; valid: four digits (e.g. 2024)"
    if f.type == "number":
        if _NUMBER.fullmatch(raw):
            return float(raw.replace(",", ".")), None
        return None, (
            f"{raw!r} is not a number; valid: digits with a decimal comma and no thousands "
            "separator (e.g. 12,5 or 1250000)"
        )
    if f.type == "integer":
        if _INTEGER.fullmatch(raw):
            return int(raw), None
        return None, f"{raw!r} is not a whole number; valid: digits only (e.g. 140)"
    return raw, None


def _read_file(path: Path, label: str, kind: Kind) -> tuple[list[dict], list[Problem]]:
    """Rows of one file as dicts of typed values (plus ``bestand``/``regel``), and problems."""
    problems: list[Problem] = []

    def bad(line: int | None, fld: str | None, msg: str) -> tuple[list[dict], list[Problem]]:
        problems.append(Problem(label, line, fld, msg))
        return [], problems

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return bad(line, None, f"not valid UTF-8 at byte {exc.start}; save the file as UTF-8")
    except OSError as exc:
        return bad(None, None, f"cannot be read: {exc.strerror}")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=SEPARATOR, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return bad(1, None, f"does not parse as CSV: {exc}")
    if not header or not any(h.strip() for h in header):
        return bad(
            1, None, f"is empty; the first line must be the header: {';'.join(kind.columns)}"
        )
    header = [h.strip() for h in header]
    by_name = {f.name: f for f in kind.fields}
    if len(header) == 1 and ("," in header[0] or "\t" in header[0]):
        return bad(1, None, "the header has one field; the separator must be ';'")
    seen: set[str] = set()
    for h in header:
        if h not in by_name:
            problems.append(
                Problem(label, 1, h, f"unknown column; valid: {', '.join(kind.columns)}")
            )
        elif h in seen:
            problems.append(Problem(label, 1, h, "column appears twice"))
        seen.add(h)
    for f in kind.fields:
        if f.required and f.name not in seen:
            problems.append(Problem(label, 1, f.name, f"required column is missing ({f.doc})"))
    if problems:
        return [], problems

    rows: list[dict] = []
    line_end = reader.line_num
    while True:
        start = line_end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            return bad(reader.line_num, None, f"does not parse as CSV: {exc}")
        line_end = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    label,
                    start,
                    None,
                    f"has {len(row)} fields, the header has {len(header)} (separator ';'; "
                    "quote text that contains ';')",
                )
            )
            continue
        rec: dict[str, object] = {"bestand": label, "regel": start}
        for name, raw in zip(header, row, strict=True):
            value, err = _parse_cell(by_name[name], raw.strip())
            if err:
                problems.append(Problem(label, start, name, err))
            rec[name] = value
        rows.append(rec)
    return rows, problems


def _frame(kind: Kind, rows: list[dict]) -> pd.DataFrame:
    """Typed frame with every field of the kind, in order, plus ``bestand`` and ``regel``."""
    df = pd.DataFrame(rows, columns=["bestand", "regel", *kind.columns])
    for f in kind.fields:
        col = df[f.name]
        if f.type == "date":
            df[f.name] = pd.to_datetime(col).astype("datetime64[ns]")
        elif f.type in {"year", "integer"}:
            df[f.name] = pd.array(col.tolist(), dtype="Int64")
        elif f.type == "number":
            df[f.name] = pd.to_numeric(col).astype("float64")
        else:
            df[f.name] = col.astype(object).where(col.notna(), None)
    df["regel"] = df["regel"].astype("int64")
    return df.reset_index(drop=True)


# --------------------------------------------------------------------------------------
# the pandera schema per kind
# --------------------------------------------------------------------------------------


def _field_checks(kind: Kind, f: Field, reference: Reference, today: date) -> list[pa.Check]:
    import pandera.pandas as pa

    checks: list[pa.Check] = []
    if f.type == "code":
        prefixes = kind.prefixes
        valid = " or ".join(PREFIX_TEXT[p] for p in prefixes)
        what = "is not a valid code" if reference.gemeenten is None else "is an unknown code"
        checks.append(
            pa.Check(
                lambda s: s.str[:2].isin(prefixes),
                error=f"is not valid for {kind.name}; valid: {valid}",
            )
        )
        checks.append(
            pa.Check(
                lambda s: s.map(lambda v: v[:2] not in prefixes or reference.valid(v)).astype(bool),
                error=f"{what}; valid: {reference.description}",
            )
        )
    elif f.type == "date":
        checks.append(
            pa.Check.le(
                pd.Timestamp(today),
                error=f"is in the future; valid: dates up to today ({today.isoformat()})",
            )
        )
    elif f.type == "year" and kind.years:
        lo, ahead = kind.years
        hi = today.year + ahead
        checks.append(pa.Check.in_range(lo, hi, error=f"is out of range; valid: {lo} to {hi}"))
    elif f.type in {"number", "integer"}:
        if f.unit == "procent":
            checks.append(pa.Check.in_range(0, 100, error="is impossible; valid: 0 to 100 (%)"))
        else:
            checks.append(pa.Check.ge(0, error="is negative; valid: 0 or more"))
    elif f.type == "choice":
        checks.append(pa.Check.isin(f.choices, error=f"valid: {', '.join(f.choices)}"))
    elif f.type == "indicator":
        from analysis.registry import INDICATOR_BY_ID

        ids = sorted(INDICATOR_BY_ID)
        checks.append(
            pa.Check.isin(ids, error=f"is an unknown indicator id; valid: {', '.join(ids)}")
        )
    return checks


#: dataframe-level rule name -> (fields it concerns, row -> (field, message) or None)
RowRule = tuple[tuple[str, ...], Callable[[pd.Series], tuple[str, str]]]


def _row_rules(kind: Kind) -> dict[str, RowRule]:
    rules: dict[str, RowRule] = {}
    for small, large in kind.not_above:

        def msg(r: pd.Series, s: str = small, lg: str = large) -> tuple[str, str]:
            return s, f"{_fmt(r[s])} is above {lg} ({_fmt(r[lg])}); impossible, valid: {s} ≤ {lg}"

        rules[f"{small} <= {large}"] = ((small, large), msg)
    if kind.one_of:

        def none(r: pd.Series, fs: tuple[str, ...] = kind.one_of) -> tuple[str, str]:
            return fs[0], f"no value given; valid: at least one of {', '.join(fs)}"

        rules["at least one value"] = (kind.one_of, none)
    for needed, given in kind.required_with:

        def req(r: pd.Series, n: str = needed, g: tuple[str, ...] = given) -> tuple[str, str]:
            return n, f"is empty; required when any of {', '.join(g)} is given"

        rules[f"{needed} required"] = ((needed, *given), req)

    def recorded(r: pd.Series) -> tuple[str, str]:
        return "vastgelegd_op", (
            f"{_fmt(r['vastgelegd_op'])} is before bron_datum ({_fmt(r['bron_datum'])}); "
            "valid: on or after the source's date"
        )

    rules["recorded after source"] = (("vastgelegd_op", "bron_datum"), recorded)
    return rules


def _rule_check(kind: Kind, name: str) -> pa.Check:
    import pandera.pandas as pa

    if name.endswith(" required"):
        needed, given = next((n, g) for n, g in kind.required_with if name == f"{n} required")
        return pa.Check(
            lambda d: ~(d[list(given)].notna().any(axis=1) & d[needed].isna()), error=name
        )
    if name == "at least one value":
        return pa.Check(lambda d: d[list(kind.one_of)].notna().any(axis=1), error=name)
    if name == "recorded after source":
        return pa.Check(lambda d: ~(d["vastgelegd_op"] < d["bron_datum"]).fillna(False), error=name)
    small, large = name.split(" <= ")
    return pa.Check(lambda d: ~(d[small] > d[large]).fillna(False), error=name)


def schema(kind: Kind, reference: Reference, today: date | None = None) -> pa.DataFrameSchema:
    """The pandera schema of ``kind`` (codes checked against ``reference``, dates ≤ ``today``)."""
    import pandera.pandas as pa

    today = today or date.today()
    cols = {
        f.name: pa.Column(
            nullable=not f.required,
            checks=_field_checks(kind, f, reference, today),
            description=f.doc,
        )
        for f in kind.fields
    }
    return pa.DataFrameSchema(
        cols,
        checks=[_rule_check(kind, name) for name in _row_rules(kind)],
        name=kind.name,
        strict=False,  # bestand / regel ride along
    )


def _fmt(v: object) -> str:
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, float):
        return f"{v:g}".replace(".", ",")
    return str(v)


def _empty_message(f: Field) -> str:
    if f.name in SOURCE_FIELDS:
        return f"is empty; every record needs a source: {', '.join(SOURCE_FIELDS)}"
    return f"is empty; required ({f.doc})"


def _pandera_problems(kind: Kind, df: pd.DataFrame, sch: pa.DataFrameSchema) -> list[Problem]:
    import pandera.pandas as pa

    try:
        sch.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
    else:
        return []
    rules = _row_rules(kind)
    out: list[Problem] = []
    for (ctx, check, idx), grp in fc.groupby(
        ["schema_context", "check", "index"], sort=False, dropna=False
    ):
        if pd.isna(idx):
            out.append(Problem(kind.name, None, None, f"{check}"))  # schema-level, not per row
            continue
        row = df.loc[int(idx)]
        where = (row["bestand"], int(row["regel"]))
        if ctx == "DataFrameSchema" and check in rules:
            fld, msg = rules[check][1](row)
            out.append(Problem(*where, fld, msg))
            continue
        col = grp["column"].iloc[0]
        if check == "not_nullable":
            out.append(Problem(*where, col, _empty_message(kind.field(col))))
        else:
            out.append(Problem(*where, col, f"{_fmt(row[col])!r} {check}"))
    return out


def _duplicate_problems(kind: Kind, df: pd.DataFrame) -> list[Problem]:
    key = list(kind.key)
    dup = df[df.duplicated(key, keep=False)]
    out: list[Problem] = []
    for _, grp in dup.groupby(key, dropna=False, sort=False):
        first = grp.iloc[0]
        for _, row in grp.iloc[1:].iterrows():
            shown = ", ".join(f"{k}={_fmt(row[k]) if pd.notna(row[k]) else ''}" for k in key)
            out.append(
                Problem(
                    row["bestand"],
                    int(row["regel"]),
                    key[0],
                    f"duplicate key ({shown}), first at {first['bestand']}:{first['regel']}; "
                    f"valid: one record per {' + '.join(key)}",
                )
            )
    return out


# --------------------------------------------------------------------------------------
# checking a kind / a root
# --------------------------------------------------------------------------------------


def _label(path: Path) -> str:
    """The path as the user can open it: relative to the working folder when below it."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def check_kind(
    root: Path, kind: Kind, reference: Reference, today: date | None = None
) -> KindResult:
    """Read and validate every ``<root>/<kind>/*.csv``; records are only set when all pass."""
    root = Path(root)
    folder = root / kind.name
    res = KindResult(kind)
    rows: list[dict] = []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            label = _label(path)
            if path.name.lower() in IGNORED_FILES:
                continue
            if path.is_dir() or path.suffix.lower() != ".csv":
                res.problems.append(
                    Problem(
                        label, None, None, "is not read; valid: only .csv files in a kind folder"
                    )
                )
                continue
            res.files.append(path)
            got, probs = _read_file(path, label, kind)
            rows.extend(got)
            res.problems.extend(probs)
    df = _frame(kind, rows)
    if len(df):
        already = {(p.file, p.line, p.field) for p in res.problems}
        found = _pandera_problems(kind, df, schema(kind, reference, today))
        found += _duplicate_problems(kind, df)
        # a cell that did not parse is reported once, not again as "empty"
        res.problems.extend(p for p in found if (p.file, p.line, p.field) not in already)
    res.problems.sort(key=lambda p: (p.file, p.line or 0))
    for row in df[["bestand", "regel", "code", "naam"]].dropna().itertuples(index=False):
        msg = reference.name_differs(str(row.code), str(row.naam))
        if msg:
            res.warnings.append(
                Problem(row.bestand, int(row.regel), "naam", msg + "; check the code")
            )
    if res.ok:
        res.records = df.sort_values(["bestand", "regel"]).reset_index(drop=True)
    else:
        res.records = _frame(kind, [])
    return res


def root_problems(root: Path) -> list[Problem]:
    """Problems with the root folder itself: missing, or sub-folders that are not kinds."""
    root = Path(root)
    if not root.is_dir():
        return [
            Problem(str(root), None, None, "is not a folder; valid: a folder with kind folders")
        ]
    out = []
    for p in sorted(root.iterdir()):
        if p.is_dir() and p.name not in KINDS and p.name not in RESERVED:
            out.append(
                Problem(
                    _label(p),
                    None,
                    None,
                    f"is not a kind folder; valid: {', '.join(KINDS)}",
                )
            )
    return out


def check_all(
    root: Path, reference: Reference, today: date | None = None
) -> tuple[dict[str, KindResult], list[Problem]]:
    """Check every kind under ``root``; returns the results per kind and the root's problems."""
    results = {name: check_kind(root, k, reference, today) for name, k in KINDS.items()}
    return results, root_problems(root)
