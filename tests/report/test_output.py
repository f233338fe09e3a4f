"""One notebook output per chapter call, Markdown rendered as nbconvert renders it."""

from __future__ import annotations

import pytest

from analysis.report import output
from analysis.report.chapters import gebruik, inleiding, md, toon_html

from . import fixtures

_ctx = fixtures.context


@pytest.fixture()
def displayed(monkeypatch) -> list:
    """The objects passed to ``IPython.display.display``, in order."""
    import IPython.display

    out: list = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: out.extend(objs))
    return out


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return fixtures.write_dataset(tmp_path_factory.mktemp("testland"))


def test_a_chapter_is_one_html_output_with_its_pieces_in_order(data_dir, displayed):
    from IPython.display import HTML

    inleiding(_ctx(data_dir))
    gebruik.gemeente(_ctx(data_dir))
    assert len(displayed) == 2 and all(isinstance(o, HTML) for o in displayed)
    intro, chapter = (o.data for o in displayed)
    assert intro.startswith("<h1>") and "<strong>Gemeente " in intro
    headings = ["<h3>Kerncijfers", "<h3>Vergelijking", "<h3>Over deze cijfers"]
    assert sorted(headings, key=chapter.index) == headings
    assert chapter.count('<img src="data:image/png;base64,') >= 2


def test_outside_a_chapter_each_piece_is_shown_at_once(displayed):
    from IPython.display import HTML

    md("**vet** <b>x</b>")
    toon_html("<p>x</p>")
    assert [type(o) for o in displayed] == [HTML, HTML]
    assert displayed[0].data == "<p><strong>vet</strong> &lt;b&gt;x&lt;/b&gt;</p>\n"


def test_nested_chapters_display_once_and_a_failing_chapter_shows_what_it_had(displayed):
    @output.chapter
    def binnen() -> None:
        md("binnen")

    @output.chapter
    def buiten() -> None:
        md("# Kop")
        binnen()
        toon_html("<p>na</p>")
        raise RuntimeError("halverwege")

    with pytest.raises(RuntimeError, match="halverwege"):
        buiten()
    assert len(displayed) == 1
    assert displayed[0].data == "<h1>Kop</h1>\n\n<p>binnen</p>\n\n<p>na</p>"
    md("daarna")  # the bundle is closed
    assert len(displayed) == 2


@pytest.mark.parametrize(
    "text",
    [
        "### Over deze cijfers\n\n- **Jeugdhulp**: jongeren met hulp\n- *voorlopig* cijfer",
        "Zie <https://www.cbs.nl> en [de definities](docs/samenhang.md).",
        "| maat | waarde |\n|---|---:|\n| CV | 0,21 |\n",
        "1. een\n2. twee\n\nterm\n: definitie",
        'Aandeel 10 % — "voorlopig" & ~~oud~~',
    ],
)
def test_markdown_reads_as_nbconvert_renders_a_markdown_output(text):
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    # as nbconvert renders Markdown with raw HTML escaped (names from data are never markup)
    renderer = IPythonRenderer(escape=True, embed_images=True, exclude_anchor_links=True)
    assert output.markdown_html(text) == MarkdownWithMath(renderer=renderer).render(text)


def test_markdown_escapes_inline_html():
    html = output.markdown_html('Regio <span class="externe-link">JZ01</span> groeit.')
    assert html == (
        "<p>Regio &lt;span class=&quot;externe-link&quot;&gt;JZ01&lt;/span&gt; groeit.</p>\n"
    )
