"""Data access of the chapter "Wachttijden en toegang": numbers only, no Dutch text.

:class:`Gegevens` reads one report's figures; the gemeente table of a period
(:func:`analysis.indicators.access.breed`) and the local-data files are read once per data
version (:func:`analysis.store.per_data_version`) and shared by every report of a warm kernel.
Region, size-class and national values are recomputed from the gemeente numerators and
weights (:mod:`analysis.indicators.access`), with coverage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import localdata, store
from analysis.indicators import access, use
from analysis.report.chapters._basis import bronnen
from analysis.report.chapters.gebruik.teksten import klasse_label

__all__ = ["BEGONNEN", "Gegevens", "Groep", "Lokaal"]

BEGONNEN = "toegang_begonnen"


@dataclass(frozen=True)
class Groep:
    """A column of the chapter's tables: a label and the gemeenten it sums over."""

    label: str
    omschrijving: str  # usable after "in": "Demostad", "de jeugdregio X", "Nederland"
    leden: tuple[str, ...]
    rol: str  # gemeente | jeugdregio | vergelijkingsgroep | nederland


@dataclass(frozen=True)
class Lokaal:
    """Local (non-CBS) data for one report: provider summaries, direct records, blocks."""

    aanbieders: pd.DataFrame  # localdata.provider_summary rows of the report's region(s)
    records: pd.DataFrame  # records without a provider (a region or gemeente figure)
    definities: pd.DataFrame  # provider, care type, the source's own definition
    bouwstenen: pd.DataFrame
    regios: tuple[str, ...]  # the jeugdregio's the report covers
    fout: str = ""  # why provider figures could not be summarised per region


def _gedeeld(ctx) -> dict:
    return store.per_data_version(ctx.data_dir, f"toegang/{ctx.indeling_jaar}", store.Memo)


