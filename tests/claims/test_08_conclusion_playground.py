"""08_conclusion_playground: what makes each of its checks hold for any COURSE_SEED (see sweeping.py)."""

import os

import numpy as np
from sweeping import Bounded, Exact, OverRuns, Swept, n_seeds, sweep  # noqa: F401

from course.n08_conclusion_playground.playground import PlaygroundTrainer, build_model
from course.n08_conclusion_playground.playground_config import PlaygroundConfig

FIXED_LINE = "the configuration line fixes seed=1 (and 2): nothing depends on COURSE_SEED"

CHECKS = {
    # cell 7
    'not np.allclose(play.trainer.model.theta, starting_weights)': Swept("test_steps"),
    # cell 8
    'np.array_equal(play.trainer.model.theta, starting_weights) and play.trainer.epoch == 0': Exact(
        "reset rebuilds the network from the seed"),
    # cell 12
    "abs(no_hidden.test_loss[-1] - np.log(2)) < 0.12 and no_hidden.accuracy('test') < 0.85": Swept("test_xor"),
    # cell 12
    "hidden.accuracy('test') > 0.75": Swept("test_xor"),
    # cell 12
    'hidden.test_loss[-1] < 0.7 * no_hidden.test_loss[-1]': Swept("test_xor"),
    # cell 16
    '0.15 < slow.train_loss[-1] < 0.9 * slow.train_loss[0]': Swept("test_rates"),
    # cell 16
    'default.train_loss[199] < 0.7 * slow.train_loss[-1]': Swept("test_rates"),
    # cell 16
    'np.mean(np.diff(fast.train_loss[-100:]) > 0) > 0.3': Swept("test_rates"),
    # cell 15
    'last_50(plain.train_loss) < 0.9 * plain.train_loss[0]': Swept("test_overfitting"),
    # cell 15
    'last_50(plain.test_loss) > 1.1 * min(plain.test_loss)': Swept("test_overfitting"),
    # cell 15
    'last_50(plain.train_loss) < 0.8 * last_50(plain.test_loss)': Swept("test_overfitting"),
    # cell 17
    'penalised.train_loss[-1] > np.log(2) - 0.1': Swept("test_overfitting"),
    # cell 17
    'penalised.test_loss[-1] > np.log(2) - 0.08': Swept("test_overfitting"),
    # cell 15
    'gap(runs[name]) < gap(plain)': Swept("test_overfitting"),
    # cell 21
    "straight.accuracy('test') < 0.75 and abs(straight.test_loss[-1] - np.log(2)) < 0.15": Swept("test_inputs"),
    # cell 21
    "squares.accuracy('test') > 0.9 and squares.test_loss[-1] < 0.25": Swept("test_inputs"),
    # cell 22
    'np.all(w < 0) and np.all((0.6 < radius) & (radius < 0.9))': Swept("test_inputs"),
    # cell 27
    'trainer.epoch == epochs_before + 50': Exact("10 chunks of 5 epochs"),
    # cell 28
    'np.allclose(shown, by_hand)': Exact("the same float64 formula on the same grid"),
    # cell 31
    'np.all(np.diff(f_x1, axis=1) > 0) and np.all(np.diff(f_x1, axis=0) == 0)': Exact("a fixed grid"),
    # cell 31
    'np.all(np.diff(f_x2, axis=0) > 0) and np.all(np.diff(f_x2, axis=1) == 0)': Exact("a fixed grid"),
    # cell 31
    'np.all(f_x1sq == profile) and abs(x1[middle]) < x1[1] - x1[0]': Exact("a fixed grid"),
    # cell 31
    'np.all(np.diff(profile[:middle + 1]) < 0) and np.all(np.diff(profile[middle:]) > 0)': Exact("a fixed grid"),
    # cell 32
    'output.shape[0] < big_map.shape[0]': Exact("fixed resolutions"),
    # cell 32
    'np.allclose(output, trainer.grid(len(output))[2])': Exact("the same float64 computation"),
    # cell 32
    'np.allclose(big_map, trainer.grid(len(big_map))[2])': Exact("the same float64 computation"),
    # cell 34
    "three.accuracy('test') > two.accuracy('test') + 0.05 and two.accuracy('test') < 0.9": Swept("test_edges"),
    # cell 34
    'slow > 3 * quick': Swept("test_edges"),
    # cell 36
    'PlaygroundConfig.from_string(text) == spirals': Exact("a text round trip"),
    # cell 37
    'all((np.array_equal(a, b) for a, b in zip(seeded(first), seeded(second))))': Exact(FIXED_LINE),
    # cell 37
    'not any((np.array_equal(a, b) for a, b in zip(seeded(first), seeded(other))))': Exact(FIXED_LINE),
    # cell 40
    'challenge.step() and challenge.trainer.epoch == 195': Exact("38 chunks of 5 epochs, then one"),
    # cell 40
    'not challenge.step() and challenge.trainer.epoch == 200': Exact("max_epochs=200"),
    # cell 41
    "as_given.accuracy('test') < 0.95": Exact(FIXED_LINE),
    # cell 42
    "any((train_and_score(spirals.replace(**change), chunks=40).accuracy('test') >= 0.95 for change in candidates))": Exact(FIXED_LINE),
    # cell 46
    'n_params == 2 * 16 + 16 + (16 * 16 + 16) + (16 + 1)': Exact(),
    # cell 45
    'sizes == config.layer_sizes': Exact(),
    # cell 45
    'keras_params == build_model(config).count_params()': Exact(),
}


