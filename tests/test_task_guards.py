"""course.task_guards: a time limit on the student's code, and calls of nnlib's own version
found out, for every build-it task."""

import time

import numpy as np
import pytest

import nnlib
from course.exercises import CORRECT, INCORRECT, Exercise, Task
from course.n01_structure import tasks as structure
from course.n02_forward_pass import tasks as forward
from course.n03_learning_backprop import tasks as backprop
from course.n04a_optimizers import tasks as optim
from course.n04b_regularization import tasks as regularize
from course.n05a_mlp_cnn import conv
from course.n05a_mlp_cnn import tasks as cnn
from course.n05b_rnn_lstm_gru import recurrent
from course.n05b_rnn_lstm_gru import tasks as rnn
from course.n05c_transformers import attention
from course.n05c_transformers import tasks as attention_tasks
from course.n06_training_evaluation import tasks as evaluation
from course.task_guards import LibraryWatch, TimedOut, is_students_code, time_limit
from nnlib import activations, callbacks, losses, metrics

ALL_TASKS = [task for module in (structure, forward, backprop, optim, regularize, cnn, rnn,
                                 attention_tasks, evaluation)
             for task in vars(module).values() if isinstance(task, Task)]


def test_every_task_is_covered():
    assert {t.name for t in ALL_TASKS} == {
        "dense_forward", "relu", "sigmoid", "mse_grad", "softmax_cross_entropy",
        "dense_backward", "backprop", "train", "Momentum", "Adam", "dropout",
        "l2_penalty_grad", "conv2d", "conv2d_backward", "max_pool2d_backward", "lstm_step",
        "rnn_backward", "attention",
        "precision_recall_f1", "r2_score", "EarlyStopping"}


def _wrappers(task):
    """One-line cheats built on the task's reference: a call of it, or a subclass."""
    refs = task._reference if isinstance(task._reference, tuple) else (task._reference,)
    if isinstance(refs[0], type):
        return [(type("Mine", (refs[0],), {}),)]
    return [refs, tuple(_calling(r) for r in refs)]


def _calling(reference):
    return lambda *args, **kwargs: reference(*args, **kwargs)


@pytest.mark.parametrize("task", ALL_TASKS, ids=lambda t: t.name)
def test_the_reference_or_a_one_line_call_of_it_fails_the_check_and_the_hidden_test(
        task, assert_named):
    for cheat in _wrappers(task):
        assert_named(task, *cheat, pattern=r"calls (nnlib's|the course's) .*write it yourself")


class _AdamWrapper:
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.inner = nnlib.Adam(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                                epsilon=epsilon)

    def step(self, params, grads):
        self.inner.step(params, grads)


class _StoppingSubclass(callbacks.EarlyStopping):
    pass


def _train_by_fit(model, X, y, optimizer, *, epochs, batch_size, seed):
    return model.fit(X, y, optimizer=optimizer, epochs=epochs, batch_size=batch_size,
                     seed=seed)["loss"]


# The list of one-line copies of nnlib: each one fails.
@pytest.mark.parametrize("task, answer", [
    (forward.relu, (lambda z: activations.relu(z), lambda z: activations.relu_grad(z))),
    (backprop.mse_grad, (losses.mse_grad,)),
    (backprop.train, (_train_by_fit,)),
    (optim.adam, (_AdamWrapper,)),
    (cnn.conv2d, (lambda X, k, b: conv.conv2d(X, k, b),)),
    (rnn.lstm_step, (lambda x, h, c, W, U, b: recurrent.lstm_cell(x, (h, c), W, U, b),)),
    (attention_tasks.attention, (attention.scaled_dot_product_attention,)),
    (evaluation.r2_score, (lambda y, y_hat: metrics.r2(y, y_hat),)),
    (evaluation.early_stopping, (_StoppingSubclass,)),
], ids=lambda v: getattr(v, "name", ""))
def test_a_one_line_call_of_nnlib_fails(task, answer, assert_named):
    assert_named(task, *answer, pattern=r"calls (nnlib's|the course's) .*write it yourself")


def test_nnlib_used_for_other_things_is_fine():
    # backprop may use nnlib's relu; only nnlib's backprop (MLP.loss_and_grads) is a copy
    import importlib
    import sys

    sys.path.insert(0, "teacher/solutions")
    solutions = importlib.import_module("03_learning_backprop")
    assert backprop.backprop.check(solutions.backprop).status == CORRECT
    assert backprop.train.check(solutions.train).status == CORRECT


