"""Tests for nnlib/search.py."""

import math
import warnings

import numpy as np
import pytest

import nnlib
from course.n06_training_evaluation import search, selection_bias
from course.n06_training_evaluation.trainer import MLPTrainer
from nnlib.data import make_linear, make_xor, train_test_split


def bowl(setting):
    """A known objective: lowest at learning_rate=0.01, n_layers=2, batch_size=32."""
    lr, layers = setting["learning_rate"], setting["n_layers"]
    batch = setting.get("batch_size", 32)
    return {"val_loss": (math.log10(lr) + 2) ** 2 + (layers - 2) ** 2
            + (math.log2(batch) - 5) ** 2 / 10}


def test_grid_lists_every_combination_last_varies_fastest():
    settings = search.grid(learning_rate=[0.1, 0.01], n_layers=[1, 2, 3])
    assert len(settings) == 6
    assert settings[:3] == [{"learning_rate": 0.1, "n_layers": k} for k in (1, 2, 3)]
    assert settings[3] == {"learning_rate": 0.01, "n_layers": 1}


def test_grid_search_finds_the_known_best_of_a_known_objective():
    result = search.grid_search(bowl, {"learning_rate": [1.0, 0.1, 0.01, 0.001],
                                       "n_layers": [1, 2, 3], "batch_size": [8, 32, 128]})
    assert len(result) == 36 and result.method == "grid"
    assert result.best == {"learning_rate": 0.01, "n_layers": 2, "batch_size": 32}
    assert result.best_val_loss == 0.0
    assert result.param_names == ["learning_rate", "n_layers", "batch_size"]
    assert result.total_seconds >= sum(row["seconds"] for row in result) >= 0
    assert result.sorted_rows()[0]["val_loss"] == 0.0
    assert "best: learning_rate=0.01, n_layers=2, batch_size=32" in result.summary()


def test_pivot_takes_the_best_or_the_mean_over_the_other_hyperparameters():
    result = search.grid_search(bowl, search.grid(learning_rate=[0.1, 0.01],
                                                  n_layers=[1, 2], batch_size=[16, 32]))
    x_values, y_values, table = result.pivot("learning_rate", "n_layers")
    assert x_values == [0.01, 0.1] and y_values == [1, 2]
    # cell (n_layers=1, lr=0.1): min over batch sizes 16 and 32 = 1 + 1 + 0
    assert table[0, 1] == pytest.approx(2.0)
    assert table[1, 0] == 0.0
    _, _, mean = result.pivot("learning_rate", "n_layers", reduce="mean")
    assert mean[1, 0] == pytest.approx(0.1 / 2)  # (0.1 + 0) / 2
    with pytest.raises(ValueError, match="reduce must be 'min' or 'mean'. Received: reduce='max'"):
        result.pivot("learning_rate", "n_layers", reduce="max")
    with pytest.raises(ValueError, match="'n_neurons' was not searched"):
        result.pivot("learning_rate", "n_neurons")


def test_random_search_is_seeded_and_samples_in_range():
    space = {"learning_rate": search.LogUniform(1e-4, 1e-1),
             "n_layers": [1, 2, 3], "n_neurons": search.LogUniform(2, 64, integer=True)}
    a = search.sample_settings(space, 200, seed=0)
    assert a == search.sample_settings(space, 200, seed=0)
    assert a != search.sample_settings(space, 200, seed=1)
    lrs = np.array([s["learning_rate"] for s in a])
    assert lrs.min() >= 1e-4 and lrs.max() <= 1e-1
    # log-uniform: about as many draws per decade
    counts = np.histogram(np.log10(lrs), bins=[-4, -3, -2, -1])[0]
    assert counts.min() > 45
    assert {s["n_layers"] for s in a} == {1, 2, 3}
    assert all(isinstance(s["n_neurons"], int) and 2 <= s["n_neurons"] <= 64 for s in a)
    result = search.random_search(bowl, {"learning_rate": search.LogUniform(1e-4, 1.0),
                                         "n_layers": [1, 2, 3]}, 60, seed=0)
    assert result.method == "random" and len(result) == 60
    assert result.best["n_layers"] == 2
    assert abs(math.log10(result.best["learning_rate"]) + 2) < 0.2
    # cells nobody tried are NaN in a random search's pivot
    lr_values = result.values("learning_rate")
    assert len(lr_values) == 60
    assert np.isnan(result.pivot("learning_rate", "n_layers")[2]).sum() == 60 * 3 - 60


