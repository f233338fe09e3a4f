"""The table registry: one declaration per table, no fragile numbered keys."""

from __future__ import annotations

import re

import pytest

from analysis import registry


def test_ids_unique_and_catalogs_known() -> None:
    ids = [t.id for t in registry.TABLES if t.id]
    assert len(ids) == len(set(ids))
    assert {t.catalog for t in registry.TABLES} <= {"opendata", "dataderden"}


def test_no_numbered_keys_in_patterns() -> None:
    """Titles/patterns only: a `_NN` suffix would break when CBS renumbers."""
    for t in registry.TABLES:
        for m in t.measures:
            for text in (m.topic, *m.where, *m.where.values()):
                assert not re.search(r"[A-Za-z]_\d+\b", text), (t.id, text)


def test_every_measure_names_a_declared_indicator() -> None:
    for t in registry.TABLES:
        for m in t.measures:
            registry.indicator(m.indicator)


def test_youth_care_series_split_at_trend_break() -> None:
    old, new = registry.table("84134NED"), registry.table("85099NED")
    assert old.years == (2015, 2020) and new.years[0] == 2021
    assert old.segment != new.segment
    assert old.reeks == new.reeks


def test_unknown_stapeling_2020_recorded() -> None:
    gaps = registry.unknown_tables()
    assert any(t.reeks == "stapeling" and t.years == (2020, 2020) for t in gaps)
    assert all(not t.fetchable for t in gaps)


def test_third_party_catalog_for_iv3() -> None:
    iv3 = registry.tables(reeks="iv3")
    assert iv3 and all(t.catalog == "dataderden" for t in iv3)


def test_unknown_id_error_lists_valid_ids() -> None:
    with pytest.raises(KeyError, match="85099NED"):
        registry.tables(ids=["99999XXX"])


def test_lowercase_ids_kept_verbatim() -> None:
    assert registry.table("03759NED").id == "03759ned"
