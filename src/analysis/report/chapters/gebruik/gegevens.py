"""Data access of the chapter "Gebruik van jeugdzorg": rates, aggregates and look-ups.

Numbers only (no Dutch text): :class:`Gegevens` reads one report's figures from dataset-wide
frames that are computed once per data version (:func:`analysis.store.per_data_version`);
:func:`regio_grenzen` dissolves jeugdregio polygons once per data version and classification.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

import pandas as pd

from analysis import store
from analysis.indicators import use
from analysis.report.chapters._basis import bronnen

log = logging.getLogger(__name__)

__all__ = [
    "INDICATORS",
    "JEUGDHULP",
    "KERN",
    "MET_VERBLIJF",
    "SINDS",
    "Gegevens",
    "grenzen",
    "halfjaar",
    "regio_grenzen",
    "vergelijking",
    "vergelijkingsgroep",
    "waarden",
]

INDICATORS = use.USE_INDICATORS
JEUGDHULP = "jongeren_met_jeugdhulp"
MET_VERBLIJF = "jongeren_met_jeugdhulp_met_verblijf"
#: Indicators in the comparison chart and the generated sentences.
KERN = (
    "jongeren_met_jeugdhulp",
    "jongeren_met_jeugdhulp_met_verblijf",
    "jongeren_met_jeugdbescherming",
    "jongeren_met_jeugdreclassering",
)
SINDS = 2015


def _gedeeld(ctx) -> dict:
    """Results shared by all reports on the same processed layer and classification year.

    A warm kernel rendering hundreds of gemeente reports computes the dataset-wide rates and
    aggregates once; only the look-ups differ per report.
    """
    return store.per_data_version(ctx.data_dir, f"gebruik/{ctx.indeling_jaar}", store.Memo)


class Gegevens:
    """Rates for one report context; dataset-wide frames are computed once per data version
    and classification year (:func:`_gedeeld`) and shared by every report of a warm kernel."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.ij = ctx.indeling_jaar
        self._cache = _gedeeld(ctx)
        self.df = self.memo(("df",), self._filtered)
        aanwezig = self.memo(("aanwezig",), lambda: set(self.df["indicator"].unique()))
        self.beschikbaar = [i for i in INDICATORS if i in aanwezig]
        self.jaar = self.memo(
            ("jaar", tuple(self.beschikbaar), ctx.jaar),
            lambda: (
                use.latest_period_with_data(
                    self.df, self.beschikbaar, indeling_jaar=self.ij, jaar=ctx.jaar
                )
                if self.beschikbaar
                else None
            ),
        )
        self.periode = str(self.jaar) if self.jaar is not None else None

    def _filtered(self) -> pd.DataFrame:
        df = self.ctx.indicators
        wanted = [*INDICATORS, use.NOEMER, use.BEVOLKING]
        keep = (df["indeling_jaar"] == self.ij) & df["indicator"].isin(wanted)
        return df.loc[keep].reset_index(drop=True)

    def memo(self, key: tuple, fn: Callable[[], pd.DataFrame]):
        """``fn()`` remembered under ``key`` for every report on the same data."""
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    # -- look-ups in shared frames: positions are indexed once per frame, so a report reads
    # -- its few rows without scanning the dataset-wide frames
    def _posities(self, frame: pd.DataFrame) -> tuple[dict, dict]:
        """({regio_code: row positions}, {(regio_code, periode): first position}) of a
        memoised frame (kept with the frame, so an id is never reused while indexed)."""
        key = ("posities", id(frame))
        hit = self._cache.get(key)
        if hit is None or hit[0] is not frame:
            codes = frame["regio_code"].tolist()
            per_code: dict[str, list[int]] = {}
            first: dict[tuple, int] = {}
            for i, (c, p) in enumerate(zip(codes, frame["periode"].tolist(), strict=True)):
                per_code.setdefault(c, []).append(i)
                first.setdefault((c, p), i)
            hit = (frame, per_code, first)
            self._cache[key] = hit
        return hit[1], hit[2]

    def van(self, frame: pd.DataFrame, code: str) -> pd.DataFrame:
        """The rows of ``code`` in a memoised frame, in frame order."""
        return frame.take(self._posities(frame)[0].get(code, []))

    def rij(self, frame: pd.DataFrame, code: str, periode: str) -> dict:
        """The first row of ``code`` in ``periode`` of a memoised frame ({} when absent)."""
        pos = self._posities(frame)[1].get((code, periode))
        return {} if pos is None else frame.iloc[pos].to_dict()

    def trend(self, frame: pd.DataFrame, code: str) -> pd.DataFrame:
        """:func:`use.trend` of ``code`` from a memoised frame (since :data:`SINDS`;
        memoised: the jeugdregio and national series recur in every report, and a
        jeugdregio's trend scale reads all its gemeenten). Read-only."""
        key = ("trend", id(frame), code)
        hit = self._cache.get(key)
        if hit is None or hit[0] is not frame:
            hit = (frame, use.trend(self.van(frame, code), code, since=SINDS))
            self._cache[key] = hit
        return hit[1]

    def in_periode(self, frame: pd.DataFrame, periode: str) -> pd.DataFrame:
        """The rows of one period of a memoised frame (memoised)."""
        key = ("periode", id(frame), periode)
        hit = self._cache.get(key)
        if hit is None or hit[0] is not frame:
            hit = (frame, frame[frame["periode"] == periode])
            self._cache[key] = hit
        return hit[1]

    def gem(self, ind: str, ptype: str = "jaar") -> pd.DataFrame:
        def f() -> pd.DataFrame:
            r = use.rates(self.df, ind, indeling_jaar=self.ij, periode_type=ptype)
            return r[r["regio_niveau"] == "gemeente"].reset_index(drop=True)

        return self.memo(("gem", ind, ptype), f)

    def regio(self, ind: str) -> pd.DataFrame:
        return self.memo(("regio", ind), lambda: use.aggregate(self.gem(ind), self.ctx.leden))

    def nl(self, ind: str) -> pd.DataFrame:
        return self.memo(
            ("nl", ind),
            lambda: use.national(self.df, ind, indeling_jaar=self.ij, gemeenten=self.ctx.gemeenten),
        )

    def frames(self, ind: str) -> use.ComparisonFrames:
        """:func:`use.comparison_frames` of ``ind``, from the memoised gemeente, jeugdregio
        and national rates and the comparison groups (the same for every indicator)."""
        groep = self.ctx.vergelijkingsgroep or "grootteklasse"
        groepen = self.memo(
            ("groepen", groep, self.jaar),
            lambda: use.group_table(
                self.df,
                self.ctx.indeling,
                jaar=self.jaar,
                indeling_jaar=self.ij,
                vergelijkingsgroep=groep,
            ),
        )
        return self.memo(
            ("cmp", ind, groep, self.jaar),
            lambda: use.comparison_frames(
                self.df,
                self.ctx.indeling,
                ind,
                jaar=self.jaar,
                indeling_jaar=self.ij,
                vergelijkingsgroep=groep,
                gemeente=self.gem(ind),
                jeugdregio=self.regio(ind),
                nederland=self.nl(ind),
                groepen=groepen,
            ),
        )

    def compare(self, ind: str) -> pd.DataFrame:
        return use.compare_from(self.frames(ind), self.ctx.code, self.periode)

    def verblijf(self, groepen: bool = False) -> pd.DataFrame:
        """Share met verblijf per region as published, or per jeugdregio (``groepen``)."""
        return self.memo(
            ("verblijf", groepen),
            lambda: use.share_met_verblijf(
                self.df, indeling_jaar=self.ij, groups=self.ctx.leden if groepen else None
            ),
        )

    def jongeren(self, codes: list[str] | None, periode: str) -> float | None:
        """Youth 0-17 (sum over ``codes``; None = Nederland)."""
        den = self.memo(
            ("jongeren", periode),
            lambda: (lambda d: d[d["periode"] == periode])(
                use.select(self.df, use.NOEMER, indeling_jaar=self.ij)
            ),
        )
        if codes is None:
            nl = den.loc[den["regio_code"] == use.NEDERLAND, "waarde"]
            if len(nl) and nl.notna().all():
                return float(nl.iat[0])
            codes = self.ctx.gemeenten
        v = den.loc[den["regio_code"].isin(codes), "waarde"]
        return float(v.sum()) if v.notna().any() else None

    def bronnen(self, inds, jaren) -> set[str]:
        """Source tables of gemeente and Nederland rows (regional rows are derived from them)."""
        inds, jaren = tuple(inds), tuple(sorted({int(j) for j in jaren}))

        def f() -> set[str]:
            codes = [*self.ctx.gemeenten, use.NEDERLAND]
            return bronnen(
                self.df, [*inds, use.NOEMER], jaren, indeling_jaar=self.ij, regio_codes=codes
            )

        return set(self.memo(("bronnen", inds, jaren), f))

    def statussen(self, periode: str) -> list:
        """Status of every row of the available indicators in ``periode``."""

        def f() -> list:
            rows = use.select(self.df, self.beschikbaar, indeling_jaar=self.ij)
            return list(rows.loc[rows["periode"] == periode, "status"])

        return self.memo(("statussen", tuple(self.beschikbaar), periode), f)

    def grootte(self, code: str) -> pd.DataFrame:
        """:func:`use.size_classes` of one gemeente (computed once for all gemeenten)."""
        alle = self.memo(
            ("grootte", self.jaar),
            lambda: use.size_classes(
                self.df, self.ctx.gemeenten, jaar=self.jaar, indeling_jaar=self.ij
            ),
        )
        return alle[alle["gemeente_code"] == code].reset_index(drop=True)


