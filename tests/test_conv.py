"""course.n05a_mlp_cnn.conv against keras.layers.Conv2D / MaxPooling2D in float64 on random weights.

Tolerance: the two sum the same products in a different order, so they agree to
rounding, |difference| <= 1e-12 on values of order 10.
"""

import numpy as np
import pytest

from course.n05a_mlp_cnn import conv

ATOL = 1e-12


@pytest.fixture(scope="module")
def keras():
    from course import keras_twin

    return keras_twin.import_keras()


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", [1, 2, 3, (2, 1)])
@pytest.mark.parametrize("kernel_size", [1, 3, (2, 4)])
def test_conv2d_equals_keras_conv2d(keras, rng, padding, stride, kernel_size):
    X = rng.normal(size=(2, 9, 8, 3))
    layer = keras.layers.Conv2D(4, kernel_size, strides=stride, padding=padding,
                                dtype="float64")
    layer.build(X.shape)
    layer.set_weights([rng.normal(size=w.shape) for w in layer.get_weights()])
    expected = layer(X).numpy()
    got = conv.conv2d(X, *layer.get_weights(), stride=stride, padding=padding)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=ATOL)


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize(("pool", "stride"), [(2, None), (3, 2), (2, 1)])
def test_max_pool2d_equals_keras(keras, rng, padding, pool, stride):
    X = rng.normal(size=(2, 7, 8, 3))
    layer = keras.layers.MaxPooling2D(pool, strides=stride, padding=padding, dtype="float64")
    np.testing.assert_array_equal(conv.max_pool2d(X, pool, stride=stride, padding=padding),
                                  layer(X).numpy())


def test_conv2d_worked_by_hand():
    # 3x3 image, 2x2 kernel of ones: each output is the sum of a 2x2 block, plus bias 1
    image = np.arange(9.0).reshape(1, 3, 3, 1)
    kernel = np.ones((2, 2, 1, 1))
    out = conv.conv2d(image, kernel, [1.0])
    np.testing.assert_array_equal(out[0, :, :, 0], [[0 + 1 + 3 + 4 + 1, 1 + 2 + 4 + 5 + 1],
                                                    [3 + 4 + 6 + 7 + 1, 4 + 5 + 7 + 8 + 1]])


def test_conv2d_is_cross_correlation_not_flipped():
    image = np.zeros((5, 5))
    image[2, 2] = 1.0  # a single bright pixel
    kernel = np.arange(9.0).reshape(3, 3)
    # sliding the kernel over one pixel paints the kernel upside down and mirrored
    out = conv.apply_filter(image, kernel)
    np.testing.assert_array_equal(out[1:4, 1:4], kernel[::-1, ::-1])


def test_output_size_matches_conv2d(rng):
    X = rng.normal(size=(1, 11, 7, 1))
    for padding in ("valid", "same"):
        for stride in (1, 2, 3):
            out = conv.conv2d(X, rng.normal(size=(3, 3, 1, 2)), stride=stride, padding=padding)
            assert out.shape[1:3] == (conv.output_size(11, 3, stride, padding),
                                      conv.output_size(7, 3, stride, padding))
    assert conv.output_size(28, 3) == 26
    assert conv.output_size(28, 3, 2, "same") == 14


def test_classic_filters_do_what_their_names_say():
    f = conv.classic_filters()
    # left half dark, right half bright: a vertical edge
    image = np.zeros((6, 6))
    image[:, 3:] = 1.0
    vertical = conv.apply_filter(image, f["vertical_edges"], padding="valid")
    horizontal = conv.apply_filter(image, f["horizontal_edges"], padding="valid")
    assert np.abs(vertical).max() == 4.0 and np.all(horizontal == 0.0)
    np.testing.assert_array_equal(np.nonzero(vertical[0])[0], [1, 2])  # only at the edge
    # blurs keep a constant image constant (weights sum to 1); edge filters give 0
    flat = np.full((5, 5), 2.0)
    for name in ("blur", "gaussian_blur", "sharpen"):
        np.testing.assert_allclose(conv.apply_filter(flat, f[name], padding="valid"), 2.0)
    for name in ("vertical_edges", "horizontal_edges", "outline"):
        np.testing.assert_allclose(conv.apply_filter(flat, f[name], padding="valid"), 0.0)