def train_and_score(config, chunks=12):
    """Cell 7."""
    trainer = PlaygroundTrainer(config)
    for _ in range(chunks):
        trainer.train_chunk(5)
    return trainer


def last_50(losses):
    """Cell 15: where a loss ends, the mean of its last 50 epochs."""
    return float(np.mean(losses[-50:]))


def gap(trainer):
    """Cell 15: how far the test loss ends above the training loss."""
    return last_50(trainer.test_loss) - last_50(trainer.train_loss)


def first_epoch_below(losses, level):
    """Cell 22."""
    below = np.nonzero(np.asarray(losses) < level)[0]
    return int(below[0]) + 1 if below.size else None


def measure_steps(seed):
    """Cell 5: two chunks of 5 epochs move the starting weights of the moons network."""
    config = PlaygroundConfig(dataset="moons", seed=seed, hidden=(8, 8))
    starting = build_model(config).theta
    trainer = PlaygroundTrainer(config)
    trainer.train_chunk(5)
    trainer.train_chunk(5)
    return {"moved": float(np.abs(trainer.model.theta - starting).max())}


def measure_xor(seed):
    """Cells 7-8."""
    xor = PlaygroundConfig(dataset="xor", seed=seed, noise=0.05, learning_rate=0.03)
    no_hidden = train_and_score(xor.replace(hidden=()))
    hidden = train_and_score(xor.replace(hidden=(8,)))
    return {"no_hidden_gap": float(abs(no_hidden.test_loss[-1] - np.log(2))),
            "no_hidden_accuracy": float(no_hidden.accuracy("test")),
            "hidden_accuracy": float(hidden.accuracy("test")),
            "loss_ratio": float(hidden.test_loss[-1] / no_hidden.test_loss[-1])}


def measure_inputs(seed):
    """Cells 13-14."""
    circles = PlaygroundConfig(dataset="circles", seed=seed, hidden=(), noise=0.1)
    straight = train_and_score(circles.replace(features=("x1", "x2")), chunks=20)
    squares = train_and_score(circles.replace(features=("x1^2", "x2^2")), chunks=20)
    w, b = squares.model.weights[0].ravel(), squares.model.biases[0][0]
    with np.errstate(invalid="ignore"):
        radius = np.sqrt(-b / w)
    return {"straight_accuracy": float(straight.accuracy("test")),
            "straight_gap": float(abs(straight.test_loss[-1] - np.log(2))),
            "squares_accuracy": float(squares.accuracy("test")),
            "squares_loss": float(squares.test_loss[-1]),
            "largest_weight": float(w.max()),
            "radius_low": float(np.nanmin(radius)) if np.all(w < 0) else float("nan"),
            "radius_high": float(np.nanmax(radius)) if np.all(w < 0) else float("nan")}


