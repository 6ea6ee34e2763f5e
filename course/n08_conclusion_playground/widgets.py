"""A playground in the spirit of TensorFlow Playground, powered by nnlib (notebook 08).

Pick a data set, the input features, the hidden layers, the activation, the learning
rate, L2 and dropout; Start trains in small chunks and redraws after each one: the
network as TensorFlow Playground draws it (every neuron a small heat map of what it
computes over the plane, every weight a line coloured by sign and as wide as it is
large), the decision boundary (or the fitted curve for the article's line) and the
train and test loss curves.

The logic (configuration, features, data, training in chunks, neuron maps, Keras code)
is in ``playground``; the figure, and how it changes, is ``plots.PlaygroundFigure``. This
module builds the controls, runs the training and hands the figure what it computed.
"""

from __future__ import annotations

import asyncio
import html

import ipywidgets as ipw

from course.explorer import Explorer, one_blas_thread

from . import features as feat
from . import playground as pg
from .feature_checkboxes import FeatureCheckboxes
from .playground_config import ACTIVATIONS, DATASETS, PlaygroundConfig
from .plots import PlaygroundFigure

#: Controls that define the configuration (the ones a teacher can lock), in display order.
CONFIG_CONTROLS = ("dataset", "seed", "noise", "features", "hidden", "activation", "lr", "l2",
                   "dropout", "batch")
L2_CHOICES = (0.0, 1e-4, 1e-3, 1e-2, 3e-2, 0.1)
LR_CHOICES = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0)


