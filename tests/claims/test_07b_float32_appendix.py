"""07b_float32_appendix: what makes each of its checks hold for any COURSE_SEED (see sweeping.py)."""

import numpy as np  # noqa: F401
from sweeping import Bounded, Exact, OverRuns, Swept, n_seeds, sweep  # noqa: F401
from test_07_mlp_tensorflow_comparison import DEFAULT_ADAM_CLAIMS, measure_default_adam

CHECKS = {
    # cell 3
    '4e-08 < float(np.float32(0.001)) / 0.001 - 1 < 5e-08': Exact("fixed numbers"),
    # cell 4
    "keras_model.layers[0].kernel.dtype == 'float32'": Exact("Keras' default floatx"),
    # cell 3
    'all((float(np.float32(value)) != value for value in (0.001, 0.9, 0.999)))': Exact("fixed numbers"),
    # cell 3
    'np.float32(keras_adam[key]) == np.float32(nnlib_adam[key])': Exact("fixed defaults"),
    # cell 7
    'np.all((-7e-06 < step_ratio) & (step_ratio < -4e-06))': Exact("step sizes from fixed numbers"),
    # cell 7
    '-6.8e-06 < step_ratio[0] < -6.4e-06 and -4.3e-06 < step_ratio[-1] < -4e-06': Exact("step sizes from fixed numbers"),
    # cell 10
    'gap.max() > 1e-07': OverRuns("test_default_adam"),
    # cell 11
    "default_gaps['nnlib KerasRoundedAdam()'].max() < 1e-13": Exact(
        "KerasRoundedAdam makes Keras' float32 roundings of the hyperparameters in float64: "
        "the same arithmetic on both sides, only float64 rounding differs"),
}


def test_default_adam():
    """Cells 8-9: Keras' default Adam in float64 against nnlib's Adam and KerasRoundedAdam,
    from notebook 07's start (measured with 07's helpers)."""
    sweep(measure_default_adam, DEFAULT_ADAM_CLAIMS, keras=True)
