"""Execute every notebook and build the course site with Jupyter Book: one page per
notebook in reading order, a sidebar, previous/next links, a table of contents per page,
full-text search and maths typeset by a MathJax copy shipped inside the site. The site
works from ``file://`` with no network: no page loads a script or a stylesheet from
elsewhere.

Notebooks are committed without outputs, so a code host shows them without plots.
This runs each one top to bottom in a fresh kernel (as nbval does). Widgets need a live
kernel; on the page each widget shows the picture of its first state (the still that the
course's explorers carry), labelled as such, or a short note.

    make html                      # writes _site/index.html, one page per notebook
    python tools/build_html.py --out DIR [notebooks ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HOW_TO_RUN = ("open this notebook in JupyterLab (<code>make lab</code>) or on Binder to "
              "use it")
WIDGET_NOTE = f"<p><em>Interactive widget: {HOW_TO_RUN}.</em></p>"
STILL_NOTE = (f'<p class="widget-still"><em>Above: the first state of an interactive widget; '
              f"{HOW_TO_RUN}.</em></p>")
TITLE = "How neural networks work"
BOOK_CONFIG = f"""\
title: "{TITLE}"
author: the course's authors
only_build_toc_files: true
execute:
  execute_notebooks: "off"   # tools/build_html.py has run every notebook
html:
  use_repository_button: false
  use_issues_button: false
  use_edit_page_button: false
  use_multitoc_numbering: false
launch_buttons:
  notebook_interface: none
  binderhub_url: ""
  thebe: false
sphinx:
  extra_extensions: [sphinx-mathjax-offline]   # MathJax inside the site, not from a CDN
  config:
    nb_ipywidgets_js: {{}}   # no widget manager from a CDN: widgets show their still
    html_show_copyright: false
    html_last_updated_fmt: null
"""
INTRO = f"""\
# {TITLE}

A hands-on course on how neural networks work, one notebook per section of the article:
the structure of a network, the forward pass, losses, gradient descent and
backpropagation, optimizers and regularization, architectures, training and evaluation,
and a two-hidden-layer MLP compared with TensorFlow.

These pages are the notebooks, executed. Each interactive widget shows the picture of its
first state; to move its sliders, {HOW_TO_RUN.replace("<code>", "`").replace("</code>", "`")}.
"""


def _title(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    return fallback


def _widget_pictures(state, model_id):
    """PNG pictures (base64) held by a widget and its children, in display order."""
    model = state.get(model_id)
    if model is None:
        return []
    pictures = [b["data"] for b in model.get("buffers", [])
                if b.get("path") == ["value"] and model.get("model_name") == "ImageModel"]
    for child in model.get("state", {}).get("children", []):
        pictures += _widget_pictures(state, str(child).removeprefix("IPY_MODEL_"))
    return pictures


def make_static(nb):
    """Replace live-widget outputs by pictures, each followed by a line saying it is the
    widget's first state; drop the widget state.

    A widget output shows the still of its first state that the course's explorers carry;
    otherwise (e.g. a live loss plot, filled while training ran) the last picture its
    image widget held, from the widget state the kernel saved; otherwise a short note.
    """
    saved = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    state = saved.get("state", {})
    for cell in nb.cells:
        outputs = []
        for output in cell.get("outputs", []):
            outputs.append(output)
            data = output.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            view = data.pop(WIDGET_VIEW)
            data.pop("text/plain", None)
            if "image/png" not in data:
                pictures = _widget_pictures(state, view.get("model_id", ""))
                if not pictures:
                    data["text/html"] = WIDGET_NOTE
                    continue
                data["image/png"] = pictures[-1]
            outputs.append(nbformat.v4.new_output("display_data",
                                                  data={"text/html": STILL_NOTE}))
        if cell.cell_type == "code":
            cell.outputs = outputs
    nb.metadata.pop("widgets", None)  # no widget manager (it would load code from a CDN)
    return nb


def execute(notebooks, book, timeout=600):
    """Run ``notebooks`` and write them, static, into the book's folder; return
    ``[(name, title, seconds)]``."""
    # Kernels inherit the environment: with MPLBACKEND=Agg (as in the unit tests)
    # plt.show() would draw nothing. Students' kernels use the inline backend.
    os.environ.pop("MPLBACKEND", None)
    pages = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        seconds = time.perf_counter() - start
        nbformat.write(make_static(nb), book / path.name)
        pages.append((path.stem, _title(nb, path.stem), seconds))
        print(f"{path.name}: {seconds:.1f} s", flush=True)
    return pages


def build(notebooks, out, timeout=600):
    """Execute ``notebooks`` and build the site into ``out``; return ``[(name, title,
    seconds)]``. The book's sources and Sphinx's files stay in ``out``'s sibling
    ``<out>.book``."""
    out = Path(out)
    book = out.parent / f"{out.name}.book"
    shutil.rmtree(book, ignore_errors=True)
    book.mkdir(parents=True)
    pages = execute(notebooks, book, timeout)
    (book / "_config.yml").write_text(BOOK_CONFIG)
    (book / "intro.md").write_text(INTRO)
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n" + "".join(
        f"- file: {name}\n" for name, _, _ in pages))
    start = time.perf_counter()
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jupyter_book), "build", str(book), "--path-output", str(book),
                    "--warningiserror", "--quiet"], check=True)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(book / "_build" / "html", out)
    print(f"Jupyter Book: {time.perf_counter() - start:.1f} s", flush=True)
    return pages


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "_site")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    pages = build([p.resolve() for p in notebooks], args.out)
    print(f"wrote {len(pages)} pages and index.html to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