def vergelijking(d: Gegevens) -> tuple[dict[str, pd.DataFrame], dict[tuple[str, str], dict]]:
    """A gemeente beside its jeugdregio, comparison group and Nederland: per indicator the
    :func:`use.compare_from` frame, and the first row of each (indicator, role)."""
    cmp = {ind: d.compare(ind) for ind in d.beschikbaar}
    rollen: dict[tuple[str, str], dict] = {}
    for ind, frame in cmp.items():
        for rec in frame.to_dict("records"):
            rollen.setdefault((ind, rec["rol"]), rec)  # the first row of each role
    return cmp, rollen


def vergelijkingsgroep(ctx, d: Gegevens) -> pd.DataFrame:
    """The members of the gemeente's comparison group (:func:`use.comparison_groups`)."""
    return use.comparison_groups(
        d.df,
        ctx.indeling,
        ctx.code,
        jaar=d.jaar,
        indeling_jaar=d.ij,
        vergelijkingsgroep=ctx.vergelijkingsgroep or "grootteklasse",
        table=d.frames(d.beschikbaar[0]).groepen,
    )


def halfjaar(ctx, d: Gegevens) -> pd.DataFrame:
    """Half-year jeugdhulp rates of the report's subject."""
    half = d.gem(JEUGDHULP, "halfjaar")
    if ctx.kind == "gemeente":
        return half[half["regio_code"] == ctx.code]
    if ctx.kind == "jeugdregio":
        agg = use.aggregate(half, ctx.leden)
        return agg[agg["regio_code"] == ctx.code]
    return use.national(
        d.df, JEUGDHULP, indeling_jaar=d.ij, periode_type="halfjaar", gemeenten=ctx.gemeenten
    )


