"""Sections of the chapter "Regionale samenhang": each shows one part (text, table, figure)
of a national, jeugdregio or gemeente report. The entry functions in the package compose them."""

from __future__ import annotations

import pandas as pd

from analysis.indicators.cohesion import (
    DIVISIES,
    MAATEN,
    SIGNALEN,
    Samenhang,
    drempel,
    events_for_gemeente,
    events_for_region,
)
from analysis.indicators.cohesion.dispersion import REDENEN
from analysis.metadata.cohesion import DOC_PAGE
from analysis.report import figures
from analysis.report.chapters._basis import html_tabel, md, toon_html
from analysis.report.chapters.samenhang import figuren, gegevens, tabellen, teksten
from analysis.report.chapters.samenhang.teksten import (
    bijschrift,
    drempel_tekst,
    gewicht_tekst,
    pct,
    regio_label,
)
from analysis.report.text import getal, lijst


def notities(res: Samenhang) -> None:
    """The limitations of the data, when there are any."""
    tekst = teksten.notities_tekst(res.notities)
    if tekst:
        md(tekst)


def methode(ctx, res: Samenhang) -> str:
    """Where the membership comes from, as a sentence."""
    return teksten.methode_tekst(gegevens.officiele_indeling(ctx, res))


# ----------------------------------------------------------------------------- nederland


def inleiding_nl(ctx, res: Samenhang) -> None:
    """Number and size of the regions, and the five signals."""
    p = res.profiel
    n_regio = len(p)
    signalen = {
        s: f"{int(p[s].fillna(False).astype(bool).sum())} regio's"
        if p[s].notna().any()
        else "niet vast te stellen"
        for s in SIGNALEN
    }
    md(
        f"Nederland telt in {res.geo_jaar} **{n_regio} jeugdregio's** met samen "
        f"{getal(p['n_gemeenten'].sum())} gemeenten. De kleinste regio telt "
        f"{getal(p['bevolking'].min())} inwoners ({p.loc[p['bevolking'].idxmin(), 'regio_naam']}), "
        f"de grootste {getal(p['bevolking'].max())} ({p.loc[p['bevolking'].idxmax(), 'regio_naam']})."
        if p["bevolking"].notna().any()
        else f"Nederland telt in {res.geo_jaar} **{n_regio} jeugdregio's**."
    )
    md(
        "Per regio worden vijf signalen vastgesteld met vaste, openbare regels (drempels in "
        f"`{DOC_PAGE}`): "
        + lijst([f"*{SIGNALEN[s].label}* ({signalen[s]})" for s in SIGNALEN])
        + f". {methode(ctx, res)} {gewicht_tekst(res)}"
    )
    notities(res)


def kaart_nl(ctx, res: Samenhang, kaartmaat: str, spec: tuple[str, str, int], procent: bool):
    """The national map coloured by ``kaartmaat``."""
    titel, legenda, dec = spec
    fig = figuren.landkaart(
        res.regios, res.profiel, kaartmaat, f"{titel}, {res.geo_jaar}", legenda, dec, procent
    )
    figures.show(
        fig,
        bijschrift(
            ctx,
            f"{titel} in {res.geo_jaar}; de cijfers op de kaart zijn de regionummers (JZ..).",
            gegevens.bevolkingsbronnen(ctx, res),
        ),
    )


def profiel_nl(res: Samenhang) -> None:
    """The profile table of every jeugdregio."""
    md("### Profiel per jeugdregio")
    toon_html(
        html_tabel(
            tabellen.profiel(res.profiel),
            bijschrift=f"Samenhangprofiel van de jeugdregio's, {res.geo_jaar}",
            rechts=[
                "Gemeenten",
                "Inwoners",
                "Wijzigingen",
                "Congruentie arbeidsmarktregio",
                "CV gebruik",
            ],
            noot=teksten.profiel_noot(),
        )
    )


