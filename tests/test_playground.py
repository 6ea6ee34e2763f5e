"""nnlib.playground: configuration text, data, chunked training, Keras code."""

import numpy as np
import pytest

from nnlib import playground as pg


def test_config_round_trips_through_text():
    config = pg.PlaygroundConfig(dataset="spirals", seed=7, hidden=(6, 4, 3), activation="relu",
                                 learning_rate=0.005, l2=0.001, dropout=0.1, batch_size=8,
                                 noise=0.15, n_samples=120)
    text = config.to_string()
    assert text.startswith("data=spirals;seed=7;hidden=6,4,3;act=relu;lr=0.005")
    assert pg.PlaygroundConfig.from_string(text) == config
    linear = pg.PlaygroundConfig(hidden=())
    assert "hidden=none" in linear.to_string()
    assert pg.PlaygroundConfig.from_string(linear.to_string()) == linear


def test_config_text_leaves_out_keys_and_rejects_bad_ones():
    assert pg.PlaygroundConfig.from_string("data=xor; lr=0.1") == pg.PlaygroundConfig(
        dataset="xor", learning_rate=0.1)
    with pytest.raises(ValueError, match="unknown configuration key 'colour'"):
        pg.PlaygroundConfig.from_string("colour=red")
    with pytest.raises(ValueError, match="key=value"):
        pg.PlaygroundConfig.from_string("data")
    with pytest.raises(ValueError, match="bad value for hidden"):
        pg.PlaygroundConfig.from_string("hidden=a,b")
    with pytest.raises(ValueError, match="dataset"):
        pg.PlaygroundConfig(dataset="mnist")
    with pytest.raises(ValueError, match="dropout"):
        pg.PlaygroundConfig(dropout=1.5)


def test_model_and_loss_follow_the_task():
    clf = pg.PlaygroundConfig(dataset="moons", hidden=(8, 8))
    assert clf.layer_sizes == [2, 8, 8, 1]
    assert clf.activations == ["tanh", "tanh", "sigmoid"]
    assert clf.loss == "binary_cross_entropy"
    reg = pg.PlaygroundConfig(dataset="line", hidden=(10, 5), activation="relu")
    assert reg.layer_sizes == [1, 10, 5, 1] and reg.loss == "mse"
    X_train, X_test, y_train, y_test = pg.make_dataset(clf)
    assert X_train.shape == (150, 2) and y_test.shape == (50, 1)


def test_chunks_continue_training_and_test_loss_falls_on_xor():
    trainer = pg.PlaygroundTrainer(pg.PlaygroundConfig(dataset="xor", hidden=(8, 8),
                                                       learning_rate=0.03, noise=0.05))
    initial_test = trainer.model.loss(trainer.X_test, trainer.y_test, "binary_cross_entropy")
    for _ in range(6):
        assert trainer.train_chunk(5)
    assert trainer.epoch == 30 and len(trainer.test_loss) == 30
    assert trainer.optimizer.iterations == 30 * 10  # 150 points, batch 16: 10 steps/epoch
    assert trainer.test_loss[-1] < 0.5 * initial_test
    assert trainer.accuracy("test") > 0.85


def test_chunks_equal_one_long_run():
    config = pg.PlaygroundConfig(dataset="moons", hidden=(4,))
    chunked, whole = pg.PlaygroundTrainer(config), pg.PlaygroundTrainer(config)
    chunked.train_chunk(2)
    chunked.train_chunk(3)
    whole.train_chunk(5)
    np.testing.assert_array_equal(chunked.model.theta, whole.model.theta)


def test_reset_restores_initial_weights_and_repeats_the_run():
    trainer = pg.PlaygroundTrainer(pg.PlaygroundConfig(dataset="circles", dropout=0.2))
    start = trainer.model.theta.copy()
    trainer.train_chunk(3)
    after = trainer.model.theta.copy()
    assert not np.array_equal(after, start)
    trainer.reset()
    np.testing.assert_array_equal(trainer.model.theta, start)
    assert trainer.epoch == 0 and trainer.train_loss == [] and trainer.optimizer.iterations == 0
    trainer.train_chunk(3)
    np.testing.assert_array_equal(trainer.model.theta, after)


def test_divergence_stops_training_quietly():
    trainer = pg.PlaygroundTrainer(pg.PlaygroundConfig(dataset="line", hidden=(8,),
                                                       activation="linear",
                                                       learning_rate=1.0, batch_size=1))
    trainer.model.theta[...] = 1e154
    assert trainer.train_chunk(5) is False
    assert trainer.diverged and "diverged" in trainer.message
    assert trainer.train_chunk(5) is False


def test_grid_covers_the_data():
    trainer = pg.PlaygroundTrainer(pg.PlaygroundConfig(dataset="moons"))
    x1, x2, values = trainer.grid(20)
    assert values.shape == (20, 20) and np.all((values >= 0) & (values <= 1))
    assert x1[0] < trainer.X_train[:, 0].min() and x2[-1] > trainer.X_train[:, 1].max()
    line = pg.PlaygroundTrainer(pg.PlaygroundConfig(dataset="line"))
    x, none, y_hat = line.grid(30)
    assert none is None and y_hat.shape == (30,)


@pytest.mark.parametrize("config", [
    pg.PlaygroundConfig(dataset="moons", hidden=(4, 3), l2=0.001, dropout=0.1),
    pg.PlaygroundConfig(dataset="line", hidden=(10, 5), activation="relu", learning_rate=0.01),
], ids=["moons-l2-dropout", "line"])
def test_keras_code_runs_and_builds_the_same_network(config, capsys):
    pytest.importorskip("tensorflow")
    from nnlib import keras_bridge

    keras_bridge.import_keras()
    code = pg.keras_code(config, epochs=1)
    assert config.to_string() in code and "keras.Input(shape=" in code
    namespace = {}
    exec(compile(code, "<keras_code>", "exec"), namespace)  # noqa: S102 - our own generated code
    model = namespace["model"]
    assert model.count_params() == pg.build_model(config).count_params()
    assert len(namespace["history"].history["loss"]) == 1
    assert capsys.readouterr().out.strip()  # the evaluation was printed
    assert [layer.__class__.__name__ for layer in model.layers].count("Dropout") == (
        len(config.hidden) if config.dropout else 0)


def test_config_text_checker_accepts_the_target_and_names_what_differs():
    target = pg.PlaygroundConfig(dataset="circles", seed=3, hidden=(6,), activation="relu",
                              learning_rate=0.01)
    check = pg.config_text_checker(target)
    assert check("data=circles;seed=3;hidden=6;act=relu;lr=0.01") is None
    assert check(target.to_string()) is None
    message = check("data=circles;seed=3;hidden=6;act=tanh;lr=0.02")
    assert "act" in message and "lr" in message and "seed" not in message
    assert "str" in check(42)
    assert "cannot be read" in check("data=circles;oops")
    assert "cannot be read" in check("data=cubes")
    with pytest.raises(TypeError, match="target"):
        pg.config_text_checker("data=circles")