def measure_edges(seed):
    """Cell 22."""
    edges = PlaygroundConfig(dataset="circles", seed=seed, hidden=(3,), noise=0.1)
    three = train_and_score(edges, chunks=100)
    two = train_and_score(edges.replace(hidden=(2,)), chunks=100)
    four_inputs = train_and_score(edges.replace(features=("x1", "x2", "x1^2", "x2^2")), chunks=20)
    slow, quick = (first_epoch_below(t.train_loss, 0.2) for t in (three, four_inputs))
    if slow is None:  # the notebook skips its checks: one of the three neurons is unused
        return {"stuck": 1, "accuracy_gain": None, "two_accuracy": None, "epochs_ratio": None}
    return {"stuck": 0,
            "accuracy_gain": float(three.accuracy("test") - two.accuracy("test")),
            "two_accuracy": float(two.accuracy("test")),
            "epochs_ratio": float("nan") if quick is None else slow / quick}


def measure_rates(seed):
    """Cells 10-11, the moons: learning rates 0.03, 0.0001 and 0.5 for 1000 epochs."""
    moons = PlaygroundConfig(dataset="moons", seed=seed, hidden=(8, 8))
    slow, default, fast = (train_and_score(moons.replace(learning_rate=lr), chunks=200)
                           for lr in (0.0001, 0.03, 0.5))
    return {"slow_last": float(slow.train_loss[-1]),
            "slow_ratio": float(slow.train_loss[-1] / slow.train_loss[0]),
            "default_ratio": float(default.train_loss[199] / slow.train_loss[-1]),
            "fast_ups": float(np.mean(np.diff(fast.train_loss[-100:]) > 0))}


def measure_overfitting(seed):
    """Cells 10-11, the noisy circles: no penalty, L2 0.001, dropout 0.2, L2 0.01."""
    noisy = PlaygroundConfig(dataset="circles", seed=seed, hidden=(32, 32), noise=0.5)
    plain, l2, dropout, penalised = (
        train_and_score(noisy.replace(**changes), chunks=200)
        for changes in ({}, {"l2": 0.001}, {"dropout": 0.2}, {"l2": 0.01}))
    return {"train_ratio": last_50(plain.train_loss) / plain.train_loss[0],
            "test_rise": last_50(plain.test_loss) / min(plain.test_loss),
            "train_test": last_50(plain.train_loss) / last_50(plain.test_loss),
            "l2_gap": gap(l2) / gap(plain),
            "dropout_gap": gap(dropout) / gap(plain),
            "penalised_train_gap": float(np.log(2) - penalised.train_loss[-1]),
            "penalised_test_gap": float(np.log(2) - penalised.test_loss[-1])}


