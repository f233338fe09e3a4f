"""Each indicator's declared aggregation rule decides how the build carries gemeente values to
jeugdregio and provincie (on Demoland, built through the real client)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import registry
from analysis.build import BuildReport, aggregate, aggregation_rules
from analysis.registry import GEEN, SOM, Aggregatie, Indicator, gewogen_gemiddelde

JH = "jongeren_met_jeugdhulp"
POP = "bevolking_0_17"


def test_rules_are_validated_with_the_valid_choices() -> None:
    with pytest.raises(ValueError, match="unknown aggregation rule 'gemiddelde'.*som"):
        Aggregatie("gemiddelde")
    with pytest.raises(ValueError, match="weight indicator is required"):
        Aggregatie("gewogen_gemiddelde")
    with pytest.raises(ValueError, match="gewicht='bevolking_0_17'"):
        Aggregatie("som", "bevolking_0_17")
    with pytest.raises(TypeError, match="aggregatie must be an Aggregatie"):
        Indicator("x", "X", "x", "aantal", "gebruik", "som")


def test_unknown_weight_indicator_is_refused() -> None:
    bad = Indicator("duur", "Duur", "d", "dagen", "toegang", gewogen_gemiddelde("trajecten"))
    with pytest.raises(ValueError, match="gewicht 'trajecten' is not a declared indicator"):
        registry.check_indicators([*registry.INDICATORS, bad])


def test_every_indicator_declares_a_rule_and_bool_shorthand() -> None:
    assert all(isinstance(i.aggregatie, Aggregatie) for i in registry.INDICATORS)
    assert Indicator("x", "X", "x", "aantal", "gebruik", True).aggregatie == SOM
    assert Indicator("x", "X", "x", "%", "gebruik", False).aggregatie == GEEN
    assert aggregation_rules()[JH] == SOM


@pytest.fixture(scope="module")
def processed(demoland):
    root, _ = demoland
    ind = pd.read_parquet(root / "processed" / "indicators.parquet")
    mem = pd.read_parquet(root / "processed" / "regio_indeling.parquet")
    return ind, mem


def test_sum_rule_reproduces_the_stored_region_rows(processed) -> None:
    ind, mem = processed
    published = ind[~ind["berekend"] | ind["regio_niveau"].eq("gemeente")]
    got = aggregate(published, mem, BuildReport(), rules={JH: SOM})
    assert set(got["indicator"]) == {JH} and set(got["regio_niveau"]) == {"jeugdregio", "provincie"}
    # CBS's own region figures (berekend False, kept where CBS publishes them) differ from the
    # members' sum by suppression and rounding; only the sums the build computed are compared
    stored = ind[
        (ind["indicator"] == JH)
        & ind["regio_niveau"].isin(["jeugdregio", "provincie"])
        & ind["berekend"]
    ]
    key = ["regio_code", "indeling_jaar", "periode"]
    both = got.merge(stored, on=key, suffixes=("", "_stored"))
    assert len(both) > 0
    np.testing.assert_allclose(both["waarde"], both["waarde_stored"])


def test_weighted_mean_equals_the_ratio_of_sums(processed) -> None:
    """A per-1 000 rate weighted by the youth population is the regional rate of the sums."""
    ind, mem = processed
    gm = ind[ind["regio_niveau"].eq("gemeente") & ~ind["berekend"]]
    key = ["regio_code", "indeling_jaar", "periode"]
    jh = gm[gm["indicator"] == JH]
    pop = gm[gm["indicator"] == POP][[*key, "waarde"]].rename(columns={"waarde": "pop"})
    rate = jh.merge(pop, on=key).assign(
        indicator="per_1000", eenheid="per 1 000", waarde=lambda d: d["waarde"] / d["pop"] * 1000
    )
    frame = pd.concat([gm[gm["indicator"].isin([JH, POP])], rate.drop(columns="pop")])
    rules = {JH: SOM, POP: SOM, "per_1000": gewogen_gemiddelde(POP)}
    got = aggregate(frame, mem, BuildReport(), rules=rules).set_index([*key, "indicator"])
    mean = got.xs("per_1000", level="indicator")
    full = mean[mean["dekking"] == 1.0]
    assert len(full) > 10 and (full["eenheid"] == "per 1 000").all()
    expected = (
        got.xs(JH, level="indicator")["waarde"] / got.xs(POP, level="indicator")["waarde"] * 1000
    ).reindex(full.index)
    np.testing.assert_allclose(full["waarde"], expected, rtol=1e-9)
    # a weighted mean is not a sum: it lies within the members' range
    assert (full["waarde"] < rate["waarde"].max()).all()


def test_not_aggregable_stays_at_gemeente_level(processed) -> None:
    ind, mem = processed
    gm = ind[ind["regio_niveau"].eq("gemeente") & ~ind["berekend"]]
    got = aggregate(gm, mem, BuildReport(), rules={JH: GEEN, POP: SOM})
    assert set(got["indicator"]) == {POP}
