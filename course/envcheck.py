"""``env_check()``: is this Python ready for the course?

Reads installed versions from package metadata (no heavy imports, so it is quick
even before TensorFlow is loaded) and says in plain words what is missing or too old.
"""

from __future__ import annotations

import html
import os
import platform
import sys
from importlib import metadata

# Oldest versions the course supports; the same lower bounds as requirements.txt
# (tests/test_envcheck.py checks that they agree).
MIN_VERSIONS = {
    "numpy": "1.26",
    "matplotlib": "3.8",
    "ipywidgets": "8.1",
    "ipykernel": "6.29",
    "jupyterlab": "4.2",
    "tensorflow": "2.16",
    "keras": "3.3",
    "scikit-learn": "1.4",
    "pytest": "8",
    "nbval": "0.11",
}
MIN_PYTHON = (3, 11)
WIDGETS_EXTENSION = os.path.join("@jupyter-widgets", "jupyterlab-manager")


def _version_tuple(text):
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
        if not piece.isdigit():
            break
    return tuple(parts)


def _installed_version(name):
    """Installed version of a distribution, or None. TensorFlow may be tensorflow-cpu."""
    candidates = ["tensorflow", "tensorflow-cpu", "tensorflow-macos"] if name == "tensorflow" \
        else [name]
    for dist in candidates:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return None


def _widgets_extension_dirs():
    try:
        from jupyter_core.paths import jupyter_path
        roots = jupyter_path("labextensions")
    except ImportError:
        roots = [os.path.join(sys.prefix, "share", "jupyter", "labextensions")]
    return [os.path.join(root, WIDGETS_EXTENSION) for root in roots]


class EnvReport:
    """The result of ``env_check``.

    Attributes
    ----------
    rows : list of (name, version or None, status)
    problems : list of str
        Plain-language problems; empty when everything is fine.
    """

    def __init__(self, rows, problems):
        self.rows = rows
        self.problems = problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self):
        lines = [f"{name:<14} {version or 'missing':<12} {status}" for name, version, status
                 in self.rows]
        if self.problems:
            lines += ["", "Problems:"] + [f"- {p}" for p in self.problems]
        else:
            lines += ["", "Everything the course needs is installed."]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        body = "".join(
            f"<tr><td>{html.escape(n)}</td><td>{html.escape(v or 'missing')}</td>"
            f"<td>{html.escape(s)}</td></tr>" for n, v, s in self.rows
        )
        if self.problems:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in self.problems)
            verdict = f"<p><b>Problems:</b></p><ul>{items}</ul>"
        else:
            verdict = "<p><b>Everything the course needs is installed.</b></p>"
        return (f"<table><tr><th>package</th><th>version</th><th>status</th></tr>{body}"
                f"</table>{verdict}")


def env_check(*, version_of=_installed_version, python_version=None,
              widget_extension_dirs=None) -> EnvReport:
    """Report Python and package versions and what, if anything, is wrong.

    Parameters
    ----------
    version_of, python_version, widget_extension_dirs
        For tests: replace how versions and the widgets extension are found.

    Returns
    -------
    EnvReport
        Shows as a table in a notebook; ``.ok`` is True when nothing is wrong.
    """
    rows, problems = [], []
    py = python_version or sys.version_info[:3]
    py_text = ".".join(map(str, py))
    if tuple(py[:2]) < MIN_PYTHON:
        rows.append(("python", py_text, "too old"))
        problems.append(f"Python {py_text} is too old: the course needs Python "
                        f"{'.'.join(map(str, MIN_PYTHON))} or newer (Keras 3 requires it).")
    else:
        rows.append(("python", py_text, f"ok ({platform.system() or 'unknown OS'})"))

    for name, minimum in MIN_VERSIONS.items():
        version = version_of(name)
        if version is None:
            rows.append((name, None, "missing"))
            problems.append(f"{name} is not installed. Run `make lab` (it installs everything) "
                            "or `pip install -r requirements.txt`.")
        elif _version_tuple(version) < _version_tuple(minimum):
            rows.append((name, version, f"too old (need >= {minimum})"))
            if name == "keras" and _version_tuple(version)[:1] < (3,):
                problems.append(f"Keras {version} is Keras 2; the course uses Keras 3 "
                                "(`pip install 'keras>=3.3'`). Do not install tf-keras.")
            else:
                problems.append(f"{name} {version} is too old; the course needs {name} >= "
                                f"{minimum}.")
        else:
            rows.append((name, version, "ok"))

    if version_of("ipywidgets") is not None:
        dirs = widget_extension_dirs if widget_extension_dirs is not None \
            else _widgets_extension_dirs()
        if not any(os.path.isdir(d) for d in dirs):
            rows.append(("widgets ext.", version_of("jupyterlab_widgets"), "missing"))
            problems.append("The JupyterLab widgets extension (jupyterlab_widgets) is not "
                            "installed where JupyterLab looks, so sliders will show as text. "
                            "Install ipywidgets in the environment that runs JupyterLab.")
        else:
            rows.append(("widgets ext.", version_of("jupyterlab_widgets"), "ok"))
    return EnvReport(rows, problems)


def course_seed(environ=None) -> int:
    """The seed every notebook starts from: ``$COURSE_SEED``, or 0 when it is not set.

    Rerun the whole course with other random numbers (data, initial weights, batch
    order, Keras' draws) without editing a notebook::

        COURSE_SEED=3 make notebooks      # or: export COURSE_SEED=3; make lab

    Parameters
    ----------
    environ : mapping, optional
        Where to look; default ``os.environ``.

    Returns
    -------
    int
        A non-negative integer (what ``np.random.default_rng`` and
        ``keras.utils.set_random_seed`` accept).

    Raises
    ------
    ValueError
        If ``COURSE_SEED`` is set but is not a non-negative integer.
    """
    text = (os.environ if environ is None else environ).get("COURSE_SEED", "").strip()
    if not text:
        return 0
    if not text.isdigit():
        raise ValueError(f"COURSE_SEED must be a non-negative integer such as 0 or 3. "
                         f"Received: COURSE_SEED={text!r}")
    return int(text)
