"""Youth-care use: size classes, comparison groups, comparisons, shares and ranks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.indicators.use.selection import (
    BEVOLKING,
    RATE_COLUMNS,
    aggregate,
    grootteklasse,
    membership,
    national,
    rates,
    select,
    worst_status,
)
from analysis.metadata.regions import VERGELIJKINGSGROEPEN

# ----------------------------------------------------------------------------- comparison


def size_classes(
    df: pd.DataFrame, gemeenten: Sequence[str], *, jaar: int, indeling_jaar: int
) -> pd.DataFrame:
    """Size class of each gemeente by ``bevolking_totaal`` in ``jaar`` (else the nearest year).

    Returns ``gemeente_code, bevolking, bevolking_jaar, regio_code (GK1..GK7), regio_naam``
    (the class code too: the chapter words it); gemeenten without any population figure are
    left out.
    """
    pop = select(df, BEVOLKING, indeling_jaar=indeling_jaar, periode_type=("jaar", "peildatum"))
    pop = pop[pop["regio_code"].isin(list(gemeenten)) & pop["waarde"].notna()]
    if pop.empty:
        return pd.DataFrame(
            columns=["gemeente_code", "bevolking", "bevolking_jaar", "regio_code", "regio_naam"]
        )
    pop = pop.assign(_afstand=(pop["jaar"] - jaar).abs(), _later=(pop["jaar"] > jaar).astype(int))
    pop = pop.sort_values(["regio_code", "_afstand", "_later"]).drop_duplicates("regio_code")
    klasse = [f"GK{k + 1}" for k in pop["waarde"].map(grootteklasse)]
    return pd.DataFrame(
        {
            "gemeente_code": pop["regio_code"].to_numpy(),
            "bevolking": pop["waarde"].to_numpy(),
            "bevolking_jaar": pop["jaar"].to_numpy(),
            "regio_code": klasse,
            "regio_naam": klasse,
        }
    )


def group_table(
    df: pd.DataFrame,
    indeling: pd.DataFrame,
    *,
    jaar: int,
    indeling_jaar: int,
    vergelijkingsgroep: str = "grootteklasse",
) -> pd.DataFrame:
    """The comparison group of **every** gemeente of classification ``indeling_jaar``.

    Columns ``gemeente_code, regio_code, regio_naam`` and ``bevolking_jaar`` (size classes:
    year of the population used; else NA).
    ``grootteklasse``: CBS size class by ``bevolking_totaal`` in ``jaar`` (nearest year when
    missing); ``jeugdregio`` / ``provincie``: the region in that classification.
    """
    if vergelijkingsgroep not in VERGELIJKINGSGROEPEN:
        raise ValueError(
            f"unknown vergelijkingsgroep {vergelijkingsgroep!r}; "
            f"valid: {', '.join(VERGELIJKINGSGROEPEN)}"
        )
    cols = ["gemeente_code", "regio_code", "regio_naam", "bevolking_jaar"]
    if vergelijkingsgroep in ("jeugdregio", "provincie"):
        m = membership(indeling, jaar=indeling_jaar, soort=vergelijkingsgroep)
        return m.assign(bevolking_jaar=pd.NA)[cols]
    all_gem = indeling.loc[indeling["jaar"] == indeling_jaar, "gemeente_code"].unique()
    classes = size_classes(df, list(all_gem), jaar=jaar, indeling_jaar=indeling_jaar)
    return classes[cols].reset_index(drop=True)


def comparison_groups(
    df: pd.DataFrame,
    indeling: pd.DataFrame,
    gemeente_code: str,
    *,
    jaar: int,
    indeling_jaar: int,
    vergelijkingsgroep: str = "grootteklasse",
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Members of the gemeente's comparison group (including the gemeente itself).

    Returns ``gemeente_code, regio_code, regio_naam`` with, for size classes,
    ``attrs['bevolking_jaar']``; empty when the group cannot be formed. ``table``: a
    precomputed :func:`group_table`.
    """
    if table is None:
        table = group_table(
            df,
            indeling,
            jaar=jaar,
            indeling_jaar=indeling_jaar,
            vergelijkingsgroep=vergelijkingsgroep,
        )
    cols = ["gemeente_code", "regio_code", "regio_naam"]
    own = table.loc[table["gemeente_code"] == gemeente_code]
    if own.empty:
        return pd.DataFrame(columns=cols)
    out = table.loc[table["regio_code"] == own["regio_code"].iat[0], cols].reset_index(drop=True)
    if not pd.isna(own["bevolking_jaar"].iat[0]):
        out.attrs["bevolking_jaar"] = int(own["bevolking_jaar"].iat[0])
    return out


