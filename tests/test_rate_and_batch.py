"""Tests for course/n04a_optimizers/rate_and_batch.py: the learning-rate range test and the batch-size
comparison (also reachable as course.n04a_optimizers.rate_and_batch, the name notebook 04 uses)."""

import numpy as np
import pytest

import nnlib
from course.n04a_optimizers import rate_and_batch
from nnlib.data import make_moons


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(120, noise=0.15, seed=0)
    model = nnlib.MLP([2, 8, 1], ["tanh", "sigmoid"], seed=0)
    return model, X, y.reshape(-1, 1)


def test_range_test_rates_are_geometric_and_model_untouched(moons):
    model, X, y = moons
    before = model.theta.copy()
    result = rate_and_batch.lr_range_test(model, X, y, loss="binary_cross_entropy", min_rate=1e-3,
                                  max_rate=1e3, steps=150, seed=0)
    np.testing.assert_array_equal(model.theta, before)
    n = len(result.loss)
    np.testing.assert_allclose(result.learning_rates, np.geomspace(1e-3, 1e3, 150)[:n])
    assert result.stopped_at == n  # such huge rates blow the loss up before the end
    assert result.smoothed[-1] > 4 * np.nanmin(result.smoothed[:-1])
    best = int(np.argmin(result.smoothed))
    assert result.suggested_rate == pytest.approx(result.learning_rates[best] / 10)


def test_range_test_smoothing_by_hand(moons):
    model, X, y = moons
    r = rate_and_batch.lr_range_test(model, X, y, loss="binary_cross_entropy", steps=3,
                             smoothing=0.5, min_rate=1e-6, max_rate=2e-6, seed=0)
    a1 = 0.5 * r.loss[0]
    a2 = 0.5 * a1 + 0.5 * r.loss[1]
    np.testing.assert_allclose(r.smoothed[:2], [a1 / 0.5, a2 / 0.75])


def test_range_test_is_deterministic(moons):
    model, X, y = moons
    a = rate_and_batch.lr_range_test(model, X, y, loss="binary_cross_entropy", steps=40, seed=1)
    b = rate_and_batch.lr_range_test(model, X, y, loss="binary_cross_entropy", steps=40, seed=1)
    np.testing.assert_array_equal(a.loss, b.loss)


def test_suggested_rate_trains_better_than_a_tiny_rate(moons):
    model, X, y = moons
    rate = rate_and_batch.lr_range_test(model, X, y, loss="binary_cross_entropy", max_rate=100.0,
                                steps=200, seed=0).suggested_rate
    losses = []
    for lr in (rate, rate / 100):
        net = model.copy()
        hist = net.fit(X, y, optimizer=nnlib.SGD(lr), loss="binary_cross_entropy", epochs=15,
                       seed=0)
        losses.append(hist["loss"][-1])
    assert losses[0] < losses[1]


def test_compare_batch_sizes_counts_and_noise(moons):
    model, X, y = moons
    runs = rate_and_batch.compare_batch_sizes(model, X, y, [1, 16, len(X)],
                                      loss="binary_cross_entropy", learning_rate=0.1,
                                      epochs=3, seed=0)
    per_sample, mini, full = runs
    assert [r.batch_size for r in runs] == [1, 16, 120]
    assert [r.updates_per_epoch for r in runs] == [120, 8, 1]  # 120 / 16: 7 full + 1 partial
    assert len(per_sample.loss) == 3 * 120 + 1 and per_sample.samples_seen[-1] == 3 * 120
    assert all(r.loss[0] == pytest.approx(model.loss(X, y, loss="binary_cross_entropy"))
               for r in runs)
    assert all(r.epoch_seconds.shape == (3,) and np.all(r.epoch_seconds > 0) for r in runs)
    # per-sample updates are noisy (some raise the loss); full batch with a small rate is not
    assert np.mean(np.diff(per_sample.loss) > 0) > np.mean(np.diff(full.loss) > 0)
    assert np.all(np.diff(full.loss) < 0)


def test_full_batch_run_equals_fit(moons):
    model, X, y = moons
    run = rate_and_batch.compare_batch_sizes(model, X, y, [len(X)], loss="binary_cross_entropy",
                                     learning_rate=0.1, epochs=4, seed=0)[0]
    net = model.copy()
    net.fit(X, y, optimizer=nnlib.SGD(0.1), loss="binary_cross_entropy", epochs=4,
            batch_size=len(X), shuffle=False)
    assert run.epoch_loss[-1] == pytest.approx(net.loss(X, y, loss="binary_cross_entropy"))


def test_validation_messages(moons):
    model, X, y = moons
    with pytest.raises(ValueError, match="max_rate must be above min_rate"):
        rate_and_batch.lr_range_test(model, X, y, min_rate=1.0, max_rate=0.1)
    with pytest.raises(ValueError, match="Unknown optimizer 'rmsprop'. Valid optimizer names are: Adam, SGD"):
        rate_and_batch.lr_range_test(model, X, y, optimizer="rmsprop")
    with pytest.raises(ValueError, match="smoothing must be in"):
        rate_and_batch.lr_range_test(model, X, y, smoothing=1.0)
    with pytest.raises(ValueError, match="batch_sizes must list at least one"):
        rate_and_batch.compare_batch_sizes(model, X, y, [])
    with pytest.raises(ValueError, match="each batch size must be an integer >= 1"):
        rate_and_batch.compare_batch_sizes(model, X, y, [0])


def test_final_loss_with_rate_trains_a_copy(moons):
    model, X, y = moons
    before = model.theta.copy()
    good = rate_and_batch.final_loss_with_rate(model, X, y, 0.5, loss="binary_cross_entropy",
                                       epochs=10, seed=0)
    tiny = rate_and_batch.final_loss_with_rate(model, X, y, 1e-4, loss="binary_cross_entropy",
                                       epochs=10, seed=0)
    np.testing.assert_array_equal(model.theta, before)
    assert good < tiny
    # same as training the copy by hand
    net = model.copy()
    history = net.fit(X, y, optimizer=nnlib.SGD(0.5), loss="binary_cross_entropy", epochs=10,
                      batch_size=32, seed=0)
    assert good == pytest.approx(history["loss"][-1])


def test_final_loss_with_rate_reports_divergence_as_inf(moons):
    model, X, y = moons
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert rate_and_batch.final_loss_with_rate(model, X, y * 1e200, 10.0, epochs=3) == np.inf
    with pytest.raises(ValueError, match="learning_rate"):
        rate_and_batch.final_loss_with_rate(model, X, y, -1.0)


def test_share_of_updates_that_hurt():
    assert rate_and_batch.share_of_updates_that_hurt([3.0, 2.0, 2.5, 1.0, 0.5]) == 0.25
    assert rate_and_batch.share_of_updates_that_hurt([1.0]) == 0.0
    assert rate_and_batch.share_of_updates_that_hurt([1.0, 1.0, 2.0]) == 0.5  # a flat step does not hurt
    run = rate_and_batch.BatchRun(1, np.arange(4), np.array([1.0, 2.0, 3.0, 1.0]), np.array([1.0]),
                          np.array([0.1]))
    assert rate_and_batch.share_of_updates_that_hurt(run) == pytest.approx(2 / 3)
