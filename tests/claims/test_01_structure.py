"""01_structure: what makes each of its checks hold for any COURSE_SEED (see sweeping.py)."""

from sweeping import Bounded, Exact, OverRuns, Swept, sweep  # noqa: F401

ROUNDING = "float64 rounding (about 1e-16 of values of size 1-10), far inside the tolerance"
SHAPES = "the layer sizes alone decide it"

CHECKS = {
    # cell 5
    'np.isclose(z_loop, z) and np.isclose(z, 1.1)': Exact("fixed inputs"),
    # cell 5
    'np.isclose(a, nnlib.activations.relu(z))': Exact("fixed inputs"),
    # cell 5
    'nnlib.activations.relu(w @ x - 2.0) == 0.0': Exact("fixed inputs"),
    # cell 13
    'np.allclose(Z_loops, Z)': Exact("the same float64 sums: " + ROUNDING),
    # cell 16
    'np.allclose(layer.predict(X), A)': Exact("the same float64 sums: " + ROUNDING),
    # cell 21
    'np.allclose(first_layer.predict(X_data), A1)': Exact("the same float64 sums: " + ROUNDING),
    # cell 24
    'y_hat.shape == (100, 1)': Exact(SHAPES),
    # cell 24
    'gap <= 1e-12': Exact("the same float64 operations as model.forward: " + ROUNDING),
    # cell 29
    'drawing.n_neurons == 1 + 10 + 5 + 1': Exact(SHAPES),
    # cell 29
    'drawing.n_connections == n_weights == 1 * 10 + 10 * 5 + 5 * 1': Exact(SHAPES),
    # cell 33
    'all((np.all(b_l == 0) for b_l in model.biases))': Exact("biases start at zeros"),
    # cell 34
    '0.25 < negative < 0.75': Bounded(
        5.1e-5, "65 independent symmetric draws, negatives ~ Binomial(65, 1/2); the check "
        "fails for <= 16 or >= 49 negatives: 2 * scipy.stats.binom.cdf(16, 65, 0.5) = 5.1e-5"),
    # cell 33
    'np.abs(W_l).max() <= limit': Exact("rng.uniform(-limit, limit) stays inside [-limit, limit)"),
    # cell 33
    'np.concatenate(fractions).max() > 0.7': Bounded(
        8.6e-11, "the 65 fractions |w| / limit are independent and uniform on [0, 1): "
        "all of them <= 0.7 with probability 0.7**65 = 8.5e-11"),
    # cell 40
    'drawing.truncated == [True, True, False] and len(drawing.ellipses) == 2': Exact(SHAPES),
    # cell 40
    'drawing.n_connections == n_drawn[0] * n_drawn[1] + n_drawn[1] * n_drawn[2]': Exact(SHAPES),
    # cell 40
    "any(('784 neurons' in t.get_text() for t in ax.texts))": Exact(SHAPES),
    # cell 43
    'P == model.count_params() == 81': Exact(SHAPES),
    # cell 49
    'shape == [1, 10, 5, 8, 1]': Exact("the widget's controls, set from code"),
    # cell 49
    "probe.n_params == nnlib.MLP(shape, ['relu'] * 3 + ['linear']).count_params()": Exact(SHAPES),
    # cell 49
    'probe.n_params == 81 - (5 * 1 + 1) + (5 * 8 + 8) + (8 * 1 + 1)': Exact(SHAPES),
    # cell 49
    'probe.drawing.n_connections == 10 + 50 + 40 + 8': Exact(SHAPES),
}