def test_an_endless_loop_stops_at_the_time_limit_with_a_message():
    def forever(z):
        while True:
            pass

    def checker(fn, rng):
        return None if np.array_equal(fn(-np.ones(3)), np.zeros(3)) else "wrong"

    task = Task("relu", checker, activations.relu, time_limit=0.3)
    start = time.perf_counter()
    feedback = task.check(forever)
    assert time.perf_counter() - start < 2
    assert feedback.status == INCORRECT
    assert "did not finish in 0.3 s: is there a loop that never ends?" in feedback.message
    # the hidden test and use() right after the check do not wait again
    start = time.perf_counter()
    with pytest.raises(AssertionError, match="did not finish"):
        task.grade(forever)
    assert task.use(forever, quiet=True) is activations.relu
    assert time.perf_counter() - start < 0.2
    # a new version of the function is run again
    def fixed(z):
        return np.maximum(z, 0)
    assert task.check(fixed).status == CORRECT


def test_a_students_except_does_not_swallow_the_time_limit():
    def stubborn(z):
        while True:
            try:
                while True:
                    pass
            except Exception:
                pass

    task = Exercise("probe", lambda fn: fn(0), time_limit=0.2)
    assert "did not finish" in task.check(stubborn).message


def test_time_limit_restores_an_outer_timer():
    import signal

    with time_limit(0.1):
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with pytest.raises(TimedOut):
        with time_limit(0.05):
            while True:
                pass


def test_students_code_is_told_from_the_librarys():
    assert not is_students_code(activations.relu.__code__)
    assert not is_students_code(np.mean.__code__ if hasattr(np.mean, "__code__")
                                else LibraryWatch.examine.__code__)
    assert is_students_code(test_students_code_is_told_from_the_librarys.__code__)
    assert is_students_code(compile("1", "/tmp/ipykernel_1/123.py", "eval"))


def test_the_watch_ignores_the_checkers_own_calls():
    watch = LibraryWatch({"activations.relu": activations.relu})

    def checker():
        return activations.relu(np.ones(2))  # library code calling the reference: fine

    checker.__code__ = checker.__code__.replace(co_filename=activations.__file__)
    with watch.watching():
        checker()
    assert watch.caught is None
    with watch.watching():
        (lambda: activations.relu(np.ones(2)))()  # the student's code calling it
    assert watch.caught == "activations.relu"


@pytest.mark.parametrize("task", ALL_TASKS, ids=lambda t: t.name)
def test_no_reference_is_one_tab_away(task):
    # what a student's Tab shows on a task and on its module: no reference code
    public = [n for n in dir(task) if not n.startswith("_")]
    assert not any("reference" in n.lower() for n in public), public
    import sys

    module = sys.modules[task.checker.__module__]
    assert not any("reference" in n.lower() for n in dir(module) if not n.startswith("_"))


def _backprop_cell(mse_grad_body):
    """The teacher's backprop with the student's mse_grad, both defined as a cell defines
    them: in one namespace, backprop calling mse_grad by name."""
    import pathlib

    solution = pathlib.Path("teacher/solutions/03_learning_backprop.py").read_text()
    source = solution[solution.index("def mse_grad"):].replace(
        "return 2 * (y_hat - y) / y_hat.size", mse_grad_body)
    namespace = {"np": np, "nnlib": nnlib, "relu": activations.relu,
                 "relu_grad": activations.relu_grad,
                 "dense_forward": lambda X, W, b: X @ W + b}
    exec(compile(source, "<cell>", "exec"), namespace)
    return namespace


def test_a_task_is_judged_on_its_own_with_nnlibs_version_of_a_failing_piece(capsys):
    cell = _backprop_cell("return 2 * (y_hat - y)")  # mse_grad without its 1/N
    assert backprop.mse_grad.check(cell["mse_grad"]).status == INCORRECT
    feedback = backprop.backprop.check(cell["backprop"])
    assert feedback.correct and "nnlib's mse_grad in place of yours" in feedback.message
    backprop.backprop.grade(cell["backprop"])
    assert cell["mse_grad"](np.zeros(2), np.ones(2)).tolist() == [2.0, 2.0]  # restored
    mine = backprop.backprop.use(cell["backprop"])
    assert "with nnlib's mse_grad in place of yours" in capsys.readouterr().out
    model = nnlib.MLP([1, 4, 1], ["relu", "linear"], seed=0)
    X, y = np.linspace(-1, 1, 8).reshape(-1, 1), np.ones((8, 1))
    _, grads = mine(model.get_weights(), X, y)
    assert all(np.allclose(g, r) for g, r in zip(grads, model.loss_and_grads(X, y)[1]))