@dataclass(frozen=True)
class ComparisonFrames:
    """Dataset-wide rates of one indicator for all comparison levels (compute once, look up
    per gemeente with :func:`compare_from`)."""

    indicator: str
    vergelijkingsgroep: str
    gemeente: pd.DataFrame
    jeugdregio: pd.DataFrame
    groep: pd.DataFrame
    nederland: pd.DataFrame
    leden: pd.DataFrame
    groepen: pd.DataFrame
    #: look-up tables built on first use by :func:`compare_from` (per period)
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def _first_rows(self, level: str, periode: str) -> dict:
        """``{regio_code: position}`` of the first row per region in ``periode`` of frame
        ``level`` (key None: the first row of the period), and the period's rows."""
        key = (level, periode)
        if key not in self._index:
            frame = getattr(self, level)
            sel = frame[frame["periode"] == periode]
            first: dict = {}
            for i, code in enumerate(sel["regio_code"].tolist()):
                first.setdefault(code, i)
            if len(sel):
                first[None] = 0
            self._index[key] = (sel, first)
        return self._index[key]

    def _own(self, table: str, gemeente_code: str) -> dict | None:
        """The first row of ``gemeente_code`` in ``leden`` / ``groepen`` (None if absent)."""
        key = (table, "gemeente_code")
        if key not in self._index:
            frame = getattr(self, table)
            first: dict = {}
            for i, code in enumerate(frame["gemeente_code"].tolist()):
                first.setdefault(code, i)
            self._index[key] = first
        i = self._index[key].get(gemeente_code)
        return None if i is None else dict(self._records(table)[i])

    def _records(self, level: str, periode: str | None = None) -> list[dict]:
        """The rows of frame ``level`` (of ``periode`` when given, as :meth:`_first_rows`
        selects them) as dicts, built once: a row lookup per report is then a list index
        instead of a pandas row."""
        key = ("records", level, periode)
        if key not in self._index:
            sel = getattr(self, level) if periode is None else self._first_rows(level, periode)[0]
            self._index[key] = sel.to_dict("records")
        return self._index[key]


def comparison_frames(
    df: pd.DataFrame,
    indeling: pd.DataFrame,
    indicator: str,
    *,
    jaar: int,
    indeling_jaar: int,
    vergelijkingsgroep: str = "grootteklasse",
    periode_type: str = "jaar",
    gemeente: pd.DataFrame | None = None,
    jeugdregio: pd.DataFrame | None = None,
    nederland: pd.DataFrame | None = None,
    groepen: pd.DataFrame | None = None,
) -> ComparisonFrames:
    """Rates of ``indicator`` for every gemeente, jeugdregio, comparison group and Nederland.

    A caller that already holds some of the parts (computed as here: the gemeente rows of
    :func:`rates`, their :func:`aggregate` over the jeugdregio membership, :func:`national`,
    :func:`group_table`, which is the same for every indicator) passes them in instead of
    having them computed again."""
    if gemeente is None:
        gemeente = rates(df, indicator, indeling_jaar=indeling_jaar, periode_type=periode_type)
        gemeente = gemeente[gemeente["regio_niveau"] == "gemeente"].reset_index(drop=True)
    leden = membership(indeling, jaar=indeling_jaar, soort="jeugdregio")
    if groepen is None:
        groepen = group_table(
            df,
            indeling,
            jaar=jaar,
            indeling_jaar=indeling_jaar,
            vergelijkingsgroep=vergelijkingsgroep,
        )
    if jeugdregio is None:
        jeugdregio = aggregate(gemeente, leden, niveau="jeugdregio")
    if nederland is None:
        all_gem = indeling.loc[indeling["jaar"] == indeling_jaar, "gemeente_code"].unique()
        nederland = national(
            df,
            indicator,
            indeling_jaar=indeling_jaar,
            periode_type=periode_type,
            gemeenten=list(all_gem),
        )
    return ComparisonFrames(
        indicator=indicator,
        vergelijkingsgroep=vergelijkingsgroep,
        gemeente=gemeente,
        jeugdregio=jeugdregio,
        groep=aggregate(gemeente, groepen, niveau=vergelijkingsgroep),
        nederland=nederland,
        leden=leden,
        groepen=groepen,
    )


