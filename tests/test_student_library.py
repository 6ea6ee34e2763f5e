"""The student's library, my_network.py: what a passing check saves, what later notebooks
load, whose code the labels name, and the article's model trained on nothing but the
student's pieces (built from the teacher's solutions, nnlib's stand-ins off)."""

import json
import linecache
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nnlib
from course import student_library
from course.n01_structure import tasks as structure
from course.n02_forward_pass import tasks as forward
from course.n03_learning_backprop import tasks as backprop
from course.n04a_optimizers import tasks as optim
from course.n07_mlp_tensorflow_comparison import comparison
from nnlib.data import make_linear

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import classroom  # noqa: E402

RELU = '''
def relu(z):
    return np.maximum(z, 0.0)


def relu_grad(z):
    return (z > 0).astype(float)
'''


def cell(source):
    """Run ``source`` as a notebook cell runs it: its text kept in linecache (as IPython
    does), so that ``inspect`` finds a function's source; the cell's names."""
    filename = f"/tmp/ipykernel_test/{abs(hash(source))}.py"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np}
    exec(compile(source, filename, "exec"), namespace)
    return namespace


def library():
    return student_library.path()


def saved(name):
    """Whether the library holds code for ``name`` (not a note of why it could not)."""
    source = student_library._sections(library().read_text()).get(name, "") \
        if library().exists() else ""
    return bool(source) and not source.startswith("# not saved:")


def test_a_passing_check_saves_the_piece_and_load_gives_it_back(capsys):
    ns = cell(RELU)
    feedback = forward.relu.check(ns["relu"], ns["relu_grad"])
    assert feedback.correct and "Saved in your library" in feedback.message
    mine = student_library.load("relu", "relu_grad")
    assert mine.whose == {"relu": "yours", "relu_grad": "yours"}
    assert mine.relu.__code__.co_filename == str(library())
    assert "relu: yours, from 02_forward_pass" in capsys.readouterr().out


def test_a_failing_check_saves_nothing():
    ns = cell(RELU.replace("np.maximum(z, 0.0)", "np.abs(z)"))
    assert not forward.relu.check(ns["relu"], ns["relu_grad"]).correct
    assert not library().exists()
    assert student_library.load("relu", quiet=True).whose["relu"] == "nnlib's"


def test_sections_are_replaced_not_repeated_and_kept_in_course_order():
    first = cell("def mse_grad(y, y_hat):\n    return 2 * (y_hat - y) / y_hat.size\n")
    assert backprop.mse_grad.check(first["mse_grad"]).correct
    dense = cell("def dense_forward(X, W, b):\n    return X @ W + b\n")
    again = cell("def dense_forward(X, W, b):\n    return np.dot(X, W) + b\n")
    for version in (dense, again):
        assert structure.dense_forward.check(version["dense_forward"]).correct
    text = library().read_text()
    assert text.count("def dense_forward") == 1 and "np.dot(X, W)" in text
    assert text.index("dense_forward (01_structure)") < text.index("mse_grad (03_")


def test_a_piece_that_needs_a_name_from_the_notebook_is_not_saved_and_names_it():
    ns = cell("HELP = 2\n\n\ndef mse_grad(y, y_hat):\n    return HELP * (y_hat - y) / y_hat.size\n")
    ns["HELP"] = 2
    feedback = backprop.mse_grad.check(ns["mse_grad"])
    assert feedback.correct  # right in the notebook ...
    assert "`HELP`" in feedback.message and "not saved" in feedback.message
    assert not saved("mse_grad")  # ... but not on its own


def test_a_lambda_is_not_saved(capsys):
    relu = forward.relu.use(lambda z: np.maximum(z, 0.0), lambda z: (z > 0) * 1.0)
    assert callable(relu[0]) and "write it with `def relu" in capsys.readouterr().out
    assert not saved("relu")


def test_a_class_from_a_cell_is_saved_with_its_source():
    solution = (ROOT / "teacher" / "solutions" / "04a_optimizers.py").read_text()
    source = solution[solution.index("class Adam"):solution.index("ANSWERS")]
    ns = cell(source)
    assert optim.adam.check(ns["Adam"]).correct
    mine = student_library.load("Adam", quiet=True)
    assert mine.whose["Adam"] == "yours" and "class Adam" in library().read_text()


