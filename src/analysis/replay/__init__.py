"""An OData v3 replay server for CBS table dumps, with fault injection.

:class:`ReplayServer` serves folders written by ``cbsodata.download_data(dir=...)`` (or recorded
the same way) over HTTP, so that the real, unmodified ``cbsodata`` client can fetch from it::

    with ReplayServer(root) as srv:
        data = cbsodata.download_data("83583NED", catalog_url=srv.host)  # with use_https=False

Served paths (the ``ODataFeed``/``ODataApi``/``odata`` segments are case-insensitive, table ids
and entity names are not):

``/ODataFeed/odata/<id>/``            service document (entity list)
``/ODataFeed/odata/<id>/<Entity>``    entity rows, paged by ``page_size`` via ``odata.nextLink``
``/ODataFeed/odata/<id>/<Entity>/$count``  number of rows after ``$filter`` (text/plain)
``/ODataApi/odata/<id>/...``          the same, unpaged, with the 10 000-cell limit emulated
``/ODataCatalog/Tables``              one catalog entry per served table
``/geo/<file>``                       files of ``geo_dir``, read-only

Query options: ``$format=json`` (or absent), ``$select``, ``$top``, ``$skip``, ``$filter``
(``eq ne gt ge lt le and or not``, parentheses, ``startswith endswith substringof trim tolower
toupper length``, string literals with ``''`` escapes, numbers, ``null true false``) and
``$inlinecount=allpages``. As at CBS, comparisons use the raw stored value: a padded key
``'GM0363    '`` does not equal ``'GM0363'``.

Dumps holding only ``TypedDataSet`` get an ``UntypedDataSet`` synthesised the way CBS shapes it:
measure values as right-aligned strings, null as a right-aligned ``"."``.

Faults (:meth:`ReplayServer.inject`) make matching requests fail in a chosen way; the request
log (:attr:`ReplayServer.requests`) and :attr:`ReplayServer.fired` show what happened.
Fault matching uses the request's table id and entity name; the service document has entity
``""``, the catalog has table ``None`` and entity ``"Tables"``, a geo file has table ``None`` and
the file name as entity.
"""

from analysis.replay.dumps import (
    DIMENSION_TYPES,
    KNOWN_ENTITIES,
    UNTYPED_MIN_WIDTH,
    synthesise_untyped,
)
from analysis.replay.faults import (
    FAULT_KINDS,
    MAINTENANCE_PAGE,
    FaultHandle,
    FiredFault,
    RequestRecord,
)
from analysis.replay.filter import FilterError, compile_filter
from analysis.replay.odata import JSON_TYPE, TEXT_TYPE
from analysis.replay.server import ReplayServer, main

__all__ = [
    "DIMENSION_TYPES",
    "JSON_TYPE",
    "KNOWN_ENTITIES",
    "MAINTENANCE_PAGE",
    "TEXT_TYPE",
    "UNTYPED_MIN_WIDTH",
    "FAULT_KINDS",
    "FaultHandle",
    "FilterError",
    "FiredFault",
    "ReplayServer",
    "RequestRecord",
    "compile_filter",
    "main",
    "synthesise_untyped",
]
