"""The audit-questions checklist (section 8) and the data notes (section 9), filled from what
this report holds: the figures with their source, the local files and the data flags."""

from __future__ import annotations

import pandas as pd

from analysis import registry
from analysis.report.chapters import catalogus
from analysis.report.chapters.rekenkamer import gegevens, teksten
from analysis.report.chapters.rekenkamer.tabellen import cijfer_tekst
from analysis.report.text import lijst

__all__ = ["checklist_rijen", "datanotities_zinnen"]

_SOORTEN = {
    "wachttijden": "wachttijden",
    "bouwstenen": "regionale bouwstenen",
    "budget": "rijksbudget",
    "doelen": "doelen en bevindingen",
}


def _sectie(sectie_id: str | None) -> str:
    for n, s in enumerate(catalogus.REKENKAMER, start=1):
        if s.id == sectie_id:
            return f"{n}. {s.titel}"
    return "–"


def _bevindingen(w: teksten.WVraag, df: pd.DataFrame) -> list[str]:
    """Findings of the local goals file that belong to ``w``: by the theme of their indicator;
    findings without an indicator go with the goals question."""
    out = []
    for r in df.itertuples():
        if not isinstance(r.bevinding, str) or not r.bevinding.strip():
            continue
        ind = r.indicator if isinstance(r.indicator, str) and r.indicator else None
        thema = registry.indicator(ind).thema if ind else None
        if (thema and thema in w.themas) or (thema is None and w.id == "doelen"):
            out.append(f"{r.bevinding} (bij «{r.beleidsvraag}»)")
    return out


def _bewijs(ctx, w: teksten.WVraag, df: pd.DataFrame) -> tuple[str, str]:
    """(evidence in this report, measurable) for one w-vraag."""
    if w.id == "doelen":
        if len(df):
            bron = df["bron_titel"].iloc[0]
            return f"{len(df)} beleidsvragen uit het lokale doelenbestand ({bron})", "lokaal"
        return "geen lokaal doelenbestand; sjabloon in sectie 2", teksten.NIET_MEETBAAR
    if w.id == "schaal":
        bs = gegevens.bouwstenen(ctx)
        bekend = int((bs["waarde"] != "onbekend").sum())
        regio = f"jeugdregio {ctx.regio_naam}" if ctx.regio_naam else "geen jeugdregio"
        return f"{regio}; {bekend} van {len(bs)} bouwstenen met bron", "deels"
    if not w.indicatoren:
        return "–", teksten.NIET_MEETBAAR
    delen = []
    for ind in w.indicatoren:
        c = gegevens.cijfer(ctx, ind)
        if c.waarde is not None:
            bron = f", CBS {c.bron}" if c.bron and c.bron != "berekend" else ""
            delen.append(f"{registry.indicator(ind).label}: {cijfer_tekst(c)}{bron}")
    if not delen:
        return "geen gegevens in deze gegevensset", "ja, maar hier geen gegevens"
    return "; ".join(delen), "ja (landelijke gegevens)"


def checklist_rijen(ctx) -> list[dict[str, str]]:
    """One row per w-vraag: section, evidence, measurable flag and own findings."""
    df = gegevens.doelen(ctx)
    rijen = []
    for w in teksten.W_VRAGEN:
        bewijs, meetbaar = _bewijs(ctx, w, df)
        eigen = _bevindingen(w, df)
        rijen.append(
            {
                "W-vraag": w.vraag,
                "Sectie": _sectie(w.sectie),
                "Bewijs in dit rapport": bewijs,
                "Meetbaar": meetbaar,
                "Eigen bevindingen": "; ".join(eigen) if eigen else "(in te vullen)",
            }
        )
    return rijen


def datanotities_zinnen(ctx) -> list[str]:
    """The data notes of this gemeente, one sentence each."""
    zinnen = []
    onderdrukt = gegevens.onderdrukt(ctx)
    if onderdrukt:
        namen = [registry.indicator(i).label.lower() for i in onderdrukt]
        zinnen.append(
            f"Onderdrukte cellen in {ctx.jaar} (te kleine aantallen, door het CBS geheim "
            f"gehouden): {lijst(namen)}."
        )
    else:
        zinnen.append(f"Geen onderdrukte cellen voor {ctx.naam} in {ctx.jaar}.")
    wissels = gegevens.regiowissels(ctx)
    for j0, r0, j1, r1 in wissels:
        zinnen.append(f"Grenswijziging: {ctx.naam} hoorde in {j0} bij {r0} en in {j1} bij {r1}.")
    if not wissels:
        zinnen.append(f"{ctx.naam} is in de beschikbare indelingsjaren niet van jeugdregio "
                      "gewisseld; cijfers zijn omgerekend naar de indeling van "
                      f"{ctx.indeling_jaar}.")  # fmt: skip
    for r0, j0, r1, j1, n in gegevens.trendbreuken(ctx):
        zinnen.append(
            f"Trendbreuk tussen {j0} en {j1}: reeks «{r0}» gaat over in «{r1}» ({n} "
            f"indicator{'en' if n != 1 else ''}); jaren voor en na de breuk zijn niet zonder "
            "meer vergelijkbaar."
        )
    dekking = gegevens.dekking(ctx)
    delen = [f"{_SOORTEN.get(k, k)}: {n} record{'s' if n != 1 else ''}" for k, n in dekking.items()]
    zinnen.append(
        f"Lokale bronnen voor {ctx.naam} en de jeugdregio ({lijst(delen)}); lokale bronnen "
        "zijn geen CBS-cijfers."
    )
    for kind in dekking:
        fouten = gegevens.problemen(ctx, kind)
        if fouten:
            zinnen.append(
                f"Afgewezen lokaal bestand ({_SOORTEN.get(kind, kind)}): "
                + "; ".join(f"`{p}`" for p in fouten[:5])
                + (f" en {len(fouten) - 5} meer" if len(fouten) > 5 else "")
                + "."
            )
    return zinnen