def test_a_class_whose_base_is_defined_elsewhere_is_not_saved():
    ns = cell("class Base:\n    pass\n\n\nclass Momentum(Base):\n    def step(self, p, g):\n"
              "        pass\n")
    message = optim.momentum._save((ns["Momentum"],))
    assert "`Base`" in message and not saved("Momentum")


def test_a_hand_edited_wrong_piece_is_not_used(capsys):
    ns = cell(RELU)
    forward.relu.check(ns["relu"], ns["relu_grad"])
    text = library().read_text().replace("np.maximum(z, 0.0)", "np.abs(z)")
    library().write_text(text)
    mine = student_library.load("relu")
    assert mine.whose["relu"] == "nnlib's"
    assert "yours in my_network.py fails its check" in capsys.readouterr().out


def test_a_library_that_does_not_run_is_not_used(capsys):
    library().parent.mkdir(parents=True, exist_ok=True)
    library().write_text("# ---------------------------------------- relu (02_forward_pass)\n"
                         "def relu(z):\n    return z +\n")
    assert student_library.load("relu").whose["relu"] == "nnlib's"
    assert "does not run (SyntaxError" in capsys.readouterr().out


def test_without_stand_ins_a_missing_piece_is_an_error(monkeypatch):
    monkeypatch.setenv("NNLIB_STAND_INS", "0")
    with pytest.raises(student_library.LibraryError, match="backprop: no piece of yours"):
        student_library.load("backprop", quiet=True)
    with pytest.raises(ValueError, match="no piece called 'relu_gradient'"):
        student_library.load("relu_gradient")


def test_pieces_import_by_name(capsys):
    from course.student_library import relu_grad

    assert relu_grad is student_library.stand_in("relu_grad")
    assert "relu_grad: nnlib's, until yours passes its check in 02_forward_pass" in (
        capsys.readouterr().out)
    with pytest.raises(ImportError):
        from course.student_library import not_a_piece  # noqa: F401


def test_labels_say_whose_code_ran(capsys):
    task = optim.adam
    task.whose = None
    assert task.label == "nnlib's Adam"
    task.use(lambda: ...)
    assert task.label == "nnlib's Adam, standing in for yours"
    task.use(nnlib.Adam)  # nnlib's own class is a copy, never "yours"
    assert task.label == "nnlib's Adam, standing in for yours"
    capsys.readouterr()


@pytest.fixture
def full_library(monkeypatch):
    """Every piece from the teacher's solutions; nnlib's stand-ins off."""
    monkeypatch.setenv("NNLIB_STAND_INS", "0")
    where, saved = classroom.write_library(student_library.path())
    assert saved == list(student_library.PIECES)
    return where


def test_the_trace_names_every_piece_that_ran(full_library, monkeypatch):
    mine = student_library.load("dense_forward", "relu", "relu_grad", "mse_grad",
                                "dense_backward", "backprop", "train", "Adam", quiet=True)
    X, y = make_linear(seed=1)
    net = student_library.Network(nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"],
                                            seed=1).get_weights(), mine)
    _, ran = student_library.trace(mine.train, net, X, y, mine.Adam(), epochs=1,
                                   batch_size=32, seed=1)
    assert dict(ran) == {name: "yours" for name in (
        "train", "backprop", "dense_forward", "relu", "mse_grad", "dense_backward",
        "relu_grad", "Adam")}
    # with nnlib's relu_grad standing in, the line says so
    monkeypatch.setenv("NNLIB_STAND_INS", "1")
    text = full_library.read_text()
    start = text.index("# ---------------------------------------- relu_grad")
    full_library.write_text(text[:start] + text[text.index("# ------", start + 10):])
    mine = student_library.load("backprop", "relu_grad", quiet=True)
    _, ran = student_library.trace(mine.backprop, net.params, X, y)
    assert ("relu_grad", "nnlib's") in ran and ("backprop", "yours") in ran


ARTICLE = ([1, 10, 5, 1], ["relu", "relu", "linear"])


