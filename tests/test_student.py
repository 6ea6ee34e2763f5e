"""`make student`: solutions are held back, checks and hints still work."""

import ast
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import make_student  # noqa: E402


def _solution_values(source):
    """The values of all ``solution=`` keyword arguments in ``source``."""
    return [kw.value.value if isinstance(kw.value, ast.Constant) else ast.unparse(kw.value)
            for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
            for kw in node.keywords if kw.arg == "solution"]


def test_strip_solutions_empties_only_solution_arguments():
    source = (
        'ex = array_exercise("é name", expected=16,\n'
        '    hints=["one", "two"],\n'
        '    solution="3 * 4 weights + 4 biases = 16",\n'
        ")\n"
        'ex2 = function_exercise("f", reference=f, inputs=[(1,)], solution=(\n'
        '    "def f(x):\\n"\n'
        '    "    return x"))\n'
    )
    out = make_student.strip_solutions(source)
    assert "3 * 4 weights" not in out and "return x" not in out
    assert _solution_values(out) == ["", ""]
    assert 'hints=["one", "two"]' in out and 'expected=16' in out
    assert make_student.strip_solutions("%%time\nx = 1") == "%%time\nx = 1"


def test_student_copy_of_every_notebook_has_no_solutions(tmp_path):
    make_student.main(["--out", str(tmp_path)])
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        original = nbformat.read(path, as_version=4)
        copy = nbformat.read(tmp_path / path.name, as_version=4)
        assert len(copy.cells) == len(original.cells)
        code = [c.source for c in copy.cells if c.cell_type == "code"]
        assert "NNLIB_HIDE_SOLUTIONS" in code[0]
        assert all(value == "" for cell in code for value in _solution_values(cell)), path.name
        n_solutions = sum(len(_solution_values(c.source)) for c in original.cells
                          if c.cell_type == "code")
        assert n_solutions >= 1 and sum(len(_solution_values(c)) for c in code) == n_solutions


def test_student_notebook_runs_and_holds_solutions_back(tmp_path):
    make_student.main(["--out", str(tmp_path)])
    nb = nbformat.read(tmp_path / "00_start_here.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "print(ex_params.solution())\nprint(ex_params.hint())\nprint(ex_params.check(16))"))
    env_backend = os.environ.pop("MPLBACKEND", None)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    finally:
        if env_backend is not None:
            os.environ["MPLBACKEND"] = env_backend
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert "held back by your teacher" in printed
    assert "Hint 2/2" in printed  # the notebook showed hint 1 already
    assert "Correct" in printed
