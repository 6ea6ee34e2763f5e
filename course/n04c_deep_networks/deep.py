"""A deep, narrow ReLU network and what makes it train (notebook 04c).

``DeepNet`` is a stack of ``depth`` dense ReLU layers of ``width`` neurons on 2-D inputs,
with one linear output (a logit) and the binary cross-entropy on it. Three switches:

- ``init``: ``"glorot"`` (Keras' default, variance ``2 / (fan_in + fan_out)``) or ``"he"``
  (variance ``2 / fan_in``, made for ReLU, which zeroes half of its inputs);
- ``layer_norm``: each hidden layer's pre-activation is normalised over its neurons, then
  scaled and shifted (``gamma``, ``beta``) before ReLU;
- ``residual``: each hidden layer after the first adds its input to its output,
  ``A_l = A_{l-1} + branch_scale * relu(Z_l)``.

Training (``train``) is full-batch gradient descent with momentum or Adam, with an optional
learning-rate schedule and gradient clipping by global norm. It records, at chosen steps,
every layer's activation spread and gradient size while it trains, for the widget.
``AdamW`` and ``SGDW`` decay the weights apart from the loss (decoupled weight decay);
``decay_paths`` sets them against an L2 penalty in the loss on two weights.
The backward pass is written out next to the forward pass; ``tests/test_deep_networks.py``
checks it against finite differences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from course.explorer import one_blas_thread
from nnlib.data import make_moons
from nnlib.initializers import glorot_uniform, he_uniform
from nnlib.optimizers import SGD, Adam

EPS = 1e-5  # LayerNorm's epsilon (PyTorch's and Keras' default is 1e-5 / 1e-3; ours 1e-5)


# ---------------------------------------------------------------- LayerNorm


def layer_norm_forward(x, gamma, beta, eps=EPS):
    """LayerNorm of each row of ``x``: ``gamma * (x - mean) / sqrt(var + eps) + beta``.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_features)
    gamma, beta : ndarray of shape (n_features,)
    eps : float, default=1e-5

    Returns
    -------
    out : ndarray of shape (n_samples, n_features)

    Notes
    -----
    The mean and the (biased, 1/n) variance are taken over the features of each sample,
    not over the batch: each sample is normalised on its own.
    """
    centred = x - x.mean(axis=1, keepdims=True)
    var = (centred * centred).mean(axis=1, keepdims=True)
    return gamma * centred / np.sqrt(var + eps) + beta


def layer_norm_backward(dout, x, gamma, eps=EPS):
    """Gradients of LayerNorm: ``(dx, dgamma, dbeta)`` from ``dout = dL/dout``.

    Parameters
    ----------
    dout : ndarray of shape (n_samples, n_features)
    x : ndarray of shape (n_samples, n_features)
        The forward pass' input.
    gamma : ndarray of shape (n_features,)
    eps : float, default=1e-5

    Returns
    -------
    dx : ndarray of shape (n_samples, n_features)
    dgamma, dbeta : ndarray of shape (n_features,)

    Notes
    -----
    With ``xhat = (x - mean) / sqrt(var + eps)`` and ``g = dout * gamma``, per row::

        dx = (g - mean(g) - xhat * mean(g * xhat)) / sqrt(var + eps)

    the mean term from the mean's dependence on every input, the last from the variance's.
    """
    centred = x - x.mean(axis=1, keepdims=True)
    inv = 1.0 / np.sqrt((centred * centred).mean(axis=1, keepdims=True) + eps)
    xhat = centred * inv
    g = dout * gamma
    dx = inv * (g - g.mean(axis=1, keepdims=True)
                - xhat * (g * xhat).mean(axis=1, keepdims=True))
    return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)


# ---------------------------------------------------------------- the network


def bce_with_logits(logits, y):
    """Mean binary cross-entropy of labels ``y`` (0/1) given logits, and its gradient.

    Written stably: ``log(1 + exp(z)) - y z = max(z, 0) - y z + log(1 + exp(-|z|))``.

    Returns
    -------
    loss : float
    dlogits : ndarray, shape of ``logits``
    """
    z = logits
    loss = float(np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))))
    sig = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), 1 - 1 / (1 + np.exp(-np.abs(z))))
    return loss, (sig - y) / z.size


VARIANTS = {
    "Glorot": {"init": "glorot"},
    "He": {"init": "he"},
    "LayerNorm": {"init": "glorot", "layer_norm": True},
    "residual": {"init": "glorot", "residual": True, "branch_scale": 0.5},
}
"""The four networks of the notebook: the plain one that does not train and three fixes.
The residual branches are halved: with Glorot's start each full branch would add half the
signal's mean square, a factor 1.5 per layer (2000 over 20 layers); halved, 1.125."""

