"""nbgrader's autograde, made to hold when a student's kernel is hostile.

nbgrader runs the hidden tests in the student's own kernel, so a solution cell can change
whatever they call (``Task.grade``, the ``tasks`` name, nnlib's modules). The course's
``nbgrader_config.py`` (written by ``tools/classroom.py``) adds two preprocessors:

- ``OverwriteCellsQuietly`` (sanitize) replaces nbgrader's ``OverwriteCells``: a locked
  cell that is as released (its hidden tests removed) no longer raises the false
  "checksum has changed" warning (nbgrader issue #1961); a real change to a locked cell,
  or a deleted grade cell, goes into the teacher's report.
- ``RegradeTasks`` (autograde, right after ``Execute``) grades every build-it task again in
  a fresh process per grade cell (``grade_runner.py``), from the definitions in the
  student's solution cells only, and the score comes from that verdict: the test cell's
  error output is the fresh process' reason, or none. Statements other than definitions
  and imports are dropped from the solution cells (and reported); a hidden test that
  runs past its limit fails with a time-out.

Each submission's findings go to ``reports/<assignment>/<student>.json`` in the course
directory; ``python tools/classroom.py report`` lists them for the class.
"""

from __future__ import annotations

import ast
import copy
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor, OverwriteCells
from traitlets import Float

RUNNER = Path(__file__).with_name("grade_runner.py")
BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def report_path(resources):
    """``reports/<assignment>/<student>.json`` in the course directory (nbgrader's cwd)."""
    info = resources["nbgrader"]
    return Path("reports") / info["assignment"] / f"{info['student']}.json"


def update_report(resources, notebook, **findings):
    """Merge ``findings`` into this submission's report, under its notebook."""
    path = report_path(resources)
    path.parent.mkdir(parents=True, exist_ok=True)
    report = json.loads(path.read_text()) if path.exists() else {}
    report.setdefault(notebook, {}).update(findings)
    path.write_text(json.dumps(report, indent=1, sort_keys=True))


def _python(source):
    """A cell's source as plain Python (IPython's magics turned into calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


DECORATORS = {"staticmethod", "classmethod", "property"}


def _literal(node):
    """Whether ``node`` is a value that runs no code: a constant, or a tuple, list or
    negation of them."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _literal(node.operand)
    return isinstance(node, (ast.Tuple, ast.List)) and all(_literal(e) for e in node.elts)


def _harmless(node):
    """Whether defining ``node`` runs none of the student's code: what runs at definition
    time (decorators, default values, base classes, a class body) must be a name, a literal
    or another harmless definition. A class body that patches numpy, or a default value
    that calls something, would run before the hidden test."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        decorators_ok = all(
            (isinstance(d, ast.Name) and d.id in DECORATORS)
            or (isinstance(d, ast.Attribute) and d.attr in ("setter", "getter", "deleter")
                and isinstance(d.value, ast.Name))
            for d in node.decorator_list)
        args = node.args
        defaults = args.defaults + [d for d in args.kw_defaults if d is not None]
        return decorators_ok and all(_literal(d) for d in defaults)
    if isinstance(node, ast.ClassDef):
        plain = all(isinstance(b, (ast.Name, ast.Attribute)) for b in node.bases)
        body_ok = all(
            _harmless(item)
            or (isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant))
            or (isinstance(item, (ast.Assign, ast.AnnAssign)) and item.value is not None
                and _literal(item.value)
                and all(isinstance(t, ast.Name)
                        for t in (item.targets if isinstance(item, ast.Assign)
                                  else [item.target])))
            or isinstance(item, ast.Pass)
            for item in node.body)
        return plain and body_ok and not node.decorator_list and not node.keywords
    return False


def definitions(source):
    """``(kept, dropped)``: a solution cell's definitions and imports, as source, and the
    first line of every other top-level statement (and of every definition that would run
    code as it is defined: see ``_harmless``)."""
    tree = ast.parse(_python(source))
    kept = [node for node in tree.body if _harmless(node)]
    dropped = [ast.unparse(node).splitlines()[0] for node in tree.body if not _harmless(node)]
    return "\n\n".join(ast.unparse(node) for node in kept), dropped


def imports(source):
    """The import statements of a (non-solution) cell: at the top level, and in the body of
    a top-level ``try`` (the notebooks' ``try: import nnlib`` with its fallback)."""
    try:
        tree = ast.parse(_python(source))
    except SyntaxError:
        return []
    nodes = [n for node in tree.body
             for n in (node.body if isinstance(node, ast.Try) else [node])]
    return [ast.unparse(node) for node in nodes
            if isinstance(node, (ast.Import, ast.ImportFrom))]


def hidden_lines(source):
    """The lines between the hidden-test delimiters."""
    lines = source.splitlines()
    if BEGIN not in lines:
        return []
    return [line for line in lines[lines.index(BEGIN) + 1:lines.index(END)] if line.strip()]


def run_test(job, timeout):
    """The fresh process' verdict on one grade cell, ``{"passed", "reason", ...}``."""
    try:
        done = subprocess.run([sys.executable, str(RUNNER)], input=json.dumps(job),
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"passed": False, "timed_out": True,
                "reason": f"the hidden test did not finish in {timeout:g} s"}
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"passed": False, "reason": "the grading process ended without a verdict "
                                           f"(exit code {done.returncode})"}


