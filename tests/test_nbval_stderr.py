"""tests/nbval_stderr.py: a notebook cell that writes to stderr fails its nbval test."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def test_a_cell_writing_to_stderr_fails_and_a_quiet_one_passes(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('fine')"),
                nbformat.v4.new_code_cell("import sys\nsys.stderr.write('E0000 a C++ log\\n')"),
                nbformat.v4.new_code_cell(  # C-level stderr (TensorFlow's logs), forwarded by ipykernel
                    "import os, time\nos.write(2, b'from C\\n')\ntime.sleep(1)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, tmp_path / "probe.ipynb")
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p",
         "nbval_stderr", "-p", "no:cacheprovider", "-q", "probe.ipynb"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert "2 failed, 1 passed" in done.stdout, done.stdout
    assert "E0000 a C++ log" in done.stdout and "from C" in done.stdout
