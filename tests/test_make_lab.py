"""`make lab` really starts JupyterLab on 127.0.0.1, prints a URL with a token, and refuses requests without it."""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_serves_the_notebooks_with_a_token():
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    env["JUPYTER_CONFIG_DIR"] = str(ROOT / ".pytest_cache" / "jupyter-config")  # no user config
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"PORT={port}"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            start_new_session=True)
    try:
        url, lines, deadline = None, [], time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            lines.append(line)
            match = re.search(rf"http://127\.0\.0\.1:{port}/lab/tree/00_start_here\.ipynb\?token=(\w+)", line)
            if match:
                url, token = match.group(0), match.group(1)
        assert url, "make lab printed no URL:\n" + "".join(lines)
        assert len(token) >= 32
        api = f"http://127.0.0.1:{port}/api/contents/00_start_here.ipynb"
        while _status_or_none(api + f"?token={token}") != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _status(api + f"?token={token}") == 200
        assert _status(api) == 403  # no token, no access
        assert _status(url) == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _status_or_none(url):
    try:
        return _status(url)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None