def compare_from(frames: ComparisonFrames, gemeente_code: str, periode: str) -> pd.DataFrame:
    """One period of a gemeente beside its jeugdregio, comparison group and Nederland.

    Rows (``rol``): ``gemeente``, ``jeugdregio``, ``vergelijkingsgroep`` (left out when it is
    the jeugdregio itself or cannot be formed), ``nederland``; columns ``rol`` plus
    :data:`RATE_COLUMNS`. A level without data is present with NaN values (but its
    ``regio_code`` and ``regio_naam``).
    """
    own_jz = frames._own("leden", gemeente_code)
    naam = own_jz["gemeente_naam"] if own_jz is not None else gemeente_code
    parts: list[tuple[str, str, str, str | None]] = [("gemeente", naam, "gemeente", gemeente_code)]
    if own_jz is not None:
        parts.append(("jeugdregio", own_jz["regio_naam"], "jeugdregio", own_jz["regio_code"]))
    if frames.vergelijkingsgroep != "jeugdregio":
        own = frames._own("groepen", gemeente_code)
        if own is not None:
            parts.append(("vergelijkingsgroep", own["regio_naam"], "groep", own["regio_code"]))
    parts.append(("nederland", "Nederland", "nederland", None))
    rows = []
    for rol, regio_naam, level, code in parts:
        _, first = frames._first_rows(level, periode)
        pos = first.get(code)
        if pos is None:
            row = {c: np.nan for c in RATE_COLUMNS}
            row.update(
                regio_code=code,
                regio_naam=regio_naam,
                periode=periode,
                indicator=frames.indicator,
                onderdrukt=False,
                klein=False,
                status=None,
                n_met_waarde=0,
                n_leden=0,
            )
        else:
            row = dict(frames._records(level, periode)[pos])
        row["rol"] = rol
        rows.append(row)
    return pd.DataFrame(rows, columns=["rol", *RATE_COLUMNS])


def compare(
    df: pd.DataFrame,
    indeling: pd.DataFrame,
    gemeente_code: str,
    indicator: str,
    *,
    jaar: int,
    indeling_jaar: int,
    vergelijkingsgroep: str = "grootteklasse",
    periode: str | None = None,
) -> pd.DataFrame:
    """:func:`compare_from` on freshly computed :func:`comparison_frames` (see there)."""
    periode = str(jaar) if periode is None else periode
    ptype = "halfjaar" if "H" in periode.upper() else "jaar"
    frames = comparison_frames(
        df,
        indeling,
        indicator,
        jaar=jaar,
        indeling_jaar=indeling_jaar,
        vergelijkingsgroep=vergelijkingsgroep,
        periode_type=ptype,
    )
    return compare_from(frames, gemeente_code, periode)


# ----------------------------------------------------------------------------- shares, ranks


