"""The shapes of a CBS OData v3 table dump, as ``cbsodata.download_data(dir=...)`` writes it.

Field lists are those of the real recordings in ``shared/data/cbs_statline_bq``:
``TableInfos`` and ``DataProperties`` of 83583NED for ordinary tables, ``DataProperties``
of 84799NED (with ``MapYear`` and ``PresentationType``) for the KWB tables with a
``GeoDetail`` dimension.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from analysis.demo.jsonio import write_records, write_rows
from analysis.demo.names import ascii_fold

SYNTHETIC = "SYNTHETISCHE GEGEVENS — Demoland"
SOURCE = "Demoland (synthetisch, geen CBS-cijfers)"

TABLEINFO_FIELDS = (
    "Updated", "ID", "Identifier", "Title", "ShortTitle", "ShortDescription", "Summary",
    "Modified", "MetaDataModified", "ReasonDelivery", "ExplanatoryText", "OutputStatus",
    "Source", "Language", "Catalog", "Frequency", "Period", "SummaryAndLinks", "ApiUrl",
    "FeedUrl", "DefaultPresentation", "DefaultSelection", "GraphTypes", "RecordCount",
    "ColumnCount", "SearchPriority",
)  # fmt: skip
DP_FIELDS = (
    "odata.type", "ID", "Position", "ParentID", "Type", "Key", "Title", "Description",
    "ReleasePolicy", "Datatype", "Unit", "Decimals", "Default",
)  # fmt: skip
DP_FIELDS_KWB = (
    "odata.type", "ID", "Position", "ParentID", "Type", "Key", "Title", "Description",
    "MapYear", "Datatype", "Unit", "Decimals", "Default", "PresentationType",
)  # fmt: skip

REGION_WIDTH = 10


def pad(code: str, width: int = REGION_WIDTH) -> str:
    """Space-pad a key the way CBS does (``"GM9001    "``)."""
    return code.ljust(width)


def key_stem(title: str) -> str:
    """CBS-style key stem from a title: ``"0 tot 15 jaar"`` -> ``"k_0Tot15Jaar"``."""
    words = re.split(r"[^0-9A-Za-z]+", ascii_fold(title))
    stem = "".join(w[:1].upper() + w[1:] for w in words if w)
    if stem[:1].isdigit():
        stem = "k_" + stem
    return stem[:40]


class Properties:
    """Builder of a ``DataProperties`` list; topic keys get CBS's ``_<n>`` suffix."""

    def __init__(self, style: str = "statline") -> None:
        if style not in {"statline", "kwb"}:
            raise ValueError(style)
        self.style = style
        self.records: list[dict[str, Any]] = []
        self._position = 0
        self._topics = 0
        self.dim_keys: list[str] = []
        self.topic_keys: list[str] = []
        self.topic_types: dict[str, str] = {}

    def _record(self, **kw: Any) -> dict[str, Any]:
        fields = DP_FIELDS if self.style == "statline" else DP_FIELDS_KWB
        rec = {f: None for f in fields}
        rec.update(kw)
        rec["ID"] = len(self.records)
        self.records.append(rec)
        return rec

    def dim(
        self, key: str, title: str, kind: str, description: str = "", map_year: int | None = None
    ) -> None:
        """Add a dimension (``Dimension``, ``GeoDimension``, ``TimeDimension``, ``GeoDetail``)."""
        extra: dict[str, Any] = {}
        if self.style == "statline":
            extra["ReleasePolicy"] = True if kind == "TimeDimension" else None
        else:
            extra["MapYear"] = map_year
        self._record(
            **{"odata.type": f"Cbs.OData.{kind}"},
            Position=self._position,
            ParentID=None,
            Type=kind,
            Key=key,
            Title=title,
            Description=description,
            **extra,
        )
        self._position += 1
        self.dim_keys.append(key)

    def group(self, title: str, parent: int | None = None, description: str | None = None) -> int:
        """Add a TopicGroup; returns its ID (use as ``parent``)."""
        rec = self._record(
            **{"odata.type": "Cbs.OData.TopicGroup"},
            Position=None,
            ParentID=parent,
            Type="TopicGroup",
            Key="",
            Title=title,
            Description=description,
        )
        return rec["ID"]

    def topic(
        self,
        title: str,
        datatype: str,
        unit: str,
        decimals: int,
        *,
        stem: str | None = None,
        parent: int | None = None,
        description: str | None = "",
        default: str = "Missing",
        presentation: str = "Absolute",
    ) -> str:
        """Add a Topic; returns its key ``<Stem>_<n>``."""
        self._topics += 1
        key = f"{stem or key_stem(title)}_{self._topics}"
        extra: dict[str, Any] = {}
        if self.style == "kwb":
            extra["PresentationType"] = presentation if datatype != "String" else ""
        self._record(
            **{"odata.type": "Cbs.OData.Topic"},
            Position=self._position,
            ParentID=parent,
            Type="Topic",
            Key=key,
            Title=title,
            Description=description,
            Datatype=datatype,
            Unit=unit,
            Decimals=decimals,
            Default=default,
            **extra,
        )
        self._position += 1
        self.topic_keys.append(key)
        self.topic_types[key] = datatype
        return key

    @property
    def columns(self) -> list[str]:
        return ["ID", *self.dim_keys, *self.topic_keys]


