"""Tables of the chapter "Stapeling van voorzieningen" (HTML, Dutch, formatted cells)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.indicators import stapeling_data as sd
from analysis.report import text
from analysis.report.chapters._basis import html_tabel, md, toon_html
from analysis.report.chapters.stapeling import teksten
from analysis.report.chapters.stapeling.gegevens import Gegevens
from analysis.report.figures import caption

__all__ = ["combinaties", "kerntabel", "leden", "samenloop", "trend", "wijken"]


def _bron(ctx, d: Gegevens, inds, noot: str = "") -> str:
    return caption(noot, d.bronnen(inds), synthetic=ctx.synthetic)


def kerntabel(ctx, d: Gegevens, kolommen: Sequence[tuple[str, dict]]) -> None:
    """Key figures of the report's units side by side (``kolommen``: name, kengetallen)."""
    regels = [
        ("Huishoudens met een voorziening", lambda k: text.getal(k.get("huishoudens"))),
        (f"… {teksten.PER_1000_HH}", lambda k: teksten.per_1000(k.get("per_1000"))),
        (
            "Aandeel met voorzieningen uit meer dan één wet",
            lambda k: teksten.pct(k.get("aandeel_meer_wetten")),
        ),
        ("Wmo-cliënten per 1\u202f000 inwoners", lambda k: teksten.per_1000(k.get("wmo_per_1000"))),
    ]
    df = pd.DataFrame(
        {"": [r for r, _ in regels], **{naam: [f(k) for _, f in regels] for naam, k in kolommen}}
    )
    noot = (
        "Regio en Nederland: opgeteld uit de gemeenterijen (tellers en noemers apart), alleen "
        "over de gemeenten met alle benodigde cellen. Huishoudens als noemer: particuliere "
        "huishoudens op 1 januari (Kerncijfers wijken en buurten of Maatstaven gemeentefonds)."
    )
    toon_html(
        html_tabel(
            df,
            bijschrift=f"Kerncijfers stapeling, {d.jaar}",
            rechts=[n for n, _ in kolommen],
            noot=_bron(ctx, d, [sd.TOTAAL, sd.HUISHOUDENS, sd.WMO], noot),
        )
    )


def combinaties(ctx, d: Gegevens, kolommen: Sequence[tuple[str, dict]]) -> None:
    """Share of each exclusive combination (and the sum check for a single gemeente)."""
    rijen = {"": list(teksten.COMBINATIE_LABEL.values())}
    for naam, k in kolommen:
        rijen[naam] = [teksten.pct(k.get(f"aandeel_{c}")) for c in teksten.COMBINATIE_LABEL]
    df = pd.DataFrame(rijen)
    noot = (
        "Aandeel van de huishoudens met een voorziening; de zeven groepen sluiten elkaar uit en "
        "tellen samen op tot 100% op afronding en onderdrukking na."
    )
    for naam, k in kolommen:
        if k.get("controle") is not None:
            noot += (
                f" Controle {naam}: "
                + {
                    "ok": "de groepen tellen op tot het totaal (binnen de afronding op 5).",
                    "afwijking": f"de som wijkt {text.getal(k.get('controle_verschil'))} af van het "
                    "totaal, meer dan afronding verklaart; het verschil is gemeld, niet weggewerkt.",
                    "onvolledig": "een of meer groepen zijn onderdrukt; de som is niet te controleren.",
                }[str(k["controle"])]
            )
    toon_html(
        html_tabel(
            df,
            bijschrift=f"Huishoudens naar combinatie van wetten, {d.jaar}",
            rechts=[n for n, _ in kolommen],
            noot=_bron(ctx, d, [sd.TOTAAL, *sd.COMBI.values()], noot),
        )
    )


def leden(ctx, d: Gegevens, codes: Sequence[str], namen: dict[str, str]) -> pd.DataFrame:
    """The member gemeenten side by side; returns their figures (for the sentences)."""
    pg = d.per_gemeente()
    rows = []
    for c in codes:
        k = pg.loc[c].to_dict() if c in pg.index else {}
        rows.append((namen.get(c, c), k))
    rows.sort(key=lambda r: -(r[1].get("aandeel_meer_wetten") or -1))
    df = pd.DataFrame(
        {
            "Gemeente": [n for n, _ in rows],
            "Huishoudens met voorziening": [text.getal(k.get("huishoudens")) for _, k in rows],
            teksten.PER_1000_HH: [teksten.per_1000(k.get("per_1000")) for _, k in rows],
            "Meer dan één wet": [teksten.pct(k.get("aandeel_meer_wetten")) for _, k in rows],
            "Wmo per 1\u202f000 inwoners": [
                teksten.per_1000(k.get("wmo_per_1000")) for _, k in rows
            ],
        }
    )
    toon_html(
        html_tabel(
            df,
            bijschrift=f"Gemeenten naast elkaar, {d.jaar} (gesorteerd op het aandeel meer wetten)",
            rechts=list(df.columns[1:]),
            noot=_bron(
                ctx,
                d,
                [sd.TOTAAL, *sd.COMBI.values(), sd.WMO],
                "'geen gegevens': niet gepubliceerd of onderdrukt.",
            ),
        )
    )
    return pd.DataFrame({n: k for n, k in rows}).T


