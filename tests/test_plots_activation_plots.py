"""Tests for course/n02_forward_pass/plots.py (headless: MPLBACKEND=Agg, no kernel)."""

import numpy as np
import pytest

from course import figures
from course.n02_forward_pass import plots
from nnlib import activations


def _line(ax, label):
    lines = [line for line in ax.lines if line.get_label() == label]
    assert len(lines) == 1, [line.get_label() for line in ax.lines]
    return lines[0]


@pytest.mark.parametrize("name", ["linear", "relu", "sigmoid", "tanh"])
def test_plot_activation_draws_nnlib_function_and_derivative(name):
    z = np.linspace(-4.0, 4.0, 81)
    ax = plots.plot_activation(name, z=z)
    act = activations.get(name)
    f_line, df_line = _line(ax, "f(z)"), _line(ax, "f'(z)")
    np.testing.assert_array_equal(f_line.get_xdata(), z)
    np.testing.assert_array_equal(f_line.get_ydata(), act.fn(z))
    np.testing.assert_array_equal(df_line.get_ydata(), act.grad(z))
    assert ax.get_title() == name


def test_plot_activation_values_worked_by_hand():
    # relu at z = -1, 0, 2 is 0, 0, 2 with slope 0, 0 (TensorFlow's choice at the kink), 1
    ax = plots.plot_activation("relu", z=[-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(_line(ax, "f(z)").get_ydata(), [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(_line(ax, "f'(z)").get_ydata(), [0.0, 0.0, 1.0])


def test_plot_activation_softmax_is_first_probability_of_z_and_zero():
    z = np.linspace(-6.0, 6.0, 61)
    ax = plots.plot_activation("softmax", z=z)
    f = _line(ax, "f(z)").get_ydata()
    df = _line(ax, "f'(z)").get_ydata()
    pairs = np.column_stack([z, np.zeros_like(z)])
    np.testing.assert_allclose(f, activations.softmax(pairs)[:, 0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(df, activations.softmax_grad(pairs)[:, 0, 0], rtol=0, atol=1e-15)
    # softmax([z, 0])_0 = e^z / (e^z + 1) is the sigmoid, so its slope is sigma * (1 - sigma)
    np.testing.assert_allclose(f, activations.sigmoid(z), rtol=1e-12)
    np.testing.assert_allclose(df, activations.sigmoid_grad(z), rtol=1e-12, atol=1e-15)
    assert f[30] == pytest.approx(0.5) and df[30] == pytest.approx(0.25)  # z = 0


def test_plot_activation_without_grad_and_on_given_axes():
    fig, ax = figures.new_axes()
    out = plots.plot_activation("tanh", ax=ax, show_grad=False, title="tanh alone")
    assert out is ax
    assert [line.get_label() for line in ax.lines if not line.get_label().startswith("_")] == [
        "f(z)"]
    assert ax.get_title() == "tanh alone"
    assert len(_line(ax, "f(z)").get_xdata()) == 401  # default grid on [-5, 5]


@pytest.mark.parametrize("bad", ["swish", "ReLU6", ""])
def test_plot_activation_unknown_name_lists_valid_names(bad):
    with pytest.raises(ValueError, match="Valid activation names are: linear, relu, sigmoid, "
                                         "softmax, tanh"):
        plots.plot_activation(bad)


def test_activation_curve_rejects_2d_z():
    with pytest.raises(ValueError, match=r"z must be a 1-D array.*\(2, 3\)"):
        plots.activation_curve("relu", np.zeros((2, 3)))


def test_plot_neuron_outputs_one_line_per_neuron(rng):
    x = np.linspace(-1, 1, 30).reshape(-1, 1)
    A = rng.normal(size=(30, 4))
    ax = plots.plot_neuron_outputs(x, A, color=figures.LAYER_COLORS["hidden1"], title="layer 1")
    assert len(ax.lines) == 4
    for j, line in enumerate(ax.lines):
        np.testing.assert_array_equal(line.get_xdata(), x.ravel())
        np.testing.assert_array_equal(line.get_ydata(), A[:, j])
    assert ax.get_title() == "layer 1"


def test_plot_neuron_outputs_rejects_mismatched_rows():
    with pytest.raises(ValueError, match=r"n_samples = len\(x\) = 5.*\(4, 2\)"):
        plots.plot_neuron_outputs(np.arange(5), np.zeros((4, 2)))


def test_plot_depth_profiles_draws_each_profile_on_both_panels():
    from course.n02_forward_pass import depth

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 8)), rng.normal(size=(32, 1))
    profiles = {"Glorot": depth.depth_profile(X, y, n_layers=3, width=8),
                "std 0.01": depth.depth_profile(X, y, n_layers=3, width=8, scale=0.01)}
    fig = plots.plot_depth_profiles(profiles)
    left, right = fig.axes[:2]
    for k, (name, profile) in enumerate(profiles.items()):
        assert left.lines[k].get_label() == name
        assert np.allclose(left.lines[k].get_ydata(), profile.activation_std)
        assert np.allclose(right.lines[k].get_ydata(), profile.gradient_norm)
    assert right.get_yscale() == "log"
    with pytest.raises(ValueError, match="at least one"):
        plots.plot_depth_profiles({})
