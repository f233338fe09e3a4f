"""Exact Dutch sentences and number formatting of analysis.report.text."""

from __future__ import annotations

import pytest

from analysis.report import text
from analysis.report.text import Cijfer

S = "\u202f"  # thousands separator
JH = "jongeren_met_jeugdhulp"


@pytest.mark.parametrize(
    ("value", "dec", "expected"),
    [
        (1245, 0, f"1{S}245"),
        (999, 0, "999"),
        (12.5, 1, "12,5"),
        (1234567.891, 2, f"1{S}234{S}567,89"),
        (-1500, 0, f"-1{S}500"),
        (-0.04, 1, "0,0"),
        (0, 0, "0"),
        (float("nan"), 0, "geen gegevens"),
        (None, 1, "geen gegevens"),
    ],
)
def test_getal(value, dec, expected):
    assert text.getal(value, dec) == expected


def test_cells_name_suppressed_and_missing():
    assert text.waarde(float("nan"), onderdrukt=True) == "onderdrukt"
    assert text.waarde(float("nan")) == "geen gegevens"
    assert text.waarde(0.0, onderdrukt=True) == "0"  # a published zero stays a zero
    assert text.procent(6.06) == "6,1%"
    assert text.decimalen_per_1000(112.0, 98.0) == 0
    assert text.decimalen_per_1000(112.0, 9.99) == 1


def test_periods_and_lists():
    assert text.periode_tekst("2023") == "2023"
    assert text.periode_tekst("2023H1") == "het eerste halfjaar van 2023"
    assert text.periode_tekst("2023H2") == "het tweede halfjaar van 2023"
    assert text.periode_tekst("2023-06-30") == "30 juni 2023"
    assert text.lijst(["a"]) == "a"
    assert text.lijst(["a", "b", "c"]) == "a, b en c"
    assert text.onderwerp("jongeren_met_jeugdhulp_met_verblijf") == "jeugdhulp met verblijf"


def test_comparison_tolerance_is_five_percent():
    assert text.vergelijk(104.9, 100) == "gelijk"
    assert text.vergelijk(95.0, 100) == "gelijk"
    assert text.vergelijk(105.2, 100) == "meer"
    assert text.vergelijk(94.8, 100) == "minder"
    assert text.vergelijk(0, 0) == "gelijk"


def test_sentence_example_from_the_brief():
    zin = text.zin_gebruik(
        JH,
        "2023",
        Cijfer("Amsterdam", 1245, 112.0),
        [Cijfer("de jeugdregio Amsterdam-Amstelland", 9000, 98.0), Cijfer("Nederland", 4e5, 104.0)],
    )
    assert zin == (
        f"In 2023 hadden 1{S}245 jongeren in Amsterdam jeugdhulp, 112 per 1{S}000 jongeren van "
        "0 tot 18 jaar. Dat is meer dan in de jeugdregio Amsterdam-Amstelland (98) en in "
        "Nederland (104)."
    )


def test_sentence_equal_within_tolerance_provisional_and_missing_comparison():
    zin = text.zin_gebruik(
        JH,
        "2023",
        Cijfer("Havendam", 1465, 126.4, status="voorlopig"),
        [
            Cijfer("de jeugdregio Regio Noord", 8938, 131.1, status="voorlopig"),
            Cijfer("gemeenten met 50 000 tot 100 000 inwoners", None, None, status=None),
            Cijfer("Nederland", 11195, 140.0, status="voorlopig"),
        ],
    )
    assert zin == (
        f"In 2023 hadden 1{S}465 jongeren in Havendam jeugdhulp, 126 per 1{S}000 jongeren van "
        "0 tot 18 jaar. Dat is ongeveer gelijk aan het cijfer voor de jeugdregio Regio Noord "
        "(131) en minder dan in Nederland (140). Voor gemeenten met 50 000 tot 100 000 inwoners "
        "is geen vergelijkbaar cijfer beschikbaar. Dit zijn voorlopige cijfers."
    )


def test_status_can_be_stated_once_for_a_list():
    hoofd = Cijfer("Havendam", 1465, 126.4, status="nader voorlopig")
    zin = text.zin_gebruik(JH, "2022", hoofd, status_noemen=False)
    assert "voorlopig" not in zin
    assert text.zin_status("2022", ["definitief", "nader voorlopig"]) == (
        "De cijfers over 2022 zijn nader voorlopig; het CBS kan ze nog bijstellen."
    )
    assert text.zin_status("2020", ["definitief"]) == ""


