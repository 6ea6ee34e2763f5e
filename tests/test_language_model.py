"""course/n05d_language_model: the text and its tokens, the bigram model, the MLP (its gradient
against finite differences) and sampling; the static figures."""

import json

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from course.n05d_language_model import bigram, mlp, plots, text  # noqa: E402
from nnlib.gradcheck import numerical_gradient, relative_error  # noqa: E402

V = len(text.ALPHABET)


# ---------------------------------------------------------------- text


def test_clean_keeps_prose_and_writes_the_rest_as_one_rare_symbol():
    assert text.clean("## The *loss* of $f(x)$ at [step](03.ipynb) 12!") == "the loss of # at step #"
    assert text.clean("A `batch_size`\n\nof  64 (or 128).") == "a batch size of # (or #)."
    assert text.clean("$$\\sum_i x_i$$ and Ω") == "# and #"
    assert set(text.clean("Ünïcödé — “quotes” ½")) <= set(text.ALPHABET)


def test_encode_and_decode_are_inverse_and_refuse_what_they_cannot_hold():
    words = "hello, world: (it's) a-b #"
    assert text.decode(text.encode(words)) == words
    assert text.encode(text.END)[0] == 0
    with pytest.raises(ValueError, match="only the characters of ALPHABET"):
        text.encode("Capital")
    with pytest.raises(ValueError, match=r"must lie in \[0, 36\)"):
        text.decode([0, 36])


def test_contexts_pad_each_document_with_end_tokens_worked_by_hand():
    X, y = text.contexts(["ab", "c"], 2)
    a, b, c = text.encode("abc")
    np.testing.assert_array_equal(X, [[0, 0], [0, a], [a, b], [0, 0], [0, c]])
    np.testing.assert_array_equal(y, [a, b, 0, c, 0])
    with pytest.raises(ValueError, match="block_size must be a positive integer"):
        text.contexts(["ab"], 0)


def test_split_keeps_whole_documents_and_depends_on_the_seed_only():
    docs = [f"paragraph {chr(97 + i)}" for i in range(20)]
    train, val = text.split_documents(docs, validation_share=0.1, seed=3)
    assert len(val) == 2 and sorted(train + val) == sorted(docs)
    assert (train, val) == text.split_documents(docs, validation_share=0.1, seed=3)
    with pytest.raises(ValueError, match="validation_share must lie in"):
        text.split_documents(docs, validation_share=1.0)
    with pytest.raises(ValueError, match="at least 2 documents"):
        text.split_documents(["one"])


def test_notebook_prose_reads_markdown_cells_only(tmp_path):
    cells = [{"cell_type": "markdown", "source": ["# Title\n", "Some *prose*."]},
             {"cell_type": "code", "source": "x = 1  # not prose"},
             {"cell_type": "markdown", "source": "   "}]
    (tmp_path / "a.ipynb").write_text(json.dumps({"cells": cells}))
    assert text.notebook_prose(tmp_path) == ["title some prose."]
    with pytest.raises(ValueError, match="no notebook with markdown cells"):
        text.notebook_prose(tmp_path / "nothing")


def test_the_shipped_prose_is_the_notebooks_prose_written_a_document_a_line(tmp_path):
    documents = text.course_prose()
    assert len(documents) > 300 and sum(map(len, documents)) > 100_000
    assert all(documents) and set("".join(documents)) <= set(text.ALPHABET) - {text.END}
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    cells = [{"cell_type": "markdown", "source": "One *idea*."},
             {"cell_type": "markdown", "source": "Two, $x^2$."}]
    (notebooks / "a.ipynb").write_text(json.dumps({"cells": cells}))
    assert text.write_course_prose(notebooks, tmp_path / "prose.txt") == 2
    assert (tmp_path / "prose.txt").read_text() == "one idea.\ntwo, #.\n"


# ---------------------------------------------------------------- bigram


def test_bigram_counts_and_smoothing_worked_by_hand():
    X, y = np.array([[0], [1], [1]]), np.array([1, 1, 2])  # pairs 0->1, 1->1, 1->2
    counts = bigram.bigram_counts(X, y, 3)
    np.testing.assert_array_equal(counts, [[0, 1, 0], [0, 1, 1], [0, 0, 0]])
    P = bigram.bigram_probabilities(counts, smoothing=1.0)
    np.testing.assert_allclose(P[0], [1 / 4, 2 / 4, 1 / 4])
    np.testing.assert_allclose(P[2], [1 / 3] * 3)  # never seen: uniform
    nll = bigram.negative_log_likelihood(P, X, y)
    assert np.isclose(nll, -(np.log(2 / 4) + np.log(2 / 5) + np.log(2 / 5)) / 3)
    with pytest.raises(ValueError, match="use smoothing > 0"):
        bigram.bigram_probabilities(counts, smoothing=0.0)
    with pytest.raises(ValueError, match="smoothing must be >= 0"):
        bigram.bigram_probabilities(counts, smoothing=-1.0)


def test_without_smoothing_an_unseen_pair_costs_an_infinite_loss():
    counts = np.array([[1.0, 0.0], [1.0, 1.0]])
    P = bigram.bigram_probabilities(counts, smoothing=0.0)
    assert bigram.negative_log_likelihood(P, [[0]], [1]) == np.inf


# ---------------------------------------------------------------- the MLP