def test_trainer_known_answer_a_hidden_layer_is_needed_for_xor():
    X, y = make_xor(400, noise=0.05, seed=0)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, seed=0)
    trainer = MLPTrainer(X_train, y_train, X_val, y_val, task="binary",
                                defaults={"epochs": 60, "n_neurons": 16}, seed=0)
    result = search.grid_search(trainer, search.grid(n_layers=[0, 1],
                                                     learning_rate=[1e-5, 0.03]))
    # no hidden layer = a straight boundary: no better than guessing on XOR;
    # a tiny learning rate does not move the weights in 60 epochs.
    assert result.best == {"n_layers": 1, "learning_rate": 0.03}
    assert result[result.best_index]["val_accuracy"] > 0.9
    linear = [row for row in result if row["n_layers"] == 0]
    assert all(row["val_accuracy"] < 0.7 for row in linear)


def test_trainer_regression_and_divergence_is_never_the_best():
    X, y = make_linear(seed=0)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, seed=0)
    trainer = MLPTrainer(X_train, y_train, X_val, y_val, optimizer="sgd",
                                defaults={"epochs": 30, "batch_size": 10}, keep_models=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a diverging setting must not warn
        result = search.grid_search(trainer, {"learning_rate": [1e-4, 0.05, 5.0]})
    rows = {row["learning_rate"]: row for row in result}
    assert rows[5.0]["diverged"] and rows[5.0]["val_loss"] == math.inf
    assert result.best == {"learning_rate": 0.05}
    assert rows[0.05]["val_r2"] > 0.95
    model = rows[0.05]["model"]
    assert model.loss(X_val, y_val) == pytest.approx(rows[0.05]["val_loss"])
    # same seed, same setting: the same numbers again
    assert trainer({"learning_rate": 0.05})["val_loss"] == rows[0.05]["val_loss"]
    # build and fit reproduce the searched model
    again, history = trainer.fit({"learning_rate": 0.05})
    np.testing.assert_array_equal(again.theta, model.theta)
    assert trainer.build({"n_layers": 2, "n_neurons": 3}).layer_sizes == [1, 3, 3, 1]
    assert "inf" in result.table() and "<table>" in result._repr_html_()


def test_errors():
    with pytest.raises(ValueError, match=r"Unknown hyperparameter\(s\) \['lr'\]"):
        search.grid(lr=[0.1])
    with pytest.raises(ValueError, match=r"learning_rate must be a non-empty list .* Received: learning_rate=0.1"):
        search.grid(learning_rate=0.1)
    with pytest.raises(ValueError, match="LogUniform needs low < high"):
        search.LogUniform(1.0, 0.1)
    with pytest.raises(TypeError, match="must return a dict with a 'val_loss' entry"):
        search.grid_search(lambda s: 1.0, {"learning_rate": [0.1]})
    X = np.zeros((10, 1))
    with pytest.raises(ValueError, match="task must be one of"):
        MLPTrainer(X, X, X, X, task="multiclass")
    trainer = MLPTrainer(X, X, X, X)
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1. Received: batch_size=0"):
        trainer({"batch_size": 0})
    with pytest.raises(ValueError, match="X_val has 2 features, but X_train has 1"):
        MLPTrainer(X, X, np.zeros((3, 2)), np.zeros(3))
    assert isinstance(trainer.build({}), nnlib.MLP)


def test_reusing_the_test_set_is_optimistic_touching_it_once_is_not(rng):
    # 50 settings that are all coin flips: true accuracy 0.5 for every one of them
    correct = rng.random((50, 4000)) < 0.5
    sim = selection_bias.simulate_test_reuse(correct, 0, test_size=100, n_repeats=200, seed=0)
    assert sim["reuse_true"].mean() == pytest.approx(0.5, abs=0.01)
    assert sim["reuse_reported"].mean() > 0.58  # "skill" found in pure noise
    assert abs(np.mean(sim["once_reported"] - sim["once_true"])) < 0.01
    # a setting that is always right: picking it on the test set costs nothing
    correct[3] = True
    sim = selection_bias.simulate_test_reuse(correct, 3, test_size=100, n_repeats=20, seed=0)
    np.testing.assert_array_equal(sim["reuse_reported"], 1.0)
    np.testing.assert_array_equal(sim["reuse_true"], 1.0)
    with pytest.raises(ValueError, match="test_size must be smaller than the pool"):
        selection_bias.simulate_test_reuse(correct, 0, test_size=4000)
    with pytest.raises(ValueError, match=r"chosen_by_validation must be in \[0, 50\)"):
        selection_bias.simulate_test_reuse(correct, 50, test_size=10)


def test_correct_and_accuracies_score_every_kept_model_on_new_data():
    X, y = make_xor(300, noise=0.05, seed=1)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, seed=0)
    trainer = MLPTrainer(X_train, y_train, X_val, y_val, task="binary",
                                defaults={"epochs": 60, "n_neurons": 16}, keep_models=True)
    result = search.grid_search(trainer, {"n_layers": [0, 1], "learning_rate": [0.03, 50.0]})
    X_new, y_new = make_xor(500, noise=0.05, seed=2)
    correct = result.correct(X_new, y_new)
    assert correct.shape == (4, 500) and correct.dtype == bool
    acc = result.accuracies(X_new, y_new[:, None])         # a column of labels works too
    for k, row in enumerate(result):
        labels = (row["model"].predict(X_new)[:, 0] >= 0.5).astype(int)
        assert acc[k] == nnlib.metrics.accuracy(y_new, labels)
        np.testing.assert_array_equal(correct[k], labels == y_new)
    rows = {(row["n_layers"], row["learning_rate"]): k for k, row in enumerate(result)}
    assert acc[rows[(1, 0.03)]] > 0.9 > 0.7 > acc[rows[(0, 0.03)]]   # XOR needs a hidden layer
    # the threshold is passed on: at threshold 2 every sample is predicted 0
    np.testing.assert_array_equal(result.accuracies(X_new, y_new, threshold=2.0),
                                  np.full(4, np.mean(y_new == 0)))


def test_correct_needs_kept_models_and_matching_shapes():
    X, y = make_xor(100, noise=0.05, seed=0)
    trainer = MLPTrainer(X, y, X, y, task="binary", defaults={"epochs": 2})
    with pytest.raises(ValueError, match="keep_models=True"):
        search.grid_search(trainer, {"n_layers": [0, 1]}).accuracies(X, y)
    kept = MLPTrainer(X, y, X, y, task="binary", defaults={"epochs": 2}, keep_models=True)
    result = search.grid_search(kept, {"n_layers": [0, 1]})
    with pytest.raises(ValueError, match="same number of samples"):
        result.correct(X, y[:50])
    with pytest.raises(ValueError, match="1-D or one column"):
        result.correct(X, np.zeros((100, 2)))
    regression = MLPTrainer(X, np.c_[y, y], X, np.c_[y, y], defaults={"epochs": 2},
                                   keep_models=True)
    with pytest.raises(ValueError, match="one \\(sigmoid\\) output"):
        search.grid_search(regression, {"n_layers": [1]}).correct(X, y)
