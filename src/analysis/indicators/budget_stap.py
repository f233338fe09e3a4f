"""The budget step of the build: derived budget indicators as processed rows (long form).

Called by :func:`analysis.build.build` after the regional sums, on the tidy frame of every
classification year. Everything is computed from the gemeente rows of that classification
with the pure functions of :mod:`analysis.indicators.budget` (definitions: ``docs/budget.md``):

* per gemeente and year: ``begrotingsafwijking`` (1 000 euro), ``begrotingsafwijking_pct``,
  ``kosten_per_jongere`` and ``afwijking_per_jongere`` (euro);
* per jeugdregio and for Nederland: the same from **summed numerators and denominators of the
  gemeenten with data**, ``kosten_dekking_jongeren`` (share of the young people covered) and,
  for Nederland, the realised and budgeted totals themselves (CBS publishes no national row);
  ``dekking`` of every aggregate row = members with data / all members;
* the expected-cost model per year with Maatstaven gemeentefonds (an estimate):
  ``verwachte_kosten_per_jongere`` with ``verwachte_kosten_ondergrens``/``_bovengrens``;
* the verevening simulation per jeugdregio and year with both keys:
  ``verevening_saldo_jongeren`` and ``verevening_saldo_verwacht`` (1 000 euro).

Every derived row has ``berekend`` True, ``bron`` the tables it comes from and ``bron_modified``
of the cost table. Missing inputs give missing outputs (``onderdrukt``), never 0.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

from analysis import registry
from analysis.indicators import budget
from analysis.metadata.regions import NEDERLAND

log = logging.getLogger(__name__)


KOSTEN_TABEL = "83454NED"
REEKS = "jeugdzorg_kosten"
#: model variables: name -> (numerator indicator, denominator indicator, factor)
VERKLARENDE: dict[str, tuple[str, str | None, float]] = {
    "aandeel_laag_inkomen": ("minderjarigen_laag_inkomen", "minderjarigen_totaal", 100.0),
    "aandeel_eenouder": ("eenouderhuishoudens", "huishoudens_kinderen_0_17", 100.0),
    "bijstand_per_1000_hh": ("personen_met_bijstand", "particuliere_huishoudens", 1000.0),
    "log_jongeren": ("bevolking_0_17", None, 1.0),
}
MODEL_INDICATORS = tuple(
    {i for num, den, _ in VERKLARENDE.values() for i in (num, den) if i is not None}
)

_COLUMNS = (
    "regio_code",
    "regio_naam",
    "regio_niveau",
    "indeling_jaar",
    "periode",
    "periode_type",
    "jaar",
    "indicator",
    "waarde",
    "eenheid",
    "status",
    "onderdrukt",
    "bron",
    "bron_modified",
    "reeks",
    "berekend",
    "dekking",
)


def model_frame(tidy: pd.DataFrame, kosten: pd.DataFrame, indeling_jaar: int, jaar: int):
    """One row per gemeente of ``kosten`` in ``jaar`` with the model variables (NaN where an
    input is missing) and the Maatstaven table ids used; (frame, bronnen)."""
    gm = tidy[
        (tidy["regio_niveau"] == "gemeente")
        & (tidy["indeling_jaar"] == indeling_jaar)
        & (tidy["jaar"] == jaar)
        & (tidy["periode_type"] == "jaar")
        & tidy["indicator"].isin(MODEL_INDICATORS)
    ]
    wide = gm.pivot_table(
        index="regio_code", columns="indicator", values="waarde", aggfunc="first", dropna=False
    )
    bronnen = sorted(
        set(gm.loc[gm["indicator"] != budget.JONGEREN, "bron"].dropna().astype(str)) - {"berekend"}
    )
    k = kosten[kosten["jaar"] == jaar].set_index("regio_code")
    out = pd.DataFrame(index=k.index)
    out["kosten_per_jongere"] = k["kosten_per_jongere"]
    out["jongeren"] = k["jongeren"]
    out["gerealiseerd"] = k["gerealiseerd"]
    for name, (num, den, factor) in VERKLARENDE.items():
        if num not in wide.columns or (den is not None and den not in wide.columns):
            out[name] = np.nan
            continue
        if den is None:
            out[name] = np.log(k["jongeren"].where(k["jongeren"] > 0))
        else:
            n = wide[num].reindex(out.index)
            d = wide[den].reindex(out.index)
            out[name] = n / d.where(d > 0) * factor
    return out.reset_index(), bronnen


def fit_jaar(tidy: pd.DataFrame, kosten: pd.DataFrame, indeling_jaar: int, jaar: int):
    """The expected-cost model of ``jaar`` on classification ``indeling_jaar``, or None when
    the year has no Maatstaven or too few gemeenten; (model, bronnen)."""
    frame, bronnen = model_frame(tidy, kosten, indeling_jaar, jaar)
    cols = list(VERKLARENDE)
    if frame[cols].isna().all().any():
        return None, bronnen
    try:
        return budget.fit_kostenmodel(frame, cols, jaar=jaar), bronnen
    except ValueError as exc:
        log.info("no kostenmodel for %s (indeling %s): %s", jaar, indeling_jaar, exc)
        return None, bronnen


def _status(rows: pd.DataFrame) -> dict[tuple[str, int], str]:
    return dict(
        zip(zip(rows["regio_code"], rows["jaar"], strict=True), rows["status"], strict=True)
    )


def afgeleid(
    tidy: pd.DataFrame, memberships: pd.DataFrame, expected_n: dict[int, int] | None = None
):
    """Derived budget rows for every classification year of ``tidy`` (see module docstring).

    ``memberships``: gemeente -> region per year (``regio_indeling``). ``expected_n``: number of
    gemeenten per year for the national coverage where no membership of the year is known
    (default :data:`analysis.registry.EXPECTED_GEMEENTEN`).
    """
    expected_n = registry.EXPECTED_GEMEENTEN if expected_n is None else expected_n
    real = tidy[
        (tidy["indicator"] == budget.REALISATIE)
        & (tidy["regio_niveau"] == "gemeente")
        & (tidy["periode_type"] == "jaar")
    ]
    if real.empty:
        return pd.DataFrame(columns=list(_COLUMNS))
    out: list[pd.DataFrame] = []
    for ij in sorted(real["indeling_jaar"].unique()):
        out.append(_voor_indeling(tidy, memberships, int(ij), expected_n))
    out = [o for o in out if len(o)]
    if not out:
        return pd.DataFrame(columns=list(_COLUMNS))
    df = pd.concat(out, ignore_index=True)
    df = _land_op_elke_indeling(df)
    df["onderdrukt"] = df["waarde"].isna()
    df["berekend"] = True
    df["reeks"] = REEKS
    df["periode"] = df["jaar"].astype(int).astype(str)
    df["periode_type"] = "jaar"
    return df[list(_COLUMNS)]


def _land_op_elke_indeling(df: pd.DataFrame) -> pd.DataFrame:
    """National figures are classification-free (as the build treats CBS's national rows): the
    figures of year J summed on J's own classification stand for every classification year. A
    sum of gemeenten restated onto another classification would lose every merged gemeente
    with one missing part (restated as missing), so it is replaced, not kept beside."""
    land = df["regio_niveau"] == "land"
    eigen = df[land & (df["indeling_jaar"] == df["jaar"])]
    kopie = [eigen.assign(indeling_jaar=ij) for ij in sorted(df["indeling_jaar"].unique())]
    kopie = [k[k["indeling_jaar"] != k["jaar"]] for k in kopie]
    return pd.concat([df[~land | (df["indeling_jaar"] == df["jaar"])], *kopie], ignore_index=True)


def _voor_indeling(
    tidy: pd.DataFrame, memberships: pd.DataFrame, ij: int, expected_n: dict[int, int]
) -> pd.DataFrame:
    # every gemeente with a cost row (also an empty one): the members for the coverage
    kosten = budget.kosten_per_gemeente(tidy, indeling_jaar=ij)
    rows_of = tidy[
        (tidy["indeling_jaar"] == ij)
        & (tidy["indicator"] == budget.REALISATIE)
        & (tidy["periode_type"] == "jaar")
    ]
    modified = str(rows_of["bron_modified"].dropna().iloc[0]) if len(rows_of) else ""
    status = _status(rows_of[rows_of["regio_niveau"] == "gemeente"])
    namen = dict(zip(rows_of["regio_code"], rows_of["regio_naam"], strict=False))
    jaar_status = rows_of.groupby("jaar")["status"].agg(lambda s: s.mode().iloc[0]).to_dict()
    parts: list[pd.DataFrame] = []

    def emit(frame: pd.DataFrame, niveau: str, cols: dict[str, str], **extra) -> None:
        for col, ind in cols.items():
            if col not in frame.columns:
                continue
            d = pd.DataFrame(
                {
                    "regio_code": frame["regio_code"].to_numpy(),
                    "jaar": frame["jaar"].astype(int).to_numpy(),
                    "waarde": frame[col].astype(float).to_numpy(),
                }
            )
            d["indicator"] = ind
            d["eenheid"] = registry.indicator(ind).eenheid
            d["regio_niveau"] = niveau
            d["indeling_jaar"] = ij
            d["bron_modified"] = modified
            d["bron"] = extra.get("bron", KOSTEN_TABEL)
            d["dekking"] = frame["dekking"].to_numpy() if "dekking" in frame else 1.0
            d["regio_naam"] = frame["regio_naam"].to_numpy() if "regio_naam" in frame else ""
            d["status"] = [
                status.get((c, j), jaar_status.get(j, "definitief"))
                for c, j in zip(d["regio_code"], d["jaar"], strict=True)
            ]
            parts.append(d)

    gm_cols = {
        "afwijking": "begrotingsafwijking",
        "afwijking_pct": "begrotingsafwijking_pct",
        "kosten_per_jongere": "kosten_per_jongere",
        "afwijking_per_jongere": "afwijking_per_jongere",
    }
    kosten["regio_naam"] = kosten["regio_code"].map(namen).fillna("")
    emit(kosten, "gemeente", gm_cols)

    # jeugdregio and Nederland: sums over the members with data, coverage beside them
    mem = memberships[memberships["jaar"] == ij]
    jz = mem[mem["indeling"] == "jeugdregio"].drop_duplicates("gemeente_code")
    agg_cols = {**gm_cols, "dekking_jongeren": "kosten_dekking_jongeren"}
    if len(jz):
        leden = jz.rename(columns={"regio_code": "regio"})[["gemeente_code", "regio"]]
        reg = budget.aggregeer(kosten, leden)
        if len(reg):
            reg = reg.rename(columns={"groep": "regio_code"})
            reg["dekking"] = reg["n_met_gegevens"] / reg["n_leden"]
            rnamen = dict(zip(jz["regio_code"], jz["regio_naam"], strict=False))
            reg["regio_naam"] = reg["regio_code"].map(rnamen).fillna("")
            emit(reg, "jeugdregio", agg_cols)
    _nederland(tidy, kosten, mem, ij, expected_n, emit, agg_cols)

    # expected cost (an estimate) and the verevening simulation, per year
    for jaar in sorted(kosten["jaar"].unique()):
        model, bronnen = fit_jaar(tidy, kosten, ij, int(jaar))
        v = None
        if model is not None:
            v = model.voorspelling.assign(jaar=int(jaar))
            emit(
                v,
                "gemeente",
                {
                    "verwacht": "verwachte_kosten_per_jongere",
                    "ondergrens": "verwachte_kosten_ondergrens",
                    "bovengrens": "verwachte_kosten_bovengrens",
                },
                bron=", ".join([KOSTEN_TABEL, *bronnen]),
            )
        if len(jz):
            _verevening(kosten, jz, int(jaar), v, emit, bronnen)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _nederland(tidy, kosten, mem, ij, expected_n, emit, agg_cols) -> None:
    """National rows (via ``emit``): Σ of the gemeenten with data, coverage = with data / all
    gemeenten of the year (its classification when known, else ``expected_n``)."""
    gm_year = mem.groupby("jaar")["gemeente_code"].nunique().to_dict() if len(mem) else {}
    have_nl = set(
        tidy.loc[
            (tidy["regio_code"] == NEDERLAND)
            & (tidy["indeling_jaar"] == ij)
            & tidy["indicator"].isin([budget.REALISATIE, budget.BEGROTING])
            & (tidy["periode_type"] == "jaar"),
            ["indicator", "jaar"],
        ].itertuples(index=False, name=None)
    )
    rows = []
    for jaar, d in kosten.groupby("jaar"):
        jaar = int(jaar)
        n_alle = gm_year.get(ij) if ij == jaar else None
        n_alle = n_alle or expected_n.get(jaar) or len(d)
        for col, ind in ((budget.REALISATIE, "gerealiseerd"), (budget.BEGROTING, "begroot")):
            if (col, jaar) in have_nl:
                continue
            vals = d[ind].dropna()
            rows.append(
                {
                    "regio_code": NEDERLAND,
                    "regio_naam": "Nederland",
                    "jaar": jaar,
                    col: vals.sum() if len(vals) else np.nan,
                    "dekking": len(vals) / n_alle,
                }
            )
    frame = pd.DataFrame(rows)
    for col in (budget.REALISATIE, budget.BEGROTING):
        if col in frame:
            emit(frame[frame[col].notna()], "land", {col: col})
    alle = pd.DataFrame({"gemeente_code": kosten["regio_code"].unique(), "regio": NEDERLAND})
    nl = budget.aggregeer(kosten, alle)
    if len(nl):
        nl = nl.rename(columns={"groep": "regio_code"})
        nl["regio_naam"] = "Nederland"
        n_alle = [
            (gm_year.get(ij) if ij == j else None) or expected_n.get(int(j)) or n
            for j, n in zip(nl["jaar"], nl["n_leden"], strict=True)
        ]
        nl["dekking"] = nl["n_met_gegevens"] / np.asarray(n_alle, dtype=float)
        emit(nl, "land", agg_cols)


def _verevening(kosten, jz, jaar, voorspelling, emit, bronnen) -> None:
    k = kosten[kosten["jaar"] == jaar]
    leden = jz[["gemeente_code", "regio_code"]].rename(
        columns={"regio_code": "groep", "gemeente_code": "regio_code"}
    )
    d = leden.merge(k[["regio_code", "gerealiseerd", "jongeren"]], on="regio_code", how="inner")
    if d.empty or d["gerealiseerd"].notna().sum() == 0:
        return
    d = d.assign(jaar=jaar)
    v = budget.verevening(d, sleutel="jongeren")
    emit(v, "gemeente", {"saldo": "verevening_saldo_jongeren"})
    if voorspelling is not None:
        w = voorspelling.set_index("regio_code")["verwacht"]
        d["verwacht_totaal"] = d["regio_code"].map(w) * d["jongeren"] / 1000.0
        v2 = budget.verevening(d, sleutel="verwacht_totaal")
        emit(
            v2,
            "gemeente",
            {"saldo": "verevening_saldo_verwacht"},
            bron=", ".join([KOSTEN_TABEL, *bronnen]),
        )


# --------------------------------------------------------------------------------------
# Iv3 (dataderden): lasten per youth taakveld group, per gemeente and boekjaar
# --------------------------------------------------------------------------------------


def iv3_frames(found) -> list[pd.DataFrame]:
    """Source rows ``iv3_lasten_<groep>`` from every Iv3 snapshot among ``found`` ((spec,
    folder) pairs of the build): dimensions, the Realisatie category of ``Verslagsoort`` and the
    amount are resolved by title; padded keys are stripped; taakvelden are grouped by
    :func:`analysis.indicators.iv3.lasten_per_groep`, which raises on unknown codes (named)."""
    from analysis.build import COLUMNS, NIVEAU
    from analysis.cbs import snapshot
    from analysis.cbs.keys import strip_key
    from analysis.indicators import iv3

    out = []
    for spec, folder in found:
        if spec.reeks != "iv3":
            continue
        jaar = int(spec.table_year or spec.years[0])
        meta = snapshot.load_meta(folder)
        data = snapshot.load_data(folder)
        manifest = snapshot.read_manifest(folder)
        rdim = meta.region_dimension()
        tdim = meta.dimension(r"^Taakveld")
        cdim = meta.dimension(r"^Categorie")
        vdim = meta.dimension(r"^Verslagsoort")
        realisatie = meta.category_keys(vdim, r"^(Realisatie|Jaarrekening)")
        topic = meta.topic(r"^Bedrag")
        code_van = {k: str(t).split()[0] for k, t in meta.category_titles(tdim).items()}
        d = data[data[vdim].isin(realisatie)]
        frame = pd.DataFrame(
            {
                "gemeente": d[rdim].map(strip_key),
                "taakveld": d[tdim].map(strip_key).map(code_van),
                "categorie": d[cdim].map(strip_key),
                "bedrag": pd.to_numeric(d[topic], errors="coerce"),
            }
        )
        frame = frame[frame["gemeente"].str[:2] == "GM"]
        try:
            lasten = iv3.lasten_per_groep(frame, jaar)
        except iv3.Iv3Error as exc:
            raise iv3.Iv3Error(f"{spec.id}: {exc}") from None
        # Iv3 titles read "Naam (gemeente)"; keys are padded
        names = {
            strip_key(k): re.sub(r"\s*\(gemeente\)\s*$", "", str(t)).strip()
            for k, t in meta.category_titles(rdim).items()
        }
        rows = pd.DataFrame(
            {
                "regio_code": lasten["gemeente"],
                "regio_naam": lasten["gemeente"].map(names).fillna(""),
                "regio_niveau": NIVEAU["GM"],
                "indeling_jaar": jaar,
                "periode": str(jaar),
                "periode_type": "jaar",
                "jaar": jaar,
                "indicator": "iv3_lasten_" + lasten["groep"],
                "waarde": lasten["lasten"].astype(float),
                "eenheid": "1 000 euro",
                "status": "definitief",
                "onderdrukt": lasten["lasten"].isna(),
                "bron": spec.id,
                "bron_modified": manifest.get("modified", ""),
                "reeks": spec.segment or spec.reeks,
                "berekend": False,
                "dekking": 1.0,
            }
        )
        out.append(rows[COLUMNS])
    return out
