"""Tests for course/n02_forward_pass/widgets.py (headless: MPLBACKEND=Agg, no kernel)."""

import numpy as np
import pytest

from course.n02_forward_pass import widgets
from nnlib import activations


@pytest.mark.parametrize("name", ["linear", "relu", "sigmoid", "tanh"])
def test_neuron_explorer_curve_is_f_of_wx_plus_b(name):
    ex = widgets.neuron_explorer()
    ex.controls["w"].value = -1.5
    ex.controls["b"].value = 0.75
    ex.controls["activation"].value = name
    expected = activations.get(name).fn(-1.5 * ex.x + 0.75)
    assert (ex.w, ex.b, ex.activation) == (-1.5, 0.75, name)
    np.testing.assert_allclose(ex.a, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(ex.figure.line.get_ydata(), ex.a)
    assert f"{name}(-1.50·x + 0.75)" in ex.readout.value
    assert "x = 0.50" in ex.readout.value  # z = 0 where x = -b / w = 0.5


def test_neuron_explorer_relu_worked_by_hand():
    ex = widgets.neuron_explorer("relu", w=2.0, b=-1.0, x_range=(-1.0, 1.0), n_points=5)
    # x = -1, -0.5, 0, 0.5, 1 -> z = -3, -2, -1, 0, 1 -> relu: 0, 0, 0, 0, 1
    np.testing.assert_array_equal(ex.x, [-1.0, -0.5, 0.0, 0.5, 1.0])
    np.testing.assert_array_equal(ex.a, [0.0, 0.0, 0.0, 0.0, 1.0])
    np.testing.assert_array_equal(ex.figure.zero_marker.get_xdata(), [0.5])


def test_neuron_explorer_zero_weight_gives_constant_f_of_b():
    ex = widgets.neuron_explorer("sigmoid", w=0.0, b=0.0)
    np.testing.assert_allclose(ex.a, 0.5)
    assert "no longer depends on x" in ex.readout.value
    assert len(ex.figure.zero_marker.get_xdata()) == 0


def test_neuron_explorer_keeps_axis_fixed_while_sliding():
    ex = widgets.neuron_explorer("tanh")
    before = ex.figure.ax.get_ylim()
    ex.controls["w"].value = 3.0
    ex.controls["b"].value = -3.0
    assert ex.figure.ax.get_ylim() == before
    assert before[0] < -1 and before[1] > 1


def test_neuron_explorer_controls_have_css_classes_and_labels():
    ex = widgets.neuron_explorer()
    assert "neuron-w-slider" in ex.controls["w"]._dom_classes
    assert "neuron-b-slider" in ex.controls["b"]._dom_classes
    assert "neuron-activation-dropdown" in ex.controls["activation"]._dom_classes
    assert all(c.description for c in ex.controls.values())
    assert ex.controls["w"].readout and ex.controls["b"].readout
    box = ex.layout()
    assert ex.readout in box.children and ex.view.widget in box.children


def test_neuron_explorer_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match="Valid activation names are: linear, relu, sigmoid"):
        widgets.neuron_explorer("swish")


def test_neuron_explorer_rejects_softmax_and_out_of_range_weights():
    with pytest.raises(ValueError, match="softmax of one score is always 1"):
        widgets.neuron_explorer("softmax")
    with pytest.raises(ValueError, match=r"w must be in \[-3.0, 3.0\].*Received: w=5"):
        widgets.neuron_explorer(w=5)


def test_softmax_explorer_bars_are_probabilities_summing_to_one():
    logits = np.array([2.0, 1.0, 0.1, -1.0])
    ex = widgets.softmax_explorer(logits, temperature=1.0)
    for T in (0.1, 0.5, 1.0, 3.0, 100.0):
        ex.controls["temperature"].value = T
        assert ex.temperature == pytest.approx(T)
        np.testing.assert_allclose(ex.probs, activations.softmax(logits / T), rtol=1e-12)
        assert ex.probs.sum() == pytest.approx(1.0, abs=1e-12)
        heights = [bar.get_height() for bar in ex.figure.prob_bars]
        np.testing.assert_array_equal(heights, ex.probs)
        np.testing.assert_allclose([bar.get_height() for bar in ex.figure.score_bars], logits / T)
    assert "sum to 1.000000" in ex.readout.value


def test_softmax_explorer_worked_by_hand():
    # softmax of [ln 1, ln 2, ln 3] at T = 1 is [1, 2, 3] / 6
    ex = widgets.softmax_explorer(np.log([1.0, 2.0, 3.0]), labels=["a", "b", "c"])
    np.testing.assert_allclose(ex.probs, [1 / 6, 2 / 6, 3 / 6], rtol=1e-12)
    assert [t.get_text() for t in ex.figure.prob_texts] == ["0.17", "0.33", "0.50"]
    assert "<b>c</b>" in ex.readout.value


def test_softmax_explorer_sharpens_as_temperature_drops_and_flattens_as_it_rises():
    ex = widgets.softmax_explorer((2.0, 1.0, 0.1, -1.0))
    top = []
    for T in (10.0, 3.0, 1.0, 0.5, 0.2, 0.1):
        ex.controls["temperature"].value = T
        top.append(ex.probs[0])
    assert np.all(np.diff(top) > 0), top  # the largest logit's share grows as T drops
    assert top[-1] > 0.99
    ex.controls["temperature"].value = 100.0
    np.testing.assert_allclose(ex.probs, 0.25, atol=0.01)  # nearly uniform


@pytest.mark.parametrize("bad", [0.0, -1.0, 0.05, 1000.0])
def test_softmax_explorer_rejects_temperature_outside_slider_range(bad):
    with pytest.raises(ValueError, match=r"temperature must be in \[0.1, 100.0\]"):
        widgets.softmax_explorer(temperature=bad)


def test_softmax_explorer_slider_cannot_reach_zero_temperature():
    ex = widgets.softmax_explorer()
    for bad in (0.0, -2.0):
        ex.controls["temperature"].value = bad  # the slider clamps to its minimum
        assert ex.temperature == pytest.approx(0.1)
        assert np.all(np.isfinite(ex.probs))
    assert "softmax-temperature-slider" in ex.controls["temperature"]._dom_classes


def test_softmax_explorer_large_logits_stay_finite():
    ex = widgets.softmax_explorer([1000.0, 999.0, 0.0], temperature=0.1)
    assert np.all(np.isfinite(ex.probs)) and ex.probs.sum() == pytest.approx(1.0)
    # scores [10000, 9990, 0]: p = [1, e^-10, 0] / (1 + e^-10)
    np.testing.assert_allclose(ex.probs, np.array([1.0, np.exp(-10.0), 0.0]) / (1 + np.exp(-10.0)),
                               rtol=1e-12)


def test_softmax_explorer_validates_logits_and_labels():
    with pytest.raises(ValueError, match="at least 2 scores"):
        widgets.softmax_explorer([1.0])
    with pytest.raises(ValueError, match="logits must be a 1-D array"):
        widgets.softmax_explorer([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"one entry per logit \(3\). Received: 2 labels"):
        widgets.softmax_explorer([1.0, 2.0, 3.0], labels=["a", "b"])


def test_the_kink_at_zero_is_not_written_minus_zero():
    ex = widgets.neuron_explorer(w=1.0, b=0.0)
    ex.controls["b"].value = 0.0
    ex.controls["w"].value = 2.0
    assert "at x = 0.00" in ex.readout.value and "-0.00" not in ex.readout.value
