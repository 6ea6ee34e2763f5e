"""Notebook 05e's attention_backward task: a right function passes (the notebook's task cell
with the teacher's solution merged in, and another right way); each typical mistake is named
only when the student's arrays are exactly what it gives, and no wrong function is marked
correct; a call or a copy of the course's version is refused; a right function gives the
notebook's model the course's gradients; the practice exercises and their mistakes."""

import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import classroom  # noqa: E402

from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED  # noqa: E402
from course.n04c_deep_networks.deep import layer_norm_backward  # noqa: E402
from course.n05c_transformers.attention import scaled_dot_product_attention  # noqa: E402
from course.n05d_language_model.mlp import embedding_backward  # noqa: E402
from course.n05e_transformer_block import block, tasks  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_NOTEBOOK = nbformat.read(ROOT / "notebooks" / "05e_transformer_block.ipynb", as_version=4)
_TASK_CELL = next(c.source for c in _NOTEBOOK.cells
                  if c.metadata.get("nbgrader", {}).get("grade_id") == "attention_backward")
_SOLUTIONS = (ROOT / "teacher" / "solutions" / "05e_transformer_block.py").read_text()
# The notebook's task cell with the teacher's solution merged in: what a right student writes.
RIGHT = classroom.merge_solutions(_TASK_CELL, _SOLUTIONS)
HEADER = "import numpy as np\n\n\n"


def _function(source, name="student_attention_backward"):
    namespace = {}
    exec(compile(HEADER + source, f"<{name}>", "exec"), namespace)  # as a notebook cell would
    return namespace["attention_backward"]


def _student(d_out, Q, K, V, weights, mistake=None):
    """attention_backward written as a student would, with one thing changed (or none)."""
    def T(a):
        return a.T if mistake == ".T" else np.swapaxes(a, -1, -2)

    if mistake == "weights again without the mask":
        scores = Q @ T(K) / np.sqrt(Q.shape[-1])
        e = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights = e / e.sum(axis=-1, keepdims=True)
    dV = weights @ d_out if mistake == "dV = A d_out" else T(weights) @ d_out
    dA = d_out @ T(V)
    if mistake == "dS = A * dA":
        dS = weights * dA
    elif mistake == "dS = dA":
        dS = dA
    elif mistake == "unweighted sum":
        dS = weights * (dA - dA.sum(axis=-1, keepdims=True))
    else:
        axis = -2 if mistake == "sum over the queries" else -1
        dS = weights * (dA - (dA * weights).sum(axis=axis, keepdims=True))
    d_k = Q.shape[-1]
    scale = {"no scale": 1.0, "times sqrt(d_k)": np.sqrt(d_k),
             "over d_k": 1 / d_k}.get(mistake, 1 / np.sqrt(d_k))
    dQ = (T(dS) if mistake == "dQ = dS^T K" else dS) @ K * scale
    dK = (dS if mistake == "dK = dS Q" else T(dS)) @ Q * scale
    if mistake == "(dV, dK, dQ)":
        return dV, dK, dQ
    if mistake == "(dK, dQ, dV)":
        return dK, dQ, dV
    if mistake == "two arrays":
        return dQ, dK
    return dQ, dK, dV


def _with(mistake):
    return lambda d_out, Q, K, V, weights: _student(d_out, Q, K, V, weights, mistake)


MISTAKES = {  # the mistake, and words of the message that names it
    "no scale": "1/sqrt(d_k) is missing",
    "times sqrt(d_k)": "multiplied by sqrt(d_k)",
    "over d_k": "divided by d_k",
    "dS = A * dA": "not only its diagonal",
    "unweighted sum": "not of dA alone",
    "sum over the queries": "runs over the queries",
    "dS = dA": "the softmax lies between them",
    "weights again without the mask": "computed again without the mask",
    "dV = A d_out": "the weights are not transposed",
    "dK = dS Q": "dS is not transposed",
    "dQ = dS^T K": "must not be transposed there",
    "(dV, dK, dQ)": "in another order",
    "(dK, dQ, dV)": "in another order",
    ".T": "swap only the last two",
    "two arrays": "return three arrays",
}
_NAMED = [message for _, _, message in tasks.MISTAKES] + ["in another order",
                                                          "swap only the last two"]