def wijzigingen_nl(ctx, res: Samenhang) -> None:
    """Changes in the composition: count per year and the timeline."""
    md("### Wijzigingen in de samenstelling")
    t = gegevens.tijdlijn(ctx, res)
    if t.empty:
        md("*Er zijn geen wijzigingen gevonden.*")
        return
    overg = t.attrs.get("overgangen", [])
    grenzen = [f"{o['van_jaar']}–{o['naar_jaar']}" for o in overg if o["methode"] == "grenzen"]
    n_samen = int(t["samenstelling_gewijzigd"].sum())
    md(
        f"Tussen {int(t['van_jaar'].min())} en {int(t['naar_jaar'].max())} zijn "
        f"{n_samen} gebeurtenissen gevonden die de samenstelling van een samenwerking "
        "veranderen (een gemeente wisselt van regio, een herindeling over de regiogrens, een "
        "grensverschuiving). Herindelingen binnen één regio veranderen de samenwerking niet en "
        "staan grijs in de figuur."
        + (
            f" Voor {lijst(grenzen)} zijn er geen gemeentegrenzen; daar zijn de regiogrenzen van "
            f"opeenvolgende jaren over elkaar gelegd (drempels `grens_erosie_m`, `grens_kern_km2`)."
            if grenzen
            else ""
        )
    )
    figures.show(
        figuren.tijdlijn(t, "Wijzigingen per jaar"),
        bijschrift(
            ctx,
            "Aantal gevonden gebeurtenissen per jaar waarin de wijziging inging.",
            drempels="grens_kern_km2, opvolger_min_aandeel",
        ),
    )
    sel = t[t["soort"] != "regionaam"]
    toon_html(html_tabel(tabellen.tijdlijn(sel), bijschrift="Tijdlijn van de wijzigingen"))


def congruentie_nl(ctx, res: Samenhang) -> None:
    """Agreement of the jeugdregio's with the other divisions, and the non-congruent ones."""
    md("### Congruentie met andere regio-indelingen")
    if res.overeenstemming.empty:
        md(teksten.GEEN_VERGELIJKING)
        return
    jaren = sorted(res.overeenstemming["jaar"].unique())
    jaar = max([j for j in jaren if j <= gegevens.geo_jaar(ctx)] or [jaren[0]])
    s = res.overeenstemming[res.overeenstemming["jaar"] == jaar]
    jz = s[s["indeling_a"] == "jeugdregio"]
    c = res.congruentie[res.congruentie["jaar"] == jaar] if len(res.congruentie) else pd.DataFrame()
    regels = []
    for r in jz.itertuples():
        naam = DIVISIES.get(r.indeling_b, r.indeling_b)
        sel = c[c["indeling"] == r.indeling_b] if len(c) else pd.DataFrame()
        n_cong = int(sel["congruent"].sum()) if len(sel) else 0
        regels.append(
            f"- **{naam}** ({r.n_regio_b} regio's): ARI {getal(r.ari, 2)}, NMI {getal(r.nmi, 2)}; "
            f"{n_cong} van de {len(sel)} jeugdregio's liggen geheel binnen één {naam}."
        )
    md(
        f"Per andere indeling staat hieronder hoe goed de jeugdregio's ermee samenvallen in {jaar}: "
        "de gewogen *adjusted Rand index* (ARI; 1 = gelijke indeling, rond 0 = niet beter dan "
        "toeval) en de genormaliseerde wederzijdse informatie (NMI; 0–1), beide over alle "
        f"inwoners. {gewicht_tekst(res)}\n\n" + "\n".join(regels)
    )
    figures.show(
        figuren.heatmap(
            tabellen.matrix(res.overeenstemming, "ari", jaar),
            f"Overeenstemming tussen regio-indelingen, {jaar}",
        ),
        bijschrift(
            ctx,
            f"Gewogen adjusted Rand index tussen elk paar regio-indelingen in {jaar} (1 = "
            "identiek). Gewogen naar inwoners; zie de formule in de verantwoording.",
            gegevens.bevolkingsbronnen(ctx, res),
        ),
    )
    am = c[c["indeling"] == "arbeidsmarktregio"] if len(c) else pd.DataFrame()
    niet = am[~am["congruent"]].sort_values("modaal_aandeel") if len(am) else am
    if len(niet):
        md(
            f"**Niet congruent met de arbeidsmarktregio's** ({len(niet)} van de {len(am)} "
            f"jeugdregio's; drempel {drempel_tekst('congruent_min_aandeel')}):"
        )
        toon_html(
            html_tabel(
                tabellen.niet_congruent(niet),
                bijschrift="Jeugdregio's die over meer dan één arbeidsmarktregio verdeeld "
                f"zijn, {jaar}",
                rechts=["Aandeel in grootste arbeidsmarktregio"],
            )
        )


