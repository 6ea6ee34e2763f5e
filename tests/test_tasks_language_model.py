"""Notebook 05d's embedding_backward task: a right function passes (the notebook's task cell
with the teacher's solution merged in, and two other right ways); each typical mistake is
named only when the student's result is exactly what it gives; a call or a copy of the
course's version is refused; a right function trains the notebook's model as the course's."""

import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import classroom  # noqa: E402

from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED  # noqa: E402
from course.n05d_language_model import mlp, tasks, text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_NOTEBOOK = nbformat.read(ROOT / "notebooks" / "05d_language_model.ipynb", as_version=4)
_TASK_CELL = next(c.source for c in _NOTEBOOK.cells
                  if c.metadata.get("nbgrader", {}).get("grade_id") == "embedding_backward")
_SOLUTIONS = (ROOT / "teacher" / "solutions" / "05d_language_model.py").read_text()
# The notebook's task cell with the teacher's solution merged in: what a right student writes.
RIGHT = classroom.merge_solutions(_TASK_CELL, _SOLUTIONS)
HEADER = "import numpy as np\n\n\n"


def _function(source, name="student_embedding"):
    namespace = {}
    exec(compile(HEADER + source, f"<{name}>", "exec"), namespace)  # as a notebook cell would
    return namespace["embedding_backward"]


def _body(body):
    return HEADER + "def embedding_backward(d_emb, indices, vocab_size):\n" + body


OTHER_RIGHT = {
    "a loop": _body(
        "    dE = np.zeros((vocab_size, d_emb.shape[-1]))\n"
        "    for i in range(indices.shape[0]):\n"
        "        for k in range(indices.shape[1]):\n"
        "            dE[indices[i, k]] += d_emb[i, k]\n"
        "    return dE\n"),
    "a one-hot product": _body(
        "    one_hot = np.eye(vocab_size)[indices.ravel()]\n"
        "    return one_hot.T @ d_emb.reshape(-1, d_emb.shape[-1])\n"),
}

MISTAKES = {  # (the body, words of the message that names it)
    "dE[indices] += d_emb": (
        "    dE = np.zeros((vocab_size, d_emb.shape[-1]))\n"
        "    dE[indices] += d_emb\n"
        "    return dE\n", "np.add.at"),
    "dE[indices] = d_emb": (
        "    dE = np.zeros((vocab_size, d_emb.shape[-1]))\n"
        "    dE[indices] = d_emb\n"
        "    return dE\n", "only one of its gradients"),
    "dE made again for each position": (
        "    for k in range(indices.shape[1]):\n"
        "        dE = np.zeros((vocab_size, d_emb.shape[-1]))\n"
        "        np.add.at(dE, indices[:, k], d_emb[:, k])\n"
        "    return dE\n", "only the last position"),
    "the first position only": (
        "    dE = np.zeros((vocab_size, d_emb.shape[-1]))\n"
        "    np.add.at(dE, indices[:, 0], d_emb[:, 0])\n"
        "    return dE\n", "only the first position"),
    "divided by the batch size": (
        "    dE = np.zeros((vocab_size, d_emb.shape[-1]))\n"
        "    np.add.at(dE, indices, d_emb)\n"
        "    return dE / len(indices)\n", "divided by the batch size"),
    "the mean of each token's gradients": (
        "    dE = np.zeros((vocab_size, d_emb.shape[-1]))\n"
        "    np.add.at(dE, indices, d_emb)\n"
        "    counts = np.bincount(indices.ravel(), minlength=vocab_size)\n"
        "    return dE / np.maximum(counts, 1)[:, None]\n", "average"),
    "rows up to the largest index": (
        "    dE = np.zeros((indices.max() + 1, d_emb.shape[-1]))\n"
        "    np.add.at(dE, indices, d_emb)\n"
        "    return dE\n", "largest index"),
    "transposed": (
        "    dE = np.zeros((d_emb.shape[-1], vocab_size))\n"
        "    np.add.at(dE.T, indices, d_emb)\n"
        "    return dE\n", "transposed"),
}


def test_a_right_function_passes_check_and_grade():
    fn = _function(RIGHT)
    assert tasks.embedding_backward.check(fn).status == CORRECT
    tasks.embedding_backward.grade(fn)


