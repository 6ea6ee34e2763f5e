"""Tests for course/n05d_language_model/widgets.py (headless: MPLBACKEND=Agg, no kernel):
the temperature and seed sliders resample at once, and the figure shows the distribution
the first character is drawn from."""

import html

import numpy as np
import pytest

from course.n05d_language_model import mlp, text, widgets

BLOCK = 4


@pytest.fixture(scope="module")
def params():
    # a random model with large output weights: far from uniform, different in every context
    return mlp.init_params(len(text.ALPHABET), BLOCK, embedding_dim=4, hidden=16,
                           output_scale=1.0, seed=0)


def test_the_temperature_slider_resamples_and_redraws(params):
    ex = widgets.sampling_explorer(params, BLOCK, prompt="the net ", n_tokens=80)
    first = ex.sample
    ex.controls["temperature"].value = 0.3
    assert ex.temperature == 0.3 and ex.sample != first and len(ex.sample) == 80
    expected = text.decode(mlp.sample(params, BLOCK, 80, temperature=0.3, seed=0,
                                      prompt=text.encode("the net ")))
    assert ex.sample == expected
    np.testing.assert_allclose(ex.probs, mlp.next_probabilities(params, ex.context, 0.3))
    np.testing.assert_allclose([bar.get_height() for bar in ex.figure.bars], ex.probs)
    np.testing.assert_allclose(ex.figure.outline.get_ydata()[:-1], ex.probs_at_one)
    assert "T = 0.30" in ex.figure.ax.get_title()
    assert text.decode(ex.context) == "net "
    assert ex.message.startswith("T = 0.30, seed 0: the net ")


def test_the_seed_slider_draws_other_numbers_and_comes_back(params):
    ex = widgets.sampling_explorer(params, BLOCK)
    first = ex.sample
    ex.controls["seed"].value = 7
    assert ex.seed == 7 and ex.sample != first
    probs = ex.probs.copy()
    ex.controls["seed"].value = 0
    assert ex.sample == first
    np.testing.assert_array_equal(ex.probs, probs)  # the distribution is not random


def test_the_entropy_grows_with_the_temperature(params):
    ex = widgets.sampling_explorer(params, BLOCK)
    entropies = []
    for T in (0.1, 0.5, 1.0, 2.0, 5.0):
        ex.controls["temperature"].value = T
        entropies.append(ex.entropy)
        assert np.isclose(ex.probs.sum(), 1.0)
    assert np.all(np.diff(entropies) > 0)
    assert entropies[-1] < np.log(len(text.ALPHABET))
    ex.controls["temperature"].value = 1.0
    np.testing.assert_allclose(ex.probs, ex.probs_at_one)


def test_the_readout_shows_the_prompt_and_the_sample(params):
    ex = widgets.sampling_explorer(params, BLOCK, prompt="A <b>bold</b> start ")
    assert ex.prompt == "a #b#bold#b# start "
    assert f"<b>{html.escape(ex.prompt)}</b>" in ex.readout.value
    shown = html.escape(ex.sample).replace(text.END, "<br>")
    assert shown in ex.readout.value and "entropy" in ex.readout.value


def test_an_empty_prompt_starts_a_paragraph(params):
    ex = widgets.sampling_explorer(params, BLOCK, prompt="")
    assert ex.prompt == "" and np.all(ex.context == 0)


def test_controls_have_css_classes_and_bad_settings_are_refused(params):
    ex = widgets.sampling_explorer(params, BLOCK)
    assert "lm-temperature-slider" in ex.controls["temperature"]._dom_classes
    assert "lm-seed-slider" in ex.controls["seed"]._dom_classes
    box = ex.layout()
    assert ex.readout in box.children and ex.view.widget in box.children
    with pytest.raises(ValueError, match="temperature"):
        widgets.sampling_explorer(params, BLOCK, temperature=0.0)
    with pytest.raises(ValueError, match="n_tokens"):
        widgets.sampling_explorer(params, BLOCK, n_tokens=0)


def test_the_sampling_explorer_redraws_in_part(params, blit_mismatch):
    ex = widgets.sampling_explorer(params, BLOCK)
    moves = [("temperature", t) for t in (0.1, 0.15, 0.5, 1.0, 2.5, 5.0)]
    moves += [("seed", 3), ("seed", 99), ("temperature", 0.7)]
    partial = 0
    for control, value in moves:
        before = ex.view.full_draws
        ex.controls[control].value = value
        partial += ex.view.full_draws == before
        assert blit_mismatch(ex.view) < 2e-3, (control, value)
    assert partial == len(moves)