DEPTH, WIDTH = 20, 64
STEPS, LEARNING_RATE, RECORD_EVERY = 200, 0.002, 5
"""The notebook's setting: SGD with momentum 0.9, full batch, on 128 points of two moons."""
CLIP_RATE, CLIP_NORM = 0.5, 0.2
"""The exploding case: the He network at 250 times the rate, with and without clipping."""


def moons(seed):
    """The notebook's data: 128 points of two moons (noise 0.15), labels as a column."""
    X, labels = make_moons(n_samples=128, noise=0.15, seed=seed)
    return X, labels.reshape(-1, 1).astype(float)


class DeepNet:
    """A deep ReLU network with optional LayerNorm and residual connections.

    Parameters
    ----------
    depth : int, default=24
        Hidden layers (each dense + [LayerNorm] + ReLU [+ the skip]); one output follows.
    width : int, default=32
    init : {"glorot", "he"}, default="glorot"
        How the kernels start (biases 0, ``gamma`` 1, ``beta`` 0).
    layer_norm : bool, default=False
        LayerNorm in every hidden layer but the first.
    residual : bool, default=False
        Every hidden layer but the first (whose input has 2 features) adds its input.
    branch_scale : float, default=1.0
        Factor on each residual branch.
    n_inputs : int, default=2
    seed : int, default=0

    Attributes
    ----------
    params : list of ndarray
        Per hidden layer ``W, b`` (and ``gamma, beta`` where LayerNorm is), then the
        output's ``W, b``.
    slots : list of list of int
        For each hidden layer, the indices of its arrays in ``params``.
    """

    def __init__(self, depth=24, width=32, *, init="glorot", layer_norm=False, residual=False,
                 branch_scale=1.0, n_inputs=2, seed=0):
        if init not in ("glorot", "he"):
            raise ValueError(f"init must be 'glorot' or 'he'. Received: init={init!r}")
        if int(depth) != depth or depth < 1 or int(width) != width or width < 1:
            raise ValueError(f"depth and width must be positive integers. Received: "
                             f"depth={depth!r}, width={width!r}")
        self.depth, self.width = int(depth), int(width)
        self.init, self.layer_norm, self.residual = init, bool(layer_norm), bool(residual)
        self.branch_scale = float(branch_scale)
        rng = np.random.default_rng(seed)
        draw = glorot_uniform if init == "glorot" else he_uniform
        sizes = [n_inputs] + [self.width] * self.depth
        self.params, self.slots = [], []  # slots[l]: where layer l's arrays sit in params
        for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            slot = [len(self.params), len(self.params) + 1]
            self.params += [draw((fan_in, fan_out), rng), np.zeros(fan_out)]
            if self._normed(layer):
                slot += [len(self.params), len(self.params) + 1]
                self.params += [np.ones(fan_out), np.zeros(fan_out)]
            self.slots.append(slot)
        self.params += [glorot_uniform((self.width, 1), rng), np.zeros(1)]

    def kernels(self):
        """The hidden layers' kernels ``W``, first to last (the output's not included)."""
        return [self.params[slot[0]] for slot in self.slots]

    def copy(self):
        twin = object.__new__(DeepNet)
        twin.__dict__.update(self.__dict__)
        twin.params = [p.copy() for p in self.params]
        twin.slots = [list(slot) for slot in self.slots]
        return twin

    def _skip(self, layer):
        return self.residual and layer > 0  # the first layer's input has 2 features

    def _normed(self, layer):
        # Not the first layer: LayerNorm of x1 * w1 + x2 * w2 would forget how far the
        # point x lies from the origin (it divides that out), keeping only its direction.
        return self.layer_norm and layer > 0

    def forward(self, X):
        """Logits of shape (n_samples, 1) and the cache the backward pass needs."""
        A, cache = X, []
        for layer, slot in enumerate(self.slots):
            W, b = self.params[slot[0]], self.params[slot[1]]
            Z = A @ W + b
            N = Z
            if self._normed(layer):
                N = layer_norm_forward(Z, self.params[slot[2]], self.params[slot[3]])
            H = np.maximum(N, 0)
            cache.append((A, Z, N))
            A = A + self.branch_scale * H if self._skip(layer) else H
        W_out, b_out = self.params[-2], self.params[-1]
        cache.append((A,))
        return A @ W_out + b_out, cache

    def activations(self, X):
        """Each hidden layer's output ``A_l``, first to last (a list of ``depth`` arrays)."""
        _, cache = self.forward(X)
        return [entry[0] for entry in cache[1:]]

    def loss_and_grads(self, X, y, *, layer_norm_backward=layer_norm_backward):
        """Binary cross-entropy and its gradient for every array of ``params``.

        ``layer_norm_backward(dout, x, gamma, eps)`` may be replaced (the student's).
        """
        logits, cache = self.forward(X)
        loss, dlogits = bce_with_logits(logits, y)
        grads = [None] * len(self.params)
        (A,) = cache[-1]
        grads[-2], grads[-1] = A.T @ dlogits, dlogits.sum(axis=0)
        dA = dlogits @ self.params[-2].T
        for layer in reversed(range(self.depth)):
            slot = self.slots[layer]
            A_prev, Z, N = cache[layer]
            dH = dA * self.branch_scale if self._skip(layer) else dA
            dZ = dH * (N > 0)
            if self._normed(layer):
                dZ, grads[slot[2]], grads[slot[3]] = layer_norm_backward(
                    dZ, Z, self.params[slot[2]], EPS)
            grads[slot[0]], grads[slot[1]] = A_prev.T @ dZ, dZ.sum(axis=0)
            dA_prev = dZ @ self.params[slot[0]].T
            dA = dA_prev + dA if self._skip(layer) else dA_prev
        return loss, grads

    def loss(self, X, y):
        return bce_with_logits(self.forward(X)[0], y)[0]

    def accuracy(self, X, y):
        return float(np.mean((self.forward(X)[0] > 0) == (y > 0.5)))