def dimension_record(key: str, title: str, description: str = "", group: int | None = None) -> dict:
    return {"Key": key, "Title": title, "Description": description, "CategoryGroupID": group}


def period_record(key: str, title: str, status: str) -> dict:
    desc = {"Voorlopig": "Voorlopige cijfers", "Nader voorlopig": "Nader voorlopige cijfers"}
    return {"Key": key, "Title": title, "Description": desc.get(status, ""), "Status": status}


def table_infos(
    *,
    table_id: str,
    info_id: int,
    title: str,
    short_title: str,
    summary: str,
    description: str,
    modified: str,
    period: str,
    frequency: str,
    record_count: int,
    column_count: int,
    default_selection: str,
    default_presentation: str,
    output_status: str = "Regulier",
    graph_types: str = "Table,Bar,Line",
    first_year: int | None = None,
) -> dict[str, Any]:
    """One ``TableInfos`` record with every field of the real ones, marked synthetic."""
    summary_text = f"{SYNTHETIC}\n{summary}"
    short = (
        f"\n{SYNTHETIC}. Deze tabel is gemaakt door de Demoland-generator van het project, "
        f"in de vorm van CBS-tabel {table_id}. Alle cijfers zijn verzonnen en zeggen niets "
        f"over Nederland.\n\n{description}\n"
        + (f"\nGegevens beschikbaar vanaf: {first_year}\n" if first_year else "")
        + "\nStatus van de cijfers:\nCijfers van het laatste jaar zijn voorlopig, van het jaar "
        "daarvoor nader voorlopig (waar van toepassing).\n"
    )
    api = f"https://opendata.cbs.nl/ODataApi/OData/{table_id}"
    feed = f"https://opendata.cbs.nl/ODataFeed/OData/{table_id}"
    links = (
        summary_text.replace("\n", "<br />")
        + f'<br /><a href="http://opendata.cbs.nl/ODataApi/OData/{table_id}">'
        f"http://opendata.cbs.nl/ODataApi/OData/{table_id}</a>"
        f'<br /><a href="http://opendata.cbs.nl/ODataFeed/OData/{table_id}">'
        f"http://opendata.cbs.nl/ODataFeed/OData/{table_id}</a>"
    )
    rec = {
        "Updated": modified,
        "ID": info_id,
        "Identifier": table_id,
        "Title": title,
        "ShortTitle": short_title,
        "ShortDescription": short,
        "Summary": summary_text,
        "Modified": modified,
        "MetaDataModified": modified,
        "ReasonDelivery": "Actualisering",
        "ExplanatoryText": f"{SYNTHETIC}: synthetische cijfers voor tests en demonstraties.",
        "OutputStatus": output_status,
        "Source": SOURCE,
        "Language": "nl",
        "Catalog": "CBS",
        "Frequency": frequency,
        "Period": period,
        "SummaryAndLinks": links,
        "ApiUrl": api,
        "FeedUrl": feed,
        "DefaultPresentation": default_presentation,
        "DefaultSelection": default_selection,
        "GraphTypes": graph_types,
        "RecordCount": record_count,
        "ColumnCount": column_count,
        "SearchPriority": "2",
    }
    assert tuple(rec) == TABLEINFO_FIELDS
    return rec


def write_table(
    folder: Path,
    *,
    infos: dict[str, Any],
    props: Properties,
    dimensions: Sequence[tuple[str, list[dict]]],
    rows: Iterable[Sequence[Any]],
    category_groups: list[dict] | None = None,
) -> int:
    """Write one dump folder; ``infos`` are :func:`table_infos` kwargs without the counts."""
    folder.mkdir(parents=True, exist_ok=True)
    n = write_rows(folder / "TypedDataSet.json", props.columns, rows)
    info = table_infos(
        **infos, record_count=n, column_count=len(props.dim_keys) + len(props.topic_keys)
    )
    write_records(folder / "TableInfos.json", [info])
    write_records(folder / "DataProperties.json", props.records)
    if category_groups is not None:
        write_records(folder / "CategoryGroups.json", category_groups)
    for key, records in dimensions:
        write_records(folder / f"{key}.json", records)
    return n
