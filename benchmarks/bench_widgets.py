"""How long does each widget take to react to a slider? (compute + redraw, headless)

For every widget builder of the course we set one control to many values, one
after the other, as a dragging student would, and time each update: the callback's
computation plus the PNG that the kernel would send to the browser (outside a
kernel, FigureView.redraw renders exactly that PNG). What is not timed: sending the
image over the websocket and the browser painting it, a few ms on one machine.

Target: a slider feels instant under 100 ms (median); sliders that retrain a model
(the regularization explorer, continuous_update=False) under 300 ms.

Run: .venv/bin/python benchmarks/bench_widgets.py
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("MPLBACKEND", "Agg")

import machine  # noqa: E402  (benchmarks/machine.py)
import numpy as np  # noqa: E402

import nnlib  # noqa: E402
from course.n01_structure import widgets as structure_widgets
from course.n02_forward_pass import widgets as forward_widgets
from course.n03_learning_backprop import live_plot
from course.n03_learning_backprop import widgets as backprop_widgets
from course.n04a_optimizers import widgets as optimizers_widgets
from course.n04b_regularization import widgets as regularization_widgets
from course.n05d_language_model import mlp as language_mlp
from course.n05d_language_model import text as language_text
from course.n05d_language_model import widgets as language_widgets
from course.n06b_digits import digits
from course.n06b_digits import widgets as digits_widgets
from nnlib.data import make_linear


def _time_updates(explorer, control, values, cpu=None, *, forget=False):
    """Update times (ms) for each value, set one after the other.

    ``cpu``, a list, receives the CPU time of each update (ms, all threads of this
    process): what one student's slider costs a shared server. ``forget``: empty the
    explorer's store of trainings before each update.
    """
    times = []
    for value in values:
        if forget:
            explorer.forget()
        start, start_cpu = time.perf_counter(), time.process_time()
        explorer.controls[control].value = value  # observers run synchronously
        times.append((time.perf_counter() - start) * 1e3)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu) * 1e3)
    return times


def _summary(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def depth_explorer_cases(train_docs):
    """05e: the notebook's eight untrained blocks on 32 windows of 16 characters, run three
    ways once (a second or two); the menu and the slider only pick a stream and redraw."""
    from types import SimpleNamespace

    from course.n04c_deep_networks.deep import layer_norm_backward
    from course.n05c_transformers.attention import scaled_dot_product_attention
    from course.n05e_transformer_block import block as transformer_block
    from course.n05e_transformer_block import widgets as transformer_widgets

    pieces = SimpleNamespace(attention=scaled_dot_product_attention,
                             layer_norm_backward=layer_norm_backward,
                             embedding_backward=language_mlp.embedding_backward)
    stream = transformer_block.token_stream([language_text.encode(doc) for doc in train_docs])
    starts = np.random.default_rng(0).integers(0, len(stream) - 16, 32)
    X, y = transformer_block.windows(stream, starts, 16)
    profiles = transformer_block.depth_profiles(pieces, X, y, len(language_text.ALPHABET),
                                                n_blocks=8, seed=0)
    return [("05e depth_explorer: after block", transformer_widgets.depth_explorer(profiles),
             "depth", [int(d) for d in np.tile(np.arange(9), 4)]),
            ("05e depth_explorer: network", transformer_widgets.depth_explorer(profiles),
             "network", list(profiles) * 12)]


def main():
    X, y = make_linear(seed=0)
    cases = [
        ("01 network_explorer: hidden 1 neurons", structure_widgets.network_explorer(), "hidden_1",
         [int(v) for v in np.tile(np.arange(2, 16), 2)]),
        ("02 neuron_explorer: weight", forward_widgets.neuron_explorer(), "w",
         list(np.linspace(-2.5, 2.5, 40))),
        ("02 softmax_explorer: temperature", forward_widgets.softmax_explorer(), "temperature",
         list(np.geomspace(0.1, 100, 40))),
        ("03 be_the_optimizer (with gradient): w", backprop_widgets.be_the_optimizer(
            X, y, show_gradient=True), "w", list(np.linspace(-1.0, 3.0, 40))),
        ("03 gradient_descent_explorer: learning rate",
         backprop_widgets.gradient_descent_explorer(), "lr", list(np.geomspace(1e-3, 2.5, 40))),
        ("04a optimizer_explorer (bowl, SGD): lr", optimizers_widgets.optimizer_explorer(steps=100),
         "lr", list(np.geomspace(1e-4, 2.0, 40))),
        ("04a optimizer_explorer (all three): lr", optimizers_widgets.optimizer_explorer(
            "Rosenbrock", optimizer="all three, side by side", steps=200), "lr",
         list(np.geomspace(1e-4, 2.0, 40))),
    ]
    # The regularization explorer keeps its trainings: a new setting retrains (timed
    # with the cache emptied before each update), one seen before only redraws.
    strengths = [0.0, 1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2]
    retrained = []
    for control, values in (("l2", strengths), ("l1", strengths),
                            ("dropout", [round(0.05 * k, 2) for k in range(13)])):
        retrained.append(regularization_widgets.regularization_explorer())
        cases.append((f"04b regularization_explorer (retrain): {control}", retrained[-1],
                      control, values))
    cases.append(("04b regularization_explorer: L2, seen before",
                  regularization_widgets.regularization_explorer(), "l2", strengths * 2))
    # 04c: the recordings of the notebook's four deep networks, made once (a few seconds);
    # the slider only picks one and redraws.
    from course.n04c_deep_networks import deep
    from course.n04c_deep_networks import widgets as deep_widgets

    deep_explorer = deep_widgets.deep_training_explorer(
        deep.train_variants(*deep.moons(0), seed=0), variant="He")
    cases.append(("04c deep_training_explorer: training step", deep_explorer, "step",
                  list(range(0, deep.STEPS + 1, deep.RECORD_EVERY))))
    # 05d: the notebook's language model, trained as there; 300 characters per update.
    train_docs, _ = language_text.split_documents(language_text.course_prose(), seed=0)
    X_lm, y_lm = language_text.contexts(train_docs, 6)
    lm_params = language_mlp.init_params(len(language_text.ALPHABET), 6, embedding_dim=8,
                                         hidden=64, seed=0)
    language_mlp.train(lm_params, X_lm, y_lm, steps=2000, batch_size=64, learning_rate=0.01,
                       seed=0)
    cases.append(("05d sampling_explorer: temperature",
                  language_widgets.sampling_explorer(lm_params, 6), "temperature",
                  list(np.geomspace(0.1, 5.0, 40))))
    cases.append(("05d sampling_explorer: seed", language_widgets.sampling_explorer(lm_params, 6),
                  "seed", list(range(1, 41))))
    cases += depth_explorer_cases(train_docs)
    # 06b: the epoch slider over softmax regression's kept weights (nothing retrains).
    X_digits, y_digits = digits.load_digits()
    train, test = digits.stratified_split(y_digits, test_size=0.2, seed=0)
    softmax_run = digits.run_with_nnlib(digits.RECIPES["softmax regression"],
                                        X_digits[train], y_digits[train], seed=0)
    cases.append(("06b epoch_explorer: epoch", digits_widgets.epoch_explorer(
        softmax_run, X_digits[test], y_digits[test]), "epoch",
        [int(e) for e in np.tile(np.arange(len(softmax_run.snapshots)), 3)]))
    print(f"machine: {machine.describe()}")
    print(f"{'widget: control':46} {'updates':>7} {'median':>8} {'p95':>8} {'CPU':>8}")
    for label, explorer, control, values in cases:
        explorer.controls[control].value = values[-1]  # warm up caches and fonts
        cpu = []
        median, p95 = _summary(_time_updates(explorer, control, values, cpu,
                                             forget=explorer in retrained))
        print(f"{label:46} {len(values):>7} {median:6.1f}ms {p95:6.1f}ms "
              f"{statistics.median(cpu):6.1f}ms")

    # The live loss plot: redraw cost per redraw while MLP.fit trains.
    live = live_plot.live_loss_plot(every=10)
    model = nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
    start = time.perf_counter()
    model.fit(X, y, optimizer=nnlib.Adam(0.01), epochs=200, callback=live, seed=0)
    total = (time.perf_counter() - start) * 1e3
    print(f"{'03 live_loss_plot: 200 epochs, redraw every 10':46} total {total:.0f} ms, "
          f"{live.n_redraws} redraws, {total / max(live.n_redraws, 1):.1f} ms per redraw")
    # 07: the learning-rate slider retrains the article's MLP (200 epochs) and redraws.
    from course.n07_mlp_tensorflow_comparison.widgets import learning_rate_explorer

    lr_widget = learning_rate_explorer(X, y, keras_history=np.linspace(2.0, 0.1, 200),
                                       keras_predictions=2 * X + 1)
    lr_values = list(np.geomspace(1e-4, 1e-1, 13))
    lr_widget.controls["lr"].value = lr_values[-1]
    cpu = []
    median, p95 = _summary(_time_updates(lr_widget, "lr", lr_values, cpu))
    print(f"{'07 learning_rate_explorer: lr (retrain+redraw)':46} {len(lr_values):>7} "
          f"{median:6.1f}ms {p95:6.1f}ms {statistics.median(cpu):6.1f}ms   "
          "(target: median < 250 ms)")

    # 08: the playground: one chunk (5 epochs) + redraw per update (neuron heat maps,
    # decision map, loss curves), as while training live.
    from course.n08_conclusion_playground.features import FEATURES
    from course.n08_conclusion_playground.playground_config import PlaygroundConfig
    from course.n08_conclusion_playground.widgets import playground

    for label, config in [
        ("moons [2, 8, 8, 1], per chunk", PlaygroundConfig(dataset="moons", hidden=(8, 8))),
        ("circles, 7 inputs [7, 8, 8, 1]", PlaygroundConfig(
            dataset="circles", hidden=(8, 8), features=tuple(FEATURES))),
    ]:
        play = playground(config)
        play.step()  # warm-up
        chunk_times, cpu = [], []
        for _ in range(40):
            start, start_cpu = time.perf_counter(), time.process_time()
            play.step()
            chunk_times.append((time.perf_counter() - start) * 1e3)
            cpu.append((time.process_time() - start_cpu) * 1e3)
        median, p95 = _summary(chunk_times)
        print(f"{'08 playground: ' + label:46} {len(chunk_times):>7} "
              f"{median:6.1f}ms {p95:6.1f}ms {statistics.median(cpu):6.1f}ms   "
              f"= {1e3 / median:.1f} updates/s (target >= 10)")
    print("\nmedian and 95th percentile of the time per update over each sweep (compute + "
          "PNG render), and the median CPU time per update (what the server spends); target: "
          "median under 100 ms.")


if __name__ == "__main__":
    main()
