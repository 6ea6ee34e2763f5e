"""Grades one submission's build-it tasks in a fresh process, out of the student's kernel.

Run by ``grading.RegradeTasks`` (nbgrader's autograde) as ``python grade_runner.py`` with a
JSON job on standard input:

- ``imports``: the notebook's import statements (outside the solution cells), run first;
- ``solutions``: ``{grade_id: source}``, the definitions of each solution cell (``def``,
  ``class`` and imports only: every other statement was dropped before);
- ``test``: the lines of one grade cell's hidden tests (``tasks.<name>.grade(...)``).

Prints one JSON line: ``{"passed": bool, "reason": str, "definitions": {grade_id: error}}``
(the solution cells whose definitions did not run). ``tasks`` in the hidden test is this
process' own import of the task module, never a name the student's code bound; after the
test the grading machinery is compared with what it was before the student's code ran (a
change fails the test, as tampering). One process grades one cell, so a tampering
function spoils only the tests that call it.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import sys
import tempfile
import types


def _task_module(imports):
    """The module the notebook imports as ``tasks`` (``course.n03_learning_backprop.tasks``)."""
    for source in imports:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    if (alias.asname or alias.name) == "tasks":
                        return importlib.import_module(f"{node.module}.{alias.name}")
    return None


def _machinery(tasks):
    """What grading relies on: each checked object's attributes, by identity."""
    import builtins
    import math

    import numpy as np

    from course import exercises, task_guards
    from nnlib import gradcheck

    things = {}
    lesson = tasks.__name__.rpartition(".")[0]  # course.n05e_transformer_block
    modules = [m for name, m in list(sys.modules.items())
               if m is not None and (name.startswith(lesson + ".") or name == "nnlib"
                                     or name.startswith("nnlib."))]
    for owner in (exercises.Exercise, exercises.Task, exercises, task_guards, gradcheck,
                  task_guards.LibraryWatch, tasks, builtins, math, np, np.testing,
                  np.linalg, np.random, np.random.Generator, np.ndarray, *modules):
        for name, value in vars(owner).items():
            things[(id(owner), name)] = value
    for value in list(vars(tasks).values()):
        if isinstance(value, exercises.Exercise):  # its settings, not its state (_last, ...)
            for name, attr in vars(value).items():
                if not name.startswith("_") or name == "_reference":
                    things[(id(value), name)] = attr
    for value in list(things.values()):  # a function rewritten in place keeps its identity
        for function in (value if isinstance(value, tuple) else (value,)):
            if isinstance(function, types.FunctionType):
                for name in ("__code__", "__defaults__", "__kwdefaults__"):
                    things[(id(function), name)] = getattr(function, name)
    things[("profile",)] = sys.getprofile()
    return things


def _changed(before, tasks):
    after = _machinery(tasks)
    return any(after.get(key, None) is not value for key, value in before.items())


def _grade(lines, namespace, tasks, before):
    """Run the hidden test's lines; the verdict, failing if the machinery is not as
    ``before`` (taken before any of the student's code ran)."""
    scope = {**namespace, "tasks": tasks}
    try:
        for line in lines:
            exec(compile(line, "<hidden test>", "exec"), scope)
    except AssertionError as exc:
        verdict = {"passed": False, "reason": str(exc)}
    except BaseException as exc:
        verdict = {"passed": False, "reason": f"{type(exc).__name__}: {exc}"}
    else:
        verdict = {"passed": True, "reason": ""}
    if _changed(before, tasks):
        verdict = {"passed": False,
                   "reason": "tampering: the student's code changed the grading machinery"}
    return verdict


def main():
    job = json.loads(sys.stdin.read())
    out = os.fdopen(os.dup(1), "w")  # the verdicts; the student's prints go to /dev/null
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    # Earlier notebooks' pieces are nnlib's here: a notebook's hidden tests judge only its
    # own tasks, never the student's library (my_network.py) from other notebooks.
    os.environ["NNLIB_MY_NETWORK"] = os.path.join(tempfile.mkdtemp(), "my_network.py")
    os.environ["NNLIB_STAND_INS"] = "1"
    namespace = {"__name__": "__main__"}
    for source in job["imports"]:
        try:
            exec(compile(source, "<notebook imports>", "exec"), namespace)
        except Exception:  # noqa: S110 (an import the tasks do not need)
            pass
    tasks = _task_module(job["imports"])
    before = _machinery(tasks) if tasks is not None else {}
    failed_definitions = {}
    for grade_id, source in job["solutions"].items():
        try:
            exec(compile(source, f"<solution {grade_id}>", "exec"), namespace)
        except BaseException as exc:  # a syntax error costs this cell's tasks only
            failed_definitions[grade_id] = f"{type(exc).__name__}: {exc}"
    if tasks is None:
        verdict = {"passed": False, "reason": "the notebook imports no task module as tasks"}
    else:
        verdict = _grade(job["test"], namespace, tasks, before)
    verdict["definitions"] = failed_definitions
    out.write(json.dumps(verdict) + "\n")
    out.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
