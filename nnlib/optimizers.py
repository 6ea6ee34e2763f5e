"""Optimizers: how parameters move once the gradient is known.

All of them update parameters in place with ``optimizer.step(params, grads)``,
where ``params`` and ``grads`` are matching lists of arrays. The formulas are the
ones Keras 3 uses, in the same order, so the same gradients give the same numbers.

Plain gradient descent, the article's rule::

    w := w - learning_rate * dL/dw

SGD with momentum keeps a velocity that remembers past steps::

    velocity := momentum * velocity - learning_rate * g
    w := w + velocity

(Nesterov's momentum, ``nesterov=True``, steps as if it had looked ahead:
``w := w + momentum * velocity - learning_rate * g``.)

Adam keeps running means of the gradient (``m``) and of its square (``v``) and
divides one by the square root of the other, so every parameter gets its own step
size::

    t := t + 1
    alpha = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)
    m := m + (g - m) * (1 - beta_1)
    v := v + (g*g - v) * (1 - beta_2)
    w := w - alpha * m / (sqrt(v) + epsilon)

(Keras adds ``epsilon`` to ``sqrt(v)`` before the bias correction is folded into
``alpha``; the textbook form adds it after. They differ only when gradients are tiny.)
"""

from __future__ import annotations

import numpy as np

from .validation import check_in_range, check_positive, unknown_name_error


class Optimizer:
    """Base class: keeps per-parameter state and checks that it fits the params."""

    def __init__(self, learning_rate):
        self.learning_rate = check_positive(learning_rate, "learning_rate")
        self.iterations = 0
        self._shapes = None

    def _build(self, params):
        """Create state the first time ``step`` sees these params."""
        self._shapes = [p.shape for p in params]

    def _check(self, params, grads):
        if len(params) != len(grads):
            raise ValueError(
                f"params and grads must be lists of the same length, got {len(params)} "
                f"params and {len(grads)} grads."
            )
        if self._shapes is None:
            self._build(params)
        elif [p.shape for p in params] != self._shapes:
            raise ValueError(
                f"This optimizer was built for params of shapes {self._shapes}, got "
                f"{[p.shape for p in params]}. Use a new optimizer (or call reset()) for "
                "another model."
            )

    def reset(self):
        """Forget all state (iteration count, velocities, moments)."""
        self.iterations = 0
        self._shapes = None

    def step(self, params, grads):
        """Update every array in ``params`` in place using the matching ``grads``.

        Parameters
        ----------
        params : list of ndarray
            Parameters, updated in place.
        grads : list of ndarray
            Gradients ``dL/dparam``, same shapes as ``params``.
        """
        self._check(params, grads)
        self._update(params, grads)
        self.iterations += 1

    def _update(self, params, grads):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (Keras' ``SGD``).

    Parameters
    ----------
    learning_rate : float, default=0.01
        Step size ``alpha`` (> 0).
    momentum : float, default=0.0
        In [0, 1). 0 is plain gradient descent ``w -= learning_rate * g``.
    nesterov : bool, default=False
        Nesterov's momentum (Keras' ``nesterov``): the step adds ``momentum * velocity -
        learning_rate * g``, the velocity just updated, plus the gradient step once more.

    Examples
    --------
    >>> w = np.array([1.0, 2.0]); SGD(learning_rate=0.5).step([w], [np.array([1.0, 6.0])])
    >>> w
    array([ 0.5, -1. ])
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False):
        super().__init__(learning_rate)
        self.momentum = check_in_range(momentum, "momentum", 0.0, 1.0)
        if not isinstance(nesterov, (bool, np.bool_)):
            raise TypeError(f"nesterov must be True or False. Received: nesterov={nesterov!r}")
        self.nesterov = bool(nesterov)
        self.velocities = None

    def _build(self, params):
        super()._build(params)
        self.velocities = [np.zeros_like(p) for p in params]

    def reset(self):
        super().reset()
        self.velocities = None

    def _update(self, params, grads):
        lr = self.learning_rate
        if self.momentum == 0.0:
            for w, g in zip(params, grads):
                w -= lr * g
            return
        for w, g, vel in zip(params, grads, self.velocities):
            vel *= self.momentum
            vel -= lr * g
            if self.nesterov:
                w += self.momentum * vel - lr * g
            else:
                w += vel

    def get_config(self):
        return {"learning_rate": self.learning_rate, "momentum": self.momentum,
                "nesterov": self.nesterov}


