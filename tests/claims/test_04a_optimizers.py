"""04a_optimizers: what makes each of its checks hold for any COURSE_SEED (see sweeping.py)."""

from functools import lru_cache

import numpy as np
from sweeping import Bounded, Exact, OverRuns, Swept, n_seeds, sweep  # noqa: F401

import nnlib
from course.n04a_optimizers import rate_and_batch
from nnlib.data import make_linear, make_moons
from nnlib.optimizers import SGD

FIXED = "no random input: a fixed surface, start and rates, in float64"
SAME = "the same float64 arithmetic on both sides"

CHECKS = {
    # cell 40
    'np.isclose(best_plain, (kappa - 1) / (kappa + 1))': Exact(
        "the bowl, its best settings and the formula are fixed numbers"),
    # cell 40
    'np.isclose(best_heavy, (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1))': Exact(
        "fixed numbers: at the best setting both roots have size sqrt(beta)"),
    # cell 40
    'best_heavy - 1e-09 <= rate_map.min() < best_heavy + 0.01': Exact(
        "a fixed grid over a fixed bowl"),
    # cell 43
    'abs(kept_per_step / best_heavy - 1) < 0.03': Exact(
        "the bowl's usual start and nnlib's SGD: nothing random"),
    # cell 46
    'np.isclose(nesterov_rate, 1 - 1 / np.sqrt(kappa))': Exact(
        "fixed numbers: at rate 1/L the stiff direction's roots are 0, the flat one's a "
        "double root 1 - 1/sqrt(kappa)"),
    # cell 46
    'nesterov_rate < heavy_same < plain_same': Exact("fixed numbers"),
    # cell 47
    'abs(nesterov_kept / nesterov_rate - 1) < 0.03': Exact(
        "the bowl's usual start and nnlib's SGD: nothing random (the double root adds a "
        "factor t, 1.4% a step over steps 50-100)"),
    # cell 63
    'np.array_equal(by_hand, sweep.smoothed)': Swept("test_the_range_test_written_out"),
    # cell 4
    'np.allclose(grad, bowl.grad(p))': Exact(FIXED),
    # cell 4
    'np.allclose(p_by_hand, path.points[1])': Exact(FIXED),
    # cell 4
    'bowl(p_by_hand) < bowl(p)': Exact(FIXED),
    # cell 8
    'np.isclose(limit, 2 / 10)': Exact(FIXED),
    # cell 8
    'not below.diverged and below.loss[-1] < 1e-06': Exact(FIXED),
    # cell 8
    'above.diverged': Exact(FIXED),
    # cell 9
    'np.all(y_below[1:] * y_below[:-1] < 0) and np.all(y_above[1:] * y_above[:-1] < 0)': Exact(FIXED),
    # cell 9
    'np.all(np.abs(y_below[1:]) < np.abs(y_below[:-1]))': Exact(FIXED),
    # cell 9
    'np.all(np.abs(y_above[1:]) > np.abs(y_above[:-1]))': Exact(FIXED),
    # cell 17
    'np.allclose(by_hand, momentum_path.points, rtol=0, atol=1e-12)': Exact(SAME),
    # cell 19
    'np.isclose(last_step, 0.01 / (1 - 0.9), rtol=1e-06)': Exact("a constant gradient: "
                                                                "0.9**200 is far below 1e-6"),
    # cell 19
    'np.max(np.abs(mine - theirs)) < 1e-12': Exact(SAME),
    # cell 20
    "np.median(ratio['plain SGD, rate 0.001']) < 0.5": Swept("test_momentum_on_the_line"),
    # cell 20
    "abs(np.median(ratio['plain SGD, rate 0.01']) - 1) < 0.2": Swept("test_momentum_on_the_line"),
    # cell 23
    'np.isclose(limit_momentum, 2 * (1 + 0.9) / 10)': Exact(FIXED),
    # cell 23
    'not m_below.diverged and m_below.loss[-1] < 1e-06': Exact(FIXED),
    # cell 23
    'm_above.diverged': Exact(FIXED),
    # cell 30
    'np.isclose(adam_step_sizes([g])[0], alpha, rtol=0.001)': Exact(FIXED),
    # cell 31
    '3 * alpha < jump < 1.001 * bound': Exact(FIXED),
    # cell 30
    'np.allclose(adam_step_sizes([g] * 100), alpha, rtol=0.01)': Exact(FIXED),
    # cell 34
    'len(mine) == 200 and gap < 1e-12': Exact(SAME),
    # cell 34
    'mine[-1] < 0.6 * mine[0]': Swept("test_adam_learns_the_line"),
    # cell 37
    'np.all((3.5 < plain_growth) & (plain_growth < 4.5))': Exact(FIXED),
    # cell 37
    'np.all((1.6 < momentum_growth) & (momentum_growth < 2.6))': Exact(FIXED),
    # cell 52
    'too_fast.diverged': Exact(FIXED),
    # cell 52
    "final['momentum 0.95, rate 0.001'] < final['SGD, rate 0.002']": Exact(FIXED),
    # cell 52
    "final['momentum 0.95, rate 0.001'] < final['Adam, rate 0.2']": Exact(FIXED),
    # cell 52
    "final['Adam, rate 0.2'] > 10 * final['SGD, rate 0.002']": Exact(FIXED),
    # cell 53
    'np.median(adam_steps) < 0.2 / 10': Exact(FIXED),
    # cell 53
    "short_memory.loss[-1] < final['Adam, rate 0.2'] / 4": Exact(FIXED),
    # cell 53
    'not any((run.diverged for run in runs.values()))': Exact(FIXED),
    # cell 57
    'np.allclose(left.points[-1], wells.minima[0], atol=0.001)': Exact(FIXED),
    # cell 57
    'np.allclose(right.points[-1], wells.minima[1], atol=0.001)': Exact(FIXED),
    # cell 60
    'np.ptp(early) < 0.2 * smooth[0]': Swept("test_range_test_and_batch_sizes"),
    # cell 60
    'smooth[lowest_step] < 0.7 * smooth[0] and swept[lowest_step] > 0.1': Swept(
        "test_range_test_and_batch_sizes"),
    # cell 60
    'sweep.stopped_at is not None and lowest_step < len(smooth) - 1': Swept(
        "test_range_test_and_batch_sizes"),
    # cell 66
    "final_loss['suggested'] < final_loss['suggested / 100']": Swept(
        "test_range_test_and_batch_sizes"),
    # cell 66
    "final_loss['where the test stopped'] > final_loss['suggested']": Swept(
        "test_range_test_and_batch_sizes"),
    # cell 71
    'mini.epoch_loss[-1] < 0.75 * full.epoch_loss[-1]': Swept(
        "test_range_test_and_batch_sizes"),
    # cell 71
    'hurt[full.batch_size] < hurt[mini.batch_size] < 0.75 * hurt[per_sample.batch_size]': Swept(
        "test_range_test_and_batch_sizes"),
    # cell 71
    '0.4 < hurt[per_sample.batch_size] < 0.65': Swept("test_range_test_and_batch_sizes"),
}