@pytest.mark.parametrize("way", list(OTHER_RIGHT))
def test_other_right_ways_pass(way):
    fn = _function(OTHER_RIGHT[way][len(HEADER):])
    assert tasks.embedding_backward.check(fn).status == CORRECT
    tasks.embedding_backward.grade(fn)


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_mistake_is_named(mistake):
    body, words = MISTAKES[mistake]
    feedback = tasks.embedding_backward.check(_function(_body(body)[len(HEADER):]))
    assert feedback.status == INCORRECT and words in feedback.message, feedback.message
    with pytest.raises(AssertionError):
        tasks.embedding_backward.grade(_function(_body(body)[len(HEADER):]))


def test_a_wrong_function_is_never_marked_correct_and_names_no_mistake_it_did_not_make():
    noisy = _body("    dE = np.zeros((vocab_size, d_emb.shape[-1]))\n"
                  "    np.add.at(dE, indices, d_emb)\n"
                  "    return dE + 1e-3\n")
    feedback = tasks.embedding_backward.check(_function(noisy[len(HEADER):]))
    assert feedback.status == INCORRECT
    named = [m for _, m in tasks.VALUE_MISTAKES] + ["transposed", "largest index"]
    assert not any(words in feedback.message for words in named), feedback.message
    inputs = _body("    d_emb[...] = 0.0\n    return np.zeros((vocab_size, d_emb.shape[-1]))\n")
    assert "changed its inputs" in tasks.embedding_backward.check(
        _function(inputs[len(HEADER):])).message
    none = _body("    np.zeros(3)\n")
    assert "return" in tasks.embedding_backward.check(_function(none[len(HEADER):])).message


def test_the_placeholder_is_not_attempted_and_the_course_function_is_refused():
    assert tasks.embedding_backward.check(_function(_TASK_CELL)).status == NOT_ATTEMPTED
    assert tasks.embedding_backward.check(mlp.embedding_backward).status == INCORRECT
    wrapper = _function("from course.n05d_language_model import mlp\n\n\n"
                        "def embedding_backward(d_emb, indices, vocab_size):\n"
                        "    return mlp.embedding_backward(d_emb, indices, vocab_size)\n")
    feedback = tasks.embedding_backward.check(wrapper)
    assert feedback.status == INCORRECT and "calls the course's" in feedback.message


def _train(fn, seed):
    """The notebook's training (cells 9-18) with ``fn`` as the lookup's backward pass."""
    docs = text.course_prose()
    train_docs, _ = text.split_documents(docs, validation_share=0.1, seed=seed)
    X, y = text.contexts(train_docs, 6)
    params = mlp.init_params(len(text.ALPHABET), 6, embedding_dim=8, hidden=64, seed=seed)
    losses = mlp.train(params, X, y, steps=2000, batch_size=64, learning_rate=0.01, seed=seed,
                       embedding_backward=fn)
    return losses, params


@pytest.mark.parametrize("seed", [0, 1])
def test_a_right_function_trains_the_notebooks_model_as_the_courses(seed):
    """The notebook's check: the same losses (rtol 1e-9) and weights (1e-9) after training."""
    course_losses, course_params = _train(mlp.embedding_backward, seed)
    for source in [RIGHT, OTHER_RIGHT["a one-hot product"][len(HEADER):]]:
        losses, params = _train(_function(source), seed)
        assert np.allclose(losses, course_losses, rtol=1e-9, atol=0)
        assert max(float(np.max(np.abs(p - c))) for p, c in zip(params, course_params)) < 1e-9


def test_exercises():
    answers = {"uniform_loss": float(np.log(27)), "repeated_token": [[2.0], [0.0], [4.0]]}
    namespace = {}
    exec(_SOLUTIONS, namespace)
    assert namespace["ANSWERS"] == answers
    assert tasks.uniform_loss.check(answers["uniform_loss"]).status == CORRECT
    assert "bits" in tasks.uniform_loss.check(np.log2(27)).message
    assert "probability" in tasks.uniform_loss.check(1 / 27).message
    assert tasks.repeated_token.check(answers["repeated_token"]).status == CORRECT
    assert "both gradients" in tasks.repeated_token.check([[2.0], [0.0], [3.0]]).message
    assert "do not average" in tasks.repeated_token.check([[2.0], [0.0], [2.0]]).message