def _tiny(seed=0, output_scale=0.5):
    rng = np.random.default_rng(seed)
    params = mlp.init_params(7, 3, embedding_dim=2, hidden=5, output_scale=output_scale,
                             seed=seed)
    params[2] += rng.normal(size=5) * 0.1
    params[4] += rng.normal(size=7) * 0.1
    X = rng.integers(0, 4, size=(6, 3))  # tokens repeat; rows 4-6 of E unused
    y = rng.integers(0, 7, size=6)
    return params, X, y


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_gradient_agrees_with_finite_differences(seed):
    params, X, y = _tiny(seed)
    loss, grads = mlp.loss_and_grads(params, X, y)
    for i, name in enumerate(mlp.NAMES):
        def f(p, i=i):
            trial = list(params)
            trial[i] = p
            return mlp.loss_and_grads(trial, X, y)[0]

        numeric = numerical_gradient(f, params[i].copy())
        assert relative_error(grads[i], numeric) < 1e-6, name
    assert np.isclose(loss, mlp.negative_log_likelihood(params, X, y))
    assert np.all(grads[0][4:] == 0)  # tokens never looked up get no gradient


def test_embedding_backward_adds_every_use_of_a_token_and_checks_shapes():
    d_emb = np.array([[[1.0], [2.0], [3.0]]])
    np.testing.assert_array_equal(mlp.embedding_backward(d_emb, [[2, 0, 2]], 3),
                                  [[2.0], [0.0], [4.0]])
    with pytest.raises(ValueError, match=r"indices.shape \+ \(embedding_dim,\)"):
        mlp.embedding_backward(np.zeros((2, 3)), np.zeros((2, 3), int), 4)


def test_small_output_weights_start_at_ln_V_and_zero_ones_exactly():
    rng = np.random.default_rng(0)
    X, y = rng.integers(0, V, size=(500, 4)), rng.integers(0, V, size=500)
    zero = mlp.init_params(V, 4, output_scale=0.0, seed=0)
    assert np.isclose(mlp.negative_log_likelihood(zero, X, y), np.log(V), rtol=1e-12)
    small = mlp.init_params(V, 4, output_scale=0.01, seed=0)
    assert abs(mlp.negative_log_likelihood(small, X, y) - np.log(V)) < 0.02
    with pytest.raises(ValueError, match="vocab_size"):
        mlp.init_params(1, 4)


def test_training_lowers_the_loss_and_keeps_the_arrays_it_was_given():
    params, X, y = _tiny(0)
    arrays = [id(p) for p in params]
    before = mlp.negative_log_likelihood(params, X, y)
    losses = mlp.train(params, X, y, steps=200, batch_size=6, learning_rate=0.05, seed=0)
    assert len(losses) == 200 and [id(p) for p in params] == arrays
    assert mlp.negative_log_likelihood(params, X, y) < before / 2
    again, X2, y2 = _tiny(0)
    assert mlp.train(again, X2, y2, steps=200, batch_size=6, learning_rate=0.05,
                     seed=0) == losses  # deterministic


def test_a_stable_softmax_for_large_logits():
    z = np.array([[1000.0, 0.0, -1000.0]])
    log_p = mlp.log_softmax(z)
    assert np.all(np.isfinite(log_p)) and np.isclose(np.exp(log_p).sum(), 1.0)


def test_sampling_follows_the_temperature_and_the_seed():
    params, _, _ = _tiny(0, output_scale=2.0)
    a = mlp.sample(params, 3, 50, temperature=1.0, seed=5)
    assert a.shape == (50,) and a.min() >= 0 and a.max() < 7
    np.testing.assert_array_equal(a, mlp.sample(params, 3, 50, temperature=1.0, seed=5))
    cold = mlp.sample(params, 3, 50, temperature=1e-3, seed=5)
    context = [0, 0, 0]
    for token in cold:  # at a tiny temperature every draw is the likeliest token
        assert token == np.argmax(mlp.logits(params, np.array([context]))[0])
        context = context[1:] + [int(token)]
    p = mlp.next_probabilities(params, [0, 1, 2], 0.5)
    q = mlp.next_probabilities(params, [0, 1, 2], 1.0)
    assert np.isclose(p.sum(), 1.0) and p.max() > q.max()
    with pytest.raises(ValueError, match="temperature"):
        mlp.sample(params, 3, 5, temperature=0.0)


def test_the_sample_frequencies_match_the_distribution():
    params, _, _ = _tiny(1, output_scale=1.0)
    params[1][:] = 0.0  # the context no longer matters: every draw has one distribution
    p = mlp.next_probabilities(params, [0, 0, 0], 1.0)
    draws = mlp.sample(params, 3, 20_000, seed=0)
    freq = np.bincount(draws, minlength=7) / draws.size
    assert np.max(np.abs(freq - p)) < 0.02


# ---------------------------------------------------------------- figures


def test_the_static_figures_draw_what_they_are_given():
    counts = np.arange(V * V, dtype=float).reshape(V, V)
    ax = plots.plot_bigram_counts(counts, text.ALPHABET)
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["⏎", "␣"]
    np.testing.assert_allclose(ax.images[0].get_array(), np.log1p(counts))
    plt.close(ax.figure)
    ax = plots.plot_training([3.0] * 60 + [2.0] * 60, {"a level": 2.5})
    labels = [line.get_label() for line in ax.lines]
    assert "minibatch loss" in labels and any("a level: 2.500" in label for label in labels)
    plt.close(ax.figure)