@pytest.mark.parametrize("seed", [0, 1, 7, 2026])
def test_the_article_model_on_the_students_pieces_alone_is_fit(full_library, seed):
    """03 and 04: the student's train and backprop (and 04's Adam and L2 gradient) take
    the same 800 steps as MLP.fit: the losses and weights are equal, not merely close."""
    mine = student_library.load("backprop", "train", "Adam", "l2_penalty_grad", quiet=True)
    X, y = make_linear(seed=seed)
    for l2, optimizer in ((0.0, nnlib.Adam), (1e-3, mine.Adam)):
        start = nnlib.MLP(*ARTICLE, seed=seed)
        net = student_library.Network(start.get_weights(), mine, l2=l2)
        losses = mine.train(net, X, y, optimizer(learning_rate=0.001), epochs=200,
                            batch_size=32, seed=seed)
        fit = start.fit(X, y, optimizer=nnlib.Adam(learning_rate=0.001), loss="mse", l2=l2,
                        epochs=200, batch_size=32, seed=seed)["loss"]
        assert losses == list(fit)
        assert all(np.array_equal(a, b) for a, b in zip(net.params, start.get_weights()))


@pytest.mark.parametrize("seed", [0, 3, 31])
def test_07s_run_on_the_students_pieces_is_nnlibs_to_the_last_bit(full_library, seed):
    """07 compares the student's network with Keras' float64 twin: it follows nnlib's
    trajectory exactly, so the bound on nnlib's gap to Keras holds for it too."""
    mine = student_library.load("dense_forward", "relu", "relu_grad", "mse_grad",
                                "dense_backward", "backprop", "Adam", quiet=True)
    X, y = make_linear(seed=seed)
    start = nnlib.MLP(*ARTICLE, seed=seed)
    _, nnlib_thetas = comparison.train_with_trajectory(
        start.copy(), X, y, optimizer=nnlib.Adam(**comparison.EXACT_ADAM), epochs=200,
        shuffle=False)
    net = student_library.Network(start.get_weights(), mine)
    adam = mine.Adam(**comparison.EXACT_ADAM)
    thetas = [np.concatenate([p.ravel() for p in net.params])]
    for _ in range(200):
        for first in range(0, len(X), 32):
            _, grads = net.loss_and_grads(X[first:first + 32], y[first:first + 32])
            adam.step(net.params, grads)
        thetas.append(np.concatenate([p.ravel() for p in net.params]))
    assert np.array_equal(np.array(thetas), nnlib_thetas)


def test_the_regrade_never_runs_the_students_library(tmp_path):
    """A graded notebook's hidden tests judge its own tasks, with nnlib's earlier pieces:
    the regrade does not execute my_network.py, so a library that patches the grading
    machinery as it loads (any section may hold any code) changes nothing."""
    library().parent.mkdir(parents=True, exist_ok=True)
    library().write_text(
        "# ---------------------------------------- relu (02_forward_pass)\n"
        "import course.exercises\n\ncourse.exercises.Task.grade = lambda *args: None\n")
    solution = (ROOT / "teacher" / "solutions" / "03_learning_backprop.py").read_text()
    right = solution[solution.index("def mse_grad"):]
    for source, passes in ((right, True),
                           (right.replace("dZ = mse_grad(y, A)", "dZ = 2 * (A - y)"), False)):
        job = {
            "imports": ["from course.student_library import dense_forward, relu, relu_grad",
                        "from course.n03_learning_backprop import tasks", "import numpy as np"],
            "solutions": {"all": source},
            "test": ["tasks.backprop.grade(backprop)"],
        }
        out = subprocess.run([sys.executable, str(ROOT / "tools" / "grade_runner.py")],
                             input=json.dumps(job), capture_output=True, text=True,
                             check=True, cwd=tmp_path)
        assert json.loads(out.stdout)["passed"] is passes, out.stdout


def test_a_piece_that_passes_but_cannot_be_saved_says_so_and_no_stale_copy_is_used(capsys):
    old = cell("def dense_forward(X, W, b):\n    return X @ W + b\n")
    assert structure.dense_forward.check(old["dense_forward"]).correct  # saved
    newer = cell("BIAS = 1.0\n\n\ndef dense_forward(X, W, b):\n    return X @ W + BIAS * b\n")
    feedback = structure.dense_forward.check(newer["dense_forward"])
    assert feedback.correct and "not saved" in feedback.message
    capsys.readouterr()
    mine = student_library.load("dense_forward")
    line = capsys.readouterr().out
    assert mine.whose["dense_forward"] == "nnlib's"  # not the older copy
    assert "passed its check but could not be saved" in line and "`BIAS`" in line
