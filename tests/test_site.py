"""`make html`: every notebook executed into a Jupyter Book site that works offline."""

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_html  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _small_notebook(path, title, code, text="A short page for the site test."):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\n{text}")]
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
        _small_notebook(folder / "02_text.ipynb", "Only text", ["print(6 * 7)"],
                        "Each step is $\\theta \\leftarrow \\theta - \\alpha \\nabla L$, and "
                        "backpropagation computes\n\n$$\\frac{\\partial L}{\\partial w} = "
                        "\\frac{\\partial L}{\\partial z}\\, x .$$"),
    ]
    out = tmp_path_factory.mktemp("site")
    saved = dict(os.environ)
    try:
        pages = build_html.build(notebooks, out)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return out, pages, notebooks


def _pages(out):
    return sorted(out.glob("*.html"))


def test_the_sidebar_lists_every_page_in_course_order_with_its_title(site):
    out, pages, notebooks = site
    index = (out / "intro.html").read_text()
    nav = index[index.index("bd-docs-nav"):]
    links = re.findall(r'<a class="reference internal" href="([^"#]+)\.html">([^<]+)</a>', nav)
    assert [name for name, _ in links] == [p.stem for p in notebooks]
    assert [title for _, title in links] == ["A plot and a widget", "Only text"]
    assert [name for name, _, _ in pages] == [p.stem for p in notebooks]
    assert (out / "index.html").exists() and (out / "search.html").exists()


def test_a_page_shows_its_figure_and_the_widget_still_labelled_and_no_live_widget(site):
    out, _, _ = site
    page = (out / "01_plot_and_widget.html").read_text()
    pictures = re.findall(r'<img[^>]+src="(_images/[^"]+\.png)"', page)
    assert len(pictures) == 2 and all((out / p).exists() for p in pictures)  # plot, still
    assert page.count("the first state of an interactive widget") == 1
    assert "make lab" in page and "Binder" in page
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert "Traceback" not in page
    text_page = (out / "02_text.html").read_text()
    assert "42" in text_page and "<img" not in text_page


def test_no_page_loads_a_script_or_a_stylesheet_from_elsewhere(site):
    out, _, _ = site
    for page in _pages(out):
        text = page.read_text()
        assert not re.search(r'<script[^>]+src="(https?:)?//', text), page.name
        assert not re.search(r'<link[^>]+href="(https?:)?//[^"]+"[^>]*stylesheet'
                             r'|<link[^>]+stylesheet[^>]+href="(https?:)?//', text), page.name
    assert (out / "_static" / "mathjax" / "tex-chtml.js").exists()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")
def test_the_site_from_disk_without_a_network_typesets_navigates_and_searches(site):
    """Open the built site from file:// with every request to elsewhere refused: MathJax
    typesets the maths, next links reach every page, search finds backpropagation."""
    sync_api = pytest.importorskip("playwright.sync_api")
    out, _, notebooks = site
    refused = []

    def only_files(route):
        if route.request.url.startswith("file://"):
            return route.continue_()
        refused.append(route.request.url)
        return route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_context(offline=True).new_page()
        page.route("**/*", only_files)
        page.goto((out / "index.html").as_uri())
        page.wait_for_url("**/intro.html")  # index.html sends the reader to the first page
        visited = []
        while True:  # the "next" link at the foot of every page, intro first
            visited.append(Path(page.url.split("#")[0]).name)
            following = page.locator("a.right-next")
            if following.count() == 0:
                break
            following.first.click()
            page.wait_for_load_state()
        assert visited[1:] == [f"{p.stem}.html" for p in notebooks], visited
        page.goto((out / "02_text.html").as_uri())
        page.wait_for_selector("mjx-container", timeout=15_000)
        assert page.locator("mjx-container").count() == 2  # inline and display
        assert "$" not in page.inner_text("article")  # no raw TeX left
        page.goto((out / "search.html").as_uri() + "?q=backpropagation")
        page.wait_for_selector("ul.search li", timeout=15_000)
        assert "02_text.html" in page.locator("ul.search").inner_html()
        browser.close()
    assert refused == []


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
    assert "first state of an interactive widget" in outputs[1]["data"]["text/html"]
    assert outputs[2]["data"] == {"image/png": "LAST"}
    assert "first state of an interactive widget" in outputs[3]["data"]["text/html"]
    assert "Interactive widget" in outputs[4]["data"]["text/html"] and len(outputs) == 5
    assert "widgets" not in nb.metadata
