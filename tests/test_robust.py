"""`make robust` (tools/robust.py): notebooks rerun under other settings, failing cells named."""

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import robust  # noqa: E402


def test_a_cell_that_fails_under_one_setting_is_reported_with_its_setting(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# probe"),
                nbformat.v4.new_code_cell("import os\nSEED = int(os.environ['COURSE_SEED'])"),
                nbformat.v4.new_code_cell("assert SEED != 2, f'seed {SEED}'"),
                nbformat.v4.new_code_cell("print('still runs after a failure')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    settings = {"seed 1": {"COURSE_SEED": "1"}, "seed 2": {"COURSE_SEED": "2"}}

    results = robust.run_all([path], settings, tmp_path / "out", jobs=2)

    failures = {setting: failures for setting, _, _, failures in results}
    expected = "AssertionError: seed 2 at: assert SEED != 2, f'seed {SEED}'"
    assert failures == {"seed 1": [], "seed 2": [(2, expected)]}
    text = robust.report(results)
    assert f"FAILED [seed 2] probe.ipynb cell 2: {expected}" in text
    assert text.endswith("1 notebook runs passed, 1 failed")
    executed = nbformat.read(tmp_path / "out" / "seed-2" / "probe.ipynb", as_version=4)
    assert "still runs after a failure" in executed.cells[3].outputs[0]["text"]


def test_settings_cover_two_other_seeds_all_threads_and_other_kernels():
    settings = robust.SETTINGS.values()
    assert {env["COURSE_SEED"] for env in settings} >= {"1", "2"}
    assert any(env.get("TF_ENABLE_ONEDNN_OPTS") == "1" for env in settings)
    assert any(not set(env) & set(robust.THREAD_VARIABLES) for env in settings)
    # make test's notebooks run on one thread each: every other setting differs from it
    assert all(env["COURSE_SEED"] != "0" or "OMP_NUM_THREADS" not in env for env in settings)


def test_one_runs_setting_never_leaks_into_the_next_run_of_the_same_worker(tmp_path):
    # one worker runs both: the first setting's variables must be gone in the second run
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import os\nassert 'OPENBLAS_CORETYPE' not in os.environ or "
        "os.environ['COURSE_SEED'] == '1', os.environ.get('OPENBLAS_CORETYPE')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    settings = {"seed 1": {"COURSE_SEED": "1", "OPENBLAS_CORETYPE": "Haswell"},
                "seed 2": {"COURSE_SEED": "2"}}

    results = robust.run_all([path], settings, tmp_path / "out", jobs=1)

    assert {setting: failures for setting, _, _, failures in results} == {
        "seed 1": [], "seed 2": []}


def test_the_environment_of_a_run_is_built_from_the_parents_alone():
    base = {"PATH": "/bin", "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    env = robust.run_environment(base, {"COURSE_SEED": "3"})
    assert env == {"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/bin", "COURSE_SEED": "3"}
    assert base == {"PATH": "/bin", "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"}


def test_seeds_are_read_as_ranges_and_each_failing_check_is_counted():
    assert robust.parse_seeds(["3", "10-12"]) == [3, 10, 11, 12]
    settings = robust.seed_settings([4, 5], onednn=("0", "1"))
    assert list(settings) == ["seed 4, oneDNN 0", "seed 4, oneDNN 1", "seed 5, oneDNN 0",
                              "seed 5, oneDNN 1"]
    assert settings["seed 5, oneDNN 1"]["TF_ENABLE_ONEDNN_OPTS"] == "1"
    results = [("seed 4", "a.ipynb", 1.0, [(3, "AssertionError at: assert x > 0")]),
               ("seed 5", "a.ipynb", 1.0, [(3, "AssertionError: 0.2 at: assert x > 0")]),
               ("seed 6", "a.ipynb", 1.0, [])]
    assert robust.failure_counts(results) == {("a.ipynb", 3, "assert x > 0"): ["seed 4", "seed 5"]}
    assert "RATE a.ipynb cell 3: failed in 2 of 3 runs (seed 4, seed 5): assert x > 0" in (
        robust.report(results))


def test_the_seed_sweep_gives_keras_notebooks_fewer_seeds_under_both_kernels():
    tasks = robust.sweep_tasks([Path("00_start_here.ipynb"), Path("07_mlp_tensorflow_comparison.ipynb")],
                               100, 3, 1)
    assert [(path.stem, name) for path, name, _ in tasks] == [
        ("00_start_here", "seed 100"), ("00_start_here", "seed 101"),
        ("00_start_here", "seed 102"), ("07_mlp_tensorflow_comparison", "seed 100, oneDNN 0"),
        ("07_mlp_tensorflow_comparison", "seed 100, oneDNN 1")]
    assert robust.KERAS_TRAINING <= {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
