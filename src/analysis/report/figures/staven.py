"""Comparison bars as HTML (text, not pixels)."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.report.downloads import csv_bytes, csv_link
from analysis.report.text import getal

__all__ = ["staven_html"]


def staven_html(
    panels: Sequence[tuple[str, pd.DataFrame]],
    *,
    titel: str,
    caption: str,
    xlabel: str = "per 1\u202f000 jongeren van 0 tot 18 jaar",
    ncols: int = 2,
) -> str:
    """Horizontal bars per area for one or more indicators, as an HTML table per panel.

    Each panel frame has ``label``, ``waarde``, ``hoofd`` (bool: the report's own area,
    drawn in colour) and optionally ``onderdrukt`` and ``schatting`` (bool). Every panel has
    its own scale (the longest bar is the panel's maximum); missing values are written as
    "onderdrukt" / "geen gegevens" instead of a bar. Text, not pixels: readable by screen
    readers, searchable, sharp in print, and cheap to make for hundreds of reports.
    """
    blokken = []
    cijfers = []  # the raw figures behind the bars, for the CSV download
    for ptitel, frame in panels:
        f = frame.reset_index(drop=True)
        cijfers.append(
            pd.DataFrame(
                {
                    "Paneel": ptitel,
                    "Gebied": f["label"].astype(str),
                    xlabel: f["waarde"].astype("float64"),
                    "Onderdrukt": (f["onderdrukt"].astype(bool) if "onderdrukt" in f else False),
                }
            )
        )
        vals = f["waarde"].astype("float64").to_numpy()
        finite = vals[~np.isnan(vals)]
        dec = 1 if len(finite) and np.min(np.abs(finite)) < 10 else 0
        xmax = float(np.max(finite)) if len(finite) else 0.0
        onderdrukt = f["onderdrukt"] if "onderdrukt" in f else pd.Series(False, index=f.index)
        schatting = f["schatting"] if "schatting" in f else pd.Series(False, index=f.index)
        rijen = []
        for k, v in enumerate(vals):
            hoofd = bool(f["hoofd"].iat[k])
            if np.isnan(v):
                staaf = ""
                waarde = (
                    '<span class="staaf-leeg">'
                    f"{'onderdrukt' if bool(onderdrukt.iat[k]) else 'geen gegevens'}</span>"
                )
            else:
                breedte = min(max(100.0 * v / xmax, 0.0), 100.0) if xmax > 0 else 0.0
                staaf = f'<span class="staaf" style="width: {breedte:.1f}%;"></span>'
                waarde = f"{'ca. ' if bool(schatting.iat[k]) else ''}{getal(v, dec)}"
            klasse = ' class="hoofd"' if hoofd else ""
            rijen.append(
                f'<tr{klasse}><th scope="row">'
                f"{html.escape(str(f['label'].iat[k]))}</th>"
                f'<td class="staaf-cel"><span class="staaf-baan">{staaf}</span></td>'
                f'<td class="staaf-waarde">{waarde}</td></tr>'
            )
        blokken.append(
            f'<table class="staven"><caption>{html.escape(ptitel)}</caption>'
            '<thead><tr><th scope="col">Gebied</th><th scope="col" class="staaf-kop">Staaf</th>'
            f'<th scope="col">{html.escape(xlabel)}</th></tr></thead>'
            f"<tbody>{''.join(rijen)}</tbody></table>"
        )
    kolommen = max(1, min(ncols, len(panels)))
    return (
        f'<figure class="rapport-figuur staafdiagram" style="margin: 1em 0;">'
        f'<p class="staven-titel">{html.escape(titel)}</p>'
        f'<div class="staven-panelen" style="grid-template-columns: repeat({kolommen}, 1fr);">'
        f"{''.join(blokken)}</div>"
        f'<p class="staven-as">{html.escape(xlabel)}</p>'
        '<figcaption style="font-size: 0.9em; color: #444;">'
        f"{html.escape(caption)}</figcaption></figure>"
    ) + (csv_link(csv_bytes(pd.concat(cijfers)), titel) if cijfers else "")