def ligging_nl(res: Samenhang) -> None:
    """Fragmented regions, islands and compactness."""
    md("### Ligging en vorm")
    geo = res.geometrie
    if not len(geo):
        return
    p = res.profiel
    namen = dict(zip(p["regio_code"], p["regio_naam"], strict=True))
    versn = geo[geo["versnipperd"]]
    eil = geo[geo["n_eilanden"] > 0]
    versn_namen = [regio_label(c, namen[c]) for c in versn["regio_code"]]
    md(teksten.ligging(versn_namen, len(versn), len(geo), len(eil), geo["polsby_popper"]))


def spreiding_nl(ctx, res: Samenhang) -> None:
    """Dispersion of youth-care use between the members, per region."""
    md("### Verschillen tussen gemeenten binnen de regio")
    disp = res.spreiding
    gebruik = disp[(disp["maat"] == "gebruik") & disp["cv"].notna()] if len(disp) else disp
    if gebruik is None or gebruik.empty:
        md(
            "*Er zijn (nog) geen cijfers over jeugdzorggebruik per gemeente in deze gegevensset; "
            "de spreiding binnen de regio's is daarom niet berekend.*"
        )
        return
    jaar = gegevens.laatste_jaar(gebruik["jaar"], ctx.jaar)
    d = disp[(disp["maat"] == "gebruik") & (disp["jaar"] == jaar)]
    grens = drempel("spreiding_cv")
    n_groot = int((d["cv"] >= grens).sum())
    n_uit = int(d["n_uitgesloten"].sum())
    md(teksten.spreiding_nl(jaar, n_groot, int(d["cv"].notna().sum()), n_uit, grens))
    tabellen_ = gegevens.tabelbronnen(ctx, ["jongeren_met_jeugdzorg", "bevolking_0_17"], [jaar])
    figures.show(
        figuren.spreiding(
            d, f"Spreiding van het jeugdzorggebruik binnen de jeugdregio's, {jaar}", grens
        ),
        bijschrift(
            ctx,
            "Variatiecoëfficiënt van het gebruik per 1 000 jongeren tussen de meetellende "
            f"lidgemeenten, {jaar}.",
            tabellen_,
            drempels="spreiding_cv",
        ),
    )


def drempels_nl() -> None:
    """The table of thresholds."""
    md("### Drempels en definities")
    toon_html(
        html_tabel(
            tabellen.drempels(),
            bijschrift=f"Drempels van de signalen (vastgelegd in DREMPELS, beschreven in {DOC_PAGE})",
        )
    )


# ----------------------------------------------------------------------------- jeugdregio


def inleiding_regio(ctx, res: Samenhang, row: pd.Series, naam: str, n_leden: int) -> None:
    """Size, largest gemeente and signals of one jeugdregio."""
    zin = (
        f"{naam} bestaat in {res.geo_jaar} uit **{n_leden} gemeenten**"
        + (
            f" met samen {getal(row['bevolking'])} inwoners"
            if not pd.isna(row["bevolking"])
            else ""
        )
        + "."
    )
    if not pd.isna(row["aandeel_grootste"]):
        zin += (
            f" De grootste gemeente is {row['grootste_naam']} met {pct(row['aandeel_grootste'])} "
            "van de inwoners"
            + (
                "; dat is een *dominante centrumgemeente* "
                f"(drempel {drempel_tekst('dominantie_aandeel')})."
                if gegevens.waar(row["dominante_centrumgemeente"])
                else "."
            )
        )
    zin += " " + teksten.signalen_zin(row)
    md(zin + f" {methode(ctx, res)}")
    notities(res)


def kaart_regio(ctx, res: Samenhang, code: str, naam: str) -> None:
    """The map of the region's gemeenten."""
    fig = figuren.leden_kaart(res, code, f"Gemeenten van {naam}, {res.geo_jaar}")
    if fig is not None:
        figures.show(
            fig,
            bijschrift(
                ctx,
                f"De gemeenten van de jeugdregio {naam} in {res.geo_jaar}, met de omliggende regio's.",
            ),
        )


