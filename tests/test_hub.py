"""nbgrader's exchange on the course's JupyterHub, end to end, through the hub's proxy.

The teacher releases 03; three students fetch it and submit it (one right, one partial, one
with an endless loop in a task) from their own servers; the teacher collects, autogrades and
releases feedback; each student fetches their feedback. Every step runs as a user of the hub
would: as code in a kernel of that user's server (`hub/client.py`), with the environment the
hub gives that server. Needs `make hub`'s packages (skipped with a message without them).
"""

import asyncio
import json
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hub"))
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

pytest.importorskip("jupyterhub", reason="JupyterHub is not installed (make hub installs it)")
if not (ROOT / "hub" / "node_modules" / ".bin" / "configurable-http-proxy").exists():
    pytest.skip("configurable-http-proxy is not installed (make hub installs it)",
                allow_module_level=True)

import classroom  # noqa: E402
from client import Hub, Student  # noqa: E402
from test_autograde import ASSIGNMENT, NAME, _loop, _submission  # noqa: E402

STUDENTS = {  # name: (tasks solved, changes, expected score)
    "ada": ({"mse_grad", "softmax_cross_entropy", "dense_backward", "backprop", "train"}, {},
            11),
    "ben": ({"mse_grad", "dense_backward"}, {}, 1 + 2),
    "cyd": ({"mse_grad", "softmax_cross_entropy", "dense_backward", "backprop", "train"},
            {"train": _loop}, 11 - 3),
}


def nbgrader(*args, where="."):
    """Code for a kernel: run nbgrader's command line in ``where`` and print its output."""
    return ("import subprocess, sys\n"
            f"done = subprocess.run([sys.executable, '-m', 'nbgrader', *{list(args)!r}], "
            f"cwd={where!r}, capture_output=True, text=True)\n"
            "print(done.stdout, done.stderr)\n"
            "assert done.returncode == 0, done.stderr[-2000:]")


async def _run_class(folder):
    hub = Hub(folder, teachers="teacher")
    timings = {}
    try:
        await hub.wait()
        teacher = Student(hub.base, hub.token, "teacher")
        students = {name: Student(hub.base, hub.token, name) for name in STUDENTS}
        everyone = [teacher, *students.values()]
        await asyncio.gather(*(s.log_in_and_start() for s in everyone))
        await asyncio.gather(*(s.open_kernel(path="") for s in everyone))
        # the teacher: the course, the assignment, released to the exchange
        await teacher.run(
            f"import sys; sys.path.insert(0, {str(ROOT / 'tools')!r})\n"
            "from pathlib import Path\nimport classroom\n"
            "classroom.build_course(Path.home() / 'course')")
        await teacher.run(nbgrader("generate_assignment", ASSIGNMENT, "--force", where="course"))
        await teacher.run(nbgrader("release_assignment", ASSIGNMENT, "--force", where="course"))
        course = folder / "homes" / "teacher" / "course"
        released = nbformat.read(course / "release" / ASSIGNMENT / NAME, as_version=4)
        solutions = nbformat.read(course / "source" / ASSIGNMENT / NAME, as_version=4)
        # the students: fetch, work (their notebook written from their kernel), submit
        for name, student in students.items():
            solved, changes, _ = STUDENTS[name]
            await student.run(nbgrader("fetch_assignment", ASSIGNMENT))
            work = json.dumps(nbformat.writes(_submission(released, solutions, solved, changes)))
            await student.run(f"from pathlib import Path\n"
                              f"Path({ASSIGNMENT!r}, {NAME!r}).write_text({work})")
            await student.run(nbgrader("submit", ASSIGNMENT))
        # the teacher: collect, autograde, feedback
        await teacher.run(nbgrader("collect", ASSIGNMENT, "--update", where="course"))
        for name in STUDENTS:
            start = time.perf_counter()
            await teacher.run(nbgrader("autograde", ASSIGNMENT, "--create", "--force",
                                       "--student", name, where="course"), timeout=600)
            timings[name] = time.perf_counter() - start
        await teacher.run(nbgrader("generate_feedback", ASSIGNMENT, "--force", where="course"))
        await teacher.run(nbgrader("release_feedback", ASSIGNMENT, where="course"))
        for student in students.values():
            await student.run(nbgrader("fetch_feedback", ASSIGNMENT))
        await asyncio.gather(*(s.stop() for s in everyone))
    finally:
        hub.stop()
    return timings


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hub")
    timings = asyncio.run(_run_class(folder))
    yield folder, timings
    shutil.rmtree(folder / "homes", ignore_errors=True)


def test_each_student_fetches_feedback_with_the_score_of_what_they_solved(graded_class):
    folder, _ = graded_class
    for name, (_, _, score) in STUDENTS.items():
        home = folder / "homes" / name
        feedback = sorted((home / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
        assert len(feedback) == 1, name
        found = re.search(r"Score: ([\d.]+) / ([\d.]+)", feedback[0].read_text())
        # 11 points of tasks, graded automatically; 2 of the written answer, by hand
        assert found and float(found.group(1)) == score and float(found.group(2)) == 13, (
            name, found and found.group(0))


def test_the_submissions_went_through_the_exchange_under_each_students_hub_name(graded_class):
    folder, _ = graded_class
    inbound = folder / "exchange" / classroom.COURSE_ID / "inbound"
    assert sorted(p.name.split("+")[0] for p in inbound.iterdir()) == sorted(STUDENTS)
    submitted = folder / "homes" / "teacher" / "course" / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == sorted(STUDENTS)


def test_an_endless_loop_costs_seconds_not_the_run(graded_class):
    _, timings = graded_class
    # the loop is stopped by the task's own time limit: grading it takes about as long as
    # grading a right answer, far below nbgrader's per-cell timeout (300 s)
    assert timings["cyd"] < timings["ada"] + 60, timings