def test_a_wrong_task_is_not_excused_by_a_right_piece():
    cell = _backprop_cell("return 2 * (y_hat - y) / y_hat.size")
    wrong = cell["backprop"]
    cell["backprop"] = None

    def backprop_without_relu_slope(params, X, y):
        loss, grads = wrong(params, X, y)
        return loss, [2 * g for g in grads]

    assert backprop.backprop.check(backprop_without_relu_slope).status == INCORRECT


def _cell_function(source, name):
    namespace = {}
    exec(compile(source, "<cell>", "exec"), namespace)  # as a notebook cell defines it
    return namespace[name]


@pytest.mark.parametrize("source", [
    # a call the profiler cannot see: from a thread
    "from concurrent.futures import ThreadPoolExecutor\n"
    "from nnlib import activations\n"
    "def relu(z):\n"
    "    with ThreadPoolExecutor(1) as pool:\n"
    "        return pool.submit(activations.relu, z).result()\n",
    # the profiler switched off, then nnlib's function
    "import sys\n"
    "from nnlib import activations\n"
    "def relu(z):\n"
    "    sys.setprofile(None)\n"
    "    return activations.relu(z)\n",
])
def test_a_call_hidden_from_the_watch_is_refused(source):
    from course.n02_forward_pass import tasks

    relu = _cell_function(source, "relu")
    feedback = tasks.relu.check(relu, _cell_function("def relu_grad(z):\n    return (z > 0) * 1.0\n",
                                                     "relu_grad"))
    assert feedback.status == "incorrect"
    assert "watch" in feedback.message or "calls nnlib's" in feedback.message


def test_a_name_the_code_reads_is_found_without_running_it():
    from course.n05d_language_model import mlp
    from course.task_guards import LibraryWatch

    watch = LibraryWatch({"reference embedding_backward": mlp.embedding_backward})
    aliased = _cell_function("from course.n05d_language_model.mlp import embedding_backward as e\n"
                             "def f(d, i, v):\n    return e(d, i, v)\n", "f")
    dotted = _cell_function("import course.n05d_language_model.mlp\n"
                            "def f(d, i, v):\n"
                            "    return course.n05d_language_model.mlp.embedding_backward(d, i, v)\n",
                            "f")
    own = _cell_function("import numpy as np\n"
                         "def f(d, i, v):\n"
                         "    out = np.zeros((v, d.shape[-1]))\n"
                         "    np.add.at(out, i, d)\n"
                         "    return out\n", "f")
    assert watch.examine(aliased) == watch.examine(dotted) == "reference embedding_backward"
    assert watch.examine(own) is None


def test_a_verbatim_copy_rewriting_code_and_the_checkers_helpers_are_refused(assert_named):
    """Three cheats a grading trial found (05e): the reference's source run again with
    exec, a function that rewrites code objects, and the checker's own helper functions."""
    import inspect

    from course.n05e_transformer_block import block
    from course.n05e_transformer_block import tasks as t05e

    scope = {"np": np}
    exec(inspect.getsource(block.attention_backward), scope)  # noqa: S102 (the cheat itself)
    assert_named(t05e.attention_backward, scope["attention_backward"],
                 pattern=r"calls the course's .*write it yourself")

    def rewrites(d_out, Q, K, V, weights):
        rewrites.__code__ = rewrites.__code__
        return block.attention_backward(d_out, Q, K, V, weights)

    assert_named(t05e.attention_backward, rewrites, pattern=r"rewrites functions")

    def helpers(d_out, Q, K, V, weights):
        return t05e._from_dS(t05e._jacobian(t05e._dA(d_out, V), weights), d_out, Q, K, weights)

    assert_named(t05e.attention_backward, helpers, pattern=r"calls the course's tasks\._")


