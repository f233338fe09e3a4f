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


def test_data_contract_is_up_to_date() -> None:
    from analysis.metadata.schema import CONTRACT_DOC, render_data_contract

    on_disk = (project_root() / CONTRACT_DOC).read_text(encoding="utf-8")
    assert on_disk == render_data_contract(), "run `python -m analysis catalogue`"


def test_data_contract_lists_every_column_with_its_type() -> None:
    from analysis.metadata import schema

    text = schema.render_data_contract()
    for file in (schema.INDICATORS, schema.INDELING):
        assert f"`processed/{file.name}`" in text
        for col in file.columns:
            assert f"| `{col.name}` | {col.type} |" in text
    assert schema.COLUMNS[0] == "regio_code" and "dekking" in schema.COLUMNS
    assert set(schema.VALUE_KEYS) < set(schema.COLUMNS) and set(schema.ROW_KEY) < set(
        schema.COLUMNS
    )
