"""2-D convolution and max pooling in numpy, laid out like Keras, with their backward passes.

Images are channels-last, as in ``keras.layers.Conv2D``: a batch ``X`` has shape
``(n_samples, height, width, channels)`` and a kernel ``(kh, kw, c_in, c_out)``, so
``conv2d(X, *conv_layer.get_weights())`` gives what the Keras layer gives.

Like every deep-learning library, "convolution" here is a cross-correlation: the
kernel slides over the image without being flipped.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from nnlib.validation import as_float_array, check_positive_int

IMAGES = "(n_samples, height, width, channels), a batch of images"

PADDINGS = ("valid", "same")


def _check_padding(padding):
    if padding not in PADDINGS:
        raise ValueError(f"padding must be 'valid' or 'same'. Received: padding={padding!r}")
    return padding


def _check_stride(stride):
    if isinstance(stride, (tuple, list)):
        if len(stride) != 2:
            raise ValueError(
                f"stride must be an int or a pair (sh, sw). Received: stride={stride!r}"
            )
        return (check_positive_int(stride[0], "stride"), check_positive_int(stride[1], "stride"))
    s = check_positive_int(stride, "stride")
    return (s, s)


def output_size(size, kernel_size, stride=1, padding="valid"):
    """Length of a convolution's output along one axis.

    Parameters
    ----------
    size : int
        Input length (height or width).
    kernel_size : int
    stride : int, default=1
    padding : {"valid", "same"}, default="valid"

    Returns
    -------
    int
        ``floor((size - kernel_size) / stride) + 1`` for ``"valid"``,
        ``ceil(size / stride)`` for ``"same"``.
    """
    size = check_positive_int(size, "size")
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    stride = check_positive_int(stride, "stride")
    if _check_padding(padding) == "same":
        return -(-size // stride)
    if kernel_size > size:
        return 0
    return (size - kernel_size) // stride + 1


def _same_pads(size, k, s):
    # TensorFlow's rule: pad just enough for ceil(size / s) outputs, the extra one at the end.
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def pad_same(X, kernel_shape, stride=1):
    """Zero-pad ``X`` as ``padding="same"`` does (TensorFlow/Keras rule).

    Parameters
    ----------
    X : ndarray of shape (n_samples, height, width, channels)
    kernel_shape : tuple (kh, kw)
    stride : int or (int, int), default=1

    Returns
    -------
    ndarray of shape (n_samples, height + pad_h, width + pad_w, channels)
        When the total padding along an axis is odd, the extra row/column goes at the
        bottom/right.
    """
    sh, sw = _check_stride(stride)
    top, bottom = _same_pads(X.shape[1], kernel_shape[0], sh)
    left, right = _same_pads(X.shape[2], kernel_shape[1], sw)
    return np.pad(X, ((0, 0), (top, bottom), (left, right), (0, 0)))


def conv2d(X, kernel, bias=None, *, stride=1, padding="valid"):
    """2-D convolution of a batch of channels-last images, like ``keras.layers.Conv2D``.

    Parameters
    ----------
    X : array_like of shape (n_samples, height, width, c_in)
    kernel : array_like of shape (kh, kw, c_in, c_out)
        Keras' ``Conv2D`` kernel layout.
    bias : array_like of shape (c_out,), optional
        Default: no bias (zeros).
    stride : int or (int, int), default=1
        Step between two positions of the kernel (rows, columns).
    padding : {"valid", "same"}, default="valid"
        ``"valid"``: only positions where the kernel fits inside the image;
        ``"same"``: zero-pad so that the output has ``ceil(size / stride)`` rows/columns.

    Returns
    -------
    Z : ndarray of shape (n_samples, out_height, out_width, c_out)
        The feature maps, before any activation.

    Raises
    ------
    ValueError
        If ``X`` is not 4-D, ``kernel`` not 4-D, their channels differ, ``bias`` has the
        wrong length, or ``padding``/``stride`` are invalid.

    Notes
    -----
    For output pixel ``(i, j)`` and output channel ``k``:

    .. math:: Z_{ijk} = b_k + \\sum_{u, v, c} X_{i s_h + u,\\, j s_w + v,\\, c}\\, K_{u v c k}
    """
    X = as_float_array(X, "X", ndim=4, layout=IMAGES)
    kernel = as_float_array(kernel, "kernel", ndim=4,
                            layout="(kh, kw, c_in, c_out), Keras' Conv2D layout")
    if kernel.shape[2] != X.shape[3]:
        raise ValueError(
            f"kernel expects {kernel.shape[2]} input channel(s) but X has {X.shape[3]}. "
            f"Received: X with shape {X.shape} and kernel with shape {kernel.shape}"
        )
    _check_padding(padding)
    sh, sw = _check_stride(stride)
    kh, kw = kernel.shape[:2]
    if padding == "same":
        X = pad_same(X, (kh, kw), (sh, sw))
    elif kh > X.shape[1] or kw > X.shape[2]:
        raise ValueError(
            f"kernel of size {(kh, kw)} does not fit in images of size {X.shape[1:3]} with "
            "padding='valid'. Use a smaller kernel or padding='same'."
        )
    # windows: (n, out_h, out_w, c_in, kh, kw), each one the patch under the kernel
    windows = sliding_window_view(X, (kh, kw), axis=(1, 2))[:, ::sh, ::sw]
    Z = np.einsum("nijcuv,uvck->nijk", windows, kernel, optimize=True)
    if bias is not None:
        bias = as_float_array(bias, "bias")
        if bias.shape != (kernel.shape[3],):
            raise ValueError(
                f"bias must have shape ({kernel.shape[3]},), one value per output channel. "
                f"Received: bias with shape {bias.shape}"
            )
        Z = Z + bias
    return Z


def conv2d_backward(dZ, X, kernel):
    """Gradients of a 'valid', stride-1 ``conv2d`` given ``dZ = dL/dZ``.

    Parameters
    ----------
    dZ : array_like of shape (n_samples, height - kh + 1, width - kw + 1, c_out)
    X : array_like of shape (n_samples, height, width, c_in)
        The convolution's input.
    kernel : array_like of shape (kh, kw, c_in, c_out)

    Returns
    -------
    dX : ndarray of X's shape
    dkernel : ndarray of kernel's shape
    dbias : ndarray of shape (c_out,)

    Notes
    -----
    Pixel ``X[s, i + u, j + v, c]`` meets ``K[u, v, c, k]`` in output ``Z[s, i, j, k]``, so
    ``dK[u, v, c, k]`` sums ``X[s, i + u, j + v, c] dZ[s, i, j, k]`` over ``s, i, j``, and
    ``dX[s, i + u, j + v, c]`` sums ``K[u, v, c, k] dZ[s, i, j, k]`` over every ``(u, v, k)``
    that reaches it.
    """
    X = as_float_array(X, "X", ndim=4, layout=IMAGES)
    kernel = as_float_array(kernel, "kernel", ndim=4,
                            layout="(kh, kw, c_in, c_out), Keras' Conv2D layout")
    dZ = as_float_array(dZ, "dZ", ndim=4, layout="(n_samples, out_height, out_width, c_out)")
    kh, kw = kernel.shape[:2]
    expected = (X.shape[0], X.shape[1] - kh + 1, X.shape[2] - kw + 1, kernel.shape[3])
    if dZ.shape != expected:
        raise ValueError(f"dZ must have the output's shape {expected}. "
                         f"Received: dZ with shape {dZ.shape}")
    windows = sliding_window_view(X, (kh, kw), axis=(1, 2))  # (n, out_h, out_w, c, kh, kw)
    dkernel = np.einsum("nijcuv,nijk->uvck", windows, dZ, optimize=True)
    dX = np.zeros_like(X)
    out_h, out_w = dZ.shape[1:3]
    for u in range(kh):
        for v in range(kw):
            dX[:, u:u + out_h, v:v + out_w, :] += dZ @ kernel[u, v].T
    return dX, dkernel, dZ.sum(axis=(0, 1, 2))


def apply_filter(image, kernel, *, stride=1, padding="same"):
    """Convolve one grayscale image with one 2-D filter (the notebook's first example).

    Parameters
    ----------
    image : array_like of shape (height, width)
    kernel : array_like of shape (kh, kw)
    stride : int, default=1
    padding : {"valid", "same"}, default="same"

    Returns
    -------
    ndarray of shape (out_height, out_width)
        ``conv2d`` on a batch of one image with one input and one output channel.
    """
    image = as_float_array(image, "image", ndim=2, layout="(height, width)")
    kernel = as_float_array(kernel, "kernel", ndim=2, layout="(kh, kw)")
    out = conv2d(image[None, :, :, None], kernel[:, :, None, None], stride=stride,
                 padding=padding)
    return out[0, :, :, 0]


def max_pool2d(X, pool_size=2, *, stride=None, padding="valid"):
    """Max pooling of channels-last images, like ``keras.layers.MaxPooling2D``.

    Parameters
    ----------
    X : array_like of shape (n_samples, height, width, channels)
    pool_size : int, default=2
    stride : int, optional
        Default: ``pool_size`` (non-overlapping windows, Keras' default).
    padding : {"valid", "same"}, default="valid"
        ``"same"`` pads with ``-inf`` so that padding never wins the max.

    Returns
    -------
    ndarray of shape (n_samples, out_height, out_width, channels)
        The largest value of each window, channel by channel.
    """
    X = as_float_array(X, "X", ndim=4, layout=IMAGES)
    p = check_positive_int(pool_size, "pool_size")
    s = p if stride is None else check_positive_int(stride, "stride")
    if _check_padding(padding) == "same":
        top, bottom = _same_pads(X.shape[1], p, s)
        left, right = _same_pads(X.shape[2], p, s)
        X = np.pad(X, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=-np.inf)
    return _windows(X, p, s).max(axis=-1)


def _windows(X, p, s=None):
    """The p x p windows, s apart (default p), that 'valid' pooling of ``X`` reads: shape
    (n, out_h, out_w, channels, p * p), each window's entries row by row."""
    if p > X.shape[1] or p > X.shape[2]:
        raise ValueError(
            f"pool_size={p} does not fit in images of size {X.shape[1:3]} with padding='valid'."
        )
    s = p if s is None else s
    windows = sliding_window_view(X, (p, p), axis=(1, 2))[:, ::s, ::s]
    return windows.reshape(*windows.shape[:4], p * p)


def _from_windows(parts, shape, p):
    """The reverse of ``_windows``: an array of ``shape`` with each window's ``parts`` where
    the window reads, and 0 in the rows and columns that no window covers."""
    n, out_h, out_w, c = parts.shape[:4]
    out = np.zeros(shape)
    out[:, :out_h * p, :out_w * p] = (parts.reshape(n, out_h, out_w, c, p, p)
                                      .transpose(0, 1, 4, 2, 5, 3)
                                      .reshape(n, out_h * p, out_w * p, c))
    return out


def max_pool2d_backward(dY, X, pool_size=2):
    """Gradient of ``max_pool2d(X, pool_size)`` ('valid', stride = pool size) given ``dY``.

    Parameters
    ----------
    dY : array_like of shape (n_samples, height // pool_size, width // pool_size, channels)
        The loss's gradient with respect to the pooled maps.
    X : array_like of shape (n_samples, height, width, channels)
        The pooling's input.
    pool_size : int, default=2

    Returns
    -------
    dX : ndarray of X's shape
        Each window's ``dY`` at the window's largest entry, 0 everywhere else (and in the
        rows and columns no window covers). Where several entries tie for the largest, the
        first of them row by row gets it, as in TensorFlow.
    """
    X = as_float_array(X, "X", ndim=4, layout=IMAGES)
    p = check_positive_int(pool_size, "pool_size")
    dY = as_float_array(dY, "dY", ndim=4, layout="(n_samples, out_height, out_width, channels)")
    n, h, w, c = X.shape
    expected = (n, h // p, w // p, c)
    if dY.shape != expected:
        raise ValueError(f"dY must have the pooled maps' shape {expected}. "
                         f"Received: dY with shape {dY.shape}")
    first = _windows(X, p).argmax(axis=-1)  # argmax returns the first of equal entries
    return _from_windows((np.arange(p * p) == first[..., None]) * dY[..., None], X.shape, p)


def classic_filters():
    """Hand-made 3x3 filters that image processing used long before deep learning.

    Returns
    -------
    dict of str to ndarray of shape (3, 3)
        ``"vertical_edges"`` and ``"horizontal_edges"`` (Sobel: large where brightness
        changes from left to right / top to bottom), ``"outline"`` (Laplacian: large
        around any edge), ``"blur"`` (box: the mean of the 3x3 neighbourhood),
        ``"gaussian_blur"`` (weights 1-2-1, summing to 1) and ``"sharpen"``.
    """
    sobel_x = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    return {
        "vertical_edges": sobel_x,
        "horizontal_edges": sobel_x.T.copy(),
        "outline": np.array([[-1.0, -1.0, -1.0], [-1.0, 8.0, -1.0], [-1.0, -1.0, -1.0]]),
        "blur": np.full((3, 3), 1.0 / 9.0),
        "gaussian_blur": np.outer([1.0, 2.0, 1.0], [1.0, 2.0, 1.0]) / 16.0,
        "sharpen": np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
    }


def count_conv_params(kernel_size, c_in, c_out):
    """Number of weights of a ``Conv2D`` layer: ``kh * kw * c_in * c_out + c_out``.

    It does not depend on the image size, unlike a ``Dense`` layer on flattened pixels.
    """
    k = check_positive_int(kernel_size, "kernel_size")
    return k * k * check_positive_int(c_in, "c_in") * check_positive_int(c_out, "c_out") + c_out