def samenstelling_regio(res: Samenhang, code: str, naam: str, mine: pd.DataFrame) -> None:
    """The members with their population, and the number of members per year."""
    md("### Samenstelling")
    pop = gegevens.inwoners(res)
    tab = mine.sort_values("gemeente_naam")
    inw = (
        tab["gemeente_code"].map(pop)
        if pop is not None
        else pd.Series(float("nan"), index=tab.index)
    )
    toon_html(
        html_tabel(
            tabellen.leden(tab, inw),
            bijschrift=f"Gemeenten van {naam}, {res.geo_jaar}",
            rechts=["Inwoners", "Aandeel in de regio"],
            noot=gewicht_tekst(res),
        )
    )
    comp = res.samenstelling
    hist = comp[comp["regio_code"] == code].sort_values("jaar")
    if len(hist) > 1:
        md(
            "Aantal gemeenten per jaar: "
            + ", ".join(
                f"{int(j)}: {int(n)}"
                for j, n in zip(hist["jaar"], hist["n_gemeenten"], strict=True)
            )
            + "."
        )


def wijzigingen_regio(ctx, res: Samenhang, code: str, naam: str) -> None:
    """The events that involve the region."""
    md("### Wijzigingen")
    t = gegevens.tijdlijn(ctx, res)
    ev = events_for_region(t, code) if len(t) else t
    periode = teksten.periode_tekst(gegevens.periode(res))
    if periode is None:
        md(teksten.EEN_JAAR.format(jaar=res.geo_jaar))
    elif ev.empty:
        md(f"Tussen {periode} is de samenstelling van {naam} niet gewijzigd.")
    else:
        toon_html(html_tabel(tabellen.tijdlijn(ev), bijschrift=f"Wijzigingen die {naam} raken"))


def congruentie_regio(ctx, res: Samenhang, code: str, naam: str) -> None:
    """The region compared with the other divisions; the split over arbeidsmarktregio's."""
    md("### Congruentie met andere regio-indelingen")
    c = (
        res.congruentie[res.congruentie["regio_code"] == code]
        if len(res.congruentie)
        else pd.DataFrame()
    )
    if c.empty:
        md(teksten.GEEN_VERGELIJKING)
        return
    toon_html(
        html_tabel(
            tabellen.congruentie(c),
            bijschrift=f"{naam} vergeleken met andere regio-indelingen",
            rechts=["Aandeel inwoners", "Regio's geraakt"],
            noot=(
                "Congruent als het aandeel inwoners minstens "
                f"{pct(drempel('congruent_min_aandeel'))} is (drempel "
                f"`congruent_min_aandeel`). {gewicht_tekst(res)}"
            ),
        )
    )
    ontbreekt = [DIVISIES[d] for d in DIVISIES if d not in set(c["indeling"])]
    if ontbreekt:
        md(f"Geen indeling beschikbaar voor: {lijst(ontbreekt)}.")
    am = c[c["indeling"] == "arbeidsmarktregio"]
    if not len(am) or bool(am["congruent"].iloc[0]):
        return
    jaar = int(am["jaar"].iloc[0])
    fig = figuren.congruentie_kaart(
        res, code, "arbeidsmarktregio", jaar, f"{naam} en de arbeidsmarktregio's, {jaar}"
    )
    if fig is not None:
        figures.show(
            fig,
            bijschrift(
                ctx,
                f"Gemeenten van {naam} gekleurd naar hun arbeidsmarktregio in {jaar}; "
                "gestippeld de grenzen van de arbeidsmarktregio's.",
            ),
        )


def spreiding_regio(ctx, res: Samenhang, code: str, naam: str) -> None:
    """Dispersion of use and spending between the region's members."""
    md("### Verschillen tussen de gemeenten")
    disp = res.spreiding
    d = disp[disp["regio_code"] == code] if len(disp) else disp
    if d is None or d.empty or d["n_meegeteld"].fillna(0).sum() == 0:
        md(
            "*Er zijn (nog) geen cijfers over jeugdzorggebruik of kosten per gemeente; de "
            "spreiding is niet berekend.*"
        )
        return
    for maat in ("gebruik", "kosten"):
        dm = d[d["maat"] == maat].sort_values("jaar")
        if dm.empty or dm["n_meegeteld"].fillna(0).sum() == 0:
            md(f"*Geen cijfers voor: {MAATEN[maat].label.lower()}.*")
            continue
        _spreiding_maat(ctx, res, code, naam, maat, dm)


