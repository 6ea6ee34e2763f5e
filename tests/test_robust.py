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
