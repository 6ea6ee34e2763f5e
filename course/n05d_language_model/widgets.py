"""The sampling widget of notebook 05d: text from the trained MLP at a temperature.

The numbers come from ``mlp`` (``sample``, ``next_probabilities``); the figure, and how
it changes, is ``plots.NextTokenFigure``.
"""

from __future__ import annotations

import html
import math

import ipywidgets as ipw
import numpy as np

from course.explorer import Explorer, log_slider
from nnlib.validation import check_in_range, check_positive_int

from . import mlp, text
from .plots import NextTokenFigure


def entropy(probs):
    """``-sum p ln p`` in nats (0 ln 0 counts as 0)."""
    probs = np.asarray(probs, dtype=float)
    positive = probs[probs > 0]
    return float(-(positive * np.log(positive)).sum())


def prompt_context(prompt, block_size):
    """``(cleaned prompt, its tokens, the last block_size tokens before the first draw)``:
    the prompt is cleaned (``text.clean``, keeping a final space) and padded with ``END``
    on the left."""
    cleaned = text.clean(prompt) + (" " if prompt.endswith(" ") and prompt.strip() else "")
    tokens = text.encode(cleaned)
    padded = np.r_[np.zeros(block_size, dtype=np.int64), tokens]
    return cleaned, tokens, padded[len(padded) - block_size:]


class SamplingExplorer(Explorer):
    """Text sampled from a trained model, one temperature slider away.

    The text starts with ``prompt`` and goes on with ``n_tokens`` characters, each drawn
    from ``softmax(logits / T)`` (``mlp.sample``). The figure shows the distribution the
    first of them is drawn from, at the slider's ``T`` and at ``T = 1``. The seed slider
    picks other random numbers; with one seed, every temperature uses the same ones.
    Both sliders resample while they are dragged (continuous updates).

    Parameters
    ----------
    params : list of ndarray
        A trained model's ``[E, W1, b1, W2, b2]``.
    block_size : int
        Its context length.
    prompt : str, default="the network "
        The text the samples continue (cleaned with ``text.clean``; may be empty).
    temperature : float, default=1.0
        In [``T_MIN``, ``T_MAX``].
    seed : int, default=0
    n_tokens : int, default=300

    Attributes
    ----------
    controls : dict
        ``"temperature"`` (FloatLogSlider) and ``"seed"`` (IntSlider).
    temperature : float
    seed : int
    sample : str
        The characters drawn after the prompt, at the last update.
    probs, probs_at_one : ndarray of shape (vocab_size,)
        The distribution of the first of them, at ``T`` and at ``T = 1``.
    entropy : float
        The entropy of ``probs`` in nats.
    figure : plots.NextTokenFigure
    message : str
        The prompt and the sample, as a readout shows them (without markup).
    readout : ipywidgets.HTML
    """

    T_MIN, T_MAX = 0.1, 5.0

    def __init__(self, params, block_size, *, prompt="the network ", temperature=1.0, seed=0,
                 n_tokens=300):
        self.params = params
        self.block_size = check_positive_int(block_size, "block_size")
        self.n_tokens = check_positive_int(n_tokens, "n_tokens")
        check_in_range(temperature, "temperature", self.T_MIN, self.T_MAX,
                       high_inclusive=True)
        self.prompt, self._prompt_tokens, self.context = prompt_context(prompt,
                                                                        self.block_size)
        self.probs_at_one = mlp.next_probabilities(params, self.context, 1.0)
        style = {"description_width": "initial"}
        self.controls = {
            "temperature": log_slider(temperature, math.log10(self.T_MIN),
                                      math.log10(self.T_MAX), 0.02,
                                      description="temperature T", readout_format=".2f",
                                      continuous_update=True, style=style),
            "seed": ipw.IntSlider(value=int(seed), min=0, max=99, description="seed",
                                  continuous_update=True, style=style),
        }
        self.controls["temperature"].add_class("lm-temperature-slider")
        self.controls["seed"].add_class("lm-seed-slider")
        self.readout = ipw.HTML(layout=ipw.Layout(min_height="9em"))
        self.readout.add_class("lm-sample")
        self.figure = NextTokenFigure(text.ALPHABET)
        self._start(self.figure.fig, dynamic=self.figure.dynamic, on_top=[self.figure.legend])

    def update(self):
        self.temperature = float(self.controls["temperature"].value)
        self.seed = int(self.controls["seed"].value)
        tokens = mlp.sample(self.params, self.block_size, self.n_tokens,
                            temperature=self.temperature, seed=self.seed,
                            prompt=self._prompt_tokens)
        self.sample = text.decode(tokens)
        self.probs = mlp.next_probabilities(self.params, self.context, self.temperature)
        self.entropy = entropy(self.probs)
        self.message = (f"T = {self.temperature:.2f}, seed {self.seed}: "
                        f"{self.prompt}{self.sample}")
        shown = html.escape(self.sample).replace(text.END, "<br>")
        self.readout.value = (
            f"<div style='font-family:monospace;white-space:pre-wrap'>"
            f"<b>{html.escape(self.prompt)}</b>{shown}</div>"
            f"<div>first character drawn from a distribution of entropy "
            f"{self.entropy:.2f} nats (at T = 1: {entropy(self.probs_at_one):.2f})</div>")
        self.figure.show(self.probs, self.probs_at_one, self.temperature,
                         text.decode(self.context))
        self.view.redraw()


def sampling_explorer(params, block_size, **kwargs) -> SamplingExplorer:
    """Build the temperature widget for a trained model (see ``SamplingExplorer``)."""
    return SamplingExplorer(params, block_size, **kwargs)