class Gegevens:
    """The chapter's figures for one report context."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.ij = int(ctx.indeling_jaar)
        self._cache = _gedeeld(ctx)
        self.df = self.memo(("df",), self._filtered)
        jaren = self.memo(
            ("jaren",),
            lambda: access.perioden(self.df, BEGONNEN, indeling_jaar=self.ij, periode_type="jaar"),
        )
        binnen = [p for p in jaren if int(p) <= int(ctx.jaar)]
        # the report's year, else the latest before it, else the first (the series starts 2021)
        self.periode: str | None = binnen[-1] if binnen else (jaren[0] if jaren else None)
        self.jaar = int(self.periode) if self.periode is not None else None
        self.jaren: list[str] = list(jaren)
        self.alle = self.memo(("alle",), self._alle_gemeenten)

    def memo(self, key: tuple, fn: Callable):
        """``fn()`` remembered under ``key`` for every report on the same data."""
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    def _filtered(self) -> pd.DataFrame:
        df = self.ctx.indicators
        keep = (df["indeling_jaar"] == self.ij) & df["indicator"].isin(
            [*access.INDICATOREN, use.BEVOLKING]
        )
        return df.loc[keep].reset_index(drop=True)

    def _alle_gemeenten(self) -> tuple[str, ...]:
        ind = self.ctx.indeling
        codes = ind.loc[ind["jaar"] == self.ij, "gemeente_code"].unique()
        return tuple(sorted(str(c) for c in codes))

    def beschikbaar(self, indicator: str) -> bool:
        """Whether any gemeente has a value of ``indicator``."""
        return bool(
            self.memo(
                ("heeft", indicator),
                lambda: self.df.loc[self.df["indicator"] == indicator, "waarde"].notna().any(),
            )
        )

    def breed(self, periode: str | None = None) -> pd.DataFrame:
        """Gemeente values of every access indicator in ``periode`` (default: the report's)."""
        p = periode or self.periode
        return self.memo(("breed", p), lambda: access.breed(self.df, p, indeling_jaar=self.ij))

    # ---- groups ------------------------------------------------------------------------
    def leden(self, regio: str) -> tuple[str, ...]:
        led = self.ctx.leden
        return tuple(led.loc[led["regio_code"] == regio, "gemeente_code"])

    def grootteklasse(self, code: str) -> tuple[str, tuple[str, ...]] | None:
        """(class code GK1..GK7, its gemeenten) of ``code`` in the report's year."""
        klassen = self.memo(
            ("klassen", self.jaar),
            lambda: use.size_classes(
                self.ctx.indicators, self.alle, jaar=self.jaar or self.ij, indeling_jaar=self.ij
            ),
        )
        own = klassen[klassen["gemeente_code"] == code]
        if own.empty:
            return None
        k = own["regio_code"].iat[0]
        return k, tuple(klassen.loc[klassen["regio_code"] == k, "gemeente_code"])

    def groepen(self) -> list[Groep]:
        """The columns of the report: subject, its region, its size class, Nederland."""
        ctx = self.ctx
        nl = Groep("Nederland", "Nederland", self.alle, "nederland")
        if ctx.kind == "nederland":
            return [nl]
        if ctx.kind == "jeugdregio":
            return [
                Groep(f"Jeugdregio {ctx.naam}", f"de jeugdregio {ctx.naam}",
                      self.leden(ctx.code), "jeugdregio"),
                nl,
            ]  # fmt: skip
        out = [Groep(ctx.naam, ctx.naam, (ctx.code,), "gemeente")]
        if ctx.regio_code:
            out.append(
                Groep(f"Jeugdregio {ctx.regio_naam}", f"de jeugdregio {ctx.regio_naam}",
                      self.leden(ctx.regio_code), "jeugdregio")
            )  # fmt: skip
        gk = self.grootteklasse(ctx.code)
        if gk is not None:
            klasse = klasse_label(gk[0])
            out.append(
                Groep(f"Gemeenten met {klasse}", f"de gemeenten met {klasse}", gk[1],
                      "vergelijkingsgroep")
            )  # fmt: skip
        out.append(nl)
        return out

    # ---- figures -----------------------------------------------------------------------
    def waarde(self, groep: Groep, kengetal_id: str, periode: str | None = None) -> dict:
        """One ratio of ``groep`` (all ratios of a group are computed together, once)."""
        access.kengetal(kengetal_id)  # unknown ids raise with the valid ones
        p = periode or self.periode
        alle = self.memo(
            ("w", groep.leden, p), lambda: access.groepswaarden(self.breed(p), groep.leden)
        )
        return alle[kengetal_id]

    def duur(self, groep: Groep, periode: str | None = None) -> dict:
        b = self.breed(periode)
        return self.memo(
            ("duur", groep.leden, periode or self.periode),
            lambda: access.groepsduur(b, groep.leden),
        )

    def balans(self, groep: Groep, periode: str | None = None) -> dict:
        return access.balans(self.breed(periode), groep.leden)

    def status(self, periode: str | None = None) -> str:
        return self.breed(periode).attrs.get("status", "definitief")

    def bestand(self, groep: Groep, vorm: str = "jeugdzorg") -> pd.DataFrame:
        return self.memo(
            ("bestand", groep.leden, vorm),
            lambda: access.bestand_per_1000(
                self.df,
                groep.leden,
                indeling_jaar=self.ij,
                vorm=vorm,
                matrix=self.memo(
                    ("bestand_matrix", vorm),
                    lambda: access.bestand_matrix(self.df, indeling_jaar=self.ij, vorm=vorm),
                ),
            ),
        )

    def duur_reeks(self, groep: Groep) -> pd.DataFrame:
        """Weighted mean duration per year: a :func:`use.trend`-like frame."""

        def f() -> pd.DataFrame:
            matrix = self.memo(
                ("duur_matrix",), lambda: access.duur_matrix(self.df, indeling_jaar=self.ij)
            )
            out = access.duur_reeks(matrix, groep.leden)
            out["periode_type"] = "jaar"
            out["jaar"] = out["periode"].astype(int)
            out["x"] = out["jaar"].astype(float)
            out["reeks"] = "jeugdzorg_2021_heden"
            out["onderdrukt"] = out["n_met_waarde"] == 0
            out["voorlopig"] = out["status"] != "definitief"
            return out

        return self.memo(("duur_reeks", groep.leden), f)

    def per_gemeente(self, kengetal_id: str) -> pd.Series:
        return self.memo(
            ("per_gemeente", kengetal_id, self.periode),
            lambda: access.per_gemeente(self.breed(), kengetal_id),
        )

    def bronnen(self, indicators, jaren=None) -> set[str]:
        """Source tables of ``indicators`` in ``jaren`` (default: the report's year)."""
        inds, js = tuple(indicators), tuple(jaren or [self.jaar or self.ij])
        return set(
            self.memo(
                ("bronnen", inds, js),
                lambda: frozenset(bronnen(self.df, list(inds), list(js), indeling_jaar=self.ij)),
            )
        )

    # ---- local data --------------------------------------------------------------------
    def _gepubliceerd(self, kind: str) -> pd.DataFrame:
        path = localdata.published_path(Path(self.ctx.settings.processed_dir), kind)
        stamp = path.stat().st_mtime_ns if path.exists() else None
        return self.memo(
            ("lokaal", kind, stamp),
            lambda: localdata.read_published(Path(self.ctx.settings.processed_dir), kind),
        )

    def lokaal(self) -> Lokaal:
        """The local waiting-time records and building blocks for this report."""
        ctx = self.ctx
        wt = self._gepubliceerd("wachttijden")
        bs = self._gepubliceerd("bouwstenen")
        if ctx.kind == "nederland":
            regios = tuple(sorted(ctx.leden["regio_code"].unique()))
        elif ctx.kind == "jeugdregio":
            regios = (ctx.code,)
        else:
            regios = (ctx.regio_code,) if ctx.regio_code else ()
        return self.memo(
            ("lokaal", ctx.kind, ctx.code, regios, id(wt), id(bs)),
            lambda: self._lokaal(wt, bs, regios),
        )

    def _lokaal(self, wt: pd.DataFrame, bs: pd.DataFrame, regios: tuple[str, ...]) -> Lokaal:
        ctx, mem = self.ctx, self.ctx.indeling

        def samenvatten() -> pd.DataFrame | str:
            try:
                return localdata.provider_summary(wt, mem) if len(wt) else wt.iloc[0:0]
            except ValueError as exc:  # a provider's gemeente outside the membership
                return str(exc)

        samenvatting = self.memo(("aanbieders", id(wt)), samenvatten)
        fout = samenvatting if isinstance(samenvatting, str) else ""
        if fout:
            samenvatting = pd.DataFrame(columns=["regio_code", "zorgvorm", "aanbieders"])
        aanb = (
            samenvatting[samenvatting["regio_code"].isin(regios)]
            if len(samenvatting)
            else samenvatting
        )
        eigen = wt[wt["aanbieder"].isna()] if len(wt) else wt
        if ctx.kind == "nederland":
            direct = eigen
        elif ctx.kind == "jeugdregio":
            direct = localdata.records_for(eigen, regio=ctx.code, membership=mem, jaar=self.ij)
        else:
            direct = localdata.records_for(eigen, gemeente=ctx.code, membership=mem, jaar=self.ij)
        prov = wt[wt["aanbieder"].notna()] if len(wt) else wt
        if len(prov) and len(aanb):
            keep = prov["zorgvorm"].isin(set(aanb["zorgvorm"])) & prov["aanbieder"].isin(
                {a for s in aanb["aanbieders"] for a in str(s).split("; ")}
            )
            defs = prov.loc[keep, ["aanbieder", "zorgvorm", "definitie_wachttijd"]]
        else:
            defs = pd.DataFrame(columns=["aanbieder", "zorgvorm", "definitie_wachttijd"])
        blokken = bs[bs["code"].isin(regios)] if len(bs) else bs
        return Lokaal(aanb, direct.reset_index(drop=True), defs, blokken, regios, fout)
