"""End-to-end: the notebooks in a real JupyterLab, driven by headless Chromium.

Starts JupyterLab on 127.0.0.1 with a token (serving a temporary copy of the
notebooks, with throwaway settings so nothing is autosaved), opens a notebook,
runs all cells, and checks what a student would see: widgets render (no "Error
displaying widget"), a slider moved with the keyboard changes what is shown.
Screenshots go to screenshots/ (git-ignored).

Needs Debian's chromium (/usr/bin/chromium; .ci/run installs it) and the Python
playwright package; skipped with a message where either is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine "
                                "(apt-get install chromium); browser tests skipped")

SETTINGS = {  # JupyterLab settings for a clean, quiet, test-friendly session
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
        {"autoStartDefaultKernel": True, "windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}
KERNEL_READY = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""
ALL_CELLS_DONE = """() => {
  const busy = Array.from(document.querySelectorAll('.jp-InputPrompt'))
    .some(e => e.textContent.includes('[*]'));
  const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  return !busy && k.status === 'idle';
}"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of the notebooks; yields (base_url, token)."""
    tmp = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", tmp / "notebooks")
    for name, content in SETTINGS.items():
        path = tmp / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"))
    env.pop("MPLBACKEND", None)  # the kernel uses the inline backend, as for a student
    port, token = _free_port(), os.urandom(16).hex()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp / 'notebooks'}",
           "--LabApp.expose_app_in_browser=True", "--LanguageServerManager.autodetect=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp / "server.log", "w")
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.terminate()
                pytest.fail("JupyterLab did not start:\n" + (tmp / "server.log").read_text())
            time.sleep(0.3)
    yield base, token
    server.terminate()
    server.wait(timeout=30)
    log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"])
        yield chromium
        chromium.close()


def open_and_run(browser, lab, notebook):
    """Open a notebook, wait for its kernel, run every cell, wait until all are done."""
    base, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    workspace = notebook.split(".")[0]  # a fresh workspace: only this notebook is open
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={token}")
    page.wait_for_function(KERNEL_READY, timeout=120_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_timeout(500)
    page.wait_for_function(ALL_CELLS_DONE, timeout=180_000, polling=250)
    page.wait_for_timeout(1000)  # late widget messages
    # stderr (e.g. TensorFlow's start-up lines) is allowed; tracebacks are not
    tracebacks = page.locator(".jp-OutputArea-output").filter(has_text="Traceback")
    assert tracebacks.count() == 0, tracebacks.first.inner_text()
    assert page.locator("text=Error displaying widget").count() == 0
    assert page.locator("text=Loading widget...").count() == 0
    return page


def mean_brightness(png_bytes):
    """Mean luminance of a screenshot in [0, 1] (0 black, 1 white)."""
    import io

    from PIL import Image, ImageStat

    return ImageStat.Stat(Image.open(io.BytesIO(png_bytes)).convert("L")).mean[0] / 255


def screenshot(page, name, locator=None):
    SHOTS.mkdir(exist_ok=True)
    target = locator if locator is not None else page
    target.screenshot(path=str(SHOTS / f"{name}.png"))


def test_start_here_widgets_render_and_follow_the_keyboard(browser, lab):
    page = open_and_run(browser, lab, "00_start_here.ipynb")
    assert page.locator(".jupyter-widgets").count() > 0
    label = page.locator(".widget-html").filter(has_text="x²").first
    assert "x = 3," in label.inner_text()
    handle = page.locator(".nnlib-check-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.widget-html'))"
        ".some(e => e.textContent.includes('x = 5, x² = 25'))", timeout=10_000)
    screenshot(page, "00_start_here_slider", page.locator(".nnlib-check-slider").first)

    # Dark theme: figures keep their own white background, so no dark-on-dark plots.
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', "
                  "{theme: 'JupyterLab Dark'})")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=20_000)
    page.wait_for_timeout(500)
    figure = page.locator(".jp-RenderedImage img").first
    figure.scroll_into_view_if_needed()
    shot = figure.screenshot(path=str(SHOTS / "00_start_here_dark_theme_plot.png"))
    background = page.locator(".jp-Notebook").first.evaluate(
        "el => getComputedStyle(el).backgroundColor")
    assert mean_brightness(shot) > 0.8, "the plot is dark on the dark theme"
    assert background != "rgb(255, 255, 255)"  # the theme did change
    page.close()


def figure_of(control):
    """The figure (an image widget) of the explorer that holds ``control``."""
    box = control.locator("xpath=ancestor::div[contains(@class,'widget-vbox')]"
                          "[.//img[contains(@class,'nnlib-figure')]][1]")
    return box.locator(".nnlib-figure").first


def wait_for_new_picture(page, image, old_src, timeout=10_000):
    page.wait_for_function("([el, old]) => el.getAttribute('src') !== old",
                           arg=[image.element_handle(), old_src], timeout=timeout)
    return image.get_attribute("src")


