"""docs/indicatoren.md is generated from the registry and must be current."""

from analysis import registry
from analysis.catalogue import CATALOGUE, render_catalogue
from analysis.config import project_root


def test_catalogue_is_up_to_date() -> None:
    on_disk = (project_root() / CATALOGUE).read_text(encoding="utf-8")
    assert on_disk == render_catalogue(), "run `python -m analysis catalogue`"


def test_every_indicator_documented_with_source() -> None:
    text = render_catalogue()
    for ind in registry.INDICATORS:
        assert f"`{ind.id}`" in text and ind.definitie in text
    assert "85099NED (2021–heden)" in text and "84134NED (2015–2020)" in text


def test_cohesion_thresholds_in_catalogue() -> None:
    from analysis.indicators.cohesion.constants import DREMPELS, SIGNALEN

    text = render_catalogue()
    for key in DREMPELS:
        assert f"`{key}`" in text
    for sig in SIGNALEN.values():
        assert sig.label in text