# ---------------------------------------------------------------- clipping and schedules


def global_norm(grads):
    """The Euclidean norm of all gradients together, ``sqrt(sum of every g**2)``."""
    return math.sqrt(sum(float(np.sum(g * g)) for g in grads))


def clip_by_global_norm(grads, max_norm):
    """Scale all gradients by one factor so their global norm is at most ``max_norm``.

    Returns
    -------
    clipped : list of ndarray
        ``grads * min(1, max_norm / global_norm)``: the direction is kept, only the length
        of the whole step shrinks.
    norm : float
        The global norm before clipping.
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be > 0. Received: max_norm={max_norm!r}")
    norm = global_norm(grads)
    if not np.isfinite(norm) or norm <= max_norm:
        return list(grads), norm
    factor = max_norm / norm
    return [g * factor for g in grads], norm


def constant_rate(peak):
    """The schedule ``lr(t) = peak`` at every step."""
    return lambda step, total: peak


def warmup_cosine(peak, warmup):
    """The schedule: linear warm-up over ``warmup`` steps to ``peak``, then a cosine to 0.

    ``lr(t) = peak * (t + 1) / warmup`` for ``t < warmup``, then
    ``peak * (1 + cos(pi * (t - warmup) / (total - warmup))) / 2`` (steps ``t`` from 0).
    """
    def rate(step, total):
        if step < warmup:
            return peak * (step + 1) / warmup
        return peak * 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(total - warmup, 1)))
    return rate


# ---------------------------------------------------------------- training, recorded


@dataclass
class Run:
    """What ``train`` returns.

    Attributes
    ----------
    losses : list of float
        The loss before each step (and after the last one: ``steps + 1`` values unless it
        diverged).
    diverged_at : int or None
        The step whose loss stopped being finite (or passed ``max_loss``).
    message : str
        How training ended, in one sentence.
    recorded_steps : list of int
        The steps at which ``activation_std`` and ``gradient_norm`` were taken.
    activation_std : ndarray of shape (n_recorded, depth)
        The standard deviation of every hidden layer's output over the whole batch.
    gradient_norm : ndarray of shape (n_recorded, depth)
        The norm of the loss gradient of every hidden layer's kernel.
    grad_norms : list of float
        The global gradient norm at each step, before clipping.
    rates : list of float
        The learning rate of each step.
    """

    losses: list = field(default_factory=list)
    diverged_at: int | None = None
    message: str = ""
    recorded_steps: list = field(default_factory=list)
    activation_std: np.ndarray = None
    gradient_norm: np.ndarray = None
    grad_norms: list = field(default_factory=list)
    rates: list = field(default_factory=list)

    @property
    def diverged(self):
        return self.diverged_at is not None


def _optimizer(name, learning_rate, momentum):
    if name == "sgd":
        return SGD(learning_rate, momentum=momentum)
    if name == "adam":
        return Adam(learning_rate)
    raise ValueError(f"optimizer must be 'sgd' or 'adam'. Received: optimizer={name!r}")


def train(net, X, y, *, steps=150, learning_rate=0.05, optimizer="sgd", momentum=0.9,
          schedule=None, clip_norm=None, record_every=0, max_loss=1e6,
          layer_norm_backward=layer_norm_backward):
    """Train ``net`` in place, full batch, and record what happens inside it.

    Parameters
    ----------
    net : DeepNet
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples, 1), 0/1 labels
    steps : int, default=150
    learning_rate : float, default=0.05
        The rate of every step, unless ``schedule`` is given.
    optimizer : {"sgd", "adam"}, default="sgd"
        SGD with ``momentum``, or Adam with Keras' defaults.
    momentum : float, default=0.9
    schedule : callable ``schedule(step, steps) -> rate``, optional
    clip_norm : float, optional
        Clip the gradients by global norm before each step (``clip_by_global_norm``).
    record_every : int, default=0
        Record per-layer statistics every so many steps (and at the last); 0: never.
    max_loss : float, default=1e6
        A loss above it (or not finite) counts as diverged: training stops and says so.
    layer_norm_backward : callable, optional
        The LayerNorm backward pass to train with.

    Returns
    -------
    Run
    """
    with one_blas_thread():  # small matrices: one thread is much faster than several
        return _train(net, X, y, steps, learning_rate, optimizer, momentum, schedule,
                      clip_norm, record_every, max_loss, layer_norm_backward)


def _train(net, X, y, steps, learning_rate, optimizer, momentum, schedule, clip_norm,
           record_every, max_loss, layer_norm_backward):
    opt = _optimizer(optimizer, learning_rate, momentum)
    run = Run()
    acts, grads_rec = [], []
    for step in range(steps + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            loss, grads = net.loss_and_grads(X, y, layer_norm_backward=layer_norm_backward)
            norm = global_norm(grads)
        run.losses.append(loss)
        if not (np.isfinite(loss) and loss <= max_loss and np.isfinite(norm)):
            run.diverged_at = step
            run.message = (f"diverged at step {step}: the loss became {loss:.3g}. Training "
                           "stopped.")
            break
        if record_every and (step % record_every == 0 or step == steps):
            run.recorded_steps.append(step)
            acts.append([float(A.std()) for A in net.activations(X)])
            grads_rec.append([float(np.linalg.norm(grads[slot[0]])) for slot in net.slots])
        if step == steps:
            break
        run.grad_norms.append(norm)
        if clip_norm is not None:
            grads, _ = clip_by_global_norm(grads, clip_norm)
        rate = schedule(step, steps) if schedule is not None else learning_rate
        opt.learning_rate = rate
        run.rates.append(rate)
        with np.errstate(over="ignore", invalid="ignore"):
            opt.step(net.params, grads)
    if not run.diverged:
        run.message = f"trained {steps} steps: loss {run.losses[0]:.3f} -> {run.losses[-1]:.3f}"
    depth = net.depth
    run.activation_std = np.array(acts).reshape(-1, depth)
    run.gradient_norm = np.array(grads_rec).reshape(-1, depth)
    return run





def train_variants(X, y, *, seed, names=tuple(VARIANTS), record_every=RECORD_EVERY):
    """Train each network of ``VARIANTS`` (``DEPTH`` x ``WIDTH``, started from ``seed``) for
    ``STEPS`` steps at ``LEARNING_RATE``, recording every ``record_every`` steps.

    Returns
    -------
    dict of str to Run
    """
    return {name: train(DeepNet(DEPTH, WIDTH, seed=seed, **VARIANTS[name]), X, y,
                        steps=STEPS, learning_rate=LEARNING_RATE, record_every=record_every)
            for name in names}


# ---------------------------------------------------------------- decoupled weight decay


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter; Keras' and PyTorch's AdamW).

    Before Adam's step, every parameter shrinks by ``learning_rate * weight_decay`` times
    itself: ``w -= learning_rate * weight_decay * w``. The decay does not pass through
    Adam's division by ``sqrt(v)``, so every weight decays at the same rate, whatever the
    size of its gradients.

    Parameters
    ----------
    learning_rate : float, default=0.001
    weight_decay : float, default=0.004
        Keras' default.
    **settings
        ``beta_1``, ``beta_2``, ``epsilon``, as ``nnlib.Adam``.
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, **settings):
        super().__init__(learning_rate, **settings)
        if not weight_decay >= 0:
            raise ValueError(f"weight_decay must be >= 0. Received: weight_decay={weight_decay!r}")
        self.weight_decay = float(weight_decay)

    def _update(self, params, grads):
        for w in params:
            w -= self.learning_rate * self.weight_decay * w
        super()._update(params, grads)


class SGDW(SGD):
    """Plain gradient descent with decoupled weight decay: ``w -= lr * wd * w`` before
    ``w -= lr * g``."""

    def __init__(self, learning_rate=0.01, weight_decay=0.0):
        super().__init__(learning_rate)
        self.weight_decay = float(weight_decay)

    def _update(self, params, grads):
        for w in params:
            w -= self.learning_rate * self.weight_decay * w
        super()._update(params, grads)


def decay_paths(optimizer, *, l2=0.0, steps=300, scales=(10.0, 0.01)):
    """Two weights, both starting at 1, under ``optimizer`` and an L2 penalty ``l2``.

    The data pushes weight ``k`` back and forth, ``+s, -s, +s, ...`` with ``s =
    scales[k]`` (a gradient of mean 0: alone it would leave the weight where it is on
    average). With ``l2``, the penalty's gradient ``2 * l2 * w`` (nnlib's and Keras' L2,
    ``l2 * sum(w**2)``) is added to it before the optimizer sees it.

    Returns
    -------
    ndarray of shape (steps + 1, 2)
        The two weights after each step (row 0: the start).
    """
    w = np.ones(2)
    scale = np.asarray(scales, dtype=float)
    path = [w.copy()]
    for t in range(steps):
        g = scale * (1.0 if t % 2 == 0 else -1.0) + 2.0 * l2 * w
        optimizer.step([w], [g])
        path.append(w.copy())
    return np.array(path)
