"""The indicator catalogue (``docs/indicatoren.md``), generated from the registry.

Reports cite this file; ``tests/test_catalogue.py`` fails when it is out of date with the
registry, so the definitions a reader sees and the ones the code uses are the same text.
"""

from __future__ import annotations

from pathlib import Path

from analysis import registry
from analysis.config import project_root

CATALOGUE = Path("docs") / "indicatoren.md"


def _years(t: registry.Table) -> str:
    first, last = t.years
    return str(first) if first == last else f"{first}–{last or 'heden'}"


def render_catalogue() -> str:
    """Markdown: every indicator with definition, unit and source tables; then the tables."""
    sources: dict[str, list[str]] = {}
    for t in registry.TABLES:
        for m in t.measures:
            sources.setdefault(m.indicator, []).append(f"{t.id} ({_years(t)})")
    lines = [
        "# Indicatorencatalogus",
        "",
        "Gegenereerd uit `src/analysis/registry.py` met `python -m analysis catalogue`; "
        "niet met de hand bewerken.",
        "",
        "| indicator | omschrijving | eenheid | aggregatie | noemer | bron (CBS-tabel) |",
        "|---|---|---|---|---|---|",
    ]
    for ind in registry.INDICATORS:
        lines.append(
            f"| `{ind.id}` | **{ind.label}** | {ind.eenheid} | {ind.aggregatie} "
            f"| {ind.noemer or '—'} | {', '.join(sources.get(ind.id, [])) or '—'} |"
        )
    lines += ["", "## Definities", ""]
    for ind in registry.INDICATORS:
        lines += [f"### {ind.label} (`{ind.id}`)", "", ind.definitie, ""]
        if ind.opmerking:
            lines += [f"*Let op:* {ind.opmerking}", ""]
    lines += [
        "## Afgeleide waarden",
        "",
        "- *Per 1 000 jongeren*: teller en noemer van dezelfde regio, periode en gemeentelijke "
        "indeling, opgeteld over de gemeenten waarvoor beide bekend zijn; nooit een gemiddelde "
        "van percentages.",
        "- *Jeugdregio en provincie*: volgens de `aggregatie` van de indicator over de "
        "gemeenten in de indeling van het jaar (`berekend`): `som` telt op, `gewogen "
        "gemiddelde` weegt met de genoemde gewichtsindicator, `geen` wordt niet samengevoegd; "
        "`dekking` = aandeel leden met een gepubliceerde waarde.",
        "- *Herindelingen*: tellingen worden omgerekend naar één referentie-indeling "
        "(grensoverlay; bij splitsing naar oppervlakte); landelijke totalen blijven gelijk.",
        "- *Onderdrukt*: door CBS geheimgehouden cellen ('.') zijn ontbrekend, nooit 0.",
        "",
    ]
    lines += _cohesion_section()
    lines += [
        "## Tabellen in het register",
        "",
        "| tabel | catalogus | reeks | jaren | status | thema |",
        "|---|---|---|---|---|---|",
    ]
    for t in registry.TABLES:
        lines.append(
            f"| {t.id or '*onbekend*'} | {t.catalog} | {t.reeks} | "
            f"{_years(t)} | {t.status} | {t.thema} |"
        )
    return "\n".join(lines) + "\n"


def _cohesion_section() -> list[str]:
    """Measures, signals and thresholds of the regional-cohesion analysis (issue 4)."""
    from analysis.metadata.cohesion import DOC_PAGE, DREMPELS, MAATSTAVEN, SIGNALEN

    lines = [
        "## Regionale samenhang van de jeugdregio's",
        "",
        f"Uitleg en formules: `{DOC_PAGE}`. Lidmaatschappen komen uit CBS 'Gebieden in "
        "Nederland' als die momentopname er is, anders uit de grenzen (binnenpunt in vlak).",
        "",
        "| maatstaf | omschrijving | eenheid |",
        "|---|---|---|",
    ]
    lines += [f"| `{m.id}` | **{m.label}**: {m.definitie} | {m.eenheid} |" for m in MAATSTAVEN]
    lines += ["", "### Signalen", "", "| signaal | regel |", "|---|---|"]
    lines += [f"| {s.label} | {s.regel} |" for s in SIGNALEN.values()]
    lines += [
        "",
        "### Drempels",
        "",
        "| drempel | waarde | eenheid | betekenis |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{k}` | {d.waarde:g} | {d.eenheid} | {d.omschrijving} |" for k, d in DREMPELS.items()
    ]
    return lines + [""]


def write_catalogue(root: Path | None = None) -> Path:
    path = (root or project_root()) / CATALOGUE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_catalogue(), encoding="utf-8")
    return path
