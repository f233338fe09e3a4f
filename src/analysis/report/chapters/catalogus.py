"""Every chapter of the reports, declared once.

:data:`CHAPTERS` lists the chapters in report order: the frame (``inleiding``, the title and
the line under it), the built chapters and the planned ones. The three report notebooks are
generated from it (:mod:`analysis.report.notebooks`, ``python -m analysis notebooks``); planned
chapters render through one generic renderer (:mod:`analysis.report.chapters.nog_niet`).

Adding a chapter: write its package under ``analysis/report/chapters/`` with the three entry
functions, add one :class:`Hoofdstuk` here and regenerate the notebooks.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "CHAPTERS",
    "KINDS",
    "REKENKAMER",
    "STATUSES",
    "Hoofdstuk",
    "Sectie",
    "chapter",
    "entry_function",
    "numbered",
]

#: The three report kinds; each chapter has one entry point per kind.
KINDS: tuple[str, ...] = ("nederland", "jeugdregio", "gemeente")
#: ``frame``: the unnumbered opening; ``built``: a chapter with results; ``planned``: a
#: chapter that says what it will answer (rendered by the generic renderer).
STATUSES: tuple[str, ...] = ("frame", "built", "planned")
#: Package the dotted entry-point names are relative to.
PACKAGE = "analysis.report.chapters"


@dataclass(frozen=True)
class Hoofdstuk:
    """One chapter: what it answers and where its code is.

    ``thema`` is the registry theme (:attr:`analysis.registry.Table.thema`) whose tables and
    indicators the chapter reports on, None for the frame or a chapter drawing on several.
    ``entries`` maps each report kind to a dotted name relative to
    ``analysis.report.chapters`` (``"gebruik.gemeente"``); for a planned chapter it defaults to
    the generic renderer ``nog_niet.<id>``. ``opmerking`` is an extra Dutch paragraph a planned
    chapter shows (for example why the data do not exist yet).
    """

    id: str
    titel: str
    vraag: str
    thema: str | None
    status: str
    entries: dict[str, str] = field(default_factory=dict)
    opmerking: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(
                f"chapter {self.id!r}: unknown status {self.status!r}; valid: {', '.join(STATUSES)}"
            )
        entries = dict(self.entries)
        if self.status == "planned":
            for kind in KINDS:
                entries.setdefault(kind, f"nog_niet.{self.id}")
        missing = [k for k in KINDS if k not in entries]
        extra = [k for k in entries if k not in KINDS]
        if missing or extra:
            raise ValueError(
                f"chapter {self.id!r}: entry points needed for exactly {', '.join(KINDS)}; "
                f"missing {missing or 'none'}, unknown {extra or 'none'}"
            )
        object.__setattr__(self, "entries", entries)

    def entry(self, kind: str) -> str:
        """The dotted entry-point name of this chapter for report ``kind``."""
        try:
            return self.entries[kind]
        except KeyError:
            raise KeyError(f"unknown report kind {kind!r}; valid: {', '.join(KINDS)}") from None


def _per_kind(module: str) -> dict[str, str]:
    return {kind: f"{module}.{kind}" for kind in KINDS}


CHAPTERS: tuple[Hoofdstuk, ...] = (
    Hoofdstuk(
        "inleiding",
        "Inleiding",
        "Over wie gaat dit rapport, over welk jaar en in welke gemeentelijke indeling?",
        None,
        "frame",
        {kind: "inleiding" for kind in KINDS},
    ),
    Hoofdstuk(
        "gebruik",
        "Gebruik van jeugdzorg",
        "Hoeveel jongeren gebruiken jeugdzorg, hoe verandert dat en hoe verhoudt het zich tot "
        "vergelijkbare gemeenten en de regio?",
        "gebruik",
        "built",
        _per_kind("gebruik"),
    ),
    Hoofdstuk(
        "samenhang",
        "Regionale samenhang",
        "Hoe samenhangend is de jeugdregio: vallen de grenzen samen met andere indelingen en "
        "lopen gebruik en kosten tussen de gemeenten sterk uiteen?",
        None,  # draws on several themes (gebruik, bevolking, geografie)
        "built",
        _per_kind("samenhang"),
    ),
    Hoofdstuk(
        "wachttijden",
        "Wachttijden en toegang",
        "Hoe komen jongeren bij de jeugdhulp terecht (via de huisarts, het wijkteam, de "
        "gecertificeerde instelling of een andere verwijzer) en hoe lang moeten zij wachten "
        "voordat de hulp begint? Zijn er in de regio afspraken over de aanpak van wachtlijsten?",
        "toegang",
        "built",
        _per_kind("toegang"),
    ),
    Hoofdstuk(
        "budget",
        "Budget en tekorten",
        "Hoeveel geeft de gemeente uit aan jeugdzorg, hoe verhoudt zich dat tot het budget dat "
        "zij daarvoor krijgt, hoeveel gemeenten hebben een tekort en hoe groot is dat tekort "
        "per jongere van 0 tot 18 jaar?",
        "budget",
        "built",
        _per_kind("budget"),
    ),
    Hoofdstuk(
        "stapeling",
        "Stapeling van voorzieningen",
        "Hoeveel huishoudens gebruiken tegelijk voorzieningen uit meer dan één wet (Jeugdwet, "
        "Wmo 2015 en Participatiewet), en hoe geconcentreerd is dat gebruik?",
        "stapeling",
        "built",
        _per_kind("stapeling"),
    ),
    Hoofdstuk(
        "validatie",
        "Validatie",
        "Kloppen de gegevens met de referentiewaarden uit de beleidsdocumenten, en welke "
        "tegenstrijdigheden staan in die documenten zelf?",
        None,  # checks on every theme
        "built",
        _per_kind("validatie"),
    ),
)


@dataclass(frozen=True)
class Sectie:
    """One section of the rekenkamer edition of the gemeente report (policy-questions §6.2).

    ``entry`` is the dotted entry point relative to ``analysis.report.chapters``;
    ``hoofdstuk`` the theme chapter (:data:`CHAPTERS`) whose gemeente content the section
    reuses, None for a section of its own; ``vraag`` the w-vraag it answers and ``antwoordt``
    the analytic questions of policy-questions §2.
    """

    id: str
    titel: str
    vraag: str
    entry: str
    hoofdstuk: str | None = None
    antwoordt: str = ""


#: The rekenkamer edition, in report order; its notebook (``gemeente_rekenkamer.ipynb``) is
#: generated from this declaration like the three report notebooks.
REKENKAMER: tuple[Sectie, ...] = (
    Sectie("profiel", "Profiel", "Wie worden er door geraakt?", "rekenkamer.profiel",
           None, "F1, A2, A3"),
    Sectie("doelen", "Doelen en sturing", "Welke doelen streeft de gemeente na en hoe meet zij "
           "die?", "rekenkamer.doelen", None, "F4, F5, F8"),
    Sectie("gebruik", "Gebruik van jeugdzorg", "Hoeveel jongeren gebruiken jeugdzorg en welke "
           "zorg?", "rekenkamer.gebruik", "gebruik", "B9, D3, F7"),
    Sectie("toegang", "Toegang en verwijzing", "Hoe is de toegang en doorverwijzing "
           "georganiseerd?", "rekenkamer.toegang", "wachttijden", "B1–B8, F6"),
    Sectie("financien", "Financiën", "Welke financiële effecten?", "rekenkamer.financien",
           "budget", "C1–C5, C11, A6, A12"),
    Sectie("samenwerking", "Regionale samenwerking", "Op welke schaal en met welke "
           "samenwerkingspartners?", "rekenkamer.samenwerking", "samenhang", "A1, A5–A9"),
    Sectie("stapeling", "Stapeling en integrale aanpak", "Hoeveel huishoudens krijgen hulp uit "
           "meer dan één wet?", "rekenkamer.stapeling", "stapeling", "D1–D6"),
    Sectie("auditvragen", "Auditvragen-checklist", "Welk bewijs levert dit rapport per w-vraag?",
           "rekenkamer.auditvragen", None, "F1–F3"),
    Sectie("datanotities", "Datanotities", "Wat moet de lezer weten over de gegevens?",
           "rekenkamer.datanotities", None, ""),
)  # fmt: skip


def chapter(chapter_id: str, chapters: Sequence[Hoofdstuk] = CHAPTERS) -> Hoofdstuk:
    """The declared chapter ``chapter_id``."""
    for h in chapters:
        if h.id == chapter_id:
            return h
    raise KeyError(f"unknown chapter {chapter_id!r}; valid: {', '.join(h.id for h in chapters)}")


def numbered(chapters: Sequence[Hoofdstuk] = CHAPTERS) -> list[tuple[int, Hoofdstuk]]:
    """The numbered chapters (all but the frame) with their number in the report: 1, 2, ..."""
    return list(enumerate((h for h in chapters if h.status != "frame"), start=1))


def entry_function(dotted: str) -> Callable[..., None]:
    """The function behind a dotted entry-point name (``"gebruik.gemeente"``)."""
    module, _, name = f"{PACKAGE}.{dotted}".rpartition(".")
    try:
        func = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise LookupError(f"entry point {dotted!r} does not exist ({exc})") from None
    if not callable(func):
        raise LookupError(f"entry point {dotted!r} is not a function")
    return func