class Playground(Explorer):
    """Build, train and watch a small network; see ``playground`` for the logic.

    The sliders act on release (``continuous_update=False``): a new data set or network
    starts training afresh, which should not happen at every step of a drag.

    Parameters
    ----------
    config : PlaygroundConfig or str, optional
        Starting configuration (or its ``to_string()`` text); default ``PlaygroundConfig()``.
    lock : sequence of str, default=()
        Names of controls to disable (from ``CONFIG_CONTROLS``, plus "config" for the
        text box), e.g. ``lock=("dataset", "hidden")`` for an exercise; "features" locks
        all the feature checkboxes.
    epochs_per_chunk : int, default=5
        Epochs trained between two redraws.
    max_epochs : int, default=1000
        Start stops by itself after this many epochs.
    grid_resolution : int, default=50
        Grid points per axis of the decision-boundary image.
    map_resolution : int, default=24
        Grid points per axis of each neuron's small heat map.

    Attributes
    ----------
    trainer : playground.PlaygroundTrainer
        The model, the optimizer, the data and the loss curves.
    config : PlaygroundConfig
    controls : dict of ipywidgets
        The configuration controls (``CONFIG_CONTROLS``; "features" is a
        ``FeatureCheckboxes``), "config" (the configuration as text: edit and press Enter
        to load one), and the "start", "pause", "reset" buttons.
    figure : plots.PlaygroundFigure
        The network panel ``figure.neuron_maps`` (``figure.neuron_maps.images[l][k]`` is
        the heat map of the k-th shown neuron of layer l; 0: the input features, last: the
        output), the decision map ``figure.image`` (None for "line", which has
        ``figure.fit_line`` instead) and the loss curves.
    running : bool
    n_updates : int
        Redraws since the widget was built.
    message : str
        Epoch, losses, accuracy, or why training stopped (or why a setting was not
        applied).
    readout : ipywidgets.HTML
        ``message`` as shown above the figure.
    keras_view : ipywidgets.HTML
        The configuration as Keras code (``playground.keras_code``).
    """

    def __init__(self, config=None, *, lock=(), epochs_per_chunk=5, max_epochs=1000,
                 grid_resolution=50, map_resolution=24):
        if isinstance(config, str):
            config = PlaygroundConfig.from_string(config)
        config = config if config is not None else PlaygroundConfig()
        self.epochs_per_chunk = int(epochs_per_chunk)
        self.max_epochs = int(max_epochs)
        self.grid_resolution = int(grid_resolution)
        self.map_resolution = int(map_resolution)
        self.running = False
        self.n_updates = 0
        self._task = None
        self._locks = set()

        wide = {"description_width": "initial"}
        self.controls = {
            "dataset": ipw.Dropdown(options=list(DATASETS), description="data",
                                    layout=ipw.Layout(width="170px")),
            "seed": ipw.BoundedIntText(min=0, max=10_000, description="seed",
                                       layout=ipw.Layout(width="140px")),
            "noise": ipw.FloatSlider(min=0.0, max=0.5, step=0.05, description="noise",
                                     continuous_update=False, readout_format=".2f"),
            "features": FeatureCheckboxes(),
            "hidden": ipw.Text(description="hidden layers", placeholder="e.g. 8,8",
                               continuous_update=False, style=wide,
                               layout=ipw.Layout(width="200px")),
            "activation": ipw.Dropdown(options=list(ACTIVATIONS), description="activation",
                                       style=wide, layout=ipw.Layout(width="200px")),
            # Fixed values (as TensorFlow Playground's menu): arrow keys step between them
            # and come back exactly to where they started.
            "lr": ipw.SelectionSlider(options=[(f"{v:g}", v) for v in LR_CHOICES],
                                      description="learning rate", continuous_update=False,
                                      style=wide),
            "l2": ipw.Dropdown(options=[(f"{v:g}", v) for v in L2_CHOICES], description="L2",
                               layout=ipw.Layout(width="140px")),
            "dropout": ipw.FloatSlider(min=0.0, max=0.5, step=0.05, description="dropout",
                                       continuous_update=False, readout_format=".2f"),
            "batch": ipw.Dropdown(options=[1, 4, 8, 16, 32, 64, 150], description="batch",
                                  layout=ipw.Layout(width="140px")),
            "config": ipw.Textarea(description="configuration", continuous_update=False,
                                   rows=2, style=wide,
                                   layout=ipw.Layout(width="100%", max_width="960px")),
            "start": ipw.Button(description="Start", icon="play", button_style="success"),
            "pause": ipw.Button(description="Pause", icon="pause"),
            "reset": ipw.Button(description="Reset", icon="undo"),
        }
        for name, control in self.controls.items():
            control.add_class(f"playground-{name}")
        self.controls["start"].on_click(lambda _: self.start())
        self.controls["pause"].on_click(lambda _: self.pause())
        self.controls["reset"].on_click(lambda _: self.reset())
        self.readout = ipw.HTML()
        self.readout.add_class("playground-message")
        self.keras_view = ipw.HTML()
        self.keras_view.add_class("playground-keras")

        self.figure = PlaygroundFigure()
        # set_config lists the dynamic artists: they depend on the network drawn
        self._start(self.figure.fig, first=lambda: self.set_config(config))
        self.lock(lock)

    def _wire(self):
        """A setting rebuilds the data and the network (``set_config``), not just a redraw."""
        for name in CONFIG_CONTROLS:
            self.controls[name].observe(self._on_config_control, names="value")
        self.controls["config"].observe(self._on_config_text, names="value")

    # ------------------------------------------------------------ configuration

    @property
    def config(self) -> PlaygroundConfig:
        return self.trainer.config

    def set_config(self, config):
        """Load a configuration (a ``PlaygroundConfig`` or its text): controls, data, model.
        New training settings only (rate, L2, dropout, batch) go on from the same weights."""
        if isinstance(config, str):
            config = PlaygroundConfig.from_string(config)
        trainer = getattr(self, "trainer", None)
        retuned = trainer is not None and trainer.retune(config)  # rate, L2, ...: go on
        if not retuned:
            self.pause()
            self.trainer = pg.PlaygroundTrainer(config)
        with self.holding(update=False):  # the controls follow the configuration
            c = self.controls
            c["dataset"].value = config.dataset
            c["seed"].value = config.seed
            c["noise"].value = config.noise
            c["features"].value = config.features
            c["hidden"].value = ",".join(str(n) for n in config.hidden) or "none"
            c["activation"].value = config.activation
            if config.learning_rate not in [v for _, v in c["lr"].options]:
                c["lr"].options = sorted([*c["lr"].options, (f"{config.learning_rate:g}",
                                                              config.learning_rate)],
                                         key=lambda option: option[1])
            c["lr"].value = config.learning_rate
            if config.l2 not in L2_CHOICES:
                c["l2"].options = [*c["l2"].options, (f"{config.l2:g}", config.l2)]
            c["l2"].value = config.l2
            c["dropout"].value = config.dropout
            if config.batch_size not in c["batch"].options:
                c["batch"].options = [*c["batch"].options, config.batch_size]
            c["batch"].value = config.batch_size
            c["config"].value = config.to_string()
        self._apply_locks()
        self.keras_view.value = ("<details><summary>as Keras code</summary><pre>"
                                 f"{html.escape(self.keras_code())}</pre></details>")
        if retuned:
            self.update()
            return
        self._show_network()
        self.view.set_dynamic(self.figure.dynamic)  # they depend on the network drawn
        self.update()

    def _config_from_controls(self):
        c = self.controls
        hidden = PlaygroundConfig.parse_hidden(c["hidden"].value)
        regression = DATASETS[c["dataset"].value][1] == "regression"
        return PlaygroundConfig(
            dataset=c["dataset"].value, seed=int(c["seed"].value), noise=float(c["noise"].value),
            hidden=hidden, activation=c["activation"].value, learning_rate=float(c["lr"].value),
            l2=float(c["l2"].value), dropout=float(c["dropout"].value),
            batch_size=int(c["batch"].value), n_samples=self.config.n_samples,
            features=feat.DEFAULT_FEATURES if regression else c["features"].value)

    def _on_config_control(self, change=None):
        if self._held:
            return
        try:
            config = self._config_from_controls()
        except (ValueError, TypeError) as error:
            self._not_applied(error)
            return
        self.set_config(config)

    def _not_applied(self, error):
        self.message = f"Not applied: {error}"
        self.readout.value = f"<b>Not applied:</b> {html.escape(str(error))}"

    def _on_config_text(self, change=None):
        if self._held:
            return
        try:
            config = PlaygroundConfig.from_string(self.controls["config"].value)
        except (ValueError, TypeError) as error:
            self._not_applied(error)
            return
        self.set_config(config)

    def lock(self, names):
        """Disable the named controls (a teacher's fixed settings); ``unlock`` undoes it."""
        for name in names:
            if name not in (*CONFIG_CONTROLS, "config"):
                raise ValueError(f"lock names must be among {[*CONFIG_CONTROLS, 'config']}. "
                                 f"Received: {name!r}")
        self._locks.update(names)
        if names:  # a free-form configuration text would bypass the locks
            self._locks.add("config")
        self._apply_locks()

    def unlock(self, names=None):
        """Enable the named controls (all when None)."""
        self._locks -= set(names if names is not None else self._locks)
        self._apply_locks()

    def _apply_locks(self):
        for name in (*CONFIG_CONTROLS, "config"):
            self.controls[name].disabled = name in self._locks
        if self.config.task == "regression":  # the line has one input: no features to pick
            self.controls["features"].disabled = True

    @property
    def locked(self):
        """Names of the locked configuration controls."""
        return [n for n in (*CONFIG_CONTROLS, "config") if n in self._locks]

    def keras_code(self, epochs=200) -> str:
        """The configuration as a Keras program (``playground.keras_code``)."""
        return pg.keras_code(self.config, epochs=epochs)

    # ------------------------------------------------------------ training

    def step(self):
        """Train one chunk (``epochs_per_chunk`` epochs) and redraw; False when finished."""
        with one_blas_thread():
            ok = self.trainer.train_chunk(self.epochs_per_chunk)
            self.update()
        return ok and self.trainer.epoch < self.max_epochs

    train_chunk = step

    def start(self):
        """Train chunk after chunk until Pause, divergence or ``max_epochs``.

        In a notebook the loop is an asyncio task on the kernel's event loop: it yields
        after every chunk, so button clicks and slider moves are handled in between.
        Without a running event loop (plain Python, tests) it only sets ``running``;
        call ``step()`` yourself.
        """
        if self.running:
            return
        self.running = True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._task = loop.create_task(self._run())

    async def _run(self):
        try:
            while self.running and self.step():
                await asyncio.sleep(0.01)
        finally:
            self.running = False

    def pause(self):
        """Stop after the current chunk."""
        self.running = False

    def reset(self):
        """Pause and go back to the initial weights and an empty loss plot."""
        self.pause()
        self.trainer.reset()
        self.update()

    # ------------------------------------------------------------ drawing

    def _show_network(self):
        """Hand the figure the new data and network (``PlaygroundFigure.set_network``)."""
        t = self.trainer
        _, _, maps = t.neuron_maps(self.map_resolution)
        labels = ([feat.FEATURE_LABELS[f] for f in t.config.features]
                  if t.config.task == "classification" else ["x"])
        self.figure.set_network(t.config.task, (t.X_train, t.y_train), (t.X_test, t.y_test),
                                t.grid(self.grid_resolution), maps, t.model.weights,
                                activations=[a.name for a in t.model.activations],
                                input_labels=labels)

    def update(self):
        """Redraw the neuron maps, the boundary/curve and the loss curves for the weights."""
        t = self.trainer
        _, _, maps = t.neuron_maps(self.map_resolution)
        self.figure.show(t.grid(self.grid_resolution), maps, t.model.weights, t.epoch,
                         t.train_loss, t.test_loss,
                         status=t.message if t.diverged or t.epoch == 0 else "",
                         diverged=t.diverged)
        self.message = t.message
        if t.config.task == "classification" and t.epoch and not t.diverged:
            self.message += (f"; accuracy: train {t.accuracy('train'):.0%}, "
                             f"test {t.accuracy('test'):.0%}")
        self.readout.value = html.escape(self.message)
        self.n_updates += 1
        self.view.redraw()

    def layout(self):
        c = self.controls
        row = lambda names: ipw.HBox([c[n] for n in names],  # noqa: E731
                                     layout=ipw.Layout(flex_flow="row wrap"))
        return ipw.VBox([
            row(["dataset", "seed", "noise", "batch", "l2"]),
            row(["hidden", "activation", "lr", "dropout"]),
            c["features"],
            row(["start", "pause", "reset"]),
            self.readout, self.view.widget, c["config"], self.keras_view,
        ])


def playground(config=None, **kwargs) -> Playground:
    """Build the notebook-08 playground; see ``Playground`` for the arguments."""
    return Playground(config, **kwargs)
