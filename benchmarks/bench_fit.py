"""Time the article's example trained by Keras' model.fit and by nnlib.MLP.fit, in one process.

The example: 100 points of y = 2x + 1 + noise, Dense(10, relu) -> Dense(5, relu) ->
Dense(1), Adam (lr 0.001), MSE, 200 epochs, batch 32 (800 optimizer steps).

At this size the arithmetic is tiny: the cost is per-call overhead. Keras pays it
per epoch (callbacks, data adapter, a tf.function call per step); nnlib pays about
30 numpy calls per step, because all parameters live in one flat vector and the
optimizer updates that vector in a handful of operations.

Run: make bench   (or .venv/bin/python benchmarks/bench_fit.py [--keras-repeats N])
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import machine  # noqa: E402  (benchmarks/machine.py)
import numpy as np  # noqa: E402

import nnlib  # noqa: E402
from course import keras_twin
from nnlib.data import make_linear

EPOCHS, BATCH, LR = 200, 32, 0.001


def keras_article_fit(X, y, seed):
    """The article's code, written for Keras 3 (an Input layer instead of input_shape=)."""
    keras = keras_twin.import_keras()
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input(shape=(1,)),
        keras.layers.Dense(10, activation="relu"),
        keras.layers.Dense(5, activation="relu"),
        keras.layers.Dense(1, activation="linear"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=LR), loss="mse")
    start = time.perf_counter()
    model.fit(X, y, epochs=EPOCHS, batch_size=BATCH, verbose=0)
    seconds = time.perf_counter() - start
    mse = float(np.mean((np.asarray(model(X, training=False)) - y) ** 2))
    return seconds, mse


def keras_tuned_fit(X, y, seed):
    """The same 800 steps in one tf.data pass, 4 steps per compiled call (one epoch's worth)."""
    keras = keras_twin.import_keras()
    from course.n07_mlp_tensorflow_comparison import keras_article

    model = keras_article.article_keras_model(seed=seed)
    start = time.perf_counter()
    keras_article.tuned_keras_fit(model, X, y, optimizer=keras.optimizers.Adam(learning_rate=LR),
                                  epochs=EPOCHS, batch_size=BATCH, seed=seed)
    seconds = time.perf_counter() - start
    mse = float(np.mean((np.asarray(model(X, training=False)) - y) ** 2))
    return seconds, mse


def nnlib_fit(X, y, seed):
    model = nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=seed)
    start = time.perf_counter()
    model.fit(X, y, optimizer=nnlib.Adam(learning_rate=LR), loss="mse", epochs=EPOCHS,
              batch_size=BATCH, seed=seed)
    seconds = time.perf_counter() - start
    mse = float(np.mean((model.predict(X) - y) ** 2))
    return seconds, mse


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keras-repeats", type=int, default=3)
    parser.add_argument("--nnlib-repeats", type=int, default=30)
    args = parser.parse_args()

    X, y = make_linear(seed=0)
    keras = keras_twin.import_keras()
    print(f"machine: {machine.describe()}; numpy {np.__version__}, Keras {keras.__version__}")
    print(f"task: 100 points, [1, 10, 5, 1] relu/relu/linear, Adam lr={LR}, MSE, "
          f"{EPOCHS} epochs x batch {BATCH} = 800 steps\n")

    keras_runs = [keras_article_fit(X, y, seed) for seed in range(args.keras_repeats)]
    tuned_runs = [keras_tuned_fit(X, y, seed) for seed in range(args.keras_repeats)]
    nnlib_fit(X, y, 0)  # warm-up
    nnlib_runs = [nnlib_fit(X, y, seed % 3) for seed in range(args.nnlib_repeats)]

    k_time = statistics.median(t for t, _ in keras_runs)
    n_time = statistics.median(t for t, _ in nnlib_runs)
    k_mse = statistics.median(m for _, m in keras_runs)
    n_mse = statistics.median(m for _, m in nnlib_runs[:3])
    print(f"{'':28} {'median time':>12} {'per step':>10} {'final MSE':>10}")
    print(f"{'Keras model.fit (article)':28} {k_time:>10.2f} s {k_time / 800 * 1e6:>7.0f} us "
          f"{k_mse:>10.4f}")
    t_time = statistics.median(t for t, _ in tuned_runs)
    t_mse = statistics.median(m for _, m in tuned_runs)
    print(f"{'Keras tuned (tf.data, spe)':28} {t_time:>10.2f} s {t_time / 800 * 1e6:>7.0f} us "
          f"{t_mse:>10.4f}")
    print(f"{'nnlib MLP.fit':28} {n_time * 1e3:>9.1f} ms {n_time / 800 * 1e6:>7.0f} us "
          f"{n_mse:>10.4f}")
    print(f"\nnnlib is {k_time / n_time:.0f}x faster than the article's Keras fit "
          f"(Keras runs: {args.keras_repeats}, nnlib runs: {args.nnlib_repeats}).")
    print(f"The tuned Keras fit (one tf.data pass of all 800 batches, steps_per_execution=4, "
          f"first call's tracing included) is {k_time / t_time:.0f}x faster than the article's; "
          f"nnlib is {t_time / n_time:.0f}x faster than the tuned one.")
    print("Final MSE: median over seeds 0-2 (noise floor 0.01; 200 epochs at lr 0.001 is "
          "often not enough to reach it).")


if __name__ == "__main__":
    main()
