"""Generated Dutch sentences and number formatting for the reports.

Numbers use a narrow no-break space (U+202F) as thousands separator and a decimal comma, as
CBS does (``1 245``, ``12,5``). Sentences state what the numbers show and no more: a
comparison within :data:`TOLERANTIE` (relative) is "ongeveer gelijk", suppressed figures are
named as such, provisional figures are said to be provisional, and a regional figure summed
over part of the member gemeenten is called an estimate ("naar schatting").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.metadata.periods import MAANDEN
from analysis.registry import indicator as _indicator

#: Thousands separator: narrow no-break space.
NNBSP = "\u202f"
#: Relative tolerance within which two values are called "ongeveer gelijk".
TOLERANTIE = 0.05
PER_1000 = f"per 1{NNBSP}000 jongeren van 0 tot 18 jaar"
GEEN_GEGEVENS = "geen gegevens"
ONDERDRUKT = "onderdrukt"
GEEN_GEGEVENS_ZIN = "Voor dit onderwerp zijn (nog) geen gegevens beschikbaar in deze gegevensset."

_HALFJAAR = {"H1": "het eerste halfjaar van", "H2": "het tweede halfjaar van"}


# ----------------------------------------------------------------------------- numbers


def _missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def getal(x: float | int | None, decimalen: int = 0) -> str:
    """Dutch number: ``1245.5`` -> ``'1 245,5'`` (U+202F); missing -> ``'geen gegevens'``."""
    if _missing(x):
        return GEEN_GEGEVENS
    value = float(x)  # type: ignore[arg-type]
    text = f"{abs(value):,.{decimalen}f}"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", NNBSP)
    negative = value < 0 and text.strip("0,") != ""
    return ("-" if negative else "") + text


def decimalen_per_1000(*values: float | None) -> int:
    """Decimals for rates per 1 000: one when any shown value is below 10, else none."""
    finite = [abs(float(v)) for v in values if not _missing(v)]
    return 1 if finite and min(finite) < 10 else 0


def waarde(x: float | None, *, onderdrukt: bool = False, decimalen: int = 0) -> str:
    """A table cell: ``'onderdrukt'`` for suppressed, ``'geen gegevens'`` when missing."""
    if onderdrukt and _missing(x):
        return ONDERDRUKT
    return getal(x, decimalen)


def procent(x: float | None, decimalen: int = 1) -> str:
    """``6.06`` -> ``'6,1%'``."""
    if _missing(x):
        return GEEN_GEGEVENS
    return f"{getal(x, decimalen)}%"


def lijst(items: Sequence[str], voegwoord: str = "en") -> str:
    """Dutch enumeration: ``['a', 'b', 'c']`` -> ``'a, b en c'``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {voegwoord} {items[-1]}"


def periode_tekst(periode: str) -> str:
    """``'2023'`` -> ``'2023'``; ``'2023H1'`` -> ``'het eerste halfjaar van 2023'``;
    ``'2023-06-30'`` -> ``'30 juni 2023'``."""
    p = str(periode)
    if len(p) == 6 and p[4:].upper() in _HALFJAAR:
        return f"{_HALFJAAR[p[4:].upper()]} {p[:4]}"
    if len(p) == 10 and p[4] == "-" and p[7] == "-":
        return f"{int(p[8:])} {MAANDEN[int(p[5:7]) - 1]} {p[:4]}"
    return p


def status_tekst(status: str | None) -> str:
    """Status for a table cell (``definitief`` when unknown)."""
    return status if status in ("voorlopig", "nader voorlopig") else "definitief"


def onderwerp(indicator_id: str) -> str:
    """What the youth have, from the registry label: ``'Jongeren met jeugdhulp'`` ->
    ``'jeugdhulp'``."""
    label = _indicator(indicator_id).label
    prefix = "Jongeren met "
    return label[len(prefix) :] if label.startswith(prefix) else label[0].lower() + label[1:]