class RegradeTasks(NbGraderPreprocessor):
    """Grades each task again outside the student's kernel; its verdict is the score."""

    timeout = Float(60.0, help="seconds for one grade cell's fresh process").tag(config=True)

    def preprocess(self, nb, resources):
        solutions, dropped, import_lines, tests = {}, {}, [], {}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if utils.is_solution(cell):
                grade_id = cell.metadata.nbgrader["grade_id"]
                try:
                    solutions[grade_id], extra = definitions(cell.source)
                except SyntaxError as exc:
                    solutions[grade_id], extra = f"raise SyntaxError({str(exc)!r})", []
                if extra:
                    dropped[grade_id] = extra
            else:
                import_lines += imports(cell.source)
                if utils.is_grade(cell) and hidden_lines(cell.source):
                    tests[cell.metadata.nbgrader["grade_id"]] = hidden_lines(cell.source)
        with ThreadPoolExecutor(max_workers=2) as pool:  # two processes at a time
            futures = {grade_id: pool.submit(run_test, {
                "imports": import_lines, "solutions": solutions, "test": lines}, self.timeout)
                for grade_id, lines in tests.items()}
            verdicts = {grade_id: future.result() for grade_id, future in futures.items()}
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id not in tests:
                continue
            verdict = verdicts[grade_id]
            cell.outputs = [o for o in cell.get("outputs", []) if o.output_type != "error"]
            if not verdict["passed"]:
                cell.outputs.append(_error(verdict["reason"]))
        update_report(resources, resources["nbgrader"]["notebook"],
                      tasks={k: {"passed": v["passed"], "reason": v["reason"]}
                             for k, v in verdicts.items()},
                      dropped_statements=dropped)
        return nb, resources


def _error(reason):
    from nbformat.v4 import new_output

    return new_output("error", ename="AssertionError", evalue=reason,
                      traceback=[f"Graded in a fresh process, out of the notebook's kernel: "
                                 f"{reason}"])


class OverwriteCellsQuietly(OverwriteCells):
    """nbgrader's ``OverwriteCells`` without the false checksum warning of #1961; real
    changes to locked cells and deleted grade cells go into the report."""

    def preprocess(self, nb, resources):
        self._changed = []
        present = {cell.metadata.nbgrader["grade_id"] for cell in nb.cells
                   if cell.metadata.get("nbgrader", {}).get("grade_id")}
        nb, resources = super().preprocess(nb, resources)
        from nbgrader.api import Gradebook

        with Gradebook(resources["nbgrader"]["db_url"]) as gradebook:
            source = gradebook.find_notebook(self.notebook_id, self.assignment_id)
            missing = sorted(c.name for c in source.grade_cells if c.name not in present)
        update_report(resources, self.notebook_id, deleted_grade_cells=missing,
                      changed_locked_cells=self._changed)
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id and utils.is_locked(cell):
            try:
                source_cell = self.gradebook.find_source_cell(
                    grade_id, self.notebook_id, self.assignment_id)
            except Exception:  # unknown cell: nbgrader's own handling below
                return super().preprocess_cell(cell, resources, cell_index)
            released = copy.deepcopy(cell)
            released.source = source_cell.source
            ClearHiddenTests()._remove_hidden_test_region(released)
            if cell.source.strip() == released.source.strip():
                cell.source = source_cell.source  # as released: put the hidden tests back
            else:
                self._changed.append(grade_id)
        return super().preprocess_cell(cell, resources, cell_index)