def regio_grenzen(ctx, gem_gdf, used: int):
    """Jeugdregio polygons dissolved from gemeente boundaries of year ``used`` (once per data
    version, classification and membership)."""
    leden = ctx.leden
    codes = hashlib.sha256("|".join(leden["gemeente_code"]).encode()).hexdigest()[:16]

    def dissolve():
        m = leden[leden["gemeente_code"].isin(set(gem_gdf["statcode"]))]
        g = gem_gdf[gem_gdf["statcode"].isin(set(m["gemeente_code"]))]
        if not len(m):
            return None
        try:
            from analysis.geo.membership import dissolve_regions

            return dissolve_regions(g, m)
        except (ImportError, ValueError) as exc:
            log.info("dissolve_regions not usable (%s); using geopandas dissolve", exc)
            merged = g.merge(m, left_on="statcode", right_on="gemeente_code")
            return merged.dissolve(by="regio_code", as_index=False)[
                ["regio_code", "regio_naam", "geometry"]
            ]

    name = f"gebruik/regiogrenzen/{ctx.indeling_jaar}/{used}/{codes}"
    return store.per_data_version(ctx.data_dir, name, dissolve)


def grenzen(ctx):
    """(gemeente boundaries, year used) nearest to the classification year, or (None, None)."""
    gdf, used, reden = store.load_boundaries_nearest("gemeente", ctx.indeling_jaar, ctx.settings)
    if gdf is None:
        log.info("no boundaries for %s: %s", ctx.indeling_jaar, reden)
        return None, None
    return gdf, used


def waarden(frame: pd.DataFrame, periode: str) -> pd.DataFrame:
    """``code, per_1000`` of one period of a rate frame (the values of a map)."""
    sel = frame[frame["periode"] == periode]
    return pd.DataFrame({"code": sel["regio_code"], "per_1000": sel["per_1000"]})