def label_klein(indicator_id: str) -> str:
    """Registry label with a lower-case first letter (``'jongeren met jeugdhulp'``)."""
    label = _indicator(indicator_id).label
    return label[0].lower() + label[1:]


# ----------------------------------------------------------------------------- comparing


def vergelijk(a: float, b: float, tolerantie: float = TOLERANTIE) -> str:
    """``'meer'``, ``'minder'`` or ``'gelijk'`` (relative difference within ``tolerantie``)."""
    if b == 0:
        return "gelijk" if a == 0 else ("meer" if a > 0 else "minder")
    rel = (a - b) / abs(b)
    if abs(rel) <= tolerantie + 1e-12:
        return "gelijk"
    return "meer" if rel > 0 else "minder"


@dataclass(frozen=True)
class Cijfer:
    """One area's figure for a sentence.

    ``omschrijving`` is usable after "in" (``'Amsterdam'``, ``'de jeugdregio X'``,
    ``'Nederland'``). For a group of gemeenten ``n_leden`` > 1 and ``n_met_waarde`` tells how
    many members contributed; a value over part of the members is an estimate.
    """

    omschrijving: str
    aantal: float | None = None
    waarde: float | None = None
    status: str | None = "definitief"
    onderdrukt: bool = False
    n_leden: int = 1
    n_met_waarde: int = 1

    @property
    def schatting(self) -> bool:
        return self.n_leden > 1 and 0 < self.n_met_waarde < self.n_leden

    @classmethod
    def uit_rij(
        cls, rij: Mapping[str, Any], omschrijving: str, *, kolom: str = "per_1000"
    ) -> Cijfer:
        """From a row of :func:`analysis.indicators.use.rates` / ``aggregate`` / ``compare``."""

        def num(key: str) -> float | None:
            v = rij.get(key)
            return None if _missing(v) else float(v)

        n_leden = rij.get("n_leden")
        n_met = rij.get("n_met_waarde")
        return cls(
            omschrijving=omschrijving,
            aantal=num("aantal") if "aantal" in rij else num("teller"),
            waarde=num(kolom),
            status=rij.get("status") if isinstance(rij.get("status"), str) else None,
            onderdrukt=bool(rij.get("onderdrukt"))
            if not _missing(rij.get("onderdrukt"))
            else False,
            n_leden=int(n_leden) if not _missing(n_leden) else 1,
            n_met_waarde=int(n_met) if not _missing(n_met) else 1,
        )


def _status_zin(cijfers: Sequence[Cijfer]) -> str:
    statuses = {c.status for c in cijfers if c.waarde is not None or c.aantal is not None}
    if "voorlopig" in statuses:
        return " Dit zijn voorlopige cijfers."
    if "nader voorlopig" in statuses:
        return " Dit zijn nader voorlopige cijfers."
    return ""


def zin_status(periode: str, statuses: Sequence[str | None]) -> str:
    """One sentence on provisional figures of a period ("" when all are definitive)."""
    p = periode_tekst(periode)
    if "voorlopig" in statuses:
        return f"De cijfers over {p} zijn voorlopig; het CBS kan ze nog bijstellen."
    if "nader voorlopig" in statuses:
        return f"De cijfers over {p} zijn nader voorlopig; het CBS kan ze nog bijstellen."
    return ""


