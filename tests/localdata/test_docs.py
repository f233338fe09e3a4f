"""docs/lokale-bronnen.md names every kind, field and building block the code declares."""

from __future__ import annotations

from analysis.config import project_root
from analysis.localdata import KINDS
from analysis.localdata.kinds import BOUWSTENEN


def test_docs_name_every_field() -> None:
    text = (project_root() / "docs" / "lokale-bronnen.md").read_text(encoding="utf-8")
    missing = [
        f"{k.name}.{f.name}" for k in KINDS.values() for f in k.fields if f"`{f.name}`" not in text
    ]
    missing += [k for k in KINDS if f"**`{k}`**" not in text]
    missing += [b for b in BOUWSTENEN if f"`{b}`" not in text]
    assert missing == []
