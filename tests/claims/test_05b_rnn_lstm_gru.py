"""05b_rnn_lstm_gru: what makes each of its checks hold for any COURSE_SEED (see sweeping.py)."""

import numpy as np
from sweeping import Bounded, Exact, OverRuns, Swept, sweep  # noqa: F401

import nnlib
from course.n05b_rnn_lstm_gru import recurrent, sequences
from course.n05b_rnn_lstm_gru import tasks as rnn_tasks

NAMES = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
CHECKS = {
    # cell 5
    'np.allclose(h, h_nnlib)': Exact("the same float64 formula, step by step"),
    # cell 8
    'H_nnlib.shape == H_keras.shape == (4, 6, units)': Exact(),
    # cell 8
    'np.allclose(H_nnlib, H_keras, rtol=0, atol=1e-12)': Swept("test_rnn_layers_equal_keras"),
    # cell 15
    'shrink < 1e-06': Swept("test_gradient_vanishes_over_30_steps"),
    # cell 18
    'reach[0] < 1e-05 * reach[-1]': Swept("test_gradient_vanishes_over_30_steps"),
    # cell 21
    'memory_mse[-1] < 0.05': Swept("test_an_rnn_learns_to_remember_with_bptt"),
    # cell 31
    'np.allclose(H_mine, H_keras, rtol=0, atol=1e-12)': Swept("test_rnn_layers_equal_keras"),
    # cell 31
    "np.allclose(H_mine, recurrent.rnn_forward('lstm', X_batch, W_lstm, U_lstm, b_lstm, return_sequences=True), rtol=0, atol=1e-12)": Swept("test_rnn_layers_equal_keras"),
    # cell 34
    "kept['LSTM, forget bias 3'] > 0.01 > kept['LSTM, forget bias 1']":
        Swept("test_gradient_reach_of_the_lstm"),
    # cell 34
    "kept['RNN of section 2'] < 1e-05": Swept("test_gradient_reach_of_the_lstm"),
    # cell 40
    "n_weights['lstm'] == 4 * n_weights['simple_rnn']": Exact(),
    # cell 40
    "n_weights['gru'] == 3 * n_weights['simple_rnn'] + 3 * units": Exact(),
    # cell 39
    'n_weights[kind] == layer.count_params()': Exact(),
    # cell 43
    'np.array_equal(X_te[0, :, 0], series[n_train:n_train + WINDOW])': Exact(
        "make_windows copies the series"),
    # cell 48
    '0.04 < naive_mse < 0.08': Swept("test_naive_forecast"),
    # cell 48
    'all((mse < naive_mse for mse in forecast_mse.values()))': OverRuns("test_forecasts_over_seeds"),
    # cell 48
    'all((mse < 0.05 for mse in forecast_mse.values()))': OverRuns("test_forecasts_over_seeds"),
    # cell 51
    'np.all(markers.sum(axis=1) == 1) and np.all(markers[np.arange(len(X_rec)), marked] == 1)': Exact(
        "make_recall_task sets one marker per sequence, at the marked step"),
    # cell 51
    'marked.max() < N_STEPS / 4': Exact("marked steps are drawn from 0 .. N_STEPS // 4 - 1"),
    # cell 52
    'steps_to_carry > 20': Exact("29 - marked.max() >= 29 - 6 = 23"),
    # cell 52
    'abs(mse_of_zero - 1 / 3) < 0.06': Bounded(
        8.2e-5, "mse_of_zero is the mean of 500 independent u**2, u uniform on [-1, 1] (mean "
        "1/3); Chernoff's bound exp(-500 I(a)), with I the Legendre transform of "
        "log E exp(l u**2) computed by scipy (quad + minimize_scalar), gives 5.8e-5 for "
        "a = 1/3 + 0.06 and 2.4e-5 for a = 1/3 - 0.06: 8.2e-5 together"),
    # cell 57
    'lstm_mses.min() < 0.05': OverRuns("test_recall_over_seeds"),
}


