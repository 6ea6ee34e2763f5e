"""`make robust`: every notebook again, with other seeds and other CPU kernels.

The notebooks' claims about trained models must not depend on the luck of one seed
or on how one CPU rounds. `make test` runs each notebook once with COURSE_SEED=0;
this runs each one again under every setting below, in a fresh kernel, and reports
every cell that fails (a notebook goes on after a failing cell, as in nbval-lax):

- ``seed 1``, ``seed 2``: other random data, initial weights, batch orders and Keras
  draws (the first cell of each notebook reads COURSE_SEED);
- ``all threads``: seed 0 as a student runs it, with every thread the machine has
  (``make test`` gives each notebook one, and the order of a sum changes with the threads);
- ``oneDNN, AVX2``: TensorFlow's oneDNN kernels limited to AVX2 (as on CPUs without
  AVX-512) instead of its default Eigen kernels, OpenBLAS' Haswell kernels for numpy,
  and every thread.

The executed notebooks are kept in build/robust/ (printed values included) so the
margins can be read off. It takes about four times as long as the notebooks in
``make test``; it is not part of it.

    make robust                                  # every setting, every notebook
    python tools/robust.py --setting "seed 1" notebooks/05b_rnn_lstm_gru.ipynb
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
ONE_THREAD = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
              "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
SETTINGS = {
    "seed 1": {"COURSE_SEED": "1", **ONE_THREAD},
    "seed 2": {"COURSE_SEED": "2", **ONE_THREAD},
    "all threads": {"COURSE_SEED": "0"},
    "oneDNN, AVX2": {"COURSE_SEED": "0", "TF_ENABLE_ONEDNN_OPTS": "1",
                     "ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"},
}
THREAD_VARIABLES = [*ONE_THREAD, "MKL_NUM_THREADS"]
# Notebooks that train Keras models: the seed sweep runs them on fewer seeds, each under
# both TensorFlow CPU kernels (oneDNN on and off).
KERAS_TRAINING = {"05a_mlp_cnn", "05b_rnn_lstm_gru", "05c_transformers",
                  "07_mlp_tensorflow_comparison"}


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _describe(error_output):
    """'AssertionError: message' and the failing line, from a cell's error output."""
    text = f"{error_output['ename']}: {error_output['evalue'][:200]}".rstrip(": ")
    frames = [re.sub(r"\x1b\[[0-9;]*m", "", frame) for frame in error_output.get("traceback", [])]
    arrows = [line for frame in frames for line in frame.splitlines() if "--->" in line]
    if arrows:
        text += " at: " + arrows[-1].split("--->", 1)[1].strip().lstrip("0123456789 ")
    return text


def run_environment(base, env):
    """The environment of one run: ``base`` (the parent's, never a worker's changed one)
    without thread limits or a plotting backend, then ``env`` on top.

    Built from ``base`` each time, so one run's setting (``OPENBLAS_CORETYPE``,
    ``ONEDNN_*``, ...) never leaks into the next run of the same pool worker.
    """
    kept = {k: v for k, v in base.items()
            if k not in THREAD_VARIABLES and k != "MPLBACKEND"}  # inline figures, as students
    return {"TF_CPP_MIN_LOG_LEVEL": "3", **kept, **env}


def run_notebook(path, setting, env, out_dir, timeout=600, base=None):
    """Execute one notebook under ``env`` added to ``base`` (default: this process').

    Returns ``(setting, notebook name, seconds, failures)``; each failure is
    ``(cell index, "ErrorName: message")``. The executed notebook goes to ``out_dir``.
    """
    environment = run_environment(dict(os.environ) if base is None else base, env)
    os.environ.clear()
    os.environ.update(environment)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # this worker's kernels log to stderr; the failures are reported below
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    try:
        client.execute()
    except Exception as error:  # a kernel that died or a cell that timed out
        failures = [(-1, f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")]
    else:
        failures = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                failures.append((index, _describe(output)))
    seconds = time.perf_counter() - start
    out_dir = Path(out_dir) / _slug(setting)
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out_dir / Path(path).name)
    return setting, Path(path).name, seconds, failures


def run_all(notebooks, settings, out_dir, jobs=2, timeout=600):
    """Run every notebook under every setting, ``jobs`` at a time; return the results."""
    tasks = [(path, name, env) for name, env in settings.items() for path in notebooks]
    return run_tasks(tasks, out_dir, jobs, timeout)


def run_tasks(tasks, out_dir, jobs=2, timeout=600):
    """Run each ``(notebook, setting name, env)``, ``jobs`` at a time; return the results."""
    base = dict(os.environ)  # this process' environment, handed to every run unchanged
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_notebook, path, name, env, out_dir, timeout, base)
                   for path, name, env in tasks]
        results = []
        for future in futures:
            result = future.result()
            setting, name, seconds, failures = result
            print(f"[{setting}] {name}: {seconds:.0f} s, "
                  f"{'ok' if not failures else f'{len(failures)} failing cell(s)'}", flush=True)
            results.append(result)
    return results