def _vergelijkzin(
    hoofd: Cijfer, refs: Sequence[Cijfer], fmt, tolerantie: float = TOLERANTIE
) -> str:
    """``' Dat is meer dan in A (98) en in B (104).'`` plus a sentence for missing refs."""
    if hoofd.waarde is None:
        return ""
    groups: dict[str, list[tuple[str, str]]] = {}
    missing = []
    for ref in refs:
        if ref.waarde is None:
            missing.append(ref.omschrijving)
            continue
        shown = ("naar schatting " if ref.schatting else "") + fmt(ref.waarde)
        verdict = vergelijk(hoofd.waarde, ref.waarde, tolerantie)
        groups.setdefault(verdict, []).append((ref.omschrijving, shown))
    parts = []
    for verdict, items in groups.items():
        if verdict == "gelijk":
            noun = "het cijfer" if len(items) == 1 else "de cijfers"
            parts.append(
                f"ongeveer gelijk aan {noun} voor " + lijst([f"{o} ({s})" for o, s in items])
            )
        else:
            parts.append(f"{verdict} dan " + lijst([f"in {o} ({s})" for o, s in items]))
    out = ""
    if parts:
        many = any(len(v) > 1 for v in groups.values())
        if len(parts) > 1 and many:
            body = ", ".join(parts[:-1]) + ", en " + parts[-1]
        else:
            body = lijst(parts)
        out += f" Dat is {body}."
    if missing:
        out += f" Voor {lijst(missing)} is geen vergelijkbaar cijfer beschikbaar."
    return out


# ----------------------------------------------------------------------------- sentences


def zin_gebruik(
    indicator_id: str,
    periode: str,
    hoofd: Cijfer,
    vergelijkingen: Sequence[Cijfer] = (),
    *,
    tolerantie: float = TOLERANTIE,
    status_noemen: bool = True,
) -> str:
    """The main fact of one indicator for one area, with comparisons, e.g. "In 2023 hadden
    1 245 jongeren in Amsterdam jeugdhulp, 112 per 1 000 jongeren van 0 tot 18 jaar. Dat is
    meer dan in de jeugdregio Amsterdam-Amstelland (98) en in Nederland (104)."

    ``status_noemen=False`` leaves out "Dit zijn voorlopige cijfers." (for a list of sentences
    that states it once, see :func:`zin_status`).
    """
    wat = onderwerp(indicator_id)
    p = periode_tekst(periode)
    if hoofd.aantal is None:
        if hoofd.n_leden > 1 and hoofd.n_met_waarde == 0:
            return (
                f"Voor {p} is voor geen van de gemeenten in {hoofd.omschrijving} een cijfer over "
                f"{label_klein(indicator_id)} gepubliceerd."
            )
        if hoofd.onderdrukt:
            return (
                f"In {p} is het aantal {label_klein(indicator_id)} in {hoofd.omschrijving} "
                "onderdrukt: het CBS heeft dit cijfer niet gepubliceerd."
            )
        return (
            f"Voor {p} is er geen cijfer over {label_klein(indicator_id)} in {hoofd.omschrijving}."
        )

    n = hoofd.aantal
    jongeren = "jongere" if n == 1 else "jongeren"
    werkwoord = "had" if n == 1 else "hadden"
    zin = f"In {p} {werkwoord} {getal(n)} {jongeren} in {hoofd.omschrijving} {wat}"
    if hoofd.schatting:
        rest = hoofd.n_leden - hoofd.n_met_waarde
        andere = "de andere gemeente" if rest == 1 else f"de andere {rest} gemeenten"
        zin += (
            f" (opgeteld over {hoofd.n_met_waarde} van de {hoofd.n_leden} gemeenten; van "
            f"{andere} is het cijfer onderdrukt of niet beschikbaar)"
        )
    dec = decimalen_per_1000(hoofd.waarde, *(r.waarde for r in vergelijkingen))

    def fmt(v: float) -> str:
        return getal(v, dec)

    if hoofd.waarde is None:
        zin += (
            ". Het aantal per 1\u202f000 jongeren is niet te berekenen, omdat het aantal jongeren "
            "van 0 tot 18 jaar ontbreekt."
        )
    else:
        schatting = "naar schatting " if hoofd.schatting else ""
        zin += f", {schatting}{fmt(hoofd.waarde)} {PER_1000}."
        zin += _vergelijkzin(hoofd, vergelijkingen, fmt, tolerantie)
    if n < 10:
        zin += (
            " Het gaat om minder dan 10 jongeren; bij zulke kleine aantallen kunnen toevallige "
            "schommelingen groot zijn."
        )
    return zin + (_status_zin([hoofd, *vergelijkingen]) if status_noemen else "")


