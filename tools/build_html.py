"""Execute every notebook and write a static site: one HTML page per notebook, plus an index.

Notebooks are committed without outputs, so a code host shows them without plots.
This runs each one top to bottom in a fresh kernel (as nbval does) and exports it
with its figures. Widgets need a live kernel; on the page each widget shows the
picture of its first state (the still that nnlib's widgets carry) or a short note.

    make html                      # writes _site/index.html and _site/NN_name.html
    python tools/build_html.py --out DIR [notebooks ...]
"""

from __future__ import annotations

import argparse
import html
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ("<p><em>Interactive widget: open this notebook in JupyterLab "
               "(<code>make lab</code>) to use it.</em></p>")


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
    """Replace live-widget outputs by pictures; drop the widget state.

    A widget output shows the still of its first state that nnlib's explorers carry;
    otherwise (e.g. a live loss plot, filled while training ran) the last picture its
    image widget held, from the widget state the kernel saved; otherwise a short note.
    """
    saved = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    state = saved.get("state", {})
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            view = data.pop(WIDGET_VIEW)
            data.pop("text/plain", None)
            if "image/png" not in data:
                pictures = _widget_pictures(state, view.get("model_id", ""))
                if pictures:
                    data["image/png"] = pictures[-1]
                else:
                    data["text/html"] = WIDGET_NOTE
    nb.metadata.pop("widgets", None)  # no widget manager (it would load code from a CDN)
    return nb


def build(notebooks, out, timeout=600):
    """Execute and export ``notebooks`` into ``out``; return ``[(name, title, seconds)]``."""
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
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
        body, _ = exporter.from_notebook_node(make_static(nb))
        (out / f"{path.stem}.html").write_text(body, encoding="utf-8")
        pages.append((path.stem, _title(nb, path.stem), seconds))
        print(f"{path.name}: {seconds:.1f} s", flush=True)
    items = "\n".join(f'<li><a href="{name}.html">{html.escape(title)}</a></li>'
                      for name, title, _ in pages)
    (out / "index.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>How neural networks work</title>"
        "<h1>How neural networks work</h1>"
        "<p>The course's notebooks, executed, in reading order.</p>"
        f"<ol>\n{items}\n</ol>\n", encoding="utf-8")
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