def share(
    df: pd.DataFrame,
    teller: str,
    noemer: str,
    *,
    indeling_jaar: int,
    periode_type: str = "jaar",
    groups: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share (%) of indicator ``teller`` in ``noemer`` per region and period.

    Without ``groups``: per region as published. With ``groups`` (``gemeente_code``,
    ``regio_code``, ``regio_naam``): summed over members that have both counts, with
    ``dekking``. Columns: regio_code, regio_naam, periode, jaar, teller, noemer, aandeel,
    status, reeks, dekking, n_leden, n_met_waarde, onderdrukt.
    """
    t = select(df, teller, indeling_jaar=indeling_jaar, periode_type=periode_type)
    n = select(df, noemer, indeling_jaar=indeling_jaar, periode_type=periode_type)
    keys = ["regio_code", "periode"]
    m = t[[*keys, "regio_naam", "jaar", "waarde", "status", "reeks", "onderdrukt"]].merge(
        n[[*keys, "waarde", "status", "onderdrukt"]],
        on=keys,
        how="outer",
        suffixes=("_t", "_n"),
    )
    m["status"] = [worst_status([a, b]) for a, b in zip(m["status_t"], m["status_n"], strict=True)]
    m["onderdrukt"] = m["onderdrukt_t"].fillna(False).astype(bool) | m["onderdrukt_n"].fillna(
        False
    ).astype(bool)
    both = m["waarde_t"].notna() & m["waarde_n"].notna() & (m["waarde_n"] > 0)
    m = m.rename(columns={"waarde_t": "teller", "waarde_n": "noemer"})
    cols = [
        "regio_code",
        "regio_naam",
        "periode",
        "jaar",
        "teller",
        "noemer",
        "aandeel",
        "status",
        "reeks",
        "dekking",
        "n_leden",
        "n_met_waarde",
        "onderdrukt",
    ]
    if groups is None:
        m["aandeel"] = np.where(both, 100.0 * m["teller"] / m["noemer"].where(both, 1.0), np.nan)
        m["dekking"] = 1.0
        m["n_leden"] = 1
        m["n_met_waarde"] = both.astype(int)
        return m[cols].sort_values(keys, ignore_index=True)
    g = groups[["gemeente_code", "regio_code", "regio_naam"]].drop_duplicates("gemeente_code")
    sizes = g.groupby("regio_code").size()
    names = g.drop_duplicates("regio_code").set_index("regio_code")["regio_naam"]
    m = m.drop(columns=["regio_naam"]).rename(columns={"regio_code": "gemeente_code"})
    m = m.merge(g, on="gemeente_code", how="inner")
    if m.empty:
        return pd.DataFrame(columns=cols)
    both = m["teller"].notna() & m["noemer"].notna() & (m["noemer"] > 0)
    m = m.assign(_t=m["teller"].where(both, 0.0), _n=m["noemer"].where(both, 0.0), _ok=both)
    agg = (
        m.groupby(keys)
        .agg(
            jaar=("jaar", "first"),
            teller=("_t", "sum"),
            noemer=("_n", "sum"),
            n_met_waarde=("_ok", "sum"),
            status=("status", worst_status),
            reeks=("reeks", "first"),
            any_onderdrukt=("onderdrukt", "any"),
        )
        .reset_index()
    )
    agg["n_leden"] = agg["regio_code"].map(sizes).astype("int64")
    agg["regio_naam"] = agg["regio_code"].map(names)
    none = agg["n_met_waarde"] == 0
    agg.loc[none, ["teller", "noemer"]] = np.nan
    agg["aandeel"] = 100.0 * agg["teller"] / agg["noemer"]
    agg["dekking"] = agg["n_met_waarde"] / agg["n_leden"]
    agg["onderdrukt"] = none & agg["any_onderdrukt"]
    return agg[cols].sort_values(keys, ignore_index=True)


def share_met_verblijf(
    df: pd.DataFrame,
    *,
    indeling_jaar: int,
    periode_type: str = "jaar",
    groups: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share (%) of youth with jeugdhulp that had jeugdhulp met verblijf (see :func:`share`)."""
    return share(
        df,
        "jongeren_met_jeugdhulp_met_verblijf",
        "jongeren_met_jeugdhulp",
        indeling_jaar=indeling_jaar,
        periode_type=periode_type,
        groups=groups,
    )


def rank_in_region(
    gemeente_rates: pd.DataFrame, members: pd.DataFrame, periode: str
) -> pd.DataFrame:
    """Member gemeenten of one region ranked by ``per_1000`` in ``periode`` (1 = highest).

    Members without a rate (suppressed or missing) get no rank and sort last. Columns:
    gemeente_code, gemeente_naam, aantal, noemer, per_1000, onderdrukt, klein, status,
    rang, n_gerangschikt.
    """
    m = members[["gemeente_code", "gemeente_naam"]].drop_duplicates("gemeente_code")
    r = gemeente_rates[gemeente_rates["periode"] == periode]
    r = r[["regio_code", "aantal", "noemer", "per_1000", "onderdrukt", "klein", "status"]]
    out = m.merge(r, left_on="gemeente_code", right_on="regio_code", how="left")
    out = out.drop(columns=["regio_code"])
    out["onderdrukt"] = out["onderdrukt"].fillna(False).astype(bool)
    out["klein"] = out["klein"].fillna(False).astype(bool)
    out["rang"] = out["per_1000"].rank(ascending=False, method="min").astype("Int64")
    out["n_gerangschikt"] = int(out["per_1000"].notna().sum())
    out = out.sort_values(["rang", "gemeente_naam"], na_position="last", ignore_index=True)
    return out
