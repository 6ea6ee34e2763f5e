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


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    saved = dict(os.environ)
    try:
        pages = build_html.build(NOTEBOOKS, out)
    finally:
        os.environ.update(saved)
    return out, pages


def test_index_lists_every_notebook_in_course_order(site):
    out, pages = site
    index = (out / "index.html").read_text()
    links = re.findall(r'href="([^"]+)\.html"', index)
    assert links == [p.stem for p in NOTEBOOKS]
    assert [name for name, _, _ in pages] == links


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_page_has_its_figures_and_no_live_widgets(site, notebook):
    out, _ = site
    page = (out / f"{notebook.stem}.html").read_text()
    shows = notebook.read_text().count("plt.show()")  # each shows one inline figure
    pictures = page.count('src="data:image/png;base64,')
    assert pictures >= max(shows, 1), f"{pictures} pictures for {shows} plt.show() calls"
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert "Traceback" not in page


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
