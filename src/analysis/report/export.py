"""Executed notebook -> one self-contained Dutch HTML file.

The export hides all code and prompts, drops the ``parameters``, ``injected-parameters`` and
``remove``-tagged cells and every ``stderr`` stream, loads nothing from a CDN (own template
``templates/jeugdzorg``: no require.js, MathJax, mermaid or widget scripts; one small inline
stylesheet with ``@media print``), embeds images as data URIs, sets ``lang="nl"`` and a
``<title>`` from the first heading, adds a table of contents built from the h2/h3 headings, the
synthetic-data banner when applicable and the sources footer. :func:`assert_self_contained`
is run on every export, so a report that would reach out to the network is never written.

Every report carries a Content-Security-Policy (:data:`REPORT_CSP`) as a second line of
defence behind escaping: no script at all, nothing loaded from anywhere, inline styles and
``data:`` images allowed.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import functools
import hashlib
import re
import unicodedata
from pathlib import Path

import lxml.html
import nbformat
from lxml.html import HtmlElement

from analysis import atomic
from analysis.report.footer import KOP, KOP_ID, FooterInfo, banner_html, footer_html

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "jeugdzorg"
#: Cells with any of these tags are removed from the HTML entirely.
REMOVE_CELL_TAGS: tuple[str, ...] = ("parameters", "injected-parameters", "remove")
_PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"

_EXTERNAL = r"""(?:https?:|//)"""
_ATTR_RE = re.compile(
    r"""\b(src|href|srcset|action|formaction|poster|data|xlink:href)\s*=\s*(["']?)\s*"""
    + _EXTERNAL,
    re.IGNORECASE,
)
_CSS_URL_RE = re.compile(r"""url\(\s*(["']?)\s*""" + _EXTERNAL, re.IGNORECASE)
_IMPORT_RE = re.compile(r"""@import\s+(?:url\()?\s*(["']?)\s*""" + _EXTERNAL, re.IGNORECASE)
_BASE64_RE = re.compile(r"(;base64,)[A-Za-z0-9+/=]+")


#: What a report may load or run: its inline styles and data: images, nothing else.
REPORT_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "script-src 'none'; base-uri 'none'; form-action 'none'"
)


def csp_with_scripts(*scripts: str) -> str:
    """:data:`REPORT_CSP` allowing exactly the given inline scripts (by sha256 of their text)."""
    if not scripts:
        return REPORT_CSP
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode()}'"
        for s in scripts
    )
    return REPORT_CSP.replace("script-src 'none'", f"script-src {hashes}")


def csp_meta(policy: str = REPORT_CSP) -> str:
    """The ``<meta http-equiv="Content-Security-Policy">`` tag for ``policy``."""
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


class SelfContainedError(AssertionError):
    """The HTML references something outside the file (http:, https: or //)."""


def assert_self_contained(html: str) -> None:
    """Raise :class:`SelfContainedError` listing every external ``src``/``href``/``url(``/``@import``.

    Anchor links (``#...``), ``data:`` URIs and URLs in plain text are fine.
    """
    problems: list[str] = []
    html = _BASE64_RE.sub(r"\1", html)  # embedded images: nothing to find, most of the bytes
    for regex in (_ATTR_RE, _CSS_URL_RE, _IMPORT_RE):
        for m in regex.finditer(html):
            start = m.start()
            snippet = html[start : start + 120].split(">")[0].replace("\n", " ")
            problems.append(snippet)
    if problems:
        listed = "\n  ".join(sorted(set(problems)))
        raise SelfContainedError(
            f"HTML is not self-contained: {len(problems)} external reference(s):\n  {listed}"
        )


_TITLE_RE = re.compile(r"<title>(.*?)</title>", re.DOTALL | re.IGNORECASE)


