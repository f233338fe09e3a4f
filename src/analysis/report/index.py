"""``index.html`` listing every report of a profile, grouped by jeugdregio, with a search box.

The page is one self-contained file (inline CSS and a few lines of plain JS, no external
anything) that works from ``file://``; links are relative to the index. Every name on it is
escaped, and its Content-Security-Policy allows only its own search script (by hash).
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import analysis
from analysis.report.export import (
    assert_self_contained,
    csp_meta,
    csp_with_scripts,
    write_text_atomic,
)
from analysis.report.footer import SYNTHETIC_BANNER_TEXT

_ASSETS = Path(__file__).resolve().parent / "templates" / "index"
INDEX_FILE = "index.html"
_KIND_ORDER = {"nederland": 0, "jeugdregio": 1, "gemeente": 2}


@dataclass(frozen=True)
class IndexEntry:
    """One report on the index.

    ``href`` is the report's path relative to the index folder (``reports/<profiel>``), e.g.
    ``gemeente/GM0363-amsterdam-2023.html``. ``group`` is the jeugdregio the report belongs to,
    as ``"JZ13 Amstelland en de Meerlanden"`` (code, space, name) or just ``"JZ13"``; empty
    for the national report. A ``jeugdregio`` entry heads its own group.
    """

    kind: str
    code: str
    title: str
    group: str = ""
    href: str = ""

    @classmethod
    def from_job(cls, job, index_dir: Path) -> IndexEntry:
        """Entry for a :class:`~analysis.report.engine.ReportJob`; ``index_dir`` = ``reports/<profiel>``."""
        rel = os.path.relpath(Path(job.out_html).resolve(), Path(index_dir).resolve())
        return cls(job.kind, job.code, job.title, job.group, Path(rel).as_posix())


def _split_group(group: str) -> tuple[str, str]:
    """``"JZ13 Amstelland"`` -> ``("JZ13", "Amstelland")``; ``"JZ13"`` -> ``("JZ13", "")``."""
    head, _, rest = group.strip().partition(" ")
    if re.fullmatch(r"[A-Za-z]{1,4}\d+", head):
        return head, rest.strip()
    return group.strip(), ""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _item(entry: IndexEntry, base: Path, *, css: str = "") -> str:
    label = f'{_e(entry.title)}<span class="code">{_e(entry.code)}</span>'
    href = entry.href.replace("\\", "/")
    target = (base / href).resolve() if href else None
    inside = target is not None and target.is_relative_to(base.resolve())
    if href and not re.match(r"^[a-z][a-z0-9+.-]*:|^/", href, re.IGNORECASE) and inside:
        exists = target.is_file()
    else:
        raise ValueError(
            f"href {entry.href!r} of {entry.code} must be a relative path inside {base}"
        )
    if exists:
        body = f'<a href="{_e(quote(href))}">{label}</a>'
        xlsx = Path(href).with_suffix(".xlsx").as_posix()
        if target.with_suffix(".xlsx").is_file():
            body += f' <a class="xlsx" href="{_e(quote(xlsx))}">tabellen (XLSX)</a>'
    else:
        body = f'<span class="ontbreekt">{label} (niet beschikbaar)</span>'
    classes = " ".join(c for c in ("rapport", css) if c)
    search = _e(_fold(f"{entry.code} {entry.title}"))
    return f'<li class="{classes}" data-zoek="{search}">{body}</li>'


def _sort_key(text: str) -> str:
    return _fold(text)


def render_index(base: Path, entries: Sequence[IndexEntry], *, title: str, synthetic: bool) -> str:
    """The index HTML for reports relative to folder ``base``."""
    national = [e for e in entries if e.kind == "nederland"]
    grouped: dict[str, list[IndexEntry]] = {}
    other: list[IndexEntry] = []
    for e in entries:
        if e.kind == "nederland":
            continue
        if e.group:
            grouped.setdefault(e.group, []).append(e)
        else:
            other.append(e)

    def group_name(group: str, members: list[IndexEntry]) -> tuple[str, str]:
        code, name = _split_group(group)
        own = [m for m in members if m.kind == "jeugdregio"]
        if not name and own:
            name = own[0].title
        return code, name or code

    parts: list[str] = []
    if national:
        parts.append('<section class="groep" aria-label="Nederland"><ul class="rapporten">')
        parts.extend(_item(e, base, css="regio-rapport") for e in national)
        parts.append("</ul></section>")
    for group, members in sorted(
        grouped.items(), key=lambda kv: (_sort_key(group_name(*kv)[1]), kv[0])
    ):
        code, name = group_name(group, members)
        region = [m for m in members if m.kind == "jeugdregio"]
        rest = sorted(
            (m for m in members if m.kind != "jeugdregio"),
            key=lambda m: (_KIND_ORDER.get(m.kind, 9), _sort_key(m.title), m.code),
        )
        code_label = f' <span class="code">{_e(code)}</span>' if code != name else ""
        parts.append(
            f'<section class="groep" id="groep-{_e(_fold(code).replace(" ", "-"))}">'
            f'<h2>{_e(name)}{code_label}</h2><ul class="rapporten">'
        )
        parts.extend(_item(m, base, css="regio-rapport") for m in region)
        parts.extend(_item(m, base) for m in rest)
        parts.append("</ul></section>")
    if other:
        parts.append('<section class="groep"><h2>Overig</h2><ul class="rapporten">')
        parts.extend(
            _item(m, base) for m in sorted(other, key=lambda m: (_sort_key(m.title), m.code))
        )
        parts.append("</ul></section>")

    banner = (
        f'<div class="synthetisch-banner" role="alert"><strong>{_e(SYNTHETIC_BANNER_TEXT)}'
        "</strong></div>"
        if synthetic
        else ""
    )
    css = (_ASSETS / "index.css").read_text(encoding="utf-8")
    script = "\n" + (_ASSETS / "index.js").read_text(encoding="utf-8").replace("\r\n", "\n")
    made = datetime.now().astimezone().isoformat(timespec="seconds")
    return f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
{csp_meta(csp_with_scripts(script))}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{_e(title)}</title>
<style>
{css}</style>
</head>
<body>
<main>
<h1>{_e(title)}</h1>
{banner}
<div class="zoekbalk" role="search">
<label for="zoek">Zoek een rapport</label><br>
<input type="search" id="zoek" placeholder="Naam of code, bijvoorbeeld Amsterdam of GM0363"
 autocomplete="off">
<span class="aantal" id="aantal" aria-live="polite">{len(entries)} rapporten</span>
</div>
<p class="geen-resultaat" id="geen-resultaat" hidden>Geen rapporten gevonden.</p>
{"".join(parts)}
<footer>Gemaakt op {_e(made)} met analysis {_e(analysis.__version__)}.
Bron: CBS, CC BY 4.0.</footer>
</main>
<script>{script}</script>
</body>
</html>
"""


def write_index(
    reports_dir: Path, entries: Sequence[IndexEntry], *, title: str, synthetic: bool
) -> Path:
    """Write ``<reports_dir>/index.html`` (``reports_dir`` = ``reports/<profiel>``); return it."""
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    page = render_index(reports_dir, entries, title=title, synthetic=synthetic)
    assert_self_contained(page)
    target = reports_dir / INDEX_FILE
    write_text_atomic(target, page)
    return target
