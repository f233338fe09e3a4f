"""Data access of the chapter "Stapeling van voorzieningen": numbers only, no Dutch text.

:class:`Gegevens` reads one report's figures from dataset-wide frames computed once per data
version and classification year (:func:`analysis.store.per_data_version`): the wide gemeente
year rows of :func:`analysis.indicators.stapeling_data.breed` and the wijk rows of
``processed/wijken.parquet``. Region and national figures are summed from gemeente rows
(:func:`analysis.indicators.stapeling_data.kengetallen`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from analysis import store
from analysis.indicators import stapeling_data as sd
from analysis.indicators import use
from analysis.report.chapters._basis import bronnen

__all__ = ["Gegevens", "lees_wijken"]


def lees_wijken(data_dir) -> pd.DataFrame:
    """``processed/wijken.parquet`` (empty when the layer has none)."""
    path = store.resolve_data_dir(data_dir) / "processed" / "wijken.parquet"
    if not path.is_file():
        return pd.DataFrame(columns=["regio_code", "gemeente_code_ref", "jaar", "indicator"])
    return pd.read_parquet(path)


class Gegevens:
    """Stapeling figures for one report context."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.ij = ctx.indeling_jaar
        self._cache = store.per_data_version(ctx.data_dir, f"stapeling/{self.ij}", store.Memo)
        self.wide = self.memo(("wide",), lambda: sd.breed(ctx.indicators, self.ij))
        self.wijken = self.memo(("wijken",), lambda: lees_wijken(ctx.data_dir))
        self.jaar = sd.laatste_jaar(self.wide, ctx.jaar)
        self.gemeenten = list(ctx.gemeenten)

    def memo(self, key: tuple, fn: Callable):
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    def rijen(self, codes: Iterable[str], jaar: int | None = None) -> pd.DataFrame:
        """Wide year rows (one per gemeente) of ``codes`` in ``jaar`` (default: the report's)."""
        jaar = self.jaar if jaar is None else jaar
        if jaar is None or self.wide.empty:
            return (
                self.wide.iloc[0:0].droplevel("jaar")
                if len(self.wide.index.names) > 1
                else self.wide
            )
        try:
            rows = self.wide.xs(jaar, level="jaar")
        except KeyError:
            return self.wide.iloc[0:0].droplevel("jaar")
        return rows[rows.index.isin(list(codes))]

    def kengetallen(self, codes: Iterable[str], jaar: int | None = None) -> dict:
        codes = tuple(sorted(codes))
        jaar = self.jaar if jaar is None else jaar
        return self.memo(("k", codes, jaar), lambda: sd.kengetallen(self.rijen(codes, jaar)))

    def nl(self, jaar: int | None = None) -> dict:
        """National figures summed over every gemeente of the classification."""
        return self.kengetallen(self.gemeenten, jaar)

    def trend(self, codes: Iterable[str], kolom: str, noemer: str | None = None) -> pd.Series:
        """Yearly series up to the report year (:func:`sd.trend`), shared across reports."""
        codes = tuple(sorted(codes))
        return self.memo(
            ("trend", codes, kolom, noemer, self.jaar),
            lambda: sd.trend(self.wide, codes, kolom, tot=self.jaar, noemer=noemer),
        )

    def aandeel_trend(self, codes: Iterable[str]) -> pd.Series:
        codes = tuple(sorted(codes))
        return self.memo(
            ("aandeel_trend", codes, self.jaar),
            lambda: sd.aandeel_trend(self.wide, codes, tot=self.jaar),
        )

    def per_gemeente(self) -> pd.DataFrame:
        """Figures of every gemeente in the report year (index: gemeente code)."""
        return self.memo(
            ("per_gemeente", self.jaar),
            lambda: sd.kengetallen_per_rij(self.rijen(self.gemeenten)),
        )

    def heeft_combinaties(self) -> bool:
        return bool(self.rijen(self.gemeenten)[list(sd.COMBI.values())].notna().any().any())

    def groep(self) -> pd.DataFrame:
        """Members of the gemeente's comparison group (size class by default)."""
        ctx = self.ctx
        soort = ctx.vergelijkingsgroep or "grootteklasse"
        kw = {"jaar": ctx.jaar, "indeling_jaar": self.ij, "vergelijkingsgroep": soort}
        table = self.memo(
            ("groepen", soort, ctx.jaar),
            lambda: use.group_table(ctx.indicators, ctx.indeling, **kw),
        )
        return use.comparison_groups(ctx.indicators, ctx.indeling, ctx.code, table=table, **kw)

    def bronnen(self, indicators: Iterable[str], jaren: Iterable[int] | None = None) -> set[str]:
        """Source table ids of ``indicators`` in ``jaren`` (default: the report year)."""
        inds = tuple(indicators)
        jaren = tuple(j for j in ([self.jaar] if jaren is None else jaren) if j)
        return self.memo(
            ("bronnen", inds, jaren),
            lambda: bronnen(self.ctx.indicators, inds, jaren, indeling_jaar=self.ij),
        )

    def wijken_van(self, code: str) -> pd.DataFrame:
        """Year rows of the wijken of gemeente ``code`` (reference classification)."""
        per = self.memo(
            ("wijken_per_gemeente",),
            lambda: (
                {
                    g: part
                    for g, part in self.wijken[self.wijken["periode_type"].eq("jaar")].groupby(
                        "gemeente_code_ref"
                    )
                }
                if len(self.wijken)
                else {}
            ),
        )
        return per.get(code, self.wijken.iloc[0:0])