STEPS_CLAIMS = {"two chunks move the weights": ("moved", lambda v: v > 1e-6)}
XOR_CLAIMS = {
    "no hidden layer: test loss within 0.12 of ln 2": ("no_hidden_gap", lambda v: v < 0.12),
    "no hidden layer: accuracy below 85%": ("no_hidden_accuracy", lambda v: v < 0.85),
    "8 hidden neurons: accuracy above 75%": ("hidden_accuracy", lambda v: v > 0.75),
    "8 hidden neurons: below 0.7 of the test loss": ("loss_ratio", lambda v: v < 0.7),
}
INPUTS_CLAIMS = {
    "x1, x2: accuracy below 75%": ("straight_accuracy", lambda v: v < 0.75),
    "x1, x2: test loss within 0.15 of ln 2": ("straight_gap", lambda v: v < 0.15),
    "x1^2, x2^2: accuracy above 90%": ("squares_accuracy", lambda v: v > 0.9),
    "x1^2, x2^2: test loss below 0.25": ("squares_loss", lambda v: v < 0.25),
    "both weights negative": ("largest_weight", lambda v: v < 0),
    "radius above 0.6": ("radius_low", lambda v: v > 0.6),
    "radius below 0.9": ("radius_high", lambda v: v < 0.9),
}
EDGES_CLAIMS = {
    "three neurons stuck above 0.2 (checks skipped)": ("stuck", lambda v: True),
    "three edges: 5 points more accuracy than two": ("accuracy_gain", lambda v: v is None or v > 0.05),
    "two edges: accuracy below 90%": ("two_accuracy", lambda v: v is None or v < 0.9),
    "three edges take 3 times the epochs of four inputs": ("epochs_ratio", lambda v: v is None or v > 3),
}
RATES_CLAIMS = {
    "lr 0.0001 ends above 0.15": ("slow_last", lambda v: v > 0.15),
    "lr 0.0001 ends below 0.9 of its start": ("slow_ratio", lambda v: v < 0.9),
    "lr 0.03 in 200 epochs below 0.7 of lr 0.0001 in 1000": ("default_ratio", lambda v: v < 0.7),
    "lr 0.5 goes up in > 30% of the last 100 epochs": ("fast_ups", lambda v: v > 0.3),
}
# Each loss "ends" as the mean of its last 50 epochs (cell 15). Measured on seeds 0-599:
# - with the last epoch alone, 4 claims failed on 4 to 8 seeds each (the test loss only
#   1.07 times its lowest; dropout at 1.13 of the plain test loss);
# - the mean of the last 50 epochs still left L2 0.001's test loss above the plain one on
#   seeds 214 and 529 (1.04), where the plain network hardly overfits. Regularization's
#   sure effect is on the gap between test and training loss: at most 0.63 (L2) and 0.74
#   (dropout) of the plain network's, so the check is "smaller";
# - training loss at most 0.78 of its start, test loss at least 1.31 times its lowest,
#   training loss at most 0.69 of the test loss: hence 0.9, 1.1 and 0.8.
OVERFITTING_CLAIMS = {
    "training loss below 0.9 of its start": ("train_ratio", lambda v: v < 0.9),
    "test loss 1.1 times its lowest": ("test_rise", lambda v: v > 1.1),
    "training loss below 0.8 of the test loss": ("train_test", lambda v: v < 0.8),
    "L2 0.001: a smaller gap than the plain network's": ("l2_gap", lambda v: v < 1),
    "dropout 0.2: a smaller gap than the plain network's": ("dropout_gap", lambda v: v < 1),
    "L2 0.01: training loss no lower than ln 2 - 0.1 (seed 2011 ended at 0.875)": (
        "penalised_train_gap", lambda v: v < 0.1),
    "L2 0.01: test loss no lower than ln 2 - 0.08 (seed 2006 ended at 0.905)": (
        "penalised_test_gap", lambda v: v < 0.08),
}


def _slow_seeds():
    """Seconds a seed: seed 0 only, unless $SWEEP_SEEDS asks for more (make robust)."""
    return range(n_seeds()) if "SWEEP_SEEDS" in os.environ else range(1)


def test_steps():
    sweep(measure_steps, STEPS_CLAIMS)


def test_xor():
    sweep(measure_xor, XOR_CLAIMS)


def test_inputs():
    sweep(measure_inputs, INPUTS_CLAIMS)


def test_edges():
    sweep(measure_edges, EDGES_CLAIMS)


def test_rates():
    sweep(measure_rates, RATES_CLAIMS, seeds=_slow_seeds())


def test_overfitting():
    sweep(measure_overfitting, OVERFITTING_CLAIMS, seeds=_slow_seeds())
