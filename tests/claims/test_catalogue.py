"""Every check in every notebook is catalogued with what makes it hold for any seed."""

import importlib.util

import pytest
from sweeping import KINDS, NOTEBOOKS, Bounded, OverRuns, Swept, notebook_checks

NAMES = sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb"))


def _catalogue(name):
    path = NOTEBOOKS.parent / "tests" / "claims" / f"test_{name}.py"
    assert path.exists(), f"no catalogue of {name}'s checks: write {path.name}"
    spec = importlib.util.spec_from_file_location(f"claims_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NAMES)
def test_every_check_of_the_notebook_is_catalogued(name):
    module = _catalogue(name)
    found = set(notebook_checks(NOTEBOOKS / f"{name}.ipynb"))
    listed = set(module.CHECKS)
    assert not found - listed, f"{name}: checks not in its catalogue: {sorted(found - listed)}"
    assert not listed - found, f"{name}: catalogued checks no longer in it: {sorted(listed - found)}"
    for check, kind in module.CHECKS.items():
        assert isinstance(kind, KINDS), f"{name}: {check!r} has no kind: {kind!r}"
        if isinstance(kind, (Swept, OverRuns)):
            assert callable(getattr(module, kind.test, None)), (
                f"{name}: {check!r} names {kind.test}, which is not a test in its file")
        if isinstance(kind, Bounded):
            assert 0 <= kind.rate < 1e-3 and kind.why, f"{name}: {check!r}: {kind}"


def test_the_catalogue_reads_asserts_and_testing_calls(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("%matplotlib inline\nx = 1\nassert x  >  0, 'msg'"),
                nbformat.v4.new_code_cell("for i in range(2):\n    np.testing.assert_allclose(i, i)"),
                nbformat.v4.new_markdown_cell("assert nothing here")]
    nbformat.write(nb, tmp_path / "probe.ipynb")
    assert notebook_checks(tmp_path / "probe.ipynb") == ["x > 0",
                                                         "np.testing.assert_allclose(i, i)"]