def test_rnn_layers_equal_keras():
    """Cells 3-17: forward passes only, with the random weights of each seed."""
    from course import keras_twin as twin

    keras = twin.import_keras()
    n_features, units = 2, 3

    def measure(seed):
        rng = np.random.default_rng(seed)
        rng.normal(size=(n_features, units)), rng.normal(size=(units, units))
        rng.normal(size=units), rng.normal(size=(1, 3, n_features))  # cell 3's draws
        keras.utils.set_random_seed(seed)
        X_batch = rng.normal(size=(4, 6, n_features))

        def random_layer(layer):
            layer.build(X_batch.shape)
            layer.set_weights([0.5 * rng.normal(size=w.shape) for w in layer.get_weights()])
            return layer

        simple = random_layer(keras.layers.SimpleRNN(units, return_sequences=True,
                                                     dtype="float64"))
        gaps = {"simple_rnn": np.max(np.abs(simple(X_batch).numpy() - recurrent.rnn_forward(
            "simple_rnn", X_batch, *simple.get_weights(), return_sequences=True)))}
        lstm = random_layer(keras.layers.LSTM(units, return_sequences=True, dtype="float64"))
        H_keras = lstm(X_batch).numpy()
        H_nnlib = recurrent.rnn_forward("lstm", X_batch, *lstm.get_weights(),
                                        return_sequences=True)
        gaps["lstm"] = np.max(np.abs(H_keras - H_nnlib))
        h, c = np.zeros((len(X_batch), units)), np.zeros((len(X_batch), units))
        states = []
        for t in range(X_batch.shape[1]):
            h, c = rnn_tasks.lstm_step._reference(X_batch[:, t], h, c, *lstm.get_weights())
            states.append(h)
        H_mine = np.stack(states, axis=1)
        gaps["lstm_step"] = max(np.max(np.abs(H_mine - H_keras)),
                                np.max(np.abs(H_mine - H_nnlib)))
        for reset_after in (True, False):
            gru = random_layer(keras.layers.GRU(units, return_sequences=True,
                                                reset_after=reset_after, dtype="float64"))
            gaps[f"gru_{reset_after}"] = np.max(np.abs(gru(X_batch).numpy() - recurrent.rnn_forward(
                "gru", X_batch, *gru.get_weights(), return_sequences=True,
                reset_after=reset_after)))
        return {key: float(value) for key, value in gaps.items()}

    sweep(measure, {
        f"{kind} equals Keras to 1e-12": (kind, lambda v: v <= 1e-12)
        for kind in ("simple_rnn", "lstm", "lstm_step", "gru_True", "gru_False")})


def test_gradient_vanishes_over_30_steps():
    def measure(seed):
        jac_rng = np.random.default_rng(seed)
        U_small = jac_rng.normal(size=(8, 8))
        U_small *= 0.5 / np.max(np.abs(np.linalg.eigvals(U_small)))
        W_in = jac_rng.normal(size=(1, 8))
        h_t, through_30_steps = np.zeros(8), np.eye(8)
        for x_t in jac_rng.uniform(-1, 1, size=(30, 1)):
            h_t = np.tanh(x_t @ W_in + h_t @ U_small)
            through_30_steps = through_30_steps @ (U_small * (1 - h_t**2))
        X_30 = jac_rng.uniform(-1, 1, size=(1, 30, 1))
        dX, *_ = recurrent.simple_rnn_backward(np.ones((1, 8)), X_30, W_in, U_small,
                                               np.zeros(8))
        reach = np.abs(dX[0, :, 0])
        return {"shrink": float(np.linalg.norm(through_30_steps, 2)),
                "reach_ratio": float(reach[0] / reach[-1])}

    sweep(measure, {"shrink < 1e-6": ("shrink", lambda v: v < 1e-6),
                    "|dx_1| < 1e-5 |dx_30|": ("reach_ratio", lambda v: v < 1e-5)})


def test_gradient_reach_of_the_lstm():
    """Cell 33: the Keras layers on the weights and inputs of cells 14, 17 and 33."""
    from course import keras_twin
    from course.n05b_rnn_lstm_gru.keras_models import gradient_reach

    keras = keras_twin.import_keras()

    def measure(seed):
        jac_rng = np.random.default_rng(seed)
        U_small = jac_rng.normal(size=(8, 8))
        U_small *= 0.5 / np.max(np.abs(np.linalg.eigvals(U_small)))
        W_in = jac_rng.normal(size=(1, 8))
        jac_rng.uniform(-1, 1, size=(30, 1))
        X_30 = jac_rng.uniform(-1, 1, size=(1, 30, 1))
        rnn = keras.layers.SimpleRNN(8, dtype="float64")
        rnn.build(X_30.shape)
        rnn.set_weights([W_in, U_small, np.zeros(8)])
        kept = {"rnn": gradient_reach(rnn, X_30)}
        kernel = jac_rng.normal(size=(1, 32))
        recurrent_kernel = 0.1 * jac_rng.normal(size=(8, 32))
        for forget_bias in (1, 3):
            bias = np.zeros(32)
            bias[8:16] = forget_bias
            lstm = keras.layers.LSTM(8, dtype="float64")
            lstm.build(X_30.shape)
            lstm.set_weights([kernel, recurrent_kernel, bias])
            kept[forget_bias] = gradient_reach(lstm, X_30)
        return {name: float(r[0] / r[-1]) for name, r in
                (("open", kept[3]), ("keras_start", kept[1]), ("rnn", kept["rnn"]))}

    sweep(measure, {"forget bias 3: kept > 0.01": ("open", lambda v: v > 0.01),
                    "forget bias 1: kept < 0.01": ("keras_start", lambda v: v < 0.01),
                    "section 2's RNN: kept < 1e-5": ("rnn", lambda v: v < 1e-5)})


