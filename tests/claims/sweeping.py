"""The evidence behind every notebook check that depends on chance.

Each notebook has a file here, ``test_<notebook>.py``, with

- ``CHECKS``: every ``assert`` (and ``np.testing.assert_*`` call) of the notebook, keyed by
  its source as ``ast.unparse`` writes it (the condition only, without the message), and
  what makes it hold for any ``COURSE_SEED``, one of four kinds:

  - ``Exact``: nothing random decides it (float64 arithmetic, a shape, a property that
    holds for every draw);
  - ``Swept``: its failure rate measured by a test in the same file, over ``SWEEP_SEEDS``
    seeds of the library calls the notebook makes (200 in ``make robust``);
  - ``Bounded``: its failure probability worked out on paper, under 1 in 1,000;
  - ``OverRuns``: a claim about trained Keras models, stated in the notebook over several
    runs, its margin measured by a test over ``KERAS_SWEEP_SEEDS`` seeds (30 in
    ``make robust``);

- the sweep tests, each calling ``sweep``: the measured values for seeds 0, 1, 2, ...
  (seed ``s`` is what the notebook computes with ``COURSE_SEED=s``), one line per check
  with its failure count and the range of the value it tests.

``test_catalogue.py`` checks that every notebook check is listed, with an existing test.
``make test`` runs each sweep on 2 seeds, 1 for Keras (so it cannot rot); ``make robust`` on 200
(30 for Keras) and writes the lines to ``build/robust/claims.txt``.
"""

from __future__ import annotations

import ast
import os
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"


@dataclass(frozen=True)
class Exact:
    """Holds for every draw, or nothing random decides it."""
    why: str = ""


@dataclass(frozen=True)
class Swept:
    """Measured over seeds by the test ``test`` in the same file: 0 failures allowed."""
    test: str


@dataclass(frozen=True)
class Bounded:
    """Fails with probability at most ``rate`` (< 1e-3), for the reason ``why``."""
    rate: float
    why: str


@dataclass(frozen=True)
class OverRuns:
    """A claim about trained Keras models, stated over several runs; its margin measured
    over seeds by the test ``test`` in the same file."""
    test: str


KINDS = (Exact, Swept, Bounded, OverRuns)


def n_seeds(keras=False):
    """How many seeds a sweep runs: ``$SWEEP_SEEDS`` (``$KERAS_SWEEP_SEEDS`` for Keras)."""
    if keras:
        return int(os.environ.get("KERAS_SWEEP_SEEDS", "1"))
    return int(os.environ.get("SWEEP_SEEDS", "2"))


def notebook_checks(path):
    """The source of every check in a notebook: ``assert`` conditions and
    ``np.testing.assert_*(...)`` calls, as ``ast.unparse`` writes them."""
    import nbformat
    from IPython.core.inputtransformer2 import TransformerManager

    transform = TransformerManager().transform_cell
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(transform(cell.source))):
            if isinstance(node, ast.Assert):
                found.append(ast.unparse(node.test))
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr.startswith("assert_")):
                found.append(ast.unparse(node))
    return found


def sweep(measure, claims, *, keras=False, seeds=None):
    """Run ``measure(seed)`` for each seed and count how often each claim fails.

    Parameters
    ----------
    measure : callable ``measure(seed) -> dict``
        What the notebook computes with ``COURSE_SEED=seed``: the values its checks test.
    claims : dict ``{text: (key, holds)}``
        For each check (``text``, as the notebook's sentence says it), the value it tests
        (``measure(seed)[key]``) and ``holds(value) -> bool``, the notebook's condition.
    keras : bool, default=False
        Trained Keras models: ``$KERAS_SWEEP_SEEDS`` seeds instead of ``$SWEEP_SEEDS``.
    seeds : sequence of int, optional
        Default ``range(n_seeds(keras))``.

    Prints one line per claim (failures, seeds, the range of the value) and appends it to
    ``$SWEEP_REPORT`` when set; raises ``AssertionError`` if any claim failed.
    """
    seeds = list(range(n_seeds(keras))) if seeds is None else list(seeds)
    start = time.perf_counter()
    results = [measure(seed) for seed in seeds]
    seconds = (time.perf_counter() - start) / max(len(seeds), 1)
    lines, failed = [], []
    for text, (key, holds) in claims.items():
        values = [result[key] for result in results]
        bad = [seed for seed, value in zip(seeds, values) if not holds(value)]
        shown = ", ".join(_short(v) for v in (min(values, key=_order),
                                               max(values, key=_order)))
        lines.append(f"{text}: failed {len(bad)} of {len(seeds)} seeds"
                     f"{' (seeds ' + ', '.join(map(str, bad[:10])) + ')' if bad else ''}; "
                     f"{key} from {shown.replace(', ', ' to ')} ({seconds:.2f} s a seed)")
        if bad:
            failed.append(lines[-1])
    print("\n".join(lines))
    report = os.environ.get("SWEEP_REPORT")
    if report:
        with open(report, "a") as out:
            out.write("\n".join(lines) + "\n")
    assert not failed, "\n".join(failed)
    return results


def _order(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _short(value):
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return repr(value)
