"""Sources footer ("Bronnen en verantwoording") and the synthetic-data banner of every report.

The footer is built from ``<data_dir>/processed/sources.json``, which the build writes. Expected
shape: a JSON **list**; each element is either a CBS snapshot manifest or a boundary file::

    [
      {
        "table_id": "85099NED",             # required
        "catalog": "opendata",              # required (opendata | dataderden)
        "title": "Jeugdhulp; gemeenten",    # required
        "modified": "2025-06-30T02:00:00",  # required: TableInfos.Modified of the snapshot
        "retrieved_at": "2026-01-10T12:00:00+01:00",  # required
        "files": [                          # required, may be empty
          {"name": "TypedDataSet.json", "sha256": "<64 hex>", "rows": 1234}
        ],
        "synthetic": false                  # optional, default false
        # any other keys (filter, select, RecordCount, ...) are kept but not shown
      },
      {
        "kind": "geo",                      # marks a boundary file
        "name": "gemeente_2025.topojson",   # required
        "url": "https://...",               # required; shown as plain text, never as a link
        "retrieved_at": "2026-01-10T12:00:00+01:00",  # required
        "sha256": "<64 hex>",               # required
        "synthetic": false                  # optional
      }
    ]

Besides the sources the footer states the run parameters, ``analysis.__version__``, the git
commit of the repository (with ``-dirty`` when tracked files changed; ``onbekend`` outside a git
checkout) and the render time. A banner "Synthetische gegevens (Demoland) — geen echte cijfers"
is shown at the top and in the footer when any source is synthetic or ``profiel == "demoland"``.
No URL in the footer is rendered as a link, so a report never points at (or fetches) anything
outside the file.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import analysis
from analysis.config import project_root
from analysis.echo import echo

SYNTHETIC_BANNER_TEXT = "Synthetische gegevens (Demoland) — geen echte cijfers"
ATTRIBUTION_TEXT = "Bron: CBS, CC BY 4.0"
UNKNOWN = "onbekend"

_TABLE_KEYS = ("table_id", "catalog", "title", "modified", "retrieved_at", "files")
_GEO_KEYS = ("name", "url", "retrieved_at", "sha256")


class SourcesError(ValueError):
    """``sources.json`` is missing or does not have the documented shape."""


@dataclass(frozen=True)
class SourceFile:
    """One file of a snapshot."""

    name: str
    sha256: str
    rows: int | None = None


@dataclass(frozen=True)
class TableSource:
    """One CBS table snapshot."""

    table_id: str
    catalog: str
    title: str
    modified: str
    retrieved_at: str
    files: tuple[SourceFile, ...] = ()
    synthetic: bool = False


@dataclass(frozen=True)
class GeoSource:
    """One boundary file."""

    name: str
    url: str
    retrieved_at: str
    sha256: str
    synthetic: bool = False


@dataclass(frozen=True)
class FooterInfo:
    """Everything the sources footer shows; picklable, so batch workers can receive it."""

    tables: tuple[TableSource, ...]
    geo: tuple[GeoSource, ...]
    params: dict[str, Any]
    notebook: str
    notebook_sha256: str
    version: str
    commit: str
    rendered_at: str
    profiel: str | None = None
    sources_path: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        """True when any source is synthetic or the profile is Demoland."""
        return (
            self.profiel == "demoland"
            or any(t.synthetic for t in self.tables)
            or any(g.synthetic for g in self.geo)
        )

    def for_run(self, params: Mapping[str, Any], *, notebook: Path | None = None) -> FooterInfo:
        """A copy for another report: new parameters, notebook and render time."""
        changes: dict[str, Any] = {
            "params": dict(params),
            "rendered_at": _now(),
            "profiel": _profiel(params, self.profiel),
        }
        if notebook is not None:
            changes["notebook"] = Path(notebook).name
            changes["notebook_sha256"] = file_sha256(Path(notebook))
        return dataclasses.replace(self, **changes)


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _profiel(params: Mapping[str, Any], default: str | None = None) -> str | None:
    value = params.get("profiel", default)
    return None if value is None else str(value)


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def git_commit(root: Path | None = None) -> str:
    """Short commit of the repository, ``-dirty`` if tracked files changed, else ``onbekend``."""
    cwd = Path(root) if root is not None else project_root()
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN
    if not head:
        return UNKNOWN
    return f"{head}-dirty" if status else head


def _require(entry: Mapping[str, Any], keys: tuple[str, ...], index: int, path: Path) -> None:
    missing = [k for k in keys if k not in entry]
    if missing:
        raise SourcesError(
            f"{path}: entry {index} ({entry.get('table_id') or entry.get('name') or '?'}) "
            f"misses {', '.join(missing)}; required keys: {', '.join(keys)}"
        )


def load_sources(path: Path) -> tuple[tuple[TableSource, ...], tuple[GeoSource, ...]]:
    """Parse ``sources.json`` into table and boundary sources; clear error on a bad shape."""
    path = Path(path)
    if not path.is_file():
        raise SourcesError(
            f"{path} not found; build the processed layer first "
            "(`python -m analysis data` or `python -m analysis demo-data`)"
        )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SourcesError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(raw, list):
        raise SourcesError(f"{path} must hold a JSON list of manifests, got {type(raw).__name__}")
    tables: list[TableSource] = []
    geo: list[GeoSource] = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise SourcesError(f"{path}: entry {i} must be an object, got {type(entry).__name__}")
        synthetic = bool(entry.get("synthetic", False))
        if entry.get("kind") == "geo":
            _require(entry, _GEO_KEYS, i, path)
            geo.append(
                GeoSource(
                    name=str(entry["name"]),
                    url=str(entry["url"]),
                    retrieved_at=str(entry["retrieved_at"]),
                    sha256=str(entry["sha256"]),
                    synthetic=synthetic,
                )
            )
            continue
        _require(entry, _TABLE_KEYS, i, path)
        files = entry["files"]
        if not isinstance(files, list):
            raise SourcesError(f"{path}: entry {i} 'files' must be a list")
        parsed = []
        for f in files:
            if not isinstance(f, dict) or "name" not in f or "sha256" not in f:
                raise SourcesError(
                    f"{path}: entry {i} ({entry['table_id']}) has a file without name/sha256: {echo(f)}"
                )
            rows = f.get("rows")
            parsed.append(
                SourceFile(str(f["name"]), str(f["sha256"]), None if rows is None else int(rows))
            )
        tables.append(
            TableSource(
                table_id=str(entry["table_id"]),
                catalog=str(entry["catalog"]),
                title=str(entry["title"]),
                modified=str(entry["modified"]),
                retrieved_at=str(entry["retrieved_at"]),
                files=tuple(parsed),
                synthetic=synthetic,
            )
        )
    return tuple(tables), tuple(geo)


def footer_info(data_dir: Path, params: dict, *, notebook: Path) -> FooterInfo:
    """Build the footer data for one report from ``data_dir/processed/sources.json``."""
    sources_path = Path(data_dir) / "processed" / "sources.json"
    tables, geo = load_sources(sources_path)
    notebook = Path(notebook)
    return FooterInfo(
        tables=tables,
        geo=geo,
        params=dict(params),
        notebook=notebook.name,
        notebook_sha256=file_sha256(notebook) if notebook.is_file() else UNKNOWN,
        version=analysis.__version__,
        commit=git_commit(),
        rendered_at=_now(),
        profiel=_profiel(params),
        sources_path=str(sources_path),
    )


# --------------------------------------------------------------------------- HTML rendering


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def banner_html() -> str:
    """The synthetic-data banner (a block element)."""
    return (
        '<div class="synthetisch-banner" role="alert">'
        f"<strong>{_e(SYNTHETIC_BANNER_TEXT)}</strong></div>"
    )


def _short(sha: str) -> str:
    return sha[:12] if sha else UNKNOWN


def _param_text(key: str, value: object) -> str:
    if key == "data_dir" and isinstance(value, (str, Path)):
        try:  # no absolute home-folder paths in published reports
            return Path(value).resolve().relative_to(project_root()).as_posix()
        except ValueError:
            return str(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


#: id and text of the footer's heading (listed in the table of contents)
KOP_ID = "bronnen-en-verantwoording"
KOP = "Bronnen en verantwoording"
#: a table's own scroll container (see ``export.TABLE_SCROLL_CLASS``)
_SCROLL = '<div class="tabel-scroll" tabindex="0">'


def footer_html(info: FooterInfo) -> str:
    """Render the "Bronnen en verantwoording" section (Dutch; URLs as text, never links)."""
    parts: list[str] = ['<footer class="bronnen" id="bronnen-en-verantwoording-sectie">']
    parts.append(f'<h2 id="{KOP_ID}">{KOP}</h2>')
    if info.synthetic:
        parts.append(banner_html())
    if info.tables:
        parts.append(
            f'{_SCROLL}<table class="bronnen-tabel"><thead><tr>'
            "<th>Tabel-id</th><th>Titel</th><th>Gewijzigd bij CBS</th>"
            "<th>Opgehaald op</th><th>sha256 (12 tekens)</th></tr></thead><tbody>"
        )
        for t in info.tables:
            shas = "<br>".join(
                f'<code title="{_e(f.name)}">{_e(_short(f.sha256))}</code>' for f in t.files
            )
            label = _e(t.table_id)
            if t.catalog and t.catalog != "opendata":
                label += f" <small>({_e(t.catalog)})</small>"
            if t.synthetic:
                label += " <small>(synthetisch)</small>"
            parts.append(
                f"<tr><td>{label}</td><td>{_e(t.title)}</td><td>{_e(t.modified)}</td>"
                f"<td>{_e(t.retrieved_at)}</td><td>{shas or '&ndash;'}</td></tr>"
            )
        parts.append("</tbody></table></div>")
    else:
        parts.append("<p>Geen CBS-tabellen vastgelegd.</p>")
    if info.geo:
        parts.append(
            "<h3>Grenzen</h3>"
            f'{_SCROLL}<table class="bronnen-tabel"><thead><tr><th>Bestand</th><th>Herkomst</th>'
            "<th>Opgehaald op</th><th>sha256 (12 tekens)</th></tr></thead><tbody>"
        )
        for g in info.geo:
            parts.append(
                f'<tr><td>{_e(g.name)}</td><td><span class="url">{_e(g.url)}</span></td>'
                f"<td>{_e(g.retrieved_at)}</td><td><code>{_e(_short(g.sha256))}</code></td></tr>"
            )
        parts.append("</tbody></table></div>")
    parts.append(f'<p class="attributie">{_e(ATTRIBUTION_TEXT)} (opendata.cbs.nl)</p>')
    params = "".join(
        f"<tr><th>{_e(k)}</th><td><code>{_e(_param_text(k, v))}</code></td></tr>"
        for k, v in info.params.items()
    )
    parts.append("<h3>Verantwoording van deze uitvoering</h3>")
    parts.append(f'{_SCROLL}<table class="run-tabel"><tbody>')
    parts.append(params)
    parts.append(
        f"<tr><th>notebook</th><td><code>{_e(info.notebook)}</code> "
        f"(sha256 <code>{_e(_short(info.notebook_sha256))}</code>)</td></tr>"
        f"<tr><th>analysis-versie</th><td><code>{_e(info.version)}</code></td></tr>"
        f"<tr><th>git-commit</th><td><code>{_e(info.commit)}</code></td></tr>"
        f"<tr><th>gemaakt op</th><td>{_e(info.rendered_at)}</td></tr>"
    )
    parts.append("</tbody></table></div></footer>")
    return "".join(parts)