# ---------------------------------------------------------------- cells 15 and 25


def train_line(optimizer, seed):
    X_line, y_line = make_linear(seed=seed)
    model = nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=seed)
    history = model.fit(X_line, y_line, optimizer=optimizer, loss="mse", epochs=200,
                        batch_size=32, seed=seed)
    return np.array(history["loss"])


@lru_cache(maxsize=None)
def momentum_ratios(seed):
    """Cell 15, one start: momentum's last loss (rate 0.001) over plain SGD's (0.001, 0.01)."""
    momentum_loss = train_line(SGD(learning_rate=0.001, momentum=0.9), seed)[-1]
    return (momentum_loss / train_line(SGD(learning_rate=0.001), seed)[-1],
            momentum_loss / train_line(SGD(learning_rate=0.01), seed)[-1])


def test_momentum_on_the_line():
    def measure(seed):
        ratios = np.array([momentum_ratios(s) for s in range(seed, seed + 5)])
        return {"vs_same_rate": np.median(ratios[:, 0]), "vs_ten_times": np.median(ratios[:, 1]),
                "single_vs_same_rate": ratios[0, 0], "single_vs_ten_times": ratios[0, 1]}
    sweep(measure, {
        "momentum ends below half of plain SGD's loss at the same rate (median of five)":
            ("vs_same_rate", lambda v: v < 0.5),
        "momentum ends within 20% of plain SGD at ten times the rate (median of five)":
            ("vs_ten_times", lambda v: abs(v - 1) < 0.2),
        "(not checked) one start: momentum over plain SGD at the same rate":
            ("single_vs_same_rate", lambda v: True),
        "(not checked) one start: momentum over plain SGD at ten times the rate":
            ("single_vs_ten_times", lambda v: True)})


def test_adam_learns_the_line():
    def measure(seed):
        mine = train_line(nnlib.Adam(learning_rate=0.001), seed)
        return {"last_over_first": mine[-1] / mine[0]}
    sweep(measure, {"Adam's last loss below 0.6 of its first":
                    ("last_over_first", lambda v: v < 0.6)})


# ---------------------------------------------------------------- cells 35, 37 and 40


def moons_range_test(seed):
    """Cell 37: the moons data, the classifier and its range test, as COURSE_SEED=seed."""
    X_moons, y_moons = make_moons(200, noise=0.15, seed=seed)
    y_moons = y_moons.reshape(-1, 1)
    classifier = nnlib.MLP([2, 16, 16, 1], ["relu", "relu", "sigmoid"], seed=seed)
    test = rate_and_batch.lr_range_test(classifier, X_moons, y_moons, loss="binary_cross_entropy",
                                min_rate=1e-4, max_rate=100.0, steps=300, batch_size=32,
                                seed=seed)
    return X_moons, y_moons, classifier, test


