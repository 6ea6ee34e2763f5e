"""Image grids for the CNN notebook: images, filters, feature maps, misclassified digits.

The arrays drawn come from ``conv`` or from a Keras model's layers
(``keras_twin.layer_output``); these functions only draw.
"""

from __future__ import annotations

import numpy as np

from course.figures import OKABE_ITO, styled_subplots


def plot_image_grid(images, *, titles=None, n_cols=8, cmap="gray_r", symmetric=False,
                    suptitle=None, size=1.3, vmin=None, vmax=None, colorbar=False):
    """Draw 2-D arrays side by side on a grid, without axes ticks.

    Parameters
    ----------
    images : array_like of shape (n_images, height, width)
    titles : list of str, optional
        One per image.
    n_cols : int, default=8
    cmap : str, default="gray_r"
        Dark ink on white paper for digits. With ``symmetric=True`` use a diverging
        map such as ``"RdBu_r"`` (blue negative, red positive).
    symmetric : bool, default=False
        Centre the colour scale on 0 (for filters and signed feature maps), the same
        scale for every image.
    suptitle : str, optional
    size : float, default=1.3
        Inches per image.
    vmin, vmax : float, optional
        A colour scale shared by every image (overrides ``symmetric``).
    colorbar : bool, default=False
        Add one colour bar for the whole grid. The scale is then shared by every image:
        ``vmin``/``vmax`` if given, else centred on 0 with ``symmetric``, else the range
        of all images.

    Returns
    -------
    fig : matplotlib Figure
        ``fig.axes[k]`` shows ``images[k]`` (extra cells are hidden); with
        ``colorbar=True`` the colour bar is the last axes.
    """
    images = np.asarray(images, dtype=float)
    if images.ndim != 3:
        raise ValueError(
            f"images must be 3-D (n_images, height, width). Received: shape {images.shape}"
        )
    if titles is not None and len(titles) != len(images):
        raise ValueError(
            f"titles must have one entry per image ({len(images)}). Received: {len(titles)}"
        )
    n = len(images)
    n_cols = max(1, min(n_cols, n))
    n_rows = -(-n // n_cols)
    kwargs = {}
    if symmetric:
        limit = float(np.max(np.abs(images))) or 1.0
        kwargs = {"vmin": -limit, "vmax": limit}
    elif colorbar:
        kwargs = {"vmin": float(np.min(images)), "vmax": float(np.max(images))}
    if vmin is not None or vmax is not None:
        kwargs = {"vmin": vmin if vmin is not None else float(np.min(images)),
                  "vmax": vmax if vmax is not None else float(np.max(images))}
    fig, axes = styled_subplots(n_rows, n_cols, figsize=(size * n_cols, size * n_rows + 0.4),
                                squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        if k >= n:
            ax.set_visible(False)
            continue
        ax.imshow(images[k], cmap=cmap, interpolation="nearest", **kwargs)
        for spine in ax.spines.values():
            spine.set_visible(True)
        if titles is not None:
            ax.set_title(titles[k], fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    if colorbar:
        import matplotlib as mpl

        mappable = mpl.cm.ScalarMappable(norm=mpl.colors.Normalize(**kwargs), cmap=cmap)
        fig.colorbar(mappable, ax=list(axes.ravel()), shrink=0.8, pad=0.02)
    return fig


def plot_filters(kernel, *, channel=0, suptitle="Filters"):
    """Draw the filters of a Conv2D kernel for one input channel.

    Parameters
    ----------
    kernel : array_like of shape (kh, kw, c_in, c_out)
        Keras' ``Conv2D`` kernel (``layer.get_weights()[0]``).
    channel : int, default=0
        Which input channel's weights to show.

    Returns
    -------
    fig : matplotlib Figure
        One image per filter, blue for negative and red for positive weights.
    """
    kernel = np.asarray(kernel, dtype=float)
    if kernel.ndim != 4:
        raise ValueError(
            f"kernel must be 4-D (kh, kw, c_in, c_out). Received: shape {kernel.shape}"
        )
    filters = np.moveaxis(kernel[:, :, channel, :], -1, 0)
    titles = [f"filter {k}" for k in range(len(filters))]
    return plot_image_grid(filters, titles=titles, cmap="RdBu_r", symmetric=True,
                           suptitle=suptitle)


def plot_feature_maps(maps, *, image=None, titles=None, n_cols=9, suptitle="Feature maps"):
    """Draw the feature maps of one image (one panel per channel), optionally the image first.

    Parameters
    ----------
    maps : array_like of shape (height, width, channels)
        A conv layer's output for one sample.
    image : array_like of shape (height, width), optional
        The input, drawn first with the title ``"input"``.
    titles : list of str, optional
        One per channel (e.g. the filters' names); default ``"map 0"``, ``"map 1"``, ...
    n_cols : int, default=9
        Panels per row.

    Returns
    -------
    fig : matplotlib Figure
        The maps share one colour scale, shown by a colour bar (the last axes). Signed maps
        (any value below 0, e.g. edge filters before a ReLU) use the diverging ``"RdBu_r"``
        centred on 0: blue negative, white 0, red positive; non-negative maps use
        ``"viridis"`` from 0. The input, if given, is drawn in grey on its own scale.
    """
    maps = np.asarray(maps, dtype=float)
    if maps.ndim != 3:
        raise ValueError(
            f"maps must be 3-D (height, width, channels) for one image. "
            f"Received: shape {maps.shape}"
        )
    panels = list(np.moveaxis(maps, -1, 0))
    if titles is None:
        titles = [f"map {k}" for k in range(len(panels))]
    elif len(titles) != len(panels):
        raise ValueError(
            f"titles must have one entry per channel ({len(panels)}). Received: {len(titles)}"
        )
    titles = list(titles)
    signed = bool(np.min(maps) < 0)
    if signed:
        limit = float(np.max(np.abs(maps))) or 1.0
        cmap, vmin, vmax = "RdBu_r", -limit, limit
    else:
        cmap, vmin, vmax = "viridis", 0.0, float(np.max(maps)) or 1.0
    if image is not None:
        image = np.asarray(image, dtype=float)
        if image.shape != maps.shape[:2]:
            # a feature map may be smaller than the input: show the input resampled
            rows = np.linspace(0, image.shape[0] - 1, maps.shape[0]).round().astype(int)
            cols = np.linspace(0, image.shape[1] - 1, maps.shape[1]).round().astype(int)
            image = image[np.ix_(rows, cols)]
        panels.insert(0, image)
        titles.insert(0, "input")
    fig = plot_image_grid(np.stack(panels), titles=titles, cmap=cmap, n_cols=n_cols,
                          suptitle=suptitle, vmin=vmin, vmax=vmax, colorbar=True)
    if image is not None:
        fig.axes[0].images[0].set_cmap("gray_r")
        fig.axes[0].images[0].set_clim(float(np.min(image)), float(np.max(image)) or 1.0)
    return fig


def plot_misclassified(images, y_true, y_pred, *, n_max=12, suptitle=None):
    """Draw the images whose predicted label differs from the true one.

    Parameters
    ----------
    images : array_like of shape (n_samples, height, width) or (n_samples, height, width, 1)
    y_true, y_pred : array_like of int, shape (n_samples,)
    n_max : int, default=12
        Draw at most this many (the first ones).

    Returns
    -------
    fig : matplotlib Figure
        Titles read ``"true 3 / pred 8"``; a figure with a text message if there is no error.
    indices : ndarray of int
        Indices of all misclassified samples.
    """
    images = np.asarray(images, dtype=float)
    if images.ndim == 4:
        images = images[..., 0]
    y_true = np.asarray(y_true).ravel()
    y_pred = np.asarray(y_pred).ravel()
    if not (len(images) == len(y_true) == len(y_pred)):
        raise ValueError(
            "images, y_true and y_pred must have the same length. Received: "
            f"{len(images)}, {len(y_true)}, {len(y_pred)}"
        )
    wrong = np.flatnonzero(y_true != y_pred)
    if wrong.size == 0:
        fig, ax = styled_subplots(figsize=(4, 1))
        ax.axis("off")
        ax.text(0.5, 0.5, "No misclassified image.", ha="center", va="center",
                color=OKABE_ITO["bluish_green"])
        return fig, wrong
    shown = wrong[:n_max]
    titles = [f"true {y_true[i]} / pred {y_pred[i]}" for i in shown]
    title = suptitle or f"{wrong.size} misclassified of {len(y_true)}"
    return plot_image_grid(images[shown], titles=titles, n_cols=6, suptitle=title,
                           size=1.6), wrong