def html_title(html_text: str) -> str:
    """The (unescaped) ``<title>`` of an HTML document, or ``""``."""
    import html as html_mod

    m = _TITLE_RE.search(html_text)
    return html_mod.unescape(m.group(1)).strip() if m else ""


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (see :mod:`analysis.atomic`)."""
    atomic.write_text(path, text)


def _merge_streams(outputs: list) -> list:
    """Consecutive stdout outputs as one: how the kernel chunked printed text into messages
    depends on timing (its flush interval), and the HTML must not."""
    merged: list = []
    for o in outputs:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and o.get("output_type") == "stream"
            and prev.get("output_type") == "stream"
            and o.get("name") == prev.get("name")
        ):
            prev["text"] = prev.get("text", "") + o.get("text", "")
        else:
            merged.append(o)
    return merged


def prepare_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Copy of ``nb`` without stderr streams, output-less code cells and error-marker cells;
    consecutive stdout outputs merged."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        if _PAPERMILL_ERROR_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.get("cell_type") == "code":
            cell.outputs = _merge_streams(
                [
                    o
                    for o in cell.get("outputs", [])
                    if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                ]
            )
            if not cell.outputs:
                continue  # input is hidden anyway: an empty cell would be an empty <div>
        cells.append(cell)
    nb.cells = cells
    return nb


@functools.cache
def html_exporter():  # -> HTMLExporter (imported lazily: nbconvert is slow to import)
    """The configured (and cached, per process) nbconvert ``HTMLExporter``."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_anchor_links = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.language_code = "nl"
    c.HTMLExporter.theme = "light"
    for trait in (
        "require_js_url",
        "mathjax_url",
        "mermaid_js_url",
        "mermaid_layout_elk_js_url",
        "jquery_url",
        "jupyter_widgets_base_url",
        "widget_renderer_url",
    ):
        setattr(c.HTMLExporter, trait, "")

    class _HTMLExporter(HTMLExporter):
        def _validate_preprocessor(self, nbc, preprocessor):
            """Skipped: nbformat validation of the whole notebook after every preprocessor
            (a fifth of the export time); the notebook comes straight from the kernel."""

        def from_notebook_node(self, nb, resources=None, **kw):
            """``HTMLExporter.from_notebook_node`` without its BeautifulSoup round trip (a
            quarter of the export time): :func:`postprocess` parses the document anyway and
            makes the same two changes there (alt text on images, focusable outputs)."""
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    exporter = _HTMLExporter(
        config=c,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
    )
    exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
    # compiled templates kept between processes (Jinja's own cache, per user in the temp
    # folder, keyed by the template source): a process's first export skips compiling them
    from jinja2 import FileSystemBytecodeCache

    with contextlib.suppress(OSError, RuntimeError):  # no usable temp folder: compile each time
        exporter.environment.bytecode_cache = FileSystemBytecodeCache()
    return exporter


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "sectie"


def _heading_text(el: HtmlElement) -> str:
    return " ".join(" ".join(el.itertext()).split())


def _has_class(el: HtmlElement, name: str) -> bool:
    return name in (el.get("class") or "").split()


def _top_cell(el: HtmlElement, main: HtmlElement) -> HtmlElement:
    """The direct child of ``main`` that contains ``el``."""
    node = el
    while node.getparent() is not None and node.getparent() is not main:
        node = node.getparent()
    return node if node.getparent() is main else el


def _element(tag: str, text: str | None = None, **attrs: str) -> HtmlElement:
    el = lxml.html.Element(tag, {k.rstrip("_"): v for k, v in attrs.items()})
    el.text = text
    return el


def _toc(items: list[tuple[int, str, str]]) -> HtmlElement:
    """``<nav>`` with an ordered list of the h2 headings, h3 headings nested under them."""
    # headings that carry their own numbers ("1. Gebruik") get an unnumbered list
    own_numbers = any(re.match(r"\d", text) for level, _, text in items if level == 2)
    nav = _element("nav", class_="inhoud eigen-nummering" if own_numbers else "inhoud")
    nav.set("aria-label", "Inhoudsopgave")
    nav.append(_element("p", "Inhoud", class_="inhoud-titel"))
    top = _element("ol")
    nav.append(top)
    current_sub = None
    for level, anchor, text in items:
        li = _element("li")
        li.append(_element("a", text, href=f"#{anchor}"))
        if level == 2 or len(top) == 0:
            top.append(li)
            current_sub = None
        else:
            if current_sub is None:
                current_sub = _element("ol")
                top[-1].append(current_sub)
            current_sub.append(li)
    return nav


#: class of the container every table is wrapped in: a wide table scrolls inside it on screen
TABLE_SCROLL_CLASS = "tabel-scroll"


def _wrap_tables(root: HtmlElement) -> None:
    """Put every table (but the bar-chart panels, which always fit) in its own scroll
    container, focusable so the keyboard can scroll it too."""
    for table in list(root.iter("table")):
        parent = table.getparent()
        if parent is None or _has_class(table, "staven"):
            continue
        if _has_class(parent, TABLE_SCROLL_CLASS) or any(
            _has_class(a, TABLE_SCROLL_CLASS) or a.tag == "table" for a in table.iterancestors()
        ):
            continue
        box = _element("div", class_=TABLE_SCROLL_CLASS, tabindex="0")
        box.tail, table.tail = table.tail, None
        table.addprevious(box)
        box.append(table)