def test_range_test_and_batch_sizes():
    def measure(seed):
        X_moons, y_moons, classifier, test = moons_range_test(seed)
        smooth, swept = test.smoothed, test.learning_rates
        lowest_step = int(np.argmin(smooth))
        early = smooth[swept < 1e-2]
        rates = {"suggested / 100": test.suggested_rate / 100,
                 "suggested": test.suggested_rate,
                 "where the test stopped": test.learning_rates[-1]}
        final_loss = {name: rate_and_batch.final_loss_with_rate(classifier, X_moons, y_moons, rate,
                                                        loss="binary_cross_entropy", epochs=30,
                                                        batch_size=32, seed=seed)
                      for name, rate in rates.items()}
        runs = rate_and_batch.compare_batch_sizes(classifier, X_moons, y_moons, [1, 16, len(X_moons)],
                                          loss="binary_cross_entropy", learning_rate=0.1,
                                          epochs=10, seed=seed)
        per_sample, mini, full = runs
        hurt = {run.batch_size: rate_and_batch.share_of_updates_that_hurt(run) for run in runs}
        return {
            "early_ptp": np.ptp(early) / smooth[0],
            "lowest_share": smooth[lowest_step] / smooth[0],
            "lowest_rate": swept[lowest_step],
            "stopped_before_end": (test.stopped_at is not None
                                   and lowest_step < len(smooth) - 1),
            "suggested_vs_100": final_loss["suggested"] / final_loss["suggested / 100"],
            "stopped_vs_suggested": (final_loss["where the test stopped"]
                                     / final_loss["suggested"]),
            "per_sample_vs_mini": per_sample.epoch_loss[-1] / mini.epoch_loss[-1],
            "mini_vs_full": mini.epoch_loss[-1] / full.epoch_loss[-1],
            "hurt_full_below_mini": hurt[full.batch_size] < hurt[mini.batch_size],
            "hurt_mini_vs_per_sample": hurt[mini.batch_size] / hurt[per_sample.batch_size],
            "hurt_per_sample": hurt[per_sample.batch_size],
        }
    sweep(measure, {
        "the smoothed loss moves by less than 20% up to rate 0.01": ("early_ptp", lambda v: v < 0.2),
        "the lowest point below 0.7 of the first loss": ("lowest_share", lambda v: v < 0.7),
        "... at a rate above 0.1": ("lowest_rate", lambda v: v > 0.1),
        "the test stops, after its lowest point": ("stopped_before_end", bool),
        "the suggestion below the loss of a rate 100 times smaller":
            ("suggested_vs_100", lambda v: v < 1),
        "the rate where the test stopped above the suggestion's loss":
            ("stopped_vs_suggested", lambda v: v > 1),
        "(not checked) per sample over mini-batch": ("per_sample_vs_mini", lambda v: True),
        "mini-batch ends below 0.75 of full batch": ("mini_vs_full", lambda v: v < 0.75),
        "fewer full-batch updates hurt than mini-batch ones": ("hurt_full_below_mini", bool),
        "mini-batch: under 0.75 of the share of per-sample updates that hurt":
            ("hurt_mini_vs_per_sample", lambda v: v < 0.75),
        "40-65% of the per-sample updates hurt": ("hurt_per_sample", lambda v: 0.4 < v < 0.65),
    })


# ---------------------------------------------------------------- cells 42-65


def range_test_by_hand(model, X, y, rates, *, loss, batch_size, seed, smoothing=0.9,
                       stop_factor=4.0):
    """Notebook 04a's written-out range test (cell 39), as it stands there."""
    net, sgd = model.copy(), nnlib.SGD()
    rng = np.random.default_rng(seed)
    average, best, smoothed = 0.0, np.inf, []
    while True:
        for batch in nnlib.data.batch_indices(len(X), batch_size, shuffle=True, rng=rng):
            value, grads = net.loss_and_grads(X[batch], y[batch], loss=loss)
            average = smoothing * average + (1 - smoothing) * value
            smoothed.append(average / (1 - smoothing ** (len(smoothed) + 1)))
            if not smoothed[-1] <= stop_factor * best or len(smoothed) == len(rates):
                return np.array(smoothed)
            best = min(best, smoothed[-1])
            sgd.learning_rate = rates[len(smoothed) - 1]
            sgd.step(net.params, grads)


def test_the_range_test_written_out():
    """Cell 39: the loop written out in the notebook gives rate_and_batch.lr_range_test's curve to
    the last bit (the same batches, rates and float64 arithmetic, in the same order)."""
    def measure(seed):
        X_moons, y_moons, classifier, test = moons_range_test(seed)
        mine = range_test_by_hand(classifier, X_moons, y_moons,
                                  np.geomspace(1e-4, 100.0, 300),
                                  loss="binary_cross_entropy", batch_size=32, seed=seed)
        return {"equal": bool(np.array_equal(mine, test.smoothed))}

    sweep(measure, {"the written-out loop equals lr_range_test": ("equal", bool)})
