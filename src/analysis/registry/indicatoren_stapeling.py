"""The stapeling indicators (chapter 5; definitions in docs/stapeling.md)."""

from __future__ import annotations

from analysis.registry.indicatoren import WOONPLAATSBEGINSEL
from analysis.registry.model import Indicator

# ---- stapeling (chapter 5; definitions in docs/stapeling.md) ---------------------------------
STAPELING_BRON = (
    "CBS «Gebruik voorzieningen sociaal domein; aantal voorzieningen, wijken» (één tabel per jaar; "
    "geen tabel voor 2020). Aantallen afgerond op 5, kleine cellen onderdrukt; alleen gemeenten "
    "die aan de monitor deelnemen."
)
#: the seven exclusive law combinations: code -> (Dutch label, CBS category title pattern)
STAPELING_COMBINATIES: dict[str, tuple[str, str]] = {
    "alleen_jeugd": ("alleen Jeugdwet", r"^Alleen Jeugd$"),
    "alleen_pwet": ("alleen Participatiewet", r"^Alleen P-wet$"),
    "alleen_wmo": ("alleen Wmo", r"^Alleen Wmo$"),
    "jeugd_pwet": ("Jeugdwet en Participatiewet", r"^Jeugd en P-wet$"),
    "jeugd_wmo": ("Jeugdwet en Wmo", r"^Jeugd en Wmo$"),
    "pwet_wmo": ("Participatiewet en Wmo", r"^P-wet en Wmo$"),
    "jeugd_pwet_wmo": ("Jeugdwet, Participatiewet en Wmo", r"^Jeugd, P-wet en Wmo$"),
}
#: classes of the number of provisions (the highest published class is open: "k of meer")
STAPELING_KLASSEN: tuple[int, ...] = (1, 2, 3, 4, 5)
#: youth-care overlap groups of 85101NED: code -> (Dutch label, in natura, JB, JR); the pgb
#: dimension is summed (wel + geen), so the eight groups are exclusive and add up to the total
JEUGDZORG_SAMENLOOP: dict[str, tuple[str, bool, bool, bool]] = {
    "alleen_pgb": ("alleen jeugdhulp met pgb", False, False, False),
    "natura": ("jeugdhulp in natura, zonder JB en JR", True, False, False),
    "natura_jb": ("jeugdhulp in natura en jeugdbescherming", True, True, False),
    "natura_jr": ("jeugdhulp in natura en jeugdreclassering", True, False, True),
    "natura_jb_jr": (
        "jeugdhulp in natura, jeugdbescherming en jeugdreclassering",
        True,
        True,
        True,
    ),
    "jb": ("jeugdbescherming, zonder jeugdhulp in natura", False, True, False),
    "jr": ("jeugdreclassering, zonder jeugdhulp in natura", False, False, True),
    "jb_jr": (
        "jeugdbescherming en jeugdreclassering, zonder jeugdhulp in natura",
        False,
        True,
        True,
    ),
}


def _stapeling_indicators() -> tuple[Indicator, ...]:
    out = [
        Indicator(
            "huishoudens_met_voorziening",
            "Huishoudens met een voorziening",
            "Aantal huishoudens met ten minste één maatwerkvoorziening uit de Jeugdwet, de Wmo "
            "of de Participatiewet in de periode (gemeenterij). " + STAPELING_BRON,
            "aantal",
            "stapeling",
            True,
            noemer="particuliere_huishoudens",
        ),
        Indicator(
            "clienten_met_voorziening",
            "Cliënten met een voorziening",
            "Aantal personen met ten minste één voorziening uit de Jeugdwet, de Wmo of de "
            "Participatiewet in de periode. " + STAPELING_BRON,
            "aantal",
            "stapeling",
            True,
            noemer="bevolking_totaal",
        ),
        Indicator(
            "huishoudens_met_voorziening_per_1000_cbs",
            "Huishoudens met een voorziening per 1 000 huishoudens (CBS)",
            "Huishoudens met een voorziening per 1 000 huishoudens, zoals CBS het publiceert "
            "(ook per wijk). " + STAPELING_BRON,
            "per 1 000 huishoudens",
            "stapeling",
            False,
        ),
        Indicator(
            "wmo_clienten_per_1000_cbs",
            "Wmo-cliënten per 1 000 inwoners (CBS)",
            "Wmo-cliënten per 1 000 inwoners, zoals CBS het publiceert (83262NED, 85043NED, "
            "85896NED).",
            "per 1 000 inwoners",
            "stapeling",
            False,
        ),
    ]
    for code, (label, _) in STAPELING_COMBINATIES.items():
        out.append(
            Indicator(
                f"huishoudens_{code}",
                f"Huishoudens met voorzieningen: {label}",
                f"Aantal huishoudens met voorzieningen uit precies deze wet(ten): {label} "
                "(exclusieve groep; de zeven groepen tellen op tot het totaal). " + STAPELING_BRON,
                "aantal",
                "stapeling",
                True,
                noemer="huishoudens_met_voorziening",
            )
        )
    for k in STAPELING_KLASSEN:
        out.append(
            Indicator(
                f"huishoudens_{k}_voorzieningen",
                f"Huishoudens met {k} voorziening{'en' if k > 1 else ''}",
                f"Aantal huishoudens met {k} maatwerkvoorziening{'en' if k > 1 else ''} (de "
                "hoogste klasse die CBS publiceert is open: 'k of meer'). " + STAPELING_BRON,
                "aantal",
                "stapeling",
                True,
                noemer="huishoudens_met_voorziening",
            )
        )
    for code, (label, *_flags) in JEUGDZORG_SAMENLOOP.items():
        out.append(
            Indicator(
                f"jeugdzorg_samenloop_{code}",
                f"Jongeren met jeugdzorg: {label}",
                f"Aantal jongeren met jeugdzorg in de groep '{label}' (CBS 85101NED, 'Jongeren met "
                "één of meerdere vormen van jeugdzorg'; pgb wel of niet). " + WOONPLAATSBEGINSEL,
                "aantal",
                "stapeling",
                True,
                noemer="jongeren_met_jeugdzorg",
            )
        )
    return tuple(out)