def _spreiding_maat(ctx, res: Samenhang, code: str, naam: str, maat: str, dm: pd.DataFrame):
    jaar = gegevens.laatste_jaar(dm["jaar"], ctx.jaar)
    cur = dm[dm["jaar"] == jaar].iloc[0]
    leden = res.leden_waarden
    lm = leden[(leden["maat"] == maat) & (leden["regio_code"] == code)] if len(leden) else leden
    tabellen_ = gegevens.tabelbronnen(ctx, [MAATEN[maat].teller, MAATEN[maat].noemer], [jaar])
    tekst = (
        f"**{MAATEN[maat].label}**, {jaar}: {int(cur['n_meegeteld'])} van de {int(cur['n_leden'])} "
        "gemeenten tellen mee"
    )
    if not pd.isna(cur["cv"]):
        tekst += (
            f"; variatiecoëfficiënt {getal(cur['cv'], 2)}, hoogste/laagste "
            f"{getal(cur['max_min'], 1)}, interkwartielafstand/mediaan {getal(cur['iqr_mediaan'], 2)}."
        )
    else:
        tekst += (
            "; te weinig gemeenten voor een spreidingsmaat (minimaal "
            f"{getal(drempel('min_leden_spreiding'))})."
        )
    if cur["uitgesloten"]:
        tekst += f" Niet meegeteld: {cur['uitgesloten']}."
    md(tekst)
    lm = lm[lm["jaar"] == jaar] if len(lm) else lm
    if len(lm):
        figures.show(
            figuren.leden_spreiding(lm, maat, f"{MAATEN[maat].label}, {jaar}"),
            bijschrift(
                ctx,
                f"{MAATEN[maat].label} per gemeente van {naam}, {jaar}. Uitgesloten "
                "gemeenten zijn benoemd.",
                tabellen_,
                drempels="min_telling, min_jongeren",
            ),
        )
    rows = dm[dm["cv"].notna()] if len(dm) > 1 else dm.iloc[:0]
    if len(rows) > 1:
        trend = ", ".join(
            f"{int(j)}: {getal(v, 2)}" for j, v in zip(rows["jaar"], rows["cv"], strict=True)
        )
        breuk = (
            " Let op de trendbreuk in de jeugdzorgcijfers tussen 2020 en 2021."
            if rows["trendbreuk"].any()
            else ""
        )
        md(f"Variatiecoëfficiënt door de jaren: {trend}.{breuk}")


# ----------------------------------------------------------------------------- gemeente


def inleiding_gemeente(ctx, res: Samenhang, code: str, naam: str, own: pd.DataFrame) -> None:
    """The gemeente's jeugdregio, its rank by population and the region's signals."""
    members = res.geodata.lidmaatschap["jeugdregio"].get(res.geo_jaar)
    regio, regio_naam = own["regio_code"].iloc[0], own["regio_naam"].iloc[0]
    mine = members[members["regio_code"] == regio]
    row = gegevens.profiel_rij(res, regio)
    zin = (
        f"{naam} hoort in {res.geo_jaar} bij de jeugdregio **{regio_naam}** ({regio}) met "
        f"{len(mine)} gemeenten."
    )
    waarden = gegevens.inwoners(res)
    if waarden is not None:
        pop = mine["gemeente_code"].map(waarden).astype("float64")
        if pop.notna().all() and code in set(mine["gemeente_code"]):
            own_pop = float(waarden.get(code, float("nan")))
            rank = int((pop > own_pop).sum()) + 1
            zin += (
                f" Met {getal(own_pop)} inwoners staat {naam} op plaats {rank} van {len(mine)} naar "
                f"inwonertal ({pct(own_pop / pop.sum(), 1)} van de inwoners van de regio)."
            )
            if row is not None and gegevens.waar(row["dominante_centrumgemeente"]) and rank == 1:
                zin += (
                    f" {naam} is daarmee een *dominante centrumgemeente* "
                    f"(drempel {drempel_tekst('dominantie_aandeel')})."
                )
    if row is not None:
        zin += " " + teksten.signalen_zin(row, "voor de regio ")
    md(zin + f" {methode(ctx, res)}")
    notities(res)