def test_sentence_suppressed_is_named_not_zero():
    zin = text.zin_gebruik(
        "jongeren_met_jeugdbescherming",
        "2023",
        Cijfer("Kleindorp", None, None, onderdrukt=True, status="voorlopig"),
        [Cijfer("Nederland", 587, 6.8)],
    )
    assert zin == (
        "In 2023 is het aantal jongeren met jeugdbescherming in Kleindorp onderdrukt: het CBS "
        "heeft dit cijfer niet gepubliceerd."
    )


def test_sentence_missing_and_group_without_any_value():
    assert text.zin_gebruik(JH, "2023H1", Cijfer("Veenhoven", None, None)) == (
        "Voor het eerste halfjaar van 2023 is er geen cijfer over jongeren met jeugdhulp in "
        "Veenhoven."
    )
    groep = Cijfer("de jeugdregio X", None, None, onderdrukt=True, n_leden=3, n_met_waarde=0)
    assert text.zin_gebruik(JH, "2023", groep) == (
        "Voor 2023 is voor geen van de gemeenten in de jeugdregio X een cijfer over jongeren met "
        "jeugdhulp gepubliceerd."
    )


def test_sentence_estimate_small_number_and_singular():
    groep = Cijfer("de jeugdregio X", 7, 1.234, n_leden=4, n_met_waarde=3)
    zin = text.zin_gebruik(
        "jongeren_met_jeugdreclassering", "2023", groep, [Cijfer("Nederland", 143, 1.6)]
    )
    assert zin == (
        "In 2023 hadden 7 jongeren in de jeugdregio X jeugdreclassering (opgeteld over 3 van de 4 "
        "gemeenten; van de andere gemeente is het cijfer onderdrukt of niet beschikbaar), naar "
        f"schatting 1,2 per 1{S}000 jongeren van 0 tot 18 jaar. Dat is minder dan in Nederland "
        "(1,6). Het gaat om minder dan 10 jongeren; bij zulke kleine aantallen kunnen "
        "toevallige schommelingen groot zijn."
    )
    een = text.zin_gebruik("jongeren_met_jeugdreclassering", "2021", Cijfer("Kleindorp", 1, 0.7))
    assert een.startswith("In 2021 had 1 jongere in Kleindorp jeugdreclassering, 0,7 per")


def test_rate_without_denominator():
    zin = text.zin_gebruik(JH, "2023", Cijfer("Havendam", 50, None))
    assert zin == (
        "In 2023 hadden 50 jongeren in Havendam jeugdhulp. Het aantal per 1\u202f000 jongeren is "
        "niet te berekenen, omdat het aantal jongeren van 0 tot 18 jaar ontbreekt."
    )


def test_estimated_comparison_is_labelled():
    zin = text.zin_gebruik(
        JH,
        "2023",
        Cijfer("A", 100, 100.0),
        [Cijfer("de jeugdregio X", 900, 90.0, n_leden=4, n_met_waarde=3)],
    )
    assert zin.endswith("Dat is meer dan in de jeugdregio X (naar schatting 90).")


def test_share_rank_and_trend_sentences():
    assert text.zin_aandeel_verblijf(
        "2023", Cijfer("Havendam", 88, 6.06), [Cijfer("Nederland", 661, 6.0)]
    ) == (
        "In 2023 had 6,1% van de jongeren met jeugdhulp in Havendam jeugdhulp met verblijf. Dat "
        "is ongeveer gelijk aan het cijfer voor Nederland (6,0%)."
    )
    assert text.zin_rang("Havendam", "de jeugdregio Regio Noord", JH, 2, 3, 4) == (
        "Binnen de jeugdregio Regio Noord staat Havendam op plaats 2 van de 3 gemeenten met een "
        f"cijfer (plaats 1 = het hoogste aantal jongeren met jeugdhulp per 1{S}000 jongeren). "
        "Van 1 gemeente is het cijfer niet bekend; die telt niet mee."
    )
    assert "geen plaats" in text.zin_rang("Kleindorp", "de jeugdregio X", JH, None, 3, 4)
    verandering = {
        "van": 120.2,
        "tot": 126.4,
        "van_periode": "2021",
        "tot_periode": "2023",
        "voorlopig": True,
        "n_reeksen": 2,
    }
    assert text.zin_trend(JH, "Havendam", verandering) == (
        "Sinds 2021, het eerste jaar na de trendbreuk, is het aantal jongeren met jeugdhulp per "
        f"1{S}000 jongeren in Havendam gestegen van 120 in 2021 naar 126 in 2023. Het cijfer "
        "over 2023 is voorlopig."
    )
    gelijk = {**verandering, "tot": 122.0, "voorlopig": False, "n_reeksen": 1}
    assert text.zin_trend(JH, "Havendam", gelijk).endswith(
        "ongeveer gelijk gebleven (van 120 in 2021 naar 122 in 2023)."
    )
    assert text.zin_trend(JH, "Havendam", None) == ""