class Adam(Optimizer):
    """Adam: adaptive moment estimation (Keras' ``Adam``, same defaults).

    Parameters
    ----------
    learning_rate : float, default=0.001
    beta_1 : float, default=0.9
        Decay of the running mean of gradients, in [0, 1).
    beta_2 : float, default=0.999
        Decay of the running mean of squared gradients, in [0, 1).
    epsilon : float, default=1e-7
        Added to ``sqrt(v)`` to avoid dividing by zero (> 0).

    Notes
    -----
    See the module docstring for the update. Keras keeps ``learning_rate`` in a float32
    variable and raises float32-rounded betas to the power ``t`` for the bias
    correction. With the defaults (not exact in float32) a float64 Keras model drifts
    from this float64 code by about 1e-6 of the distance moved over 100 steps; with
    values float32 holds exactly (e.g. ``2**-7``, 0.875) they agree to rounding.
    ``course.n07_mlp_tensorflow_comparison.comparison.KerasRoundedAdam`` reproduces the roundings.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(learning_rate)
        self.beta_1 = check_in_range(beta_1, "beta_1", 0.0, 1.0)
        self.beta_2 = check_in_range(beta_2, "beta_2", 0.0, 1.0)
        self.epsilon = check_positive(epsilon, "epsilon")
        self.m = self.v = None

    def _build(self, params):
        super()._build(params)
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def reset(self):
        super().reset()
        self.m = self.v = None

    def _hyperparameter(self, value):
        """A hyperparameter as the step size uses it (a subclass may round it, as Keras)."""
        return value

    def step_size(self, t):
        """The bias-corrected step size ``lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)``.

        Parameters
        ----------
        t : int or ndarray
            The step, counted from 1 (an array gives one step size per entry).
        """
        lr, b1, b2 = (self._hyperparameter(v) for v in
                      (self.learning_rate, self.beta_1, self.beta_2))
        return lr * np.sqrt(1 - b2**t) / (1 - b1**t)

    def _update(self, params, grads):
        b1, b2 = self.beta_1, self.beta_2
        alpha = self.step_size(self.iterations + 1)
        for w, g, m, v in zip(params, grads, self.m, self.v):
            m += (g - m) * (1 - b1)
            v += (g * g - v) * (1 - b2)
            w -= alpha * m / (np.sqrt(v) + self.epsilon)

    def get_config(self):
        return {
            "learning_rate": self.learning_rate,
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }


OPTIMIZERS = {
    "SGD": (SGD, {}),
    "SGD with momentum": (SGD, {"momentum": 0.9}),
    "Adam": (Adam, {}),
}
"""Name -> (class, default settings): the one map from names to optimizers (``get`` reads
a name in any case; notebook 04a's explorer offers these names)."""


def get(optimizer, **settings) -> Optimizer:
    """Return an optimizer instance: pass one through, or build one by name.

    Parameters
    ----------
    optimizer : Optimizer, str, or any object with a ``step(params, grads)`` method
        An instance is returned as it is (e.g. an optimizer a student writes in notebook
        04). A name from ``OPTIMIZERS`` (any case: "SGD", "SGD with momentum", "Adam")
        builds a new one.
    **settings
        With a name: passed to the class, over the name's defaults (e.g.
        ``get("adam", learning_rate=0.01)``, ``get("SGD with momentum", momentum=0.5)``).

    Examples
    --------
    >>> get("SGD with momentum", learning_rate=0.1).get_config()
    {'learning_rate': 0.1, 'momentum': 0.9, 'nesterov': False}
    """
    if isinstance(optimizer, Optimizer) or callable(getattr(optimizer, "step", None)):
        if settings:
            raise TypeError(f"settings apply to an optimizer built by name, not to the "
                            f"instance {optimizer!r}. Received: {sorted(settings)}")
        return optimizer
    if isinstance(optimizer, str):
        key = {name.lower(): name for name in OPTIMIZERS}.get(optimizer.lower())
        if key is None:
            raise unknown_name_error("optimizer", optimizer, OPTIMIZERS)
        cls, defaults = OPTIMIZERS[key]
        return cls(**{**defaults, **settings})
    raise TypeError(
        "optimizer must be an nnlib optimizer (e.g. nnlib.optimizers.Adam()) or a name "
        f"({', '.join(repr(n) for n in OPTIMIZERS)}). Received: {optimizer!r}"
    )