def wijken(ctx, d: Gegevens, code: str) -> None:
    """The gemeente's wijken ranked, suppression shown, and the wijk-sum check."""
    tab = sd.wijk_tabel(d.wijken_van(code), code, d.jaar) if d.jaar else pd.DataFrame()
    if tab.empty:
        md("*Voor de wijken van deze gemeente zijn in dit jaar geen cijfers gepubliceerd.*")
        return
    df = pd.DataFrame(
        {
            "Rang": [str(i) if not o else "–" for i, o in enumerate(tab["onderdrukt"], 1)],
            "Wijk": tab["wijk_naam"],
            "Huishoudens met voorziening": [
                text.waarde(v, onderdrukt=o)
                for v, o in zip(tab["huishoudens"], tab["onderdrukt"], strict=True)
            ],
            f"{teksten.PER_1000_HH} (CBS)": [
                text.waarde(v, onderdrukt=o)
                for v, o in zip(tab["per_1000_cbs"], tab["onderdrukt"], strict=True)
            ],
            "Meer dan één wet": [
                teksten.pct(None if pd.isna(v) else v) for v in tab["aandeel_meer_wetten"]
            ],
        }
    )
    n_ond = int(tab["onderdrukt"].sum())
    eigen = d.rijen([code])
    gm = (
        float(eigen[sd.TOTAAL].iloc[0])
        if len(eigen) and pd.notna(eigen[sd.TOTAAL].iloc[0])
        else None
    )
    som = tab["huishoudens"].sum(min_count=1)
    noot = (
        f"Gerangschikt naar huishoudens met een voorziening {teksten.PER_1000_HH} (het CBS-cijfer "
        f"van de wijk). 'onderdrukt': kleine aantallen, door het CBS niet gepubliceerd ({n_ond} "
        f"{'wijk' if n_ond == 1 else 'wijken'}). Wijken van een later heringedeelde gemeente houden "
        "hun eigen code en staan bij de gemeente waarin zij nu liggen."
    )
    if gm is not None and pd.notna(som):
        noot += (
            f" Controle: de gepubliceerde wijken tellen op tot {text.getal(som)} huishoudens, de "
            f"gemeenterij geeft {text.getal(gm)}; het verschil komt door afronding op 5 en "
            "onderdrukking. Het gemeentecijfer komt altijd uit de gemeenterij."
        )
    toon_html(
        html_tabel(
            df,
            bijschrift=f"Wijken van {ctx.naam}, {d.jaar}",
            rechts=list(df.columns[2:]),
            noot=_bron(ctx, d, [sd.TOTAAL, sd.CBS_PER_1000], noot),
        )
    )


def samenloop(ctx, d: Gegevens, groepen: pd.DataFrame, naam: str) -> None:
    """85101NED: youngsters with jeugdzorg per combination of forms."""
    df = pd.DataFrame(
        {
            "Vorm(en) van jeugdzorg": [teksten.SAMENLOOP_LABEL[g] for g in groepen["groep"]],
            "Jongeren": [text.getal(v) for v in groepen["aantal"]],
            "Aandeel": [teksten.pct(None if pd.isna(v) else v) for v in groepen["aandeel"]],
        }
    )
    toon_html(
        html_tabel(
            df,
            bijschrift=f"Samenloop binnen de jeugdzorg, {naam}, {d.jaar}",
            rechts=["Jongeren", "Aandeel"],
            noot=_bron(
                ctx,
                d,
                list(sd.SAMENLOOP.values()),
                "Exclusieve groepen (pgb wel of niet, tenzij er staat 'alleen pgb'). Aandeel: van "
                "het totaal over de gemeenten waar alle groepen gepubliceerd zijn.",
            ),
        )
    )


def trend(ctx, d: Gegevens, per: dict, aandeel: dict) -> None:
    """The yearly series as a table (gemeente reports: text instead of a chart); a year
    without a table (2020) is marked, never filled in."""
    jaren = list(next(iter(per.values())).index)
    kol = {"Jaar": [str(j) for j in jaren]}
    for naam, s in per.items():
        kol[f"{naam}: {teksten.PER_1000_HH}"] = [
            teksten.per_1000(None if pd.isna(v) else v) for v in s
        ]
    for naam, s in aandeel.items():
        kol[f"{naam}: meer dan één wet"] = [teksten.pct(None if pd.isna(v) else v) for v in s]
    df = pd.DataFrame(kol)
    leeg = [str(j) for j in jaren if all(pd.isna(s[j]) for s in per.values())]
    noot = "'geen gegevens' in een heel jaar: geen CBS-tabel"
    noot += f" ({text.lijst(leeg)})." if leeg else "."
    noot += " De tabel van 2015 heeft geen combinaties van wetten."
    toon_html(
        html_tabel(
            df,
            bijschrift=f"Ontwikkeling sinds {jaren[0]}",
            rechts=list(df.columns[1:]),
            noot=_bron(ctx, d, [sd.TOTAAL, sd.HUISHOUDENS, *sd.COMBI.values()], noot),
        )
    )