def test_a_framework_that_computes_the_answer_is_refused(assert_named):
    """TensorFlow's autodiff or a Keras layer in the student's code: not their own work."""
    from course import keras_twin

    keras = keras_twin.import_keras()
    import tensorflow as tf

    def by_gradient_tape(dY, X, pool_size):
        x = tf.constant(X)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.max_pool2d(x, pool_size, pool_size, "VALID")
        return tape.gradient(y, x, output_gradients=tf.constant(dY)).numpy()

    def by_keras_layer(X, kernel, bias):
        layer = keras.layers.Conv2D(kernel.shape[3], kernel.shape[:2], dtype="float64")
        layer.build(X.shape)
        layer.set_weights([kernel, bias])
        return layer(X).numpy()

    assert_named(cnn.max_pool2d_backward, by_gradient_tape, pattern=r"calls TensorFlow, which "
                 r"would compute it for you")
    assert_named(cnn.conv2d, by_keras_layer, pattern=r"calls (Keras|TensorFlow), which would")


@pytest.mark.parametrize("task, cheat", [
    # finite differences, nnlib's or through a checker's helper
    (cnn.conv2d_backward, lambda dZ, X, kernel: tuple(
        nnlib.gradcheck.numerical_gradient(lambda a, i=i: float(np.sum(
            dZ * conv.conv2d(*[a if j == i else b for j, b in enumerate((X, kernel))]))),
            (X, kernel)[i]) for i in range(2)) + (dZ.sum(axis=(0, 1, 2)),)),
    # the helpers that build a task's mistakes, called with their defaults
    (rnn.lstm_step, lambda *args: rnn._lstm_variant(*args)),
    (rnn.rnn_backward, lambda *args: rnn._bptt_variant(*args)),
])
def test_finite_differences_and_the_mistake_builders_are_refused(task, cheat, assert_named):
    assert_named(task, cheat, pattern=r"(finite differences|calls the course's|calls nnlib's)")


def test_a_frameworks_clean_up_inside_the_students_code_is_not_theirs_but_their_own_is():
    """The garbage collector may run TensorFlow's finalizers in the middle of any code; a
    correct answer is not blamed for them. A finalizer the student writes still is."""
    from course import keras_twin

    keras_twin.import_keras()
    import tensorflow as tf

    def mine(dY, X, pool_size):
        windows = X[:, :dY.shape[1] * pool_size, :dY.shape[2] * pool_size]
        n, h, w, c = windows.shape
        blocks = windows.reshape(n, h // pool_size, pool_size, w // pool_size, pool_size, c)
        flat = blocks.transpose(0, 1, 3, 5, 2, 4).reshape(*dY.shape, -1)
        first = np.argmax(flat, axis=-1)[..., None]
        routed = (np.arange(pool_size**2) == first) * dY[..., None]
        dX = np.zeros_like(X)
        dX[:, :h, :w] = routed.reshape(n, h // pool_size, w // pool_size, c, pool_size,
                                       pool_size).transpose(0, 1, 4, 2, 5, 3).reshape(n, h, w, c)
        return dX

    garbage = []

    def mine_amid_garbage(dY, X, pool_size):
        garbage.clear()  # the last reference to a TensorFlow function goes: its __del__ runs
        return mine(dY, X, pool_size)

    def refill():
        garbage.append(tf.function(lambda x: x + 1).get_concrete_function(
            tf.TensorSpec(None, tf.float64)))

    refill()
    assert cnn.max_pool2d_backward.check(mine_amid_garbage).status == "correct"

    class Finalizer:
        def __init__(self, out, dY, X, pool_size):
            self.out, self.args = out, (dY, X, pool_size)

        def __del__(self):
            dY, X, pool_size = self.args
            x = tf.constant(X)
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = tf.nn.max_pool2d(x, pool_size, pool_size, "VALID")
            self.out.append(tape.gradient(y, x, output_gradients=tf.constant(dY)).numpy())

    def sneaky(dY, X, pool_size):
        out = []
        Finalizer(out, dY, X, pool_size)  # dropped at once: its __del__ computes the answer
        return out[0]

    feedback = cnn.max_pool2d_backward.check(sneaky)
    assert feedback.status == "incorrect" and "calls TensorFlow" in feedback.message

    def through_a_finalizer(dY, X, pool_size):  # the course's answer, called by weakref
        import weakref

        holder = type("Holder", (), {})()
        return weakref.finalize(holder, getattr(conv, "max_pool2d_back" + "ward"), dY, X,
                                pool_size)()

    feedback = cnn.max_pool2d_backward.check(through_a_finalizer)
    assert feedback.status == "incorrect" and "calls the course's" in feedback.message
