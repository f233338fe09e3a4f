"""The validation checks on the real recorded CBS data (converted exports, real client)."""

from __future__ import annotations

from analysis.indicators import checks


def test_checks_on_real_data(real_jeugd_processed) -> None:
    cfg, _report = real_jeugd_processed
    uitkomsten = {u.controle.id: u for u in checks.run_checks(cfg.data_dir, profiel="cbs")}
    for cid, u in uitkomsten.items():
        print(cid, u.status, u.berekend, u.toelichting)
    # structural checks pass on the real build
    for cid in ("witte_vlekken", "regio_som", "jeugdzorg_elk_jaar"):
        assert uitkomsten[cid].status == checks.VOLDOET, uitkomsten[cid]
    # the recorded years start in 2015: 2013 is named as missing, not guessed
    klein = uitkomsten["kleinste_regio_2013"]
    assert klein.status == checks.NIET_TOETSBAAR and "2013 niet in de gegevens" in klein.toelichting
    # the 2016 totals are in the recorded tables and are compared (the exports hold no
    # jeugdhulp/JB/JR split: those checks say so)
    for cid in ("jeugdzorg_2016", "gemeenten_2015"):
        assert uitkomsten[cid].status in (checks.VOLDOET, checks.VOLDOET_NIET), uitkomsten[cid]
        assert uitkomsten[cid].berekend != "–"
    assert uitkomsten["aantal_jeugdregios"].status != checks.NIET_TOETSBAAR
    assert checks.exit_code(list(uitkomsten.values())) == 0
    # the exact figures the recorded data can give: 393 gemeenten in 2015, 42 regions
    assert uitkomsten["gemeenten_2015"].berekend == "393"
    assert uitkomsten["gemeenten_2015"].status == checks.VOLDOET
    assert uitkomsten["aantal_jeugdregios"].status == checks.VOLDOET
    # the upper tail per gemeente is computed from CBS's percentages and the gemeenten above
    # 13 % are named (a plausibility finding, not an exit failure)
    tail = uitkomsten["jeugdhulp_aandeel_gemeente"]
    assert tail.berekend.startswith("max ") and "(2016)" in tail.berekend
    assert "gemeenten boven 13 %" in tail.toelichting
