"""Fault kinds and the records of requests and fired faults of the replay server."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

#: Supported fault kinds, see :meth:`ReplayServer.inject`.
FAULT_KINDS = (
    "http500",
    "http503",
    "slow",
    "drop",
    "truncate",
    "nextlink_loop",
    "reset",
    "trickle",
    "html200",
)
#: body of the ``html200`` fault: what a proxy, login or maintenance page answers
MAINTENANCE_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Onderhoud</title></head>"
    b"<body><h1>Wegens onderhoud niet beschikbaar</h1></body></html>\n"
)


class _FaultOwner(Protocol):
    """The server a :class:`FaultHandle` belongs to."""

    def _remove_fault(self, handle: FaultHandle) -> None: ...


# --------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw and answered it (``status`` 0 = no response sent)."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    bytes_sent: int
    service: str = ""  # "feed", "api", "catalog", "geo" or "" (unrouted)
    table: str | None = None
    entity: str | None = None
    page: int = 0
    fault: str | None = None


@dataclass(frozen=True)
class FiredFault:
    """A fault that fired on a request."""

    kind: str
    table: str | None
    entity: str | None
    page: int
    path: str
    query: dict[str, str]


@dataclass(eq=False)
class FaultHandle:
    """A registered fault; returned by :meth:`ReplayServer.inject`."""

    kind: str
    table: str | None = None
    entity: str | None = None
    page: int | None = None
    times: int | None = 1
    delay: float = 5.0
    fraction: float = 0.5
    fired_count: int = 0
    _server: _FaultOwner | None = field(default=None, repr=False)

    @property
    def remaining(self) -> int | None:
        """Requests this fault will still fire on (``None`` = forever)."""
        return None if self.times is None else max(self.times - self.fired_count, 0)

    @property
    def active(self) -> bool:
        return self.times is None or self.fired_count < self.times

    def matches(self, table: str | None, entity: str | None, page: int) -> bool:
        return (
            self.active
            and (self.table is None or self.table == table)
            and (self.entity is None or self.entity == entity)
            and (self.page is None or self.page == page)
        )

    def cancel(self) -> None:
        """Stop this fault from firing again."""
        if self._server is not None:
            self._server._remove_fault(self)
