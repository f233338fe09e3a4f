"""Validation checks, declared once: the reference values of the policy documents that the
processed layer can check, plus the structural checks every build must pass.

Each check (:class:`Controle`) computes a value from ``processed/`` and compares it with a
reference (from ``docs/policy-questions`` §3) within a tolerance. Kinds (``soort``):

- ``exact``: the sources give an exact figure or the rule holds by construction; a failure
  makes ``python -m analysis validate`` exit non-zero.
- ``marge``: a figure that may differ within a stated tolerance (provisional vs definitive).
- ``plausibiliteit``: an order of magnitude or upper tail.

A check whose year or table is not in the data, or that concerns the real Netherlands while
the data are synthetic (Demoland), is *niet toetsbaar* with the reason. The known
inconsistencies of the sources (§8) are listed in :data:`BEKENDE_INCONSISTENTIES`, not fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import registry, store
from analysis.metadata.regions import NEDERLAND

__all__ = [
    "BEKENDE_INCONSISTENTIES",
    "CONTROLES",
    "SOORTEN",
    "STATUSSEN",
    "Controle",
    "Gegevens",
    "Uitkomst",
    "exit_code",
    "inconsistenties_tabel",
    "run_checks",
    "tabel",
]

SOORTEN: tuple[str, ...] = ("exact", "marge", "plausibiliteit")
VOLDOET, VOLDOET_NIET, NIET_TOETSBAAR = "voldoet", "voldoet niet", "niet toetsbaar"
STATUSSEN: tuple[str, ...] = (VOLDOET, VOLDOET_NIET, NIET_TOETSBAAR)
_SYNTHETISCH = "synthetische gegevens (Demoland): de referentie geldt voor het echte Nederland"


@dataclass(frozen=True)
class Gegevens:
    """The processed layer a check reads: indicators, memberships, whether synthetic."""

    indicators: pd.DataFrame
    indeling: pd.DataFrame
    synthetic: bool

    def nl(self, indicator: str, jaar: int) -> float | None:
        """The national yearly value of ``indicator`` in ``jaar`` (published row first)."""
        df = self.indicators
        sel = df[
            (df["regio_code"] == NEDERLAND)
            & (df["indicator"] == indicator)
            & (df["jaar"] == jaar)
            & (df["periode_type"] == "jaar")
        ].sort_values(["berekend", "indeling_jaar"])
        sel = sel[sel["waarde"].notna()]
        return None if sel.empty else float(sel["waarde"].iloc[0])

    def jaren(self, indicator: str, regio_code: str = NEDERLAND) -> list[int]:
        """Years with a national (or ``regio_code``) value of ``indicator``."""
        df = self.indicators
        sel = df[
            (df["regio_code"] == regio_code) & (df["indicator"] == indicator) & df["waarde"].notna()
        ]
        return sorted(int(j) for j in sel["jaar"].unique())

    def indeling_jaren(self, soort: str = "jeugdregio") -> list[int]:
        """Classification years with memberships of ``soort``."""
        m = self.indeling[self.indeling["indeling"] == soort]
        return sorted(int(j) for j in m["jaar"].unique())


@dataclass(frozen=True)
class Uitkomst:
    """The result of one check: computed value (text), status and why."""

    controle: Controle
    berekend: str
    status: str
    toelichting: str = ""


@dataclass(frozen=True)
class Controle:
    """One declared check: what, the reference and where it comes from, how it is judged."""

    id: str
    omschrijving: str
    referentie: str
    bron: str
    soort: str
    marge: str
    reken: Callable[[Gegevens], tuple[str, str, str]]
    #: True when the reference concerns the real Netherlands (not checkable on Demoland)
    echt_nederland: bool = True

    def __post_init__(self) -> None:
        if self.soort not in SOORTEN:
            raise ValueError(
                f"check {self.id!r}: unknown soort {self.soort!r}; valid: {', '.join(SOORTEN)}"
            )

    def uitvoeren(self, g: Gegevens) -> Uitkomst:
        """Run the check on ``g``."""
        if self.echt_nederland and g.synthetic:
            return Uitkomst(self, "–", NIET_TOETSBAAR, _SYNTHETISCH)
        berekend, status, toelichting = self.reken(g)
        return Uitkomst(self, berekend, status, toelichting)


# ----------------------------------------------------------------------------- formatting


def _getal(x: float, dec: int = 0) -> str:
    """Dutch number: ``1 234 567`` / ``12,5``."""
    s = f"{x:,.{dec}f}"
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", "\u202f")


def _binnen(waarde: float, ref: float, rel: float) -> bool:
    return abs(waarde - ref) <= rel * abs(ref)


def _niet(reden: str) -> tuple[str, str, str]:
    return "–", NIET_TOETSBAAR, reden


def _jaar_ontbreekt(jaar: int, wat: str, jaren: list[int]) -> tuple[str, str, str]:
    bereik = f"{jaren[0]}–{jaren[-1]}" if jaren else "geen jaren"
    return _niet(f"{jaar} niet in de gegevens ({wat}: {bereik})")


# ----------------------------------------------------------------------------- checks


def _gemeenten_in_een_regio(g: Gegevens) -> tuple[str, str, str]:
    m = g.indeling[g.indeling["indeling"] == "jeugdregio"]
    if m.empty:
        return _niet("geen jeugdregio-indeling in de gegevens")
    alle = g.indeling.groupby("jaar")["gemeente_code"].unique()
    fouten: list[str] = []
    for jaar, leden in m.groupby("jaar"):
        n = leden.groupby("gemeente_code")["regio_code"].nunique()
        dubbel = sorted(n[n > 1].index)
        zonder = sorted(set(alle.get(jaar, [])) - set(leden["gemeente_code"]))
        fouten += [f"{jaar}: {c} in meer dan één jeugdregio" for c in dubbel]
        fouten += [f"{jaar}: {c} in geen jeugdregio" for c in zonder]
    jaren = sorted(int(j) for j in m["jaar"].unique())
    if fouten:
        meer = f" (en {len(fouten) - 5} meer)" if len(fouten) > 5 else ""
        return f"{len(fouten)} afwijking(en)", VOLDOET_NIET, "; ".join(fouten[:5]) + meer
    return "0 afwijkingen", VOLDOET, f"indelingsjaren {jaren[0]}–{jaren[-1]}"


def _aantal_regios(g: Gegevens) -> tuple[str, str, str]:
    m = g.indeling[g.indeling["indeling"] == "jeugdregio"]
    if m.empty:
        return _niet("geen jeugdregio-indeling in de gegevens")
    n = m.groupby("jaar")["regio_code"].nunique()
    tekst = ", ".join(f"{j}: {v}" for j, v in n.items())
    te_veel = n[n > 42]
    if not te_veel.empty:
        return (
            tekst,
            VOLDOET_NIET,
            "meer dan 42 jeugdregio's in " + ", ".join(str(j) for j in te_veel.index),
        )
    vroeg = n[n.index <= 2020]
    if not vroeg.empty and (vroeg != 42).any():
        return tekst, VOLDOET_NIET, "2014–2020 moeten precies 42 jeugdregio's geven"
    return tekst, VOLDOET, ""


def _gemeenten_met_cijfers(g: Gegevens) -> pd.Series:
    """Per classification year: gemeente codes with at least one published value (a CBS table
    spanning several classifications lists every code of any year, empty where it did not
    exist)."""
    df = g.indicators
    gm = df[(df["regio_niveau"] == "gemeente") & ~df["berekend"] & df["waarde"].notna()]
    return gm.groupby("indeling_jaar")["regio_code"].nunique()


def _gemeenten_2015(g: Gegevens) -> tuple[str, str, str]:
    n_jaar = _gemeenten_met_cijfers(g)
    if 2015 not in n_jaar.index:
        m = g.indeling[g.indeling["jaar"] == 2015]
        if m.empty:
            return _jaar_ontbreekt(2015, "indelingsjaren", [int(j) for j in n_jaar.index])
        n = m["gemeente_code"].nunique()
    else:
        n = int(n_jaar.loc[2015])
    return str(n), VOLDOET if n == 393 else VOLDOET_NIET, "gemeenten met cijfers in 2015"


def _gemeenten_per_jaar(g: Gegevens) -> tuple[str, str, str]:
    n = _gemeenten_met_cijfers(g)
    if n.empty:
        return _niet("geen gemeentecijfers in de gegevens")
    tekst = ", ".join(f"{j}: {v}" for j, v in n.items())
    stijging = [int(j) for j, d in n.diff().items() if pd.notna(d) and d > 0]
    if stijging:
        return tekst, VOLDOET_NIET, "aantal gemeenten stijgt in " + ", ".join(map(str, stijging))
    return tekst, VOLDOET, "door herindelingen alleen dalend"


def _jeugdzorg_elk_jaar(g: Gegevens) -> tuple[str, str, str]:
    jaren = g.jaren("jongeren_met_jeugdzorg")
    if not jaren:
        return _niet("geen landelijk cijfer jongeren met jeugdzorg in de gegevens")
    ontbreekt = sorted(set(range(jaren[0], jaren[-1] + 1)) - set(jaren))
    tekst = f"{jaren[0]}–{jaren[-1]}"
    if ontbreekt:
        return tekst, VOLDOET_NIET, "ontbreekt voor " + ", ".join(map(str, ontbreekt))
    return tekst, VOLDOET, f"{len(jaren)} jaren, geen gaten"


def _regio_som(g: Gegevens) -> tuple[str, str, str]:
    """Summed indicators: a jeugdregio the build summed (``berekend``, full coverage) equals the
    sum of its members (CBS's own published region cells are rounded and not compared)."""
    som = {i.id for i in registry.INDICATORS if i.aggregatie == registry.SOM}
    df = g.indicators[
        g.indicators["indicator"].isin(som) & (g.indicators["periode_type"] == "jaar")
    ]
    regio = df[(df["regio_niveau"] == "jeugdregio") & df["berekend"] & (df["dekking"] >= 1.0)]
    if regio.empty:
        return _niet("geen berekende jeugdregiocijfers met volledige dekking")
    leden = g.indeling[g.indeling["indeling"] == "jeugdregio"][
        ["jaar", "gemeente_code", "regio_code"]
    ].rename(columns={"jaar": "indeling_jaar", "regio_code": "jeugdregio"})
    gm = df[df["regio_niveau"] == "gemeente"].merge(
        leden, left_on=["indeling_jaar", "regio_code"], right_on=["indeling_jaar", "gemeente_code"]
    )
    sommen = (
        gm.groupby(["jeugdregio", "indeling_jaar", "periode", "indicator"])["waarde"]
        .sum(min_count=1)
        .rename("som")
    )
    vgl = regio.merge(
        sommen.reset_index(),
        left_on=["regio_code", "indeling_jaar", "periode", "indicator"],
        right_on=["jeugdregio", "indeling_jaar", "periode", "indicator"],
    )
    if vgl.empty:
        return _niet("geen jeugdregiocijfers met leden in de indeling")
    verschil = (vgl["waarde"] - vgl["som"]).abs() > 1e-6 * vgl["som"].abs().clip(lower=1)
    fout = vgl[verschil]
    tekst = f"{len(vgl) - len(fout)} van {len(vgl)} gelijk"
    if not fout.empty:
        r = fout.iloc[0]
        return (
            tekst,
            VOLDOET_NIET,
            f"bijv. {r['indicator']} {r['regio_code']} {r['periode']}: "
            f"{_getal(r['waarde'])} ≠ som {_getal(r['som'])}",
        )
    return tekst, VOLDOET, ""


def _regio_bevolking_2013(kleinste: bool) -> Callable[[Gegevens], tuple[str, str, str]]:
    def reken(g: Gegevens) -> tuple[str, str, str]:
        jaren = g.jaren("bevolking_totaal")
        for jaar in (2013, 2014):
            if jaar in jaren and jaar in g.indeling_jaren():
                break
        else:
            return _jaar_ontbreekt(2013, "bevolkingscijfers", jaren)
        df = g.indicators
        sel = df[
            (df["regio_niveau"] == "jeugdregio")
            & (df["indicator"] == "bevolking_totaal")
            & (df["jaar"] == jaar)
            & df["waarde"].notna()
        ].drop_duplicates("regio_code")
        if sel.empty:
            return _niet(f"geen bevolking per jeugdregio in {jaar}")
        if kleinste:
            r = sel.loc[sel["waarde"].idxmin()]
            ok = 80_000 <= r["waarde"] <= 125_000
            return (
                f"{_getal(r['waarde'])} ({r['regio_naam']}, {jaar})",
                (VOLDOET if ok else VOLDOET_NIET),
                "orde van grootte 80 000–125 000",
            )
        top = sel.nlargest(2, "waarde")
        ok = bool((top["waarde"] > 1_000_000).all())
        tekst = "; ".join(
            f"{_getal(v)} ({n})" for v, n in zip(top["waarde"], top["regio_naam"], strict=True)
        )
        return tekst, VOLDOET if ok else VOLDOET_NIET, f"jaar {jaar}"

    return reken


def _nl_waarde(
    indicator: str, jaar: int, ref: float, rel: float
) -> Callable[[Gegevens], tuple[str, str, str]]:
    def reken(g: Gegevens) -> tuple[str, str, str]:
        v = g.nl(indicator, jaar)
        if v is None:
            return _jaar_ontbreekt(jaar, f"landelijk {indicator}", g.jaren(indicator))
        afw = (v - ref) / ref * 100
        return (
            _getal(v),
            VOLDOET if _binnen(v, ref, rel) else VOLDOET_NIET,
            f"afwijking {_getal(afw, 1)} %",
        )

    return reken


def _samenloop_som(
    codes: tuple[str, ...], ref: float, rel: float
) -> Callable[[Gegevens], tuple[str, str, str]]:
    def reken(g: Gegevens) -> tuple[str, str, str]:
        waarden = [g.nl(f"jeugdzorg_samenloop_{c}", 2016) for c in codes]
        if any(v is None for v in waarden):
            jaren = g.jaren(f"jeugdzorg_samenloop_{codes[0]}")
            return _jaar_ontbreekt(2016, "samenloop jeugdzorg", jaren)
        v = float(sum(waarden))  # type: ignore[arg-type]
        afw = (v - ref) / ref * 100
        return (
            _getal(v),
            VOLDOET if _binnen(v, ref, rel) else VOLDOET_NIET,
            f"afwijking {_getal(afw, 1)} %",
        )

    return reken


def _aandeel_per_gemeente(g: Gegevens) -> tuple[str, str, str]:
    """Share of youth with jeugdhulp per gemeente: computed (jeugdhulp / 0–17), else CBS's own
    percentage of youth with jeugdhulp in natura; 2016 when present, else the latest year."""
    df = g.indicators
    gm = df[(df["regio_niveau"] == "gemeente") & (df["periode_type"] == "jaar") & ~df["berekend"]]
    gm = gm[gm["waarde"].notna()]
    aandeel, wat = pd.Series(dtype=float), ""
    for teller in ("jongeren_met_jeugdhulp", "jeugdhulp_in_natura_pct_cbs"):
        jaren = sorted({int(j) for j in gm.loc[gm["indicator"] == teller, "jaar"]})
        if not jaren:
            continue
        jaar = 2016 if 2016 in jaren else jaren[-1]
        sel = gm[gm["jaar"] == jaar]
        if teller == "jeugdhulp_in_natura_pct_cbs":
            aandeel = sel[sel["indicator"] == teller].groupby("regio_code")["waarde"].first()
            wat = "CBS-percentage jeugdhulp in natura"
        else:
            w = sel.pivot_table(
                index="regio_code", columns="indicator", values="waarde", aggfunc="first"
            ).reindex(columns=[teller, "bevolking_0_17"])
            w = w[w["bevolking_0_17"] > 0]
            aandeel = (w[teller] / w["bevolking_0_17"] * 100).dropna()
            wat = "jongeren met jeugdhulp / bevolking 0–17"
        if not aandeel.empty:
            break
    if aandeel.empty:
        return _niet("geen aandeel jongeren met jeugdhulp per gemeente in de gegevens")
    boven = aandeel[aandeel > 13.0].sort_values(ascending=False)
    p99 = float(aandeel.quantile(0.99))
    tekst = f"max {_getal(aandeel.max(), 1)} %; 99e percentiel {_getal(p99, 1)} % ({jaar})"
    uitleg = f"{wat}; {len(boven)} van {len(aandeel)} gemeenten boven 13 %"
    if len(boven):
        uitleg += " (" + ", ".join(f"{c} {_getal(v, 1)} %" for c, v in boven.head(3).items())
        uitleg += ")"
    return tekst, VOLDOET if p99 <= 14.0 else VOLDOET_NIET, uitleg


def _jb_aandeel(g: Gegevens) -> tuple[str, str, str]:
    jb, jong = g.nl("jongeren_met_jeugdbescherming", 2016), g.nl("bevolking_0_17", 2016)
    if jb is None or not jong:
        return _jaar_ontbreekt(2016, "jeugdbescherming", g.jaren("jongeren_met_jeugdbescherming"))
    p = jb / jong * 100
    return f"{_getal(p, 2)} %", VOLDOET if 0.5 <= p <= 1.5 else VOLDOET_NIET, "2016"


CONTROLES: tuple[Controle, ...] = (
    Controle(
        "witte_vlekken",
        "Elke gemeente in precies één jeugdregio (geen witte vlekken)",
        "geen witte vlekken of donutconstructies",
        "BZK 2014",
        "exact",
        "0 afwijkingen",
        _gemeenten_in_een_regio,
        echt_nederland=False,
    ),
    Controle(
        "regio_som",
        "Berekende jeugdregio = som van de gemeenten (optelbare indicatoren, volledige dekking)",
        "gelijk (per constructie)",
        "eigen bouwregel",
        "exact",
        "relatief 10⁻⁶",
        _regio_som,
        echt_nederland=False,
    ),
    Controle(
        "jeugdzorg_elk_jaar",
        "Landelijk aantal jongeren met jeugdzorg voor elk jaar aanwezig",
        "elk jaar tussen het eerste en laatste jaar",
        "eigen bouwregel",
        "exact",
        "geen ontbrekend jaar",
        _jeugdzorg_elk_jaar,
        echt_nederland=False,
    ),
    Controle(
        "gemeenten_per_jaar",
        "Aantal gemeenten per indelingsjaar",
        "alleen dalend (herindelingen)",
        "CBS Gebieden in Nederland",
        "plausibiliteit",
        "geen stijging",
        _gemeenten_per_jaar,
        echt_nederland=False,
    ),
    Controle(
        "aantal_jeugdregios",
        "Aantal jeugdregio's per indelingsjaar",
        "42 (2014–2020); niet meer dan 42",
        "BZK 2014; PvdJ 2020 §1.3",
        "exact",
        "precies 42 t/m 2020, ≤ 42 daarna",
        _aantal_regios,
    ),
    Controle(
        "gemeenten_2015",
        "Aantal gemeenten in 2015",
        "393",
        "VWS 2015",
        "exact",
        "0",
        _gemeenten_2015,
    ),
    Controle(
        "kleinste_regio_2013",
        "Kleinste jeugdregio naar inwoners, 2013",
        "ca. 102 000 (Midden-Limburg West)",
        "BZK 2014",
        "plausibiliteit",
        "80 000–125 000",
        _regio_bevolking_2013(kleinste=True),
    ),
    Controle(
        "grootste_regios_2013",
        "Twee grootste jeugdregio's naar inwoners, 2013",
        "> 1 000 000 (Rijnmond; Amsterdam-Amstelland)",
        "BZK 2014",
        "plausibiliteit",
        "beide > 1 000 000",
        _regio_bevolking_2013(kleinste=False),
    ),
    Controle(
        "jongeren_0_17_2016",
        "Jongeren onder 18 in Nederland, 2016",
        "ca. 4,5 miljoen",
        "NVRR 2017",
        "marge",
        "± 5 %",
        _nl_waarde("bevolking_0_17", 2016, 4_500_000, 0.05),
    ),
    Controle(
        "jeugdhulp_2016",
        "Jongeren met jeugdhulp (elke combinatie), 2016",
        "377 320 (som van de cellen; 'circa 377 000')",
        "NVRR 2017 §3.3",
        "marge",
        "± 3 % (voorlopig/definitief)",
        _nl_waarde("jongeren_met_jeugdhulp", 2016, 377_320, 0.03),
    ),
    Controle(
        "jeugdzorg_2016",
        "Jongeren met een Jeugdwetvoorziening, 2016",
        "391 685",
        "NVRR 2017 §3.3",
        "marge",
        "± 3 % (voorlopig/definitief)",
        _nl_waarde("jongeren_met_jeugdzorg", 2016, 391_685, 0.03),
    ),
    Controle(
        "jeugdbescherming_2016",
        "Jongeren met jeugdbescherming, 2016",
        "39 615 (8 715 + 29 315 + 250 + 1 335)",
        "NVRR 2017 §3.3",
        "marge",
        "± 3 % (voorlopig/definitief)",
        _nl_waarde("jongeren_met_jeugdbescherming", 2016, 39_615, 0.03),
    ),
    Controle(
        "jeugdreclassering_2016",
        "Jongeren met jeugdreclassering, 2016",
        "10 680 (5 400 + 3 695 + 250 + 1 335)",
        "NVRR 2017 §3.3",
        "marge",
        "± 3 % (voorlopig/definitief)",
        _nl_waarde("jongeren_met_jeugdreclassering", 2016, 10_680, 0.03),
    ),
    Controle(
        "samenloop_2016",
        "Samenloop 2016: som van alle combinaties",
        "391 685",
        "NVRR 2017 §3.3",
        "marge",
        "± 3 % (voorlopig/definitief)",
        _samenloop_som(tuple(registry.JEUGDZORG_SAMENLOOP), 391_685, 0.03),
    ),
    Controle(
        "jeugdhulp_aandeel_gemeente",
        "Aandeel jongeren met jeugdhulp per gemeente (bovenkant)",
        "hoogste aandelen 12,5–13 %",
        "NVRR 2017, hoofdstuk Jeugdwet",
        "plausibiliteit",
        "99e percentiel ≤ 14 %",
        _aandeel_per_gemeente,
    ),
    Controle(
        "jeugdbescherming_aandeel",
        "Jongeren met jeugdbescherming als aandeel van 0–17, 2016",
        "ongeveer 1 % (2016: 39 615 / 4,5 mln ≈ 0,9 %)",
        "PvdJ 2020 hoofdstuk 4",
        "plausibiliteit",
        "0,5–1,5 %",
        _jb_aandeel,
    ),
    Controle(
        "huishoudens_2013",
        "Huishoudens in Nederland, 2013",
        "7,8 miljoen",
        "NVRR 2017 bijlage II (SCP 2016)",
        "marge",
        "± 3 %",
        _nl_waarde("particuliere_huishoudens", 2013, 7_800_000, 0.03),
    ),
)


#: The known inconsistencies of the sources (policy-questions §8): listed, never "fixed".
BEKENDE_INCONSISTENTIES: tuple[tuple[str, str], ...] = (
    (
        "Jeugdhulpjongeren ook in JB/JR (NVRR 2017 §3.3)",
        "De tekst noemt 'circa 48 500' en 'circa 13 procent'; de tabel geeft 34 345 (9,1 % van "
        "377 320). 48 710 zijn alle jongeren met JB en/of JR (48 710 / 377 320 ≈ 12,9 %). De "
        "tabel geldt als gezaghebbend.",
    ),
    (
        "Drie totalen jeugdzorg 2016 (NVRR 2017)",
        "388 000 'met jeugdhulp' (schatting), 391 685 (elke voorziening) en 377 320 (met "
        "jeugdhulp): verschillende definities en waarschijnlijk verschillende publicaties.",
    ),
    (
        "'79 procent' in het vangnet (NVRR 2017 §2.6)",
        "250 gemeenten van 393 is ongeveer 64 %; 79 % zou ongeveer 316 gemeenten betekenen.",
    ),
    (
        "Productcodes (VWS 2015; MvA 2018)",
        "140 000 → 400 (inkoop 2016) tegenover > 100 000 → 343 (Wmo) + 867 (Jeugdwet): niet "
        "met elkaar te verenigen.",
    ),
    (
        "Accounthoudende regio's (PvdJ 2020)",
        "'twaalf' (+2 landelijke GI's, +2 nieuwe GI's) tegenover 'alle 14': het aantal hangt "
        "af van welke accounts worden meegeteld.",
    ),
    (
        "'Ongeveer 1-% van de kinderen' (PvdJ 2020 hoofdstuk 4)",
        "Verminkt in de beschikbare tekst; gelezen als ongeveer 1 %.",
    ),
    (
        "Ontbrekend materiaal",
        "Figuren, grafieken en bijlagen van NVRR 2017, PvdJ 2020 en BZK 2014 ontbreken in de "
        "beschikbare teksten (onder meer de grafiek van het macrobudget jeugd).",
    ),
    (
        "Spreiding in tijd, geen regionale cijfers",
        "De documenten lopen van 2014 tot 2020 en geven bijna geen cijfers per regio.",
    ),
)


def gegevens(data_dir: str | Path, profiel: str | None = None) -> Gegevens:
    """The processed layer of ``data_dir`` as :class:`Gegevens`."""
    sources = store.load_sources(data_dir)
    return Gegevens(
        indicators=store.load_indicators(data_dir),
        indeling=store.load_indeling(data_dir),
        synthetic=store.is_synthetic(sources, profiel),
    )


def run_checks(
    data: Gegevens | str | Path, profiel: str | None = None, controles=CONTROLES
) -> list[Uitkomst]:
    """Run every declared check on a processed layer (a data dir or :class:`Gegevens`)."""
    g = data if isinstance(data, Gegevens) else gegevens(data, profiel)
    return [c.uitvoeren(g) for c in controles]


def exit_code(uitkomsten: list[Uitkomst]) -> int:
    """1 when an exact check fails, else 0."""
    return int(any(u.status == VOLDOET_NIET and u.controle.soort == "exact" for u in uitkomsten))


def tabel(uitkomsten: list[Uitkomst]) -> pd.DataFrame:
    """The checks as a table with Dutch headers (all cells text)."""
    return pd.DataFrame(
        [
            {
                "Controle": u.controle.omschrijving,
                "Referentie": u.controle.referentie,
                "Bron": u.controle.bron,
                "Soort": u.controle.soort,
                "Marge": u.controle.marge,
                "Berekend": u.berekend,
                "Uitkomst": u.status,
                "Toelichting": u.toelichting,
            }
            for u in uitkomsten
        ]
    )


def inconsistenties_tabel() -> pd.DataFrame:
    """The known inconsistencies of the sources (Dutch headers)."""
    return pd.DataFrame(BEKENDE_INCONSISTENTIES, columns=["Inconsistentie", "Toelichting"])
