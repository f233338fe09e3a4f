"""Resolve CBS column and category keys from a table's own metadata, at run time.

CBS renumbers topic keys between years (``Inwonertal_52`` → ``Inwonertal_54``), so the registry
declares titles; these functions find the key whose ``Title`` (and, for topics, whose ancestor
group titles) match. Every failure names the table, the pattern and what *is* there, so a
renamed CBS column produces a readable error instead of an empty figure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

DIMENSION_TYPES = {"Dimension", "TimeDimension", "GeoDimension", "GeoDetail"}


class KeyResolutionError(LookupError):
    """A declared title pattern does not resolve (or resolves ambiguously) in a table."""


class KeyNotFound(KeyResolutionError):
    """A declared pattern matches nothing: the table lacks that dimension, category or topic.

    The build skips only the indicators that need it (``what`` says which kind of key, for the
    Dutch report text; ``present`` lists what the table does hold).
    """

    def __init__(self, message: str, *, what: str = "", present: Sequence[str] = ()):
        super().__init__(message)
        self.what = what
        self.present = list(present)


class AmbiguousKey(KeyResolutionError):
    """A declared pattern matches more than one key: always an error (never a guess)."""


def _norm(text: object) -> str:
    return " ".join(str(text or "").split())


def _match(pattern: str, text: object) -> bool:
    return re.search(pattern, _norm(text), flags=re.IGNORECASE) is not None


def strip_key(key: object) -> str:
    """CBS pads keys with spaces (``'GM0363    '``); strip them for joins."""
    return str(key).strip()


@dataclass
class TableMeta:
    """The metadata endpoints of one table snapshot."""

    table_id: str
    info: dict
    properties: list[dict]
    dimensions: dict[str, list[dict]] = field(default_factory=dict)
    category_groups: list[dict] = field(default_factory=list)

    # -- dimensions ------------------------------------------------------------------
    def dimension_props(self) -> list[dict]:
        return [p for p in self.properties if p.get("Type") in DIMENSION_TYPES]

    def dimension(self, pattern: str) -> str:
        """Key of the one dimension whose Key or Title matches ``pattern``."""
        dims = self.dimension_props()
        hits = [p for p in dims if _match(pattern, p["Key"]) or _match(pattern, p.get("Title"))]
        if len(hits) != 1:
            have = ", ".join(f"{p['Key']} ({_norm(p.get('Title'))})" for p in dims)
            what = "no dimension" if not hits else "several dimensions"
            msg = f"{self.table_id}: {what} match {pattern!r}; dimensions in this table: {have}"
            if hits:
                raise AmbiguousKey(msg)
            raise KeyNotFound(
                msg, what="dimensie", present=[_norm(p.get("Title")) or p["Key"] for p in dims]
            )
        return hits[0]["Key"]

    def has_dimension(self, pattern: str) -> bool:
        return any(
            _match(pattern, p["Key"]) or _match(pattern, p.get("Title"))
            for p in self.dimension_props()
        )

    def region_dimension(self) -> str:
        hits = [p["Key"] for p in self.properties if p.get("Type") in {"GeoDimension", "GeoDetail"}]
        if not hits:
            raise KeyResolutionError(f"{self.table_id}: no regional dimension (GeoDimension)")
        return hits[0]

    def period_dimension(self) -> str | None:
        hits = [p["Key"] for p in self.properties if p.get("Type") == "TimeDimension"]
        return hits[0] if hits else None

    def categories(self, dimension: str) -> list[dict]:
        try:
            return self.dimensions[dimension]
        except KeyError:
            raise KeyResolutionError(
                f"{self.table_id}: dimension {dimension!r} was not downloaded; "
                f"have: {', '.join(self.dimensions) or 'none'}"
            ) from None

    def category_keys(self, dimension: str, pattern: str) -> list[str]:
        """Raw (padded) category keys of ``dimension`` whose Title matches ``pattern``."""
        cats = self.categories(dimension)
        hits = [c["Key"] for c in cats if _match(pattern, c.get("Title"))]
        if not hits:
            titles = "; ".join(_norm(c.get("Title")) for c in cats[:40])
            more = f" (+{len(cats) - 40} more)" if len(cats) > 40 else ""
            raise KeyNotFound(
                f"{self.table_id}: no category of {dimension} matches {pattern!r}; "
                f"categories: {titles}{more}",
                what="categorie",
                present=[_norm(c.get("Title")) for c in cats],
            )
        return hits

    def category_titles(self, dimension: str) -> dict[str, str]:
        """Stripped key -> title for every category of a dimension."""
        return {strip_key(c["Key"]): _norm(c.get("Title")) for c in self.categories(dimension)}

    # -- topics ----------------------------------------------------------------------
    def _ancestors(self, prop: Mapping) -> list[str]:
        by_id = {p.get("ID"): p for p in self.properties}
        titles: list[str] = []
        parent = prop.get("ParentID")
        while parent is not None and parent in by_id:
            titles.append(_norm(by_id[parent].get("Title")))
            parent = by_id[parent].get("ParentID")
        return titles

    def topics(self) -> list[dict]:
        return [p for p in self.properties if p.get("Type") == "Topic"]

    def topic(self, pattern: str, *, group: str | None = None) -> str:
        """Key of the one Topic whose Title matches (and, optionally, an ancestor group)."""
        hits = [
            p
            for p in self.topics()
            if _match(pattern, p.get("Title"))
            and (group is None or any(_match(group, t) for t in self._ancestors(p)))
        ]
        if len(hits) != 1:
            where = f" under a group matching {group!r}" if group else ""
            have = "; ".join(
                f"{p['Key']} '{_norm(p.get('Title'))}'" for p in (hits or self.topics())[:40]
            )
            what = "no topic" if not hits else f"{len(hits)} topics"
            msg = (
                f"{self.table_id}: {what} match {pattern!r}{where}; "
                f"{'candidates' if hits else 'topics in this table'}: {have}"
            )
            if hits:
                raise AmbiguousKey(msg)
            raise KeyNotFound(
                msg, what="onderwerp", present=[_norm(p.get("Title")) for p in self.topics()]
            )
        return hits[0]["Key"]

    def topic_unit(self, key: str) -> str:
        for p in self.properties:
            if p.get("Key") == key:
                return _norm(p.get("Unit"))
        raise KeyResolutionError(f"{self.table_id}: no property {key!r}")

    def group_topics(self, group: str) -> dict[str, str]:
        """Title -> key of the topics under the (innermost) group whose Title matches."""
        out: dict[str, str] = {}
        for p in self.topics():
            anc = self._ancestors(p)
            if anc and _match(group, anc[0]):
                out[_norm(p.get("Title"))] = p["Key"]
        if not out:
            groups = sorted(
                {_norm(p.get("Title")) for p in self.properties if p.get("Type") == "TopicGroup"}
            )
            raise KeyResolutionError(
                f"{self.table_id}: no topic group matches {group!r}; groups: {', '.join(groups)}"
            )
        return out


def period_filter(dimension: str, years: Sequence[int]) -> str:
    """OData filter selecting every period key that starts with one of ``years``."""
    parts = [f"startswith({dimension},'{y}')" for y in sorted(set(years))]
    return "(" + " or ".join(parts) + ")" if parts else ""


def prefix_filter(dimension: str, prefixes: Sequence[str]) -> str:
    parts = [f"startswith({dimension},'{p}')" for p in prefixes]
    return "(" + " or ".join(parts) + ")" if parts else ""


def keys_filter(dimension: str, keys: Sequence[str]) -> str:
    """``eq`` on the exact (padded) keys, as CBS requires."""
    parts = [f"{dimension} eq '{k}'" for k in keys]
    return "(" + " or ".join(parts) + ")" if parts else ""


def and_filters(parts: Sequence[str]) -> str | None:
    parts = [p for p in parts if p]
    return " and ".join(parts) if parts else None
