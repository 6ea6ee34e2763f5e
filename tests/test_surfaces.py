"""Tests for nnlib/surfaces.py: surfaces, their gradients, and optimizers run on them."""

import warnings

import numpy as np
import pytest

from course.n04a_optimizers import surfaces
from nnlib.gradcheck import numerical_gradient
from nnlib.optimizers import SGD, Adam

ALL_SURFACES = [surfaces.QuadraticBowl(), surfaces.QuadraticBowl(h_x=3.0, h_y=0.5),
                surfaces.Rosenbrock(), surfaces.Rosenbrock(a=0.5, b=10.0),
                surfaces.TwoMinima(), surfaces.TwoMinima(tilt=-0.2)]


@pytest.mark.parametrize("surface", ALL_SURFACES, ids=repr)
def test_gradient_matches_finite_differences(surface, rng):
    for p in rng.uniform(-1.5, 1.5, size=(5, 2)):
        numeric = numerical_gradient(lambda q: surface(q), p.copy())
        np.testing.assert_allclose(surface.grad(p), numeric, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("surface", ALL_SURFACES, ids=repr)
def test_minima_are_stationary_and_lowest_nearby(surface, rng):
    for m in surface.minima:
        np.testing.assert_allclose(surface.grad(m), [0.0, 0.0], atol=1e-9)
        around = m + rng.normal(scale=1e-2, size=(20, 2))
        assert np.all(surface(around) >= surface(m))
    assert surface.min_value == pytest.approx(surface(surface.minima[0]))


def test_values_by_hand():
    assert surfaces.QuadraticBowl()([1.0, 1.0]) == 5.5  # (1 + 10) / 2
    assert surfaces.Rosenbrock()([0.0, 1.0]) == 101.0  # 1 + 100 * 1
    assert surfaces.TwoMinima()([0.0, 2.0]) == 3.0  # 1 + 0 + 4 / 2
    wells = surfaces.TwoMinima(tilt=0.3)
    assert wells.minima[0, 0] < 0 < wells.minima[1, 0]  # the deeper valley is on the left
    assert wells(wells.minima[0]) < wells(wells.minima[1])


def test_vectorised_values_and_grid():
    bowl = surfaces.QuadraticBowl()
    pts = np.array([[[1.0, 0.0], [0.0, 1.0]], [[2.0, 2.0], [0.0, 0.0]]])
    np.testing.assert_allclose(bowl(pts), [[0.5, 5.0], [22.0, 0.0]])
    assert bowl.grad(pts).shape == (2, 2, 2)
    xs, ys, values = bowl.grid(11)
    assert values.shape == (11, 11)
    assert values[3, 7] == pytest.approx(bowl([xs[7], ys[3]]))  # rows follow y


def test_stability_limit_is_two_over_largest_curvature():
    bowl = surfaces.QuadraticBowl(h_x=2.0, h_y=8.0)
    assert bowl.largest_curvature == 8.0
    assert bowl.stability_limit() == pytest.approx(0.25)
    assert bowl.stability_limit(momentum=0.5) == pytest.approx(0.375)


def test_sgd_on_bowl_converges_below_and_diverges_above_the_limit():
    bowl = surfaces.QuadraticBowl()
    limit = bowl.stability_limit()
    below = surfaces.run_optimizer(bowl, SGD(0.98 * limit), bowl.start, 400)
    assert not below.diverged and below.loss[-1] < 1e-8
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        above = surfaces.run_optimizer(bowl, SGD(1.02 * limit), bowl.start, 1000)
    assert above.diverged and above.diverged_at is not None
    assert len(above.points) == above.diverged_at + 1
    assert above.loss[-1] > 1e6 and "diverged at step" in above.message


def test_momentum_limit_is_exact_on_the_bowl():
    bowl = surfaces.QuadraticBowl()
    limit = bowl.stability_limit(momentum=0.5)
    assert not surfaces.run_optimizer(bowl, SGD(0.97 * limit, momentum=0.5), bowl.start,
                                      3000).diverged
    assert surfaces.run_optimizer(bowl, SGD(1.03 * limit, momentum=0.5), bowl.start,
                                  3000).diverged


def test_one_sgd_step_by_hand():
    path = surfaces.run_optimizer(surfaces.QuadraticBowl(), SGD(0.1), [1.0, 1.0], 1)
    np.testing.assert_allclose(path.points, [[1.0, 1.0], [0.9, 0.0]])  # 1 - 0.1*1, 1 - 0.1*10
    np.testing.assert_allclose(path.loss, [5.5, 0.405])


@pytest.mark.parametrize("make", [lambda: SGD(0.001, momentum=0.9), lambda: Adam(0.05)])
def test_path_equals_the_optimizer_run_by_hand(make):
    surface = surfaces.Rosenbrock()
    path = surfaces.run_optimizer(surface, make(), surface.start, 50)
    opt, p = make(), np.array(surface.start, float)
    expected = [p.copy()]
    for _ in range(50):
        opt.step([p], [surface.grad(p)])
        expected.append(p.copy())
    np.testing.assert_allclose(path.points, expected, rtol=0, atol=0)


def test_a_path_says_which_minimum_it_reached():
    two = surfaces.TwoMinima()
    sgd = surfaces.run_optimizer(two, SGD(learning_rate=0.05), two.start, 200)
    assert sgd.describe(two.minima).startswith(("reached the global minimum",
                                                 "reached a local minimum"))
    stuck = surfaces.run_optimizer(two, SGD(learning_rate=1e-9), two.start, 3)
    assert stuck.describe(two.minima).startswith("barely moved in 3 steps")
    assert stuck.describe() == stuck.message  # without minima: how the descent ended
    bowl = surfaces.QuadraticBowl()
    on_its_way = surfaces.run_optimizer(bowl, SGD(learning_rate=0.01), bowl.start, 5)
    assert on_its_way.describe(bowl.minima).startswith("still on its way after 5 steps")
    wild = surfaces.run_optimizer(bowl, Adam(learning_rate=0.1), bowl.start, 1)
    assert isinstance(wild.describe(bowl.minima), str)


def test_validation_messages():
    bowl = surfaces.QuadraticBowl()
    with pytest.raises(ValueError, match="start must be two finite numbers"):
        surfaces.run_optimizer(bowl, SGD(0.1), [1.0, np.nan], 3)
    with pytest.raises(ValueError, match="steps must be an integer >= 0"):
        surfaces.run_optimizer(bowl, SGD(0.1), [1.0, 1.0], -1)
    with pytest.raises(TypeError, match=r"optimizer must have a step\(params, grads\)"):
        surfaces.run_optimizer(bowl, "sgd", [1.0, 1.0], 3)
    with pytest.raises(ValueError, match="below max_loss"):
        surfaces.run_optimizer(bowl, SGD(0.1), [1.0, 1.0], 3, max_loss=1.0)
    with pytest.raises(ValueError, match="h_y must be a finite number > 0"):
        surfaces.QuadraticBowl(h_y=0.0)
    with pytest.raises(ValueError, match="tilt must be small enough"):
        surfaces.TwoMinima(tilt=2.0)
    with pytest.raises(ValueError, match="Unknown surface 'saddle'"):
        surfaces.get_surface("saddle")
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        bowl([1.0, 2.0, 3.0])


def test_zero_steps_and_get_surface():
    path = surfaces.run_optimizer("quadratic bowl", SGD(0.1), (1.0, 1.0), 0)
    assert path.points.shape == (1, 2) and not path.diverged
    assert isinstance(surfaces.get_surface("Rosenbrock"), surfaces.Rosenbrock)


def test_best_settings_are_the_textbook_ones_and_momentum_needs_about_sqrt_kappa_steps():
    from nnlib.optimizers import SGD

    bowl = surfaces.QuadraticBowl(h_x=1.0, h_y=100.0)
    assert bowl.condition_number == 100.0
    (lr_sgd, beta_sgd), (lr_mom, beta_mom) = bowl.best_settings()
    assert np.isclose(lr_sgd, 2 / 101) and beta_sgd == 0.0
    assert np.isclose(lr_mom, 4 / 121) and np.isclose(beta_mom, (9 / 11) ** 2)
    steps = {}
    for kappa in (25.0, 100.0, 400.0):
        bowl = surfaces.QuadraticBowl(h_x=1.0, h_y=kappa)
        steps[kappa] = [surfaces.steps_to_reach(
            surfaces.run_optimizer(bowl, SGD(lr, momentum=beta), bowl.start, 5000), 1e-8)
            for lr, beta in bowl.best_settings()]
    for small, large in [(25.0, 100.0), (100.0, 400.0)]:
        assert 3.5 < steps[large][0] / steps[small][0] < 4.5  # like kappa
        assert 1.7 < steps[large][1] / steps[small][1] < 2.5  # like sqrt(kappa)


def test_steps_to_reach_is_none_when_never_reached():
    from nnlib.optimizers import SGD

    bowl = surfaces.QuadraticBowl()
    path = surfaces.run_optimizer(bowl, SGD(1e-4), bowl.start, 10)
    assert surfaces.steps_to_reach(path, 1e-8) is None
    assert surfaces.steps_to_reach(path, 1.0) == 1


def test_a_duck_typed_optimizer_walks_as_nnlibs_does():
    """run_optimizer takes any optimizer with step(params, grads), as the student's own
    Momentum and Adam classes of notebook 04 (one routine: descent.descend)."""
    class PlainStep:
        def step(self, params, grads):
            for w, g in zip(params, grads):
                w -= 0.05 * g

    bowl = surfaces.QuadraticBowl()
    mine = surfaces.run_optimizer(bowl, PlainStep(), bowl.start, 40)
    theirs = surfaces.run_optimizer(bowl, SGD(0.05), bowl.start, 40)
    np.testing.assert_array_equal(mine.points, theirs.points)
    assert mine.message == theirs.message


def test_one_formula_for_the_stability_limit():
    from course import descent

    bowl = surfaces.QuadraticBowl(h_x=1.0, h_y=8.0)
    line = descent.Quadratic1D(a=4.0)  # L'' = 8
    for beta in (0.0, 0.5, 0.9):
        assert bowl.stability_limit(beta) == line.stability_limit(beta) == (
            descent.stability_limit(8.0, beta))


def test_convergence_rate_is_what_a_run_keeps_per_step():
    """The map's factor against runs of nnlib's SGD on the bowl: the distance kept per step
    over steps 200-300 (where the slower direction has taken over)."""
    bowl = surfaces.QuadraticBowl(h_x=1.0, h_y=10.0)
    for lr, beta in [(0.05, 0.0), (0.15, 0.0), (0.05, 0.5), (0.1, 0.8), (0.25, 0.3)]:
        path = surfaces.run_optimizer(bowl, SGD(lr, momentum=beta), bowl.start, 300)
        distance = np.linalg.norm(path.points, axis=1)
        kept = (distance[300] / distance[200]) ** (1 / 100)
        assert abs(kept / bowl.convergence_rate(lr, beta) - 1) < 0.02, (lr, beta)


def test_nesterovs_convergence_rate_is_what_a_run_keeps_per_step():
    """Nesterov's recurrence, z^2 - (1 + b)(1 - a h) z + b (1 - a h), against nnlib's
    SGD(nesterov=True); at a = 1/L, b = (sqrt(k) - 1)/(sqrt(k) + 1) it is 1 - 1/sqrt(k)."""
    bowl = surfaces.QuadraticBowl(h_x=1.0, h_y=10.0)
    for lr, beta in [(0.05, 0.5), (0.1, 0.8), (0.15, 0.3), (0.12, 0.6)]:
        path = surfaces.run_optimizer(bowl, SGD(lr, momentum=beta, nesterov=True), bowl.start,
                                      300)
        distance = np.linalg.norm(path.points, axis=1)
        kept = (distance[300] / distance[200]) ** (1 / 100)
        assert abs(kept / bowl.convergence_rate(lr, beta, nesterov=True) - 1) < 0.02, (lr, beta)
    root = np.sqrt(bowl.condition_number)
    assert np.isclose(bowl.convergence_rate(0.1, (root - 1) / (root + 1), nesterov=True),
                      1 - 1 / root)
    assert np.isclose(bowl.convergence_rate(0.1, 0.0, nesterov=True),
                      bowl.convergence_rate(0.1, 0.0))  # without momentum, the same step


def test_convergence_rate_at_one_or_more_means_the_run_diverges():
    bowl = surfaces.QuadraticBowl(h_x=1.0, h_y=10.0)
    lr = 1.05 * bowl.stability_limit(momentum=0.5)
    assert bowl.convergence_rate(lr, 0.5) > 1
    assert surfaces.run_optimizer(bowl, SGD(lr, momentum=0.5), bowl.start, 300).diverged


def test_convergence_rate_broadcasts_and_refuses_bad_settings():
    bowl = surfaces.QuadraticBowl()
    grid = bowl.convergence_rate(np.array([0.01, 0.1, 0.2])[None, :],
                                 np.array([0.0, 0.5])[:, None])
    assert grid.shape == (2, 3)
    assert np.isclose(grid[0, 0], 1 - 0.01)  # plain GD: the flat direction keeps 1 - lr h_x
    with pytest.raises(ValueError, match=r"momentum in \[0, 1\)\. Received: learning_rate "
                                         r"from 0\.1 to 0\.1, momentum from 1 to 1"):
        bowl.convergence_rate(0.1, 1.0)


def test_nesterovs_rate_above_one_means_the_run_diverges():
    bowl = surfaces.QuadraticBowl(h_x=1.0, h_y=10.0)
    assert bowl.convergence_rate(0.18, 0.6, nesterov=True) > 1
    assert surfaces.run_optimizer(bowl, SGD(0.18, momentum=0.6, nesterov=True), bowl.start,
                                  300).diverged