def zin_aandeel_verblijf(
    periode: str,
    hoofd: Cijfer,
    vergelijkingen: Sequence[Cijfer] = (),
    *,
    tolerantie: float = TOLERANTIE,
    status_noemen: bool = True,
) -> str:
    """Share of youth with jeugdhulp that had it with verblijf (``waarde`` in %)."""
    p = periode_tekst(periode)
    if hoofd.waarde is None:
        if hoofd.onderdrukt:
            return (
                f"Het aandeel jongeren met jeugdhulp met verblijf in {hoofd.omschrijving} in {p} "
                "is niet te berekenen, omdat een van de cijfers onderdrukt is."
            )
        return (
            f"Voor {p} is het aandeel jongeren met jeugdhulp met verblijf in "
            f"{hoofd.omschrijving} niet bekend."
        )
    schatting = "naar schatting " if hoofd.schatting else ""
    zin = (
        f"In {p} had {schatting}{procent(hoofd.waarde)} van de jongeren met jeugdhulp in "
        f"{hoofd.omschrijving} jeugdhulp met verblijf."
    )
    zin += _vergelijkzin(hoofd, vergelijkingen, procent, tolerantie)
    return zin + (_status_zin([hoofd, *vergelijkingen]) if status_noemen else "")


def zin_rang(
    naam: str,
    regio_omschrijving: str,
    indicator_id: str,
    rang: int | None,
    n_gerangschikt: int,
    n_leden: int,
) -> str:
    """Position of a gemeente within its region (1 = highest rate)."""
    wat = label_klein(indicator_id)
    if rang is None or _missing(rang):
        return (
            f"{naam} heeft geen plaats in de rangorde binnen {regio_omschrijving}, omdat het "
            f"aantal {wat} per 1\u202f000 jongeren niet bekend is."
        )
    zonder = n_leden - n_gerangschikt
    extra = ""
    if zonder > 0:
        extra = (
            " Van 1 gemeente is het cijfer niet bekend; die telt niet mee."
            if zonder == 1
            else f" Van {zonder} gemeenten is het cijfer niet bekend; die tellen niet mee."
        )
    return (
        f"Binnen {regio_omschrijving} staat {naam} op plaats {int(rang)} van de "
        f"{n_gerangschikt} gemeenten met een cijfer (plaats 1 = het hoogste aantal {wat} per "
        f"1\u202f000 jongeren).{extra}"
    )


def zin_trend(
    indicator_id: str,
    omschrijving: str,
    verandering: Mapping[str, Any] | None,
    *,
    tolerantie: float = TOLERANTIE,
) -> str:
    """Change within the **current** series segment (never across a trend break)."""
    if not verandering:
        return ""
    van, tot = float(verandering["van"]), float(verandering["tot"])
    dec = decimalen_per_1000(van, tot)
    p0 = periode_tekst(str(verandering["van_periode"]))
    p1 = periode_tekst(str(verandering["tot_periode"]))
    verdict = vergelijk(tot, van, tolerantie)
    wat = f"het aantal {label_klein(indicator_id)} per 1\u202f000 jongeren in {omschrijving}"
    breuk = ", het eerste jaar na de trendbreuk," if verandering.get("n_reeksen", 1) > 1 else ""
    bedragen = f"van {getal(van, dec)} in {p0} naar {getal(tot, dec)} in {p1}"
    if verdict == "gelijk":
        kern = f"ongeveer gelijk gebleven ({bedragen})"
    else:
        kern = f"{'gestegen' if verdict == 'meer' else 'gedaald'} {bedragen}"
    zin = f"Sinds {p0}{breuk} is {wat} {kern}."
    if verandering.get("voorlopig"):
        zin += f" Het cijfer over {p1} is voorlopig."
    return zin
