"""Local data that no national dataset holds: sourced, validated files per kind.

Files live in ``data/registry/<kind>/*.csv`` (``;``-separated UTF-8, decimal comma, ISO dates;
see ``docs/lokale-bronnen.md``). Kinds: ``wachttijden``, ``bouwstenen``, ``budget``, ``doelen``
(:mod:`analysis.localdata.kinds`). Not to be confused with :mod:`analysis.registry`, which
declares the CBS tables and indicators.

    from analysis.localdata import load, read_published, provider_summary
    res = load(Path("data/registry"), cfg.processed_dir)   # check + publish the kinds that pass
    for p in res.problems: print(p)                         # file:line: field 'x': what is valid
    wt = read_published(cfg.processed_dir, "wachttijden")
    provider_summary(wt, membership)                         # median / range / n per region
    records_for(wt, gemeente="GM0363", membership=m, jaar=2025)  # own + its jeugdregio
"""

from typing import TYPE_CHECKING

from analysis.exports import lazy_exports

#: where each public name lives; modules are imported on first use, so the command line
#: (which only needs :mod:`.command`) does not import pandas and pandera at start
_EXPORTS = {
    "check": ("KindResult", "Problem", "Reference", "check_all", "check_kind", "schema"),
    "kinds": ("KINDS", "Field", "Kind", "kind"),
    "publish": (
        "LoadResult",
        "load",
        "problems_path",
        "published_path",
        "read_problems",
        "read_published",
    ),
    "summary": ("MEASURES", "coverage", "provider_summary", "records_for"),
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from analysis.localdata.check import (
        KindResult,
        Problem,
        Reference,
        check_all,
        check_kind,
        schema,
    )
    from analysis.localdata.kinds import KINDS, Field, Kind, kind
    from analysis.localdata.publish import (
        LoadResult,
        load,
        problems_path,
        published_path,
        read_problems,
        read_published,
    )
    from analysis.localdata.summary import MEASURES, coverage, provider_summary, records_for

__all__ = [
    "KINDS",
    "MEASURES",
    "Field",
    "Kind",
    "KindResult",
    "LoadResult",
    "Problem",
    "Reference",
    "check_all",
    "check_kind",
    "coverage",
    "kind",
    "load",
    "provider_summary",
    "problems_path",
    "published_path",
    "read_problems",
    "read_published",
    "records_for",
    "schema",
]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, __all__)
