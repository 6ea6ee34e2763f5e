"""course.n05a_mlp_cnn.numpy_cnn: the numpy CNN that trains with the student's pieces."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

import nnlib
from course.n05a_mlp_cnn import conv
from course.n05a_mlp_cnn.numpy_cnn import NumpyCNN
from nnlib.gradcheck import numerical_gradient, relative_error


def _digits(n=60):
    digits = load_digits()
    return digits.images[:n, :, :, None] / 16.0, digits.target[:n]


def test_gradients_agree_with_finite_differences():
    X, y = _digits(20)
    cnn = NumpyCNN(seed=3)
    # biases away from 0: a blank patch would otherwise sit on ReLU's kink, where finite
    # differences see half a slope
    cnn.bias = np.random.default_rng(3).uniform(0.05, 0.1, size=cnn.bias.shape)
    _, grads = cnn.loss_and_grads(X, y)
    for k, grad in enumerate(grads):
        weights = cnn.get_weights()

        def loss_at(w, k=k, weights=weights):
            probe = NumpyCNN(seed=3)
            probe.set_weights(weights[:k] + [w] + weights[k + 1:])
            return probe.loss_and_grads(X, y)[0]

        assert relative_error(grad, numerical_gradient(loss_at, weights[k])) < 1e-6, k


def test_gradients_equal_tf_gradient_tape_of_the_same_keras_layers():
    from course import keras_twin
    from course.n05a_mlp_cnn import keras_models

    keras_twin.import_keras()
    X, y = _digits(50)
    cnn = NumpyCNN(seed=1, n_filters=4)
    twin = keras_models.build_cnn((8, 8, 1), 10, filters=(4,), padding="valid", dtype="float64")
    twin.set_weights(cnn.get_weights())
    loss, ours = cnn.loss_and_grads(X, y)
    keras_loss, theirs = keras_twin.keras_loss_and_grads(
        twin, X, nnlib.data.one_hot(y, 10), loss="categorical_cross_entropy")
    assert abs(loss - keras_loss) < 1e-12
    for a, b in zip(ours, theirs):
        assert relative_error(a, b) < 1e-12


def test_it_calls_the_pieces_it_is_given():
    calls = []

    def spy(name, fn):
        def wrapped(*args):
            calls.append(name)
            return fn(*args)
        return wrapped

    X, y = _digits(10)
    cnn = NumpyCNN(seed=0, conv2d=spy("conv2d", conv.conv2d),
                   conv2d_backward=spy("conv2d_backward", conv.conv2d_backward),
                   max_pool2d_backward=spy("pool", conv.max_pool2d_backward))
    cnn.loss_and_grads(X, y)
    assert calls == ["conv2d", "pool", "conv2d_backward"]


def test_a_wrong_piece_changes_what_it_learns():
    """The pieces are really used: a pooling backward that spreads dY changes the gradient."""
    X, y = _digits(30)
    right, spread = NumpyCNN(seed=0), NumpyCNN(
        seed=0, max_pool2d_backward=lambda dY, X_, p: np.kron(dY, np.ones((1, p, p, 1))))
    assert relative_error(right.loss_and_grads(X, y)[1][0], spread.loss_and_grads(X, y)[1][0]) > 0.1


def test_it_trains_and_is_deterministic():
    X, y = _digits(300)
    runs = []
    for _ in range(2):
        cnn = NumpyCNN(seed=4)
        history = cnn.fit(X, y, optimizer=nnlib.Adam(learning_rate=0.01), epochs=5,
                          batch_size=32, seed=4)
        runs.append(history)
    assert runs[0] == runs[1]
    assert runs[0][-1] < 0.5 * runs[0][0]


def test_a_diverging_run_stops_and_says_so():
    X, y = _digits(64)
    cnn = NumpyCNN(seed=0)
    with pytest.raises(FloatingPointError, match=r"finite in epoch 2: training diverged"):
        cnn.fit(X, y, optimizer=nnlib.SGD(learning_rate=1e200), epochs=5)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"input_shape": (8, 8)}, r"input_shape must be \(height, width, channels\)"),
    ({"input_shape": (3, 3, 1)}, r"too small for a 3x3 convolution followed by 2x2 pooling"),
    ({"n_filters": 0}, r"n_filters"),
    ({"n_classes": 1}, r"n_classes"),
])
def test_bad_settings_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        NumpyCNN(**kwargs)


def test_bad_images_and_weights_are_named():
    cnn = NumpyCNN()
    with pytest.raises(ValueError, match=r"images of shape \(8, 8, 1\)\. Received: X with shape "
                                         r"\(2, 7, 7, 1\)"):
        cnn.predict(np.zeros((2, 7, 7, 1)))
    with pytest.raises(ValueError, match=r"one or more images"):
        cnn.fit(np.zeros((0, 8, 8, 1)), np.zeros(0, int), optimizer=nnlib.Adam())
    X, y = _digits(5)
    for call in (cnn.accuracy, cnn.loss_and_grads,
                 lambda X_, y_: cnn.fit(X_, y_, optimizer=nnlib.Adam())):
        for labels in (y[:4], y[:1]):
            with pytest.raises(ValueError, match=r"one label per image, shape \(5,\)\. Received"):
                call(X, labels)
    with pytest.raises(ValueError, match=r"weights must be \[kernel, bias, W, b\]"):
        cnn.set_weights(cnn.get_weights()[:3])
