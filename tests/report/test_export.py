"""HTML export and sources footer on hand-built executed notebooks (no kernels)."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.report.export import (
    SelfContainedError,
    assert_self_contained,
    export_html,
    write_text_atomic,
)
from analysis.report.footer import (
    SYNTHETIC_BANNER_TEXT,
    SourcesError,
    footer_info,
    git_commit,
    load_sources,
)

from . import NOTEBOOKS, make_data_dir


def _png() -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1], [0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def executed_notebook() -> nbformat.NotebookNode:
    """What a papermill run of a small report looks like."""
    params = new_code_cell('gemeente = "GM0363"\ngeheim = "PARAMETERCEL"')
    params.metadata["tags"] = ["parameters"]
    injected = new_code_cell('# Parameters\ngemeente = "GM0796"  # INJECTED')
    injected.metadata["tags"] = ["injected-parameters"]
    hidden = new_code_cell("print('VERBORGEN')")
    hidden.metadata["tags"] = ["remove"]
    hidden.outputs = [new_output("stream", name="stdout", text="VERBORGEN-UITVOER\n")]
    title = new_code_cell("display(Markdown(...))  # CODE-BRON")
    title.outputs = [
        new_output(
            "display_data",
            data={
                "text/markdown": "# Jeugdzorg in 's-Hertogenbosch\n\nInleiding.",
                "text/plain": "x",
            },
        )
    ]
    table = new_code_cell("df  # CODE-BRON")
    table.execution_count = 4
    table.outputs = [
        new_output(
            "execute_result",
            data={
                "text/html": '<table class="dataframe"><tr><td>42</td></tr></table>',
                "text/plain": "42",
            },
            execution_count=4,
        ),
        new_output("stream", name="stderr", text="UserWarning: STDERR-WAARSCHUWING\n"),
        new_output("stream", name="stdout", text="gewone uitvoer\n"),
    ]
    figure = new_code_cell("plt.show()  # CODE-BRON")
    figure.outputs = [new_output("display_data", data={"image/png": _png(), "text/plain": "fig"})]
    nb = new_notebook(
        cells=[
            params,
            injected,
            hidden,
            title,
            new_markdown_cell("## Kerncijfers\n\nZie ook [CBS](https://www.cbs.nl/nl-nl)."),
            table,
            new_markdown_cell("### Detail\n\n## Kerncijfers\n\n## Figuren"),
            figure,
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    return nb


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return make_data_dir(tmp_path_factory.mktemp("data"), synthetic=False)


@pytest.fixture(scope="module")
def footer(data_dir):
    params = {"gemeente": "GM0796", "jaar": 2023, "data_dir": str(data_dir), "profiel": "cbs"}
    return footer_info(data_dir, params, notebook=NOTEBOOKS / "rapport.ipynb")


@pytest.fixture(scope="module")
def html(footer) -> str:
    return export_html(executed_notebook(), footer=footer)


@pytest.fixture(scope="module")
def soup(html) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_no_code_prompts_or_hidden_cells(html):
    for marker in ("CODE-BRON", "PARAMETERCEL", "INJECTED", "VERBORGEN", "In&nbsp;[", "Out["):
        assert marker not in html
    assert "gewone uitvoer" in html


def test_stderr_streams_are_dropped(html):
    assert "STDERR-WAARSCHUWING" not in html
    assert "jupyter.stderr" not in html


def test_self_contained_no_scripts_or_links(html, soup):
    assert_self_contained(html)
    assert soup.find("script", src=True) is None
    assert soup.find("link") is None
    for img in soup.find_all("img"):
        assert img["src"].startswith("data:image/png;base64,")
        assert img["alt"] == "Figuur"
    assert "cdnjs" not in html and "mathjax" not in html.lower()


def test_external_links_become_text(soup):
    assert soup.find("a", href=re.compile("^https?:")) is None
    assert "CBS (https://www.cbs.nl/nl-nl)" in soup.get_text()


def test_title_lang_and_print_css(soup, html):
    assert soup.html["lang"] == "nl"
    assert soup.title.string == "Jeugdzorg in 's-Hertogenbosch"
    assert "@media print" in html


def test_toc_unnumbered_when_headings_are_numbered():
    nb = new_notebook(cells=[new_markdown_cell("# T\n\n## 1. Gebruik\n\n### Kern\n\n## 2. Budget")])
    nav = BeautifulSoup(export_html(nb), "html.parser").find("nav")
    assert nav["class"] == ["inhoud", "eigen-nummering"]
    assert [a.get_text() for a in nav.find_all("a")] == ["1. Gebruik", "Kern", "2. Budget"]


def test_title_hint_is_appended_to_generic_heading(footer):
    nb = executed_notebook()
    nb.cells[3].outputs[0].data["text/markdown"] = "# Jeugdzorg in de gemeente"
    soup = BeautifulSoup(export_html(nb, footer=footer, title_hint="Amsterdam"), "html.parser")
    assert soup.title.string == "Jeugdzorg in de gemeente — Amsterdam"
    plain = new_notebook(cells=[new_markdown_cell("geen koppen")])
    soup = BeautifulSoup(export_html(plain, title_hint="Amsterdam"), "html.parser")
    assert soup.title.string == "Amsterdam"


def test_table_of_contents_from_h2_h3(soup):
    nav = soup.find("nav", class_="inhoud")
    assert nav is not None
    links = [(a.get_text(), a["href"]) for a in nav.find_all("a")]
    assert links == [
        ("Kerncijfers", "#kerncijfers"),
        ("Detail", "#detail"),
        ("Kerncijfers", "#kerncijfers-2"),
        ("Figuren", "#figuren"),
        ("Bronnen en verantwoording", "#bronnen-en-verantwoording"),
    ]
    for _, href in links:
        assert soup.find(id=href[1:]) is not None
    # nested: "Detail" (h3) sits in a sub-list under the first "Kerncijfers"
    assert nav.find("ol").find("ol").find("a").get_text() == "Detail"
    assert nav["class"] == ["inhoud"]  # numbered list: the headings carry no numbers
    # the TOC follows the title cell, before the first section
    assert soup.find("h1").find_next("nav") is nav
    assert nav.find_next("h2").get_text() == "Kerncijfers"


def test_footer_lists_sources_and_run(soup, footer):
    foot = soup.find("footer", class_="bronnen")
    text = foot.get_text(" ")
    assert "Bronnen en verantwoording" in text
    assert "85099NED" in text and "Jeugdhulp; gemeenten" in text
    assert "2024-06-30T02:00:00" in text  # Modified
    assert "2025-01-10T12:00:00+01:00" in text  # retrieved
    sha = footer.tables[0].files[0].sha256
    assert sha[:12] in text and sha[:13] not in text
    assert "Bron: CBS, CC BY 4.0" in text
    assert "cartomap.github.io" in text and foot.find("a") is None  # URL as text only
    for key in ("gemeente", "GM0796", "analysis-versie", "git-commit", "gemaakt op"):
        assert key in text
    assert foot is soup.find("main").contents[-1]  # at the end
    assert SYNTHETIC_BANNER_TEXT not in soup.get_text()


def test_synthetic_banner_top_and_footer(footer):
    demo = dataclasses.replace(footer, profiel="demoland")
    soup = BeautifulSoup(export_html(executed_notebook(), footer=demo), "html.parser")
    banners = soup.find_all(class_="synthetisch-banner")
    assert len(banners) == 2
    assert banners[0] is soup.find("main").contents[0]
    assert banners[1].find_parent("footer") is not None
    assert SYNTHETIC_BANNER_TEXT in banners[0].get_text()


def test_banner_when_a_source_is_synthetic(tmp_path):
    data = make_data_dir(tmp_path, synthetic=True)
    info = footer_info(data, {"profiel": "cbs"}, notebook=NOTEBOOKS / "rapport.ipynb")
    assert info.synthetic


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.example.org/x.js"></script>',
        '<link rel="stylesheet" href="http://example.org/a.css">',
        '<img src="//example.org/a.png">',
        "<style>body { background: url('https://example.org/bg.png') }</style>",
        "<style>@import 'https://fonts.example.org/css';</style>",
        "<a href=https://example.org>x</a>",
        '<img srcset="https://example.org/a.png 2x">',
    ],
)
def test_assert_self_contained_flags_external(snippet):
    with pytest.raises(SelfContainedError) as err:
        assert_self_contained(f"<html><body>{snippet}</body></html>")
    assert "example.org" in str(err.value)


def test_assert_self_contained_allows_anchors_data_and_text():
    assert_self_contained(
        '<a href="#kerncijfers">x</a><img src="data:image/png;base64,AAAA">'
        "<p>Zie https://www.cbs.nl voor meer.</p><style>a{background:url(data:image/png;base64,A)}</style>"
    )


def test_write_text_atomic_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "sub" / "r.html"
    write_text_atomic(target, "een")
    write_text_atomic(target, "twee")
    assert target.read_text() == "twee"
    assert [p.name for p in target.parent.iterdir()] == ["r.html"]


def test_footer_info_fields(footer):
    assert footer.notebook == "rapport.ipynb"
    assert len(footer.notebook_sha256) == 64
    assert footer.params["gemeente"] == "GM0796"
    assert footer.commit  # a short hash (possibly -dirty) or "onbekend"
    assert [t.table_id for t in footer.tables] == ["85099NED"]
    assert [g.name for g in footer.geo] == ["gemeente_2024.topojson"]


def test_footer_for_run_updates_params_and_profile(footer):
    other = footer.for_run({"gemeente": "GM0363", "profiel": "demoland"})
    assert other.params == {"gemeente": "GM0363", "profiel": "demoland"}
    assert other.synthetic and not footer.synthetic


def test_git_commit_outside_a_checkout(tmp_path):
    assert git_commit(tmp_path) == "onbekend"


def test_git_commit_in_a_repo(tmp_path):
    import subprocess

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "a.txt").write_text("1")
    git("add", "a.txt")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "x")
    clean = git_commit(tmp_path)
    assert re.fullmatch(r"[0-9a-f]{7,}", clean)
    (tmp_path / "a.txt").write_text("2")
    git_commit.cache_clear()
    assert git_commit(tmp_path) == f"{clean}-dirty"
    git_commit.cache_clear()


def test_sources_errors_name_the_problem(tmp_path):
    path = tmp_path / "sources.json"
    with pytest.raises(SourcesError, match="not found"):
        load_sources(path)
    path.write_text(json.dumps({"table_id": "x"}))
    with pytest.raises(SourcesError, match="JSON list"):
        load_sources(path)
    path.write_text(json.dumps([{"table_id": "85099NED", "title": "t"}]))
    with pytest.raises(SourcesError, match="85099NED.*catalog"):
        load_sources(path)
    path.write_text(json.dumps([{"kind": "geo", "name": "g.topojson"}]))
    with pytest.raises(SourcesError, match="g.topojson.*url"):
        load_sources(path)


def test_data_dir_inside_project_is_shown_relative(footer):
    from analysis.config import project_root
    from analysis.report.footer import footer_html

    info = footer.for_run({"data_dir": str(project_root() / "data" / "demoland")})
    assert "<code>data/demoland</code>" in footer_html(info)


def test_printed_text_exports_the_same_however_the_kernel_chunked_it(footer):
    """A kernel sends printed text in as many stream messages as its flush timer cut it
    into (more under load); the report shows it the same either way, also with a warning
    (stderr, dropped) in between."""

    def nb(*outputs) -> nbformat.NotebookNode:
        return new_notebook(
            cells=[
                new_markdown_cell("# Rapport", id="kop"),
                new_code_cell("print(…)", outputs=list(outputs), id="uitvoer"),
            ]
        )

    def out(name: str, text: str):
        return new_output("stream", name=name, text=text)

    whole = export_html(nb(out("stdout", "één\ntwee\ndrie\n")), footer=footer)
    chunked = export_html(
        nb(out("stdout", "één\ntw"), out("stderr", "Warning: …\n"), out("stdout", "ee\ndrie\n")),
        footer=footer,
    )
    gemaakt = re.compile(r"<tr><th>gemaakt op</th><td>[^<]*</td></tr>")
    assert gemaakt.sub("", whole) == gemaakt.sub("", chunked)
    assert "één\ntwee\ndrie" in whole and "Warning" not in chunked