def postprocess(
    html: str, *, footer: FooterInfo | None, synthetic: bool, title_hint: str = ""
) -> str:
    """Title, heading ids, table of contents, banner and footer on the exported HTML; every
    table in a scroll container of its own (:func:`_wrap_tables`).

    Also what nbconvert's ``HTMLExporter`` would do after rendering (see
    :func:`html_exporter`): every image gets an alt text and every output is focusable.
    The document is parsed once, with lxml (libxml2; about nine times faster than
    BeautifulSoup with Python's ``html.parser`` on a report). The footer (our own markup,
    more than half of a report's tags, without links or images) is spliced in after
    serialising; its ids are reserved and its h2 goes into the table of contents.
    """
    voet = footer_html(footer) if footer is not None else ""
    doc = lxml.html.document_fromstring(html)
    main = next(doc.iter("main"), None)
    if main is None:
        main = next(doc.iter("body"), None)
    if main is None:
        raise ValueError("exported HTML has no <body>")
    for div in doc.iter("div"):
        if _has_class(div, "jp-OutputArea-output"):
            div.set("tabindex", "0")

    headings = list(main.iter("h1", "h2", "h3", "h4", "h5", "h6"))
    first_h1 = next((h for h in headings if h.tag == "h1"), None)
    title_tag = first_h1 if first_h1 is not None else (headings[0] if headings else None)
    title = _heading_text(title_tag) if title_tag is not None else ""
    hint = " ".join(title_hint.split())
    if not title:
        title = hint or "Rapport"
    elif hint and hint.casefold() not in title.casefold():
        title = f"{title} — {hint}"  # a generic heading still gets a unique tab title
    head = next(doc.iter("head"), None)
    if head is None:
        head = _element("head")
        doc.insert(0, head)
    for old in head.xpath('meta[@http-equiv="Content-Security-Policy"]'):
        head.remove(old)
    # before everything but the charset: the policy covers what follows it
    charset = head.xpath("meta[@charset]")
    csp = _element("meta", content=REPORT_CSP)
    csp.set("http-equiv", "Content-Security-Policy")
    if charset:
        charset[0].addnext(csp)
    else:
        head.insert(0, csp)
    title_el = next(doc.iter("title"), None)
    if title_el is None:
        title_el = _element("title")
        head.append(title_el)
    for child in list(title_el):
        title_el.remove(child)
    title_el.text = title

    used: set[str] = {str(v) for v in doc.xpath("//@id")}
    used |= set(re.findall(r'\sid="([^"]+)"', voet))
    toc_items: list[tuple[int, str, str]] = []
    for h in headings:
        if h.tag not in {"h2", "h3"}:
            continue
        if not h.get("id"):
            base = _slug(_heading_text(h))
            candidate, n = base, 2
            while candidate in used:
                candidate, n = f"{base}-{n}", n + 1
            h.set("id", candidate)
            used.add(candidate)
        toc_items.append((int(h.tag[1]), str(h.get("id")), _heading_text(h)))
    if voet:
        toc_items.append((2, KOP_ID, KOP))

    # outbound links become plain text: a report never points outside itself
    for a in list(doc.iter("a")):
        href = (a.get("href") or "").strip()
        if not re.match(_EXTERNAL, href, re.IGNORECASE):
            continue
        text = a.text_content()
        span = _element("span", href if not text.strip() else text, class_="externe-link")
        if text.strip() not in {href, ""}:
            span.text = f"{text} ({href})"
        span.tail = a.tail
        a.getparent().replace(a, span)

    _wrap_tables(main)

    for img in doc.iter("img"):
        if img.get("alt") is None:
            img.set("alt", "Figuur")

    inserts: list[HtmlElement] = []
    if synthetic:
        inserts.extend(lxml.html.fragments_fromstring(banner_html()))
    if toc_items:
        nav = _toc(toc_items)
        toc_position = _top_cell(first_h1, main) if first_h1 is not None else None
        if toc_position is not None and toc_position is not main:
            toc_position.addnext(nav)
        else:
            inserts.append(nav)
    for node in reversed(inserts):
        main.insert(0, node)
    docinfo = doc.getroottree().docinfo
    out = lxml.html.tostring(doc, encoding="unicode", doctype=docinfo.doctype or None)
    if voet:
        closing = out.rfind("</main>")
        if closing < 0:
            closing = out.rfind("</body>")
        out = out[:closing] + voet + out[closing:]
    return out


def export_html(
    nb: nbformat.NotebookNode,
    *,
    footer: FooterInfo | None = None,
    synthetic: bool | None = None,
    title_hint: str = "",
) -> str:
    """Render an executed notebook to a self-contained HTML string (raises if it is not).

    The ``<title>`` is the first h1 (else the first heading) of the output; ``title_hint``
    (e.g. the gemeente name) is the fallback and is appended when the heading lacks it.
    """
    prepared = prepare_notebook(nb)
    body, _ = html_exporter().from_notebook_node(prepared, resources={"metadata": {"name": ""}})
    if synthetic is None:
        synthetic = bool(footer is not None and footer.synthetic)
    html = postprocess(body, footer=footer, synthetic=synthetic, title_hint=title_hint)
    assert_self_contained(html)
    return html


def export_to_file(
    nb: nbformat.NotebookNode,
    out_html: Path,
    *,
    footer: FooterInfo | None = None,
    synthetic: bool | None = None,
    title_hint: str = "",
) -> str:
    """:func:`export_html` and write the result atomically; returns the HTML."""
    html = export_html(nb, footer=footer, synthetic=synthetic, title_hint=title_hint)
    write_text_atomic(Path(out_html), html)
    return html
