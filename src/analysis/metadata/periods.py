"""Period vocabulary shared by the build (parsing CBS period titles) and the reports
(writing dates in Dutch): declared once, here, so the build never imports report code."""

from __future__ import annotations

__all__ = ["MAANDEN", "MAAND_NUMMER", "PERIODE_TYPES"]

#: Dutch month names, January first
MAANDEN: tuple[str, ...] = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
#: month name -> number (1-12)
MAAND_NUMMER: dict[str, int] = {m: i for i, m in enumerate(MAANDEN, 1)}
#: values of ``periode_type`` in the processed layer
PERIODE_TYPES: tuple[str, ...] = ("jaar", "halfjaar", "peildatum")