def test_a_right_function_passes_check_and_grade():
    for fn in (_function(RIGHT), _with(None)):
        assert tasks.attention_backward.check(fn).status == CORRECT
        tasks.attention_backward.grade(fn)


def test_the_solution_matches_the_course_and_finite_differences_on_its_own():
    fn = _function(RIGHT)
    rng = np.random.default_rng(3)
    for _, d_out, Q, K, V, mask in tasks._cases(rng):
        weights = scaled_dot_product_attention(Q, K, V, mask)[1]
        mine = fn(d_out, Q, K, V, weights)
        for a, b, c in zip(mine, block.attention_backward(d_out, Q, K, V, weights),
                           tasks._numeric(d_out, Q, K, V, mask)):
            assert np.allclose(a, b, rtol=1e-10, atol=1e-12)
            assert np.allclose(a, c, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_mistake_is_named_and_fails_the_hidden_test(mistake):
    feedback = tasks.attention_backward.check(_with(mistake))
    assert feedback.status == INCORRECT and MISTAKES[mistake] in feedback.message, \
        feedback.message
    with pytest.raises(AssertionError):
        tasks.attention_backward.grade(_with(mistake))


def test_the_named_mistakes_differ_from_the_right_answer_and_from_each_other():
    """On the first (square, masked) case every mistake of the catalogue runs and gives
    arrays of its own: none can be mistaken for another or for the right answer."""
    _, d_out, Q, K, V, mask = tasks._cases(np.random.default_rng(tasks.attention_backward.seed))[0]
    weights = scaled_dot_product_attention(Q, K, V, mask)[1]
    right = block.attention_backward(d_out, Q, K, V, weights)
    wrongs = tasks._wrong_values(d_out, Q, K, V, weights)
    assert len(wrongs) == len(tasks.MISTAKES)
    outputs = [tuple(value.get(k, right[k]) for k in range(3)) for value, _ in wrongs]
    for i, a in enumerate(outputs):
        assert not all(np.allclose(x, y) for x, y in zip(a, right)), wrongs[i][1]
        for b in outputs[i + 1:]:
            assert not all(np.allclose(x, y) for x, y in zip(a, b))


@pytest.mark.parametrize("body", [
    # a small error everywhere
    "    dQ, dK, dV = _right(d_out, Q, K, V, weights)\n    return dQ, dK, dV + 1e-3\n",
    # two mistakes at once: no scale and no subtraction
    "    dA = d_out @ np.swapaxes(V, -1, -2)\n"
    "    dS = weights * dA\n"
    "    return dS @ K, np.swapaxes(dS, -1, -2) @ Q, np.swapaxes(weights, -1, -2) @ d_out\n",
    # dK and dV right, dQ three times too large
    "    dQ, dK, dV = _right(d_out, Q, K, V, weights)\n    return 3 * dQ, dK, dV\n",
])
def test_wrong_functions_are_never_correct_and_name_no_mistake_they_did_not_make(body):
    source = (RIGHT.replace("def attention_backward", "def _right")
              + "\n\n\ndef attention_backward(d_out, Q, K, V, weights):\n" + body)
    feedback = tasks.attention_backward.check(_function(source))
    assert feedback.status == INCORRECT
    assert not any(words in feedback.message for words in _NAMED), feedback.message


def test_inputs_changed_in_place_and_a_missing_return_are_reported():
    in_place = _function(
        "def attention_backward(d_out, Q, K, V, weights):\n"
        "    dV = np.swapaxes(weights, -1, -2) @ d_out\n"
        "    dS = weights\n"
        "    dS *= d_out @ np.swapaxes(V, -1, -2)\n"
        "    dS -= weights * dS.sum(axis=-1, keepdims=True)\n"
        "    dS /= np.sqrt(Q.shape[-1])\n"
        "    return dS @ K, np.swapaxes(dS, -1, -2) @ Q, dV\n")
    assert "changed its inputs" in tasks.attention_backward.check(in_place).message
    none = _function("def attention_backward(d_out, Q, K, V, weights):\n    np.zeros(3)\n")
    assert "return" in tasks.attention_backward.check(none).message


def test_the_placeholder_is_not_attempted_and_the_course_function_is_refused():
    assert tasks.attention_backward.check(_function(_TASK_CELL)).status == NOT_ATTEMPTED
    refused = [
        block.attention_backward,
        _function("from course.n05e_transformer_block.block import attention_backward as f\n"
                  "\n\ndef attention_backward(d_out, Q, K, V, weights):\n"
                  "    return f(d_out, Q, K, V, weights)\n"),
        _function("import course.n05e_transformer_block.block\n\n\n"
                  "def attention_backward(d_out, Q, K, V, weights):\n"
                  "    return course.n05e_transformer_block.block.attention_backward(\n"
                  "        d_out, Q, K, V, weights)\n"),
        _function("from course.n05e_transformer_block import block\n\n\n"
                  "def attention_backward(d_out, Q, K, V, weights):\n"
                  "    dQ, dK, dV = block.attention_backward(d_out, Q, K, V, weights)\n"
                  "    return dQ + 0.0, dK, dV\n"),
    ]
    for fn in refused:
        feedback = tasks.attention_backward.check(fn)
        assert feedback.status == INCORRECT and "calls the course's" in feedback.message, \
            feedback.message
        with pytest.raises(AssertionError):
            tasks.attention_backward.grade(fn)


def test_use_goes_on_with_the_students_function_only_when_it_is_right(capsys):
    right = _function(RIGHT)
    assert tasks.attention_backward.use(right) is right
    assert "Using your attention_backward" in capsys.readouterr().out
    assert tasks.attention_backward.use(_with("no scale")) is block.attention_backward
    assert "the course's attention_backward stands in" in capsys.readouterr().out.lower()


def test_a_right_function_gives_the_notebooks_model_the_courses_gradients():
    pieces = SimpleNamespace(attention=scaled_dot_product_attention,
                             layer_norm_backward=layer_norm_backward,
                             embedding_backward=embedding_backward)
    params = block.init_params(27, 8, d_model=16, n_blocks=2, n_heads=2, seed=0)
    rng = np.random.default_rng(0)
    X, y = rng.integers(0, 27, size=(3, 8)), rng.integers(0, 27, size=(3, 8))
    loss, grads = block.loss_and_grads(pieces, params, X, y)
    mine_loss, mine = block.loss_and_grads(pieces, params, X, y,
                                           attention_backward=_function(RIGHT))
    assert mine_loss == loss
    assert all(np.allclose(mine[name], grads[name], rtol=1e-10, atol=1e-14) for name in grads)


def test_the_task_has_hints_from_the_idea_to_the_formula():
    hints = tasks.attention_backward.hints
    assert len(hints) == 3 and "np.swapaxes" in hints[2] and "softmax" in hints[0]
    assert tasks.residual_gradient.hints and tasks.stream_growth.hints


def test_exercises(assert_practice, assert_named):
    namespace = {}
    exec(_SOLUTIONS, namespace)
    answers = namespace["ANSWERS"]
    assert answers == {"residual_gradient": [0.5, -2.0, 1.0], "stream_growth": 16.0}
    assert_practice(tasks.residual_gradient, answers["residual_gradient"], [0.5, 2.0, 1.0])
    assert_practice(tasks.stream_growth, answers["stream_growth"], 8.0)
    assert_named(tasks.residual_gradient, [0.0, 0.0, 0.0],
                 pattern="without the residual that would be the answer")
    assert_named(tasks.residual_gradient, [1.0, -4.0, 2.0], pattern="not twice")
    assert_named(tasks.stream_growth, 256, pattern="that is the variance")
    assert_named(tasks.stream_growth, 9, pattern="variances do")
    assert_named(tasks.stream_growth, 3, pattern="not 1")
    for exercise in (tasks.residual_gradient, tasks.stream_growth):
        assert exercise.hint(1).startswith("Hint 1/2: ") and exercise.hint(2)


def test_the_written_question_has_a_model_answer():
    written = classroom.written_answers(_SOLUTIONS)
    words = written["why_residual"].split()
    assert 80 <= len(words) <= 140
    assert "average" in written["why_residual"] and "identity" in written["why_residual"]
