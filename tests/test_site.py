"""`make html`: every notebook executed into a static page with its figures, and an index."""

import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_html  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _small_notebook(path, title, code):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nA short page for the site test.")]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in code]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site of two small notebooks: a plot and a widget, then a plain one.

    The course's own notebooks are executed once in `make test`, by nbval; building
    their site again here would run each of them a second time. These two exercise
    the same path: a fresh kernel runs each page, plt.show() figures and the still of
    a course widget become pictures, and the index lists the pages in order.
    """
    folder = tmp_path_factory.mktemp("notebooks")
    plot = ("import sys; sys.path.insert(0, %r)\n"
            "import matplotlib.pyplot as plt\n"
            "from course import figures\n"
            "from course.n02_forward_pass import widgets\n"
            "figures.use_style()\n"
            "plt.plot([0, 1, 2], [0, 1, 4])\n"
            "plt.show()" % str(ROOT))
    notebooks = [
        _small_notebook(folder / "01_plot_and_widget.ipynb", "A plot and a widget",
                        [plot, "widgets.neuron_explorer()"]),
        _small_notebook(folder / "02_text.ipynb", "Only text", ["print(6 * 7)"]),
    ]
    out = tmp_path_factory.mktemp("site")
    saved = dict(os.environ)
    try:
        pages = build_html.build(notebooks, out)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return out, pages, notebooks


def test_index_lists_every_page_in_course_order_with_its_title(site):
    out, pages, notebooks = site
    index = (out / "index.html").read_text()
    links = re.findall(r'href="([^"]+)\.html"', index)
    assert links == [p.stem for p in notebooks]
    assert [name for name, _, _ in pages] == links
    assert [title for _, title, _ in pages] == ["A plot and a widget", "Only text"]


def test_a_page_shows_its_figure_and_the_widget_still_and_no_live_widget(site):
    out, _, _ = site
    page = (out / "01_plot_and_widget.html").read_text()
    assert page.count('src="data:image/png;base64,') == 2  # the plot, the widget's still
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert "Traceback" not in page
    text_page = (out / "02_text.html").read_text()
    assert "42" in text_page and 'src="data:image/png;base64,' not in text_page


def test_make_html_builds_every_course_notebook_by_default(monkeypatch, tmp_path):
    built = []
    monkeypatch.setattr(build_html, "build", lambda notebooks, out: built.extend(notebooks) or [])
    build_html.main(["--out", str(tmp_path)])
    assert [p.name for p in built] == [p.name for p in NOTEBOOKS]


def test_make_static_uses_the_still_then_the_saved_state_then_a_note():
    import nbformat

    view = "application/vnd.jupyter.widget-view+json"
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("w")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={view: {"model_id": "a"}, "image/png": "STILL",
                                                     "text/plain": "VBox()"}),
        nbformat.v4.new_output("display_data", data={view: {"model_id": "box"}, "text/plain": "x"}),
        nbformat.v4.new_output("display_data", data={view: {"model_id": "none"}, "text/plain": "x"}),
    ]
    nb.cells = [cell]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_img"]}},
        "img": {"model_name": "ImageModel", "state": {},
                "buffers": [{"path": ["value"], "data": "LAST", "encoding": "base64"}]},
    }}}
    outputs = build_html.make_static(nb).cells[0].outputs
    assert outputs[0]["data"] == {"image/png": "STILL"}
    assert outputs[1]["data"] == {"image/png": "LAST"}
    assert "Interactive widget" in outputs[2]["data"]["text/html"]
    assert "widgets" not in nb.metadata
