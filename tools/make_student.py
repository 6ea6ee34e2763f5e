"""Write a student copy of the notebooks with the exercise solutions held back.

For classes that grade the exercises. In the copy:

- every ``solution=...`` argument of an exercise definition is emptied, so the
  solutions are not in the students' notebooks at all;
- the first code cell sets ``NNLIB_HIDE_SOLUTIONS``, so ``.solution()`` says that
  the teacher holds the solution back;
- checks (``.check``) and hints (``.hint``) work as before.

    make student                         # writes student/NN_name.ipynb
    python tools/make_student.py --out DIR
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
HIDE = ('import os\n\nos.environ["NNLIB_HIDE_SOLUTIONS"] = "1"  # student copy: solutions are '
        "held back\n\n")


def strip_solutions(source: str) -> str:
    """Replace the value of every ``solution=`` keyword argument in ``source`` by ``""``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # not Python (e.g. a cell magic): leave it alone
        return source
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "solution":
                    value = keyword.value
                    start = offsets[value.lineno - 1] + _char_offset(lines[value.lineno - 1],
                                                                      value.col_offset)
                    end = offsets[value.end_lineno - 1] + _char_offset(
                        lines[value.end_lineno - 1], value.end_col_offset)
                    spans.append((start, end))
    for start, end in sorted(spans, reverse=True):
        source = source[:start] + '""' + source[end:]
    return source


def _char_offset(line: str, byte_offset: int) -> int:
    """ast gives UTF-8 byte offsets; turn one into a character offset in ``line``."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8"))


def make_student_copy(nb):
    """Return ``nb`` with solutions emptied and hidden (modified in place)."""
    first = True
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.source = strip_solutions(cell.source)
        if first:
            cell.source = HIDE + cell.source
            first = False
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "student")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = make_student_copy(nbformat.read(path, as_version=4))
        nbformat.write(nb, args.out / path.name)
    print(f"wrote the student copy to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