def test_an_rnn_learns_to_remember_with_bptt():
    """Cells 15-16: a tanh RNN of 16 units, trained by BPTT and Adam (300 full-batch steps,
    rate 0.01), carries the first of 8 values to the end."""
    def measure(seed):
        rng = np.random.default_rng(seed)
        X = rng.uniform(-1, 1, size=(256, 8, 1))
        y = X[:, 0]
        W, U = 0.5 * rng.normal(size=(1, 16)), rng.normal(size=(16, 16)) / 4
        b, v, c = np.zeros(16), rng.normal(size=(16, 1)) / 4, np.zeros(1)
        adam = nnlib.Adam(learning_rate=0.01)
        for _ in range(300):
            h_last = recurrent.rnn_forward("simple_rnn", X, W, U, b)
            y_hat = h_last @ v + c
            mse = float(np.mean((y_hat - y) ** 2))
            d_y = 2 * (y_hat - y) / y.size
            _, dW, dU, db = recurrent.simple_rnn_backward(d_y @ v.T, X, W, U, b)
            adam.step([W, U, b, v, c], [dW, dU, db, h_last.T @ d_y, d_y.sum(axis=0)])
        return {"mse": mse}

    sweep(measure, {"the MSE after 300 steps is below 0.05": ("mse", lambda v: v < 0.05)})


def test_naive_forecast():
    def measure(seed):
        _, series = sequences.noisy_periodic_series(800, period=40, noise=0.1, seed=seed)
        X_win, y_win = sequences.make_windows(series, 20)
        X_te, y_te = X_win[600:], y_win[600:]
        return {"naive_mse": float(np.mean((X_te[:, -1, :] - y_te) ** 2))}

    sweep(measure, {"0.04 < naive_mse < 0.08": ("naive_mse", lambda v: 0.04 < v < 0.08)})


def _measure_forecast(seed):
    """Cells 21-25: the three regressors trained once each, from seed."""
    from course.n05b_rnn_lstm_gru import keras_models

    _, series = sequences.noisy_periodic_series(800, period=40, noise=0.1, seed=seed)
    X_win, y_win = sequences.make_windows(series, 20)
    X_tr, y_tr, X_te, y_te = X_win[:600], y_win[:600], X_win[600:], y_win[600:]
    _, mses = keras_models.compare_rnns(NAMES, X_tr, y_tr, X_te, y_te, epochs=15, seeds=[seed],
                                       units=16)
    naive_mse = float(np.mean((X_te[:, -1, :] - y_te) ** 2))
    worst = max(float(m[0]) for m in mses.values())
    return {"worst_mse": worst, "worst_over_naive": worst / naive_mse}


def test_forecasts_over_seeds():
    sweep(_measure_forecast, {
        "every network beats the naive forecast": ("worst_over_naive", lambda v: v < 1),
        "every network's test MSE < 0.05": ("worst_mse", lambda v: v < 0.05),
    }, keras=True)


def _measure_recall(seed):
    """Cells 27-36: each kind of cell trained from seed, seed + 1 and seed + 2."""
    from course.n05b_rnn_lstm_gru import keras_models

    X_rec, y_rec, _ = sequences.make_recall_task(2500, 30, seed=seed)
    X_rec_te, y_rec_te, _ = sequences.make_recall_task(500, 30, seed=seed + 1)
    _, recall_mses = keras_models.compare_rnns(NAMES, X_rec, y_rec, X_rec_te, y_rec_te, epochs=12,
                                              seeds=[seed, seed + 1, seed + 2], batch_size=64)
    failed = np.concatenate([m[m >= 0.05] for m in recall_mses.values()])
    lstm_mses, extra_runs = recall_mses["lstm"], 0
    for extra in range(seed + 3, seed + 6):  # up to three more LSTM runs, as the notebook
        if lstm_mses.min() < 0.05:
            break
        _, more = keras_models.compare_rnns(["lstm"], X_rec, y_rec, X_rec_te, y_rec_te,
                                           epochs=12, seeds=[extra], batch_size=64)
        lstm_mses, extra_runs = np.append(lstm_mses, more["lstm"]), extra_runs + 1
    return {"best_lstm": float(lstm_mses.min()), "extra_runs": extra_runs,
            "lstm_remembered_of_3": int(np.sum(recall_mses["lstm"] < 0.05)),
            "median_failed": float(np.median(failed)) if failed.size else 1.0}


def test_recall_over_seeds():
    sweep(_measure_recall, {
        "the best LSTM run of up to six remembered (< 0.05)": ("best_lstm", lambda v: v < 0.05),
        "(printed) LSTM runs of the first three that remembered": (
            "lstm_remembered_of_3", lambda v: True),
        "(printed) extra LSTM runs needed": ("extra_runs", lambda v: True),
        "(printed, no longer asserted: seed 12 gave 0.108) the runs that did not remember: "
        "median": ("median_failed", lambda v: True),
    }, keras=True)
