"""A small CNN in numpy that trains with the student's convolution and pooling.

``NumpyCNN`` is ``conv2d`` (one layer of 3x3 filters, 'valid') -> ReLU -> 2x2 max pooling ->
flatten -> dense -> softmax, the layers of ``keras_models.build_cnn(..., padding="valid")``
with one convolution, and its weights in the same order, so TensorFlow can check its
gradients. Its forward and backward passes call three pieces given to it (the notebook
passes the student's ``conv2d``, ``conv2d_backward`` and ``max_pool2d_backward``); the
course's own stand in for any left out.
"""

from __future__ import annotations

import numpy as np

from nnlib import initializers, losses
from nnlib.activations import softmax
from nnlib.data import one_hot
from nnlib.validation import as_float_array, check_positive_int

from . import conv


class NumpyCNN:
    """One convolution, ReLU, max pooling and a softmax layer, trained in numpy.

    Parameters
    ----------
    input_shape : tuple (height, width, channels), default=(8, 8, 1)
    n_classes : int, default=10
    n_filters : int, default=8
    kernel_size : int, default=3
    pool_size : int, default=2
    seed : int, default=0
        Seeds the initial weights: He uniform for the kernel (ReLU follows it), Glorot
        uniform for the dense layer, zero biases.
    conv2d, conv2d_backward, max_pool2d_backward : callable, optional
        ``conv2d(X, kernel, bias)`` ('valid', stride 1), ``conv2d_backward(dZ, X, kernel)``
        returning ``(dX, dkernel, dbias)``, and ``max_pool2d_backward(dY, X, pool_size)``.
        Default: the course's, from ``conv``.
    """

    def __init__(self, input_shape=(8, 8, 1), n_classes=10, *, n_filters=8, kernel_size=3,
                 pool_size=2, seed=0, conv2d=None, conv2d_backward=None,
                 max_pool2d_backward=None):
        if len(tuple(input_shape)) != 3:
            raise ValueError("input_shape must be (height, width, channels). "
                             f"Received: input_shape={input_shape!r}")
        h, w, c_in = (check_positive_int(s, "input_shape") for s in input_shape)
        k = check_positive_int(kernel_size, "kernel_size")
        self.pool_size = check_positive_int(pool_size, "pool_size")
        n_filters = check_positive_int(n_filters, "n_filters")
        self.n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
        pooled = ((h - k + 1) // self.pool_size) * ((w - k + 1) // self.pool_size)
        if pooled == 0:
            raise ValueError(f"images of {h}x{w} are too small for a {k}x{k} convolution "
                             f"followed by {self.pool_size}x{self.pool_size} pooling.")
        self.input_shape = (h, w, c_in)
        rng = np.random.default_rng(seed)
        self.kernel = initializers.he_uniform((k * k * c_in, n_filters), rng).reshape(
            k, k, c_in, n_filters)
        self.bias = initializers.zeros(n_filters)
        self.W = initializers.glorot_uniform((pooled * n_filters, self.n_classes), rng)
        self.b = initializers.zeros(self.n_classes)
        self.conv2d = conv2d or conv.conv2d
        self.conv2d_backward = conv2d_backward or conv.conv2d_backward
        self.max_pool2d_backward = max_pool2d_backward or conv.max_pool2d_backward

    def get_weights(self):
        """``[kernel, bias, W, b]``: Keras' order for the same layers."""
        return [self.kernel.copy(), self.bias.copy(), self.W.copy(), self.b.copy()]

    def set_weights(self, weights):
        """Replace the weights by copies of ``[kernel, bias, W, b]`` of the same shapes."""
        ours = self.get_weights()
        if len(weights) != 4 or any(np.shape(a) != b.shape for a, b in zip(weights, ours)):
            raise ValueError("weights must be [kernel, bias, W, b] of shapes "
                             f"{[w.shape for w in ours]}. Received: shapes "
                             f"{[np.shape(a) for a in weights]}")
        self.kernel, self.bias, self.W, self.b = (np.array(a, dtype=float) for a in weights)

    def _images(self, X):
        X = as_float_array(X, "X", ndim=4, layout=conv.IMAGES)
        if X.shape[1:] != self.input_shape or len(X) == 0:
            raise ValueError(f"X must hold one or more images of shape {self.input_shape}. "
                             f"Received: X with shape {X.shape}")
        return X

    def _labels(self, y, X):
        y = np.asarray(y)
        if y.shape != (len(X),):
            raise ValueError(f"y must hold one label per image, shape ({len(X)},). "
                             f"Received: y with shape {y.shape}")
        return y

    def _forward(self, X):
        Z = self.conv2d(X, self.kernel, self.bias)
        A = np.maximum(Z, 0.0)
        P = conv.max_pool2d(A, self.pool_size)
        logits = P.reshape(len(X), -1) @ self.W + self.b
        return logits, (Z, A, P)

    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, n_classes)."""
        return softmax(self._forward(self._images(X))[0])

    def predict(self, X):
        """The most likely class of each image."""
        return np.argmax(self.predict_proba(X), axis=1)

    def accuracy(self, X, y):
        """Fraction of images whose predicted class is ``y``."""
        X = self._images(X)
        return float(np.mean(self.predict(X) == self._labels(y, X)))

    def loss_and_grads(self, X, y):
        """Mean cross-entropy on ``(X, y)`` (integer labels) and its gradients.

        Returns
        -------
        loss : float
            ``inf`` if the network's outputs are not finite (its weights diverged).
        grads : list of ndarray, or None with an infinite loss
            ``[dkernel, dbias, dW, db]``, in the order of ``get_weights``.
        """
        X = self._images(X)
        Y = one_hot(self._labels(y, X), self.n_classes)
        logits, (Z, A, P) = self._forward(X)
        if not np.all(np.isfinite(logits)):
            return np.inf, None
        loss = losses.categorical_cross_entropy(Y, logits, from_logits=True)
        d_logits = losses.categorical_cross_entropy_grad(Y, logits, from_logits=True)
        dW = P.reshape(len(X), -1).T @ d_logits
        dP = (d_logits @ self.W.T).reshape(P.shape)
        dA = self.max_pool2d_backward(dP, A, self.pool_size)
        dZ = dA * (Z > 0)
        _, dkernel, dbias = self.conv2d_backward(dZ, X, self.kernel)
        return loss, [dkernel, dbias, dW, d_logits.sum(axis=0)]

    def fit(self, X, y, *, optimizer, epochs=10, batch_size=64, seed=0):
        """Train on shuffled mini-batches; return the mean training loss of each epoch.

        Raises ``FloatingPointError`` (naming the epoch) if the loss stops being finite.
        """
        X = self._images(X)
        y = self._labels(y, X)
        rng = np.random.default_rng(seed)
        batch_size = check_positive_int(batch_size, "batch_size")
        params = [self.kernel, self.bias, self.W, self.b]
        history = []
        for epoch in range(check_positive_int(epochs, "epochs")):
            order = rng.permutation(len(X))
            total = 0.0
            for start in range(0, len(X), batch_size):
                rows = order[start:start + batch_size]
                with np.errstate(over="ignore", invalid="ignore"):
                    loss, grads = self.loss_and_grads(X[rows], y[rows])
                    if grads is not None:
                        optimizer.step(params, grads)
                if grads is None or not all(np.isfinite(p).all() for p in params):
                    raise FloatingPointError(
                        f"the loss or the weights stopped being finite in epoch {epoch + 1}: "
                        "training diverged; try a smaller learning rate.")
                total += loss * len(rows)
            history.append(total / len(X))
        return history