def key_to_picture_ms(page, slider, image, key, presses=8):
    """Time (ms) from each key press on a focused slider to the new picture in the page."""
    slider.locator(".noUi-handle").first.focus()
    times = []
    for _ in range(presses):
        src = image.get_attribute("src")
        start = time.perf_counter()
        page.keyboard.press(key)
        wait_for_new_picture(page, image, src)
        times.append((time.perf_counter() - start) * 1e3)
    return times


def report_latency(capsys, what, times):
    """Print a latency figure (not an assertion: timings belong to benchmarks)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import machine

    ordered = sorted(times)
    line = (f"browser, key press to new picture, {what}: median {ordered[len(ordered) // 2]:.0f} "
            f"ms (min {ordered[0]:.0f}, max {ordered[-1]:.0f}, {len(times)} presses; "
            f"{machine.describe()})")
    with capsys.disabled():
        print("\n" + line)
    SHOTS.mkdir(exist_ok=True)
    with open(SHOTS / "latency.txt", "a") as out:
        out.write(line + "\n")


def shown_at_natural_size(image):
    """Whether the browser shows the picture one PNG pixel per CSS pixel."""
    return image.evaluate("el => Math.abs(el.getBoundingClientRect().width - el.naturalWidth)"
                          " < 1")


def push_slider_to_max(page, slider):
    """Move a slider's handle with the keyboard, as a student can: focus it, press End."""
    slider.scroll_into_view_if_needed()
    slider.locator(".noUi-handle").first.focus()
    page.keyboard.press("End")


def test_gradient_descent_slider_redraws_the_plot(browser, lab):
    page = open_and_run(browser, lab, "03_learning_backprop.ipynb")
    assert page.locator(".nnlib-figure").count() >= 3  # widget figures rendered as images
    slider = page.locator(".lr-slider").first
    image = figure_of(slider)
    before = image.get_attribute("src")
    readout = slider.locator(".widget-readout").first.inner_text()
    screenshot(page, "03_gradient_descent_before", image)
    push_slider_to_max(page, slider)  # the largest learning rate: past 2/L'', so it diverges
    wait_for_new_picture(page, image, before)
    assert slider.locator(".widget-readout").first.inner_text() != readout
    screenshot(page, "03_gradient_descent_after", image)
    page.close()


def test_optimizer_explorer_diverges_for_a_large_learning_rate(browser, lab, capsys):
    page = open_and_run(browser, lab, "04a_optimizers.ipynb")
    slider = page.locator(".lr-slider").first
    image = figure_of(slider)
    readout = page.locator(".optimizer-readout").first
    before = image.get_attribute("src")
    assert "diverged" not in readout.inner_text()
    screenshot(page, "04_optimizer_explorer_before", image)
    push_slider_to_max(page, slider)  # learning rate 2 on the bowl: far past 2/L
    wait_for_new_picture(page, image, before)
    page.wait_for_function("el => el.textContent.includes('diverged at step')",
                           arg=readout.element_handle(), timeout=10_000)
    screenshot(page, "04_optimizer_explorer_diverged", image)
    assert shown_at_natural_size(image)  # not stretched or shrunk by the browser
    report_latency(capsys, "04a optimizer explorer, learning rate",
                   key_to_picture_ms(page, slider, image, "ArrowLeft"))
    page.close()


def test_playground_trains_live_and_pauses(browser, lab, capsys):
    page = open_and_run(browser, lab, "08_conclusion_playground.ipynb")
    start = page.locator(".playground-start").first
    start.scroll_into_view_if_needed()
    image = figure_of(start)
    assert shown_at_natural_size(image)
    noise = page.locator(".playground-noise").first
    report_latency(capsys, "08 playground, noise (new data, redrawn)",
                   key_to_picture_ms(page, noise, image, "ArrowRight", presses=5))
    src = image.get_attribute("src")
    start.click()
    for _ in range(3):  # the picture keeps changing while it trains, chunk after chunk
        src = wait_for_new_picture(page, image, src)
    pictures, began = 0, time.perf_counter()
    while time.perf_counter() - began < 3.0:  # count the pictures the page shows
        src = wait_for_new_picture(page, image, src)
        pictures += 1
    rate = pictures / (time.perf_counter() - began)
    with capsys.disabled():
        print(f"\nbrowser, 08 playground while training: {rate:.1f} new pictures/s")
    page.locator(".playground-pause").first.click()
    page.wait_for_timeout(1500)
    paused = image.get_attribute("src")
    page.wait_for_timeout(1500)
    assert image.get_attribute("src") == paused  # no more updates once paused
    screenshot(page, "08_playground_after_training", image)
    page.close()


ALL_NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.skipif(os.environ.get("BROWSER_ALL") != "1",
                    reason="every notebook in the browser: make robust (BROWSER_ALL=1)")
@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS)
def test_every_notebook_runs_in_jupyterlab_without_errors_or_stderr(browser, lab, notebook):
    page = open_and_run(browser, lab, notebook)
    stderr = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert stderr.count() == 0, stderr.first.inner_text()
    page.close()