def kaart_gemeente(ctx, res: Samenhang, code: str, naam: str, regio: str, regio_naam: str):
    """The map of the region with the gemeente highlighted."""
    fig = figuren.leden_kaart(
        res, regio, f"{naam} in de jeugdregio {regio_naam}, {res.geo_jaar}", highlight=code
    )
    if fig is not None:
        figures.show(
            fig,
            bijschrift(ctx, f"Ligging van {naam} in de jeugdregio {regio_naam} ({res.geo_jaar})."),
        )


def andere_indelingen(res: Samenhang, code: str, naam: str, regio: str) -> None:
    """The regions of the other divisions the gemeente belongs to."""
    md("### Andere regio-indelingen")
    toon_html(
        html_tabel(
            tabellen.andere_indelingen(res, code, regio),
            bijschrift=f"Regio's waartoe {naam} behoort",
        )
    )


def wijzigingen_gemeente(ctx, res: Samenhang, code: str, naam: str, regio: str, regio_naam: str):
    """The events that name the gemeente, and the other events in its region."""
    md("### Wijzigingen die deze gemeente raken")
    t = gegevens.tijdlijn(ctx, res)
    eigen = events_for_gemeente(t, code) if len(t) else t
    regio_ev = events_for_region(t, regio) if len(t) else t
    periode = teksten.periode_tekst(gegevens.periode(res))
    if not eigen.empty:
        toon_html(
            html_tabel(
                tabellen.tijdlijn(eigen), bijschrift=f"Wijzigingen waarbij {naam} betrokken is"
            )
        )
    elif periode is None:
        md(teksten.EEN_JAAR.format(jaar=res.geo_jaar))
    else:
        md(f"{naam} zelf is tussen {periode} niet van regio gewisseld en niet heringedeeld.")
    anders = regio_ev
    if len(anders) and not eigen.empty:
        anders = anders[~anders["omschrijving"].isin(set(eigen["omschrijving"]))]
    if len(anders):
        toon_html(
            html_tabel(
                tabellen.tijdlijn(anders),
                bijschrift=f"Andere wijzigingen in de jeugdregio {regio_naam}",
            )
        )


def gebruik_gemeente(ctx, res: Samenhang, code: str, naam: str) -> None:
    """The gemeente's youth-care use against the median of its region (or why it is left out)."""
    disp = res.spreiding
    lw = res.leden_waarden
    if not len(disp) or not len(lw):
        return
    mine_lw = lw[(lw["maat"] == "gebruik") & (lw["gemeente_code"] == code)]
    lm = mine_lw[mine_lw["waarde"].notna()]
    lm = lm[lm["jaar"] <= ctx.jaar] if (lm["jaar"] <= ctx.jaar).any() else lm
    if len(lm):
        r = lm[lm["jaar"] == lm["jaar"].max()].iloc[0]
        cur = disp[
            (disp["maat"] == "gebruik")
            & (disp["jaar"] == r["jaar"])
            & (disp["regio_code"] == r["regio_code"])
        ]
        if len(cur) and not pd.isna(cur["mediaan"].iloc[0]):
            md(
                f"Jongeren met jeugdzorg in {naam}, {int(r['jaar'])}: {getal(r['waarde'], 0)} per "
                f"1 000 jongeren; de mediaan van de gemeenten in {r['regio_naam']} (indeling "
                f"{int(cur['indeling_jaar_leden'].iloc[0])}) is {getal(cur['mediaan'].iloc[0], 0)} "
                f"(variatiecoëfficiënt {getal(cur['cv'].iloc[0], 2)})."
            )
    elif len(mine_lw):
        reden = mine_lw.sort_values("jaar")["uitgesloten"].iloc[-1]
        if reden:
            md(
                f"Het jeugdzorggebruik van {naam} telt niet mee in de vergelijking binnen de "
                f"regio: {REDENEN.get(reden, reden)}."
            )