def test_count_conv_params_equals_keras(keras):
    layer = keras.layers.Conv2D(8, 3)
    layer.build((None, 8, 8, 2))
    assert conv.count_conv_params(3, 2, 8) == layer.count_params() == 3 * 3 * 2 * 8 + 8


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"X": np.zeros((4, 4, 1))}, r"X must be 4-D \(n_samples, height, width, channels\).*Received: X with shape \(4, 4, 1\)"),
    ({"kernel": np.zeros((3, 3, 1))}, r"kernel must be 4-D.*Received: kernel with shape"),
    ({"kernel": np.zeros((3, 3, 2, 1))}, r"kernel expects 2 input channel\(s\) but X has 1"),
    ({"bias": np.zeros(2)}, r"bias must have shape \(1,\).*Received: bias with shape \(2,\)"),
    ({"padding": "full"}, r"padding must be 'valid' or 'same'. Received: padding='full'"),
    ({"stride": 0}, r"stride must be an integer >= 1. Received: stride=0"),
    ({"stride": (1, 2, 3)}, r"stride must be an int or a pair"),
    ({"kernel": np.zeros((5, 5, 1, 1))}, r"does not fit in images of size \(4, 4\)"),
])
def test_conv2d_errors_name_expected_and_received(kwargs, match):
    args = {"X": np.zeros((1, 4, 4, 1)), "kernel": np.zeros((3, 3, 1, 1)), "bias": None}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        conv.conv2d(args.pop("X"), args.pop("kernel"), args.pop("bias"), **args)


def test_other_errors():
    with pytest.raises(ValueError, match=r"image must be 2-D"):
        conv.apply_filter(np.zeros((1, 3, 3)), np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"kernel must be 2-D"):
        conv.apply_filter(np.zeros((3, 3)), np.ones((3, 3, 1)))
    with pytest.raises(ValueError, match=r"X must be 4-D \(n_samples, height, width, channels\)"):
        conv.max_pool2d(np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"pool_size=4 does not fit"):
        conv.max_pool2d(np.zeros((1, 3, 3, 1)), 4)
    with pytest.raises(TypeError, match=r"X must be an array of numbers"):
        conv.conv2d("image", np.zeros((1, 1, 1, 1)))


@pytest.mark.parametrize(("shape", "pool", "ties"), [
    ((2, 6, 6, 3), 2, False),
    ((2, 7, 5, 2), 2, False),  # a row and a column that no window covers
    ((3, 7, 8, 2), 3, False),
    ((2, 6, 8, 2), 2, True),  # whole numbers: windows with tied largest entries
])
def test_max_pool2d_backward_equals_tf_gradient_tape(keras, rng, shape, pool, ties):
    """Exactly TensorFlow's gradient, ties included: both route dY to the first largest."""
    import tensorflow as tf

    X = rng.integers(0, 3, size=shape).astype(float) if ties else rng.normal(size=shape)
    dY = rng.normal(size=(shape[0], shape[1] // pool, shape[2] // pool, shape[3]))
    X_tf = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(X_tf)
        loss = tf.reduce_sum(tf.constant(dY) * keras.layers.MaxPooling2D(pool, dtype="float64")(X_tf))
    assert np.array_equal(conv.max_pool2d_backward(dY, X, pool), tape.gradient(loss, X_tf).numpy())


def test_max_pool2d_backward_against_finite_differences(rng):
    from nnlib.gradcheck import numerical_gradient

    X, dY = rng.normal(size=(2, 5, 7, 2)), rng.normal(size=(2, 2, 3, 2))
    numeric = numerical_gradient(lambda x: float(np.sum(dY * conv.max_pool2d(x, 2))), X)
    np.testing.assert_allclose(conv.max_pool2d_backward(dY, X, 2), numeric, atol=1e-8)


def test_max_pool2d_backward_routes_ties_to_the_first_entry_row_by_row():
    X = np.array([[0.0, 2.0], [2.0, 1.0]])[None, :, :, None]
    dX = conv.max_pool2d_backward(np.full((1, 1, 1, 1), 5.0), X, 2)
    assert dX[0, :, :, 0].tolist() == [[0.0, 5.0], [0.0, 0.0]]


def test_max_pool2d_backward_names_a_pool_that_does_not_fit_as_the_forward_pass_does():
    for pool in (conv.max_pool2d, lambda X, p: conv.max_pool2d_backward(np.zeros((2, 0, 0, 1)), X, p)):
        with pytest.raises(ValueError, match=r"pool_size=4 does not fit in images of size \(3, 3\)"):
            pool(np.zeros((2, 3, 3, 1)), 4)


def test_max_pool2d_backward_names_a_wrong_dY():
    with pytest.raises(ValueError, match=r"dY must have the pooled maps' shape \(1, 2, 2, 1\)\. "
                                         r"Received: dY with shape \(1, 4, 4, 1\)"):
        conv.max_pool2d_backward(np.ones((1, 4, 4, 1)), np.ones((1, 4, 4, 1)), 2)