def report(results):
    """A text report: one line per failing cell, then a summary line."""
    lines = []
    for setting, name, _, failures in results:
        for index, message in failures:
            where = f"cell {index}" if index >= 0 else "the run"
            lines.append(f"FAILED [{setting}] {name} {where}: {message}")
    runs = {}
    for _, name, _, _ in results:
        runs[name] = runs.get(name, 0) + 1
    for (name, index, message), settings in failure_counts(results).items():
        where = f"cell {index}" if index >= 0 else "the run"
        lines.append(f"RATE {name} {where}: failed in {len(settings)} of {runs[name]} runs "
                     f"({', '.join(settings)}): {message}")
    n_failed = sum(1 for *_, failures in results if failures)
    lines.append(f"make robust: {len(results) - n_failed} notebook runs passed, "
                 f"{n_failed} failed")
    return "\n".join(lines)


def failure_counts(results):
    """``{(notebook, cell index, message): [settings it failed under]}``: each failing
    check once, with how often it failed (the rate a teacher's seed would meet)."""
    counts = {}
    for setting, name, _, failures in results:
        for index, message in failures:
            counts.setdefault((name, index, message.split(" at: ")[-1]), []).append(setting)
    return counts


def sweep_tasks(notebooks, first_seed, n_seeds, n_keras_seeds):
    """``n_seeds`` seeds for each notebook, ``n_keras_seeds`` (each under both TensorFlow
    CPU kernels) for the notebooks that train Keras models (seconds a run)."""
    tasks = []
    for path in notebooks:
        keras = Path(path).stem in KERAS_TRAINING
        seeds = range(first_seed, first_seed + (n_keras_seeds if keras else n_seeds))
        settings = seed_settings(seeds, ("0", "1") if keras else ("0",))
        tasks += [(path, name, env) for name, env in settings.items()]
    return tasks


def seed_settings(seeds, onednn=("0",)):
    """One setting per seed (one thread each) and per TensorFlow CPU kernel choice."""
    settings = {}
    for seed in seeds:
        for flag in onednn:
            name = f"seed {seed}" + (f", oneDNN {flag}" if len(onednn) > 1 else "")
            settings[name] = {"COURSE_SEED": str(seed), "TF_ENABLE_ONEDNN_OPTS": flag,
                              **ONE_THREAD}
    return settings


def parse_seeds(words):
    """``["3", "10-12"]`` -> ``[3, 10, 11, 12]``."""
    seeds = []
    for word in words:
        low, _, high = word.partition("-")
        seeds.extend(range(int(low), int(high or low) + 1))
    return seeds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--setting", action="append", choices=list(SETTINGS),
                        help="run only this setting (repeatable); default: all")
    parser.add_argument("--seeds", nargs="+",
                        help="instead of the settings: these seeds (e.g. 3 10-29), one "
                             "thread each")
    parser.add_argument("--onednn", nargs="+", default=["0"], choices=["0", "1"],
                        help="with --seeds: TF_ENABLE_ONEDNN_OPTS values to run each seed "
                             "under (default 0)")
    parser.add_argument("--sweep", type=int, nargs=3, metavar=("FIRST", "N", "N_KERAS"),
                        help="instead of the settings: seeds FIRST.. , N of them for each "
                             "notebook, N_KERAS (each with oneDNN off and on) for those that "
                             "train Keras")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "robust")
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or sorted(
        (ROOT / "notebooks").glob("*.ipynb"))
    settings = {name: SETTINGS[name] for name in (args.setting or SETTINGS)}
    if args.seeds:
        settings = seed_settings(parse_seeds(args.seeds), args.onednn)
    if args.sweep:
        tasks = sweep_tasks(notebooks, *args.sweep)
    else:
        tasks = [(path, name, env) for name, env in settings.items() for path in notebooks]
    start = time.perf_counter()
    results = run_tasks(tasks, args.out, jobs=args.jobs)
    print(report(results))
    print(f"{time.perf_counter() - start:.0f} s in all; executed notebooks in {args.out}")
    return 1 if any(failures for *_, failures in results) else 0


if __name__ == "__main__":
    sys.exit(main())
