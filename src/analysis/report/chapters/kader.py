"""The report frame: its title and the line under it (the ``inleiding`` cell)."""

from __future__ import annotations

import html

from analysis.report import output
from analysis.report.chapters._basis import md, toon_html

__all__ = ["inleiding", "titel"]


def titel(ctx) -> str:
    """The report title, naming its subject: 'Jeugdzorg in Amsterdam'."""
    if ctx.kind == "nederland":
        return "Jeugdzorg in Nederland"
    if ctx.kind == "jeugdregio":
        return f"Jeugdzorg in de jeugdregio {ctx.naam}"
    return f"Jeugdzorg in {ctx.naam}"


@output.chapter
def inleiding(ctx) -> None:
    """The report title (h1) and one line under it: the subject, year and classification."""
    if ctx.kind == "nederland":
        wie = "Nederland"
    elif ctx.kind == "jeugdregio":
        wie = f"Jeugdregio {ctx.naam} ({ctx.code})"
    else:
        wie = f"Gemeente {ctx.naam} ({ctx.code})"
        if ctx.regio_naam:
            wie += f", jeugdregio {ctx.regio_naam}"
    toon_html(f"<h1>{html.escape(titel(ctx))}</h1>")
    md(f"**{wie}** · verslagjaar {ctx.jaar} · gemeentelijke indeling {ctx.indeling_jaar}")
