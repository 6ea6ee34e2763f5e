"""course.n08_conclusion_playground.playground (with course.n08_conclusion_playground.features and course.n08_conclusion_playground.playground_config): configuration text,
input features, data, chunked training, neuron maps, Keras code."""

import numpy as np
import pytest

from course.n08_conclusion_playground import features as feat
from course.n08_conclusion_playground import playground as pg
from course.n08_conclusion_playground.playground_config import PlaygroundConfig, config_text_checker
from nnlib.activations import sigmoid


def test_config_round_trips_through_text():
    config = PlaygroundConfig(dataset="spirals", seed=7, hidden=(6, 4, 3), activation="relu",
                                 learning_rate=0.005, l2=0.001, dropout=0.1, batch_size=8,
                                 noise=0.15, n_samples=120)
    text = config.to_string()
    assert text.startswith("data=spirals;seed=7;hidden=6,4,3;act=relu;lr=0.005")
    assert PlaygroundConfig.from_string(text) == config
    linear = PlaygroundConfig(hidden=())
    assert "hidden=none" in linear.to_string()
    assert PlaygroundConfig.from_string(linear.to_string()) == linear


@pytest.mark.parametrize("text, hidden", [("8,8", (8, 8)), (" 4 ", (4,)), ("", ()),
                                          ("none", ()), ("0", ())])
def test_one_parser_reads_hidden_layers_for_the_text_and_the_widget(text, hidden):
    assert PlaygroundConfig.parse_hidden(text) == hidden
    assert PlaygroundConfig.from_string(f"hidden={text}").hidden == hidden


def test_config_text_leaves_out_keys_and_rejects_bad_ones():
    assert PlaygroundConfig.from_string("data=xor; lr=0.1") == PlaygroundConfig(
        dataset="xor", learning_rate=0.1)
    with pytest.raises(ValueError, match="unknown configuration key 'colour'"):
        PlaygroundConfig.from_string("colour=red")
    with pytest.raises(ValueError, match="key=value"):
        PlaygroundConfig.from_string("data")
    with pytest.raises(ValueError, match="bad value for hidden"):
        PlaygroundConfig.from_string("hidden=a,b")
    with pytest.raises(ValueError, match="dataset"):
        PlaygroundConfig(dataset="mnist")
    with pytest.raises(ValueError, match="dropout"):
        PlaygroundConfig(dropout=1.5)


def test_model_and_loss_follow_the_task():
    clf = PlaygroundConfig(dataset="moons", hidden=(8, 8))
    assert clf.layer_sizes == [2, 8, 8, 1]
    assert clf.activations == ["tanh", "tanh", "sigmoid"]
    assert clf.loss == "binary_cross_entropy"
    reg = PlaygroundConfig(dataset="line", hidden=(10, 5), activation="relu")
    assert reg.layer_sizes == [1, 10, 5, 1] and reg.loss == "mse"
    X_train, X_test, y_train, y_test = pg.make_dataset(clf)
    assert X_train.shape == (150, 2) and y_test.shape == (50, 1)


def test_chunks_continue_training_and_test_loss_falls_on_xor():
    trainer = pg.PlaygroundTrainer(PlaygroundConfig(dataset="xor", hidden=(8, 8),
                                                       learning_rate=0.03, noise=0.05))
    initial_test = trainer.model.loss(trainer.X_test, trainer.y_test, "binary_cross_entropy")
    for _ in range(6):
        assert trainer.train_chunk(5)
    assert trainer.epoch == 30 and len(trainer.test_loss) == 30
    assert trainer.optimizer.iterations == 30 * 10  # 150 points, batch 16: 10 steps/epoch
    assert trainer.test_loss[-1] < 0.5 * initial_test
    assert trainer.accuracy("test") > 0.85


def test_chunks_equal_one_long_run():
    config = PlaygroundConfig(dataset="moons", hidden=(4,))
    chunked, whole = pg.PlaygroundTrainer(config), pg.PlaygroundTrainer(config)
    chunked.train_chunk(2)
    chunked.train_chunk(3)
    whole.train_chunk(5)
    np.testing.assert_array_equal(chunked.model.theta, whole.model.theta)


def test_reset_restores_initial_weights_and_repeats_the_run():
    trainer = pg.PlaygroundTrainer(PlaygroundConfig(dataset="circles", dropout=0.2))
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
    trainer = pg.PlaygroundTrainer(PlaygroundConfig(dataset="line", hidden=(8,),
                                                       activation="linear",
                                                       learning_rate=1.0, batch_size=1))
    trainer.model.theta[...] = 1e154
    assert trainer.train_chunk(5) is False
    assert trainer.diverged and "diverged" in trainer.message
    assert trainer.train_chunk(5) is False


def test_grid_covers_the_data():
    trainer = pg.PlaygroundTrainer(PlaygroundConfig(dataset="moons"))
    x1, x2, values = trainer.grid(20)
    assert values.shape == (20, 20) and np.all((values >= 0) & (values <= 1))
    assert x1[0] < trainer.X_train[:, 0].min() and x2[-1] > trainer.X_train[:, 1].max()
    line = pg.PlaygroundTrainer(PlaygroundConfig(dataset="line"))
    x, none, y_hat = line.grid(30)
    assert none is None and y_hat.shape == (30,)


@pytest.mark.parametrize("config", [
    PlaygroundConfig(dataset="moons", hidden=(4, 3), l2=0.001, dropout=0.1),
    PlaygroundConfig(dataset="line", hidden=(10, 5), activation="relu", learning_rate=0.01),
    PlaygroundConfig(dataset="circles", hidden=(), features=("x1^2", "x2^2", "sin(x1)")),
], ids=["moons-l2-dropout", "line", "circles-features"])
def test_keras_code_runs_and_builds_the_same_network(config, capsys):
    pytest.importorskip("tensorflow")
    from course import keras_twin

    keras_twin.import_keras()
    code = pg.keras_code(config, epochs=1)
    assert config.to_string() in code and "keras.Input(shape=" in code
    namespace = {}
    exec(compile(code, "<keras_code>", "exec"), namespace)  # noqa: S102 - our own generated code
    model = namespace["model"]
    assert model.count_params() == pg.build_model(config).count_params()
    assert namespace["X_train"].shape[1] == config.layer_sizes[0]
    assert len(namespace["history"].history["loss"]) == 1
    assert capsys.readouterr().out.strip()  # the evaluation was printed
    assert [layer.__class__.__name__ for layer in model.layers].count("Dropout") == (
        len(config.hidden) if config.dropout else 0)


def test_config_text_checker_accepts_the_target_and_names_what_differs():
    target = PlaygroundConfig(dataset="circles", seed=3, hidden=(6,), activation="relu",
                              learning_rate=0.01)
    check = config_text_checker(target)
    assert check("data=circles;seed=3;hidden=6;act=relu;lr=0.01") is None
    assert check(target.to_string()) is None
    message = check("data=circles;seed=3;hidden=6;act=tanh;lr=0.02")
    assert "act" in message and "lr" in message and "seed" not in message
    assert "str" in check(42)
    assert "cannot be read" in check("data=circles;oops")
    assert "cannot be read" in check("data=cubes")
    with pytest.raises(TypeError, match="target"):
        config_text_checker("data=circles")


# ---------------------------------------------------------------- input features

POINTS = np.array([[1.0, 2.0], [-0.5, 3.0], [0.0, -1.0]])


def test_each_feature_is_its_formula_on_hand_points():
    # x1 = [1, -0.5, 0], x2 = [2, 3, -1]
    expected = {"x1": [1.0, -0.5, 0.0], "x2": [2.0, 3.0, -1.0], "x1^2": [1.0, 0.25, 0.0],
                "x2^2": [4.0, 9.0, 1.0], "x1*x2": [2.0, -1.5, -0.0],
                "sin(x1)": [np.sin(1.0), np.sin(-0.5), 0.0],
                "sin(x2)": [np.sin(2.0), np.sin(3.0), np.sin(-1.0)]}
    assert list(feat.FEATURES) == list(expected)  # TensorFlow Playground's seven, in order
    for name, values in expected.items():
        np.testing.assert_allclose(feat.FEATURES[name](POINTS), values, err_msg=name)


def test_feature_code_computes_the_same_features():
    x1, x2 = POINTS[:, 0], POINTS[:, 1]
    for name, code in feat.FEATURE_CODE.items():
        value = eval(code, {"np": np, "x1": x1, "x2": x2})  # noqa: S307 - our own table
        np.testing.assert_allclose(value, feat.FEATURES[name](POINTS), err_msg=name)
    assert set(feat.FEATURE_LABELS) == set(feat.FEATURES)


def test_feature_matrix_has_one_column_per_feature_in_a_fixed_order():
    F = feat.feature_matrix(POINTS, ("x1*x2", "x1"))  # any order in, FEATURES' order out
    np.testing.assert_allclose(F, [[1.0, 2.0], [-0.5, -1.5], [0.0, -0.0]])
    np.testing.assert_array_equal(feat.feature_matrix(POINTS), POINTS)  # default: x1, x2
    with pytest.raises(ValueError, match=r"shape \(n_samples, 2\).*\(3, 1\)"):
        feat.feature_matrix(POINTS[:, :1])


@pytest.mark.parametrize(("features", "error", "message"), [
    (("x1", "x3"), ValueError, r"unknown feature 'x3'.*x1, x2, x1\^2, x2\^2, x1\*x2, "
                               r"sin\(x1\), sin\(x2\)"),
    ((), ValueError, "at least one feature"),
    (("x1", "x1"), ValueError, "twice"),
    ("x1", TypeError, "sequence of feature names"),
])
def test_bad_features_are_named(features, error, message):
    with pytest.raises(error, match=message):
        feat.check_features(features)
    with pytest.raises(error, match=message):
        PlaygroundConfig(features=features)


def test_features_are_part_of_the_configuration_and_its_text():
    config = PlaygroundConfig(dataset="circles", hidden=(3,), features=("x2^2", "x1^2"))
    assert config.features == ("x1^2", "x2^2")  # sorted as in FEATURES
    assert config == PlaygroundConfig(dataset="circles", hidden=(3,),
                                         features=["x1^2", "x2^2"])
    text = config.to_string()
    assert text.endswith(";feat=x1^2,x2^2")
    assert PlaygroundConfig.from_string(text) == config
    assert PlaygroundConfig.from_string("data=xor;feat=x1 , x1*x2").features == (
        "x1", "x1*x2")
    old = "data=moons;seed=0;hidden=8,8;act=tanh;lr=0.03;l2=0;dropout=0;batch=16;noise=0.2"
    assert PlaygroundConfig.from_string(old).features == ("x1", "x2")  # before feat=
    assert PlaygroundConfig().to_string().endswith(";feat=x1,x2")
    with pytest.raises(ValueError, match="unknown feature 'x1\\*\\*2'"):
        PlaygroundConfig.from_string("feat=x1**2")
    check = config_text_checker(config)
    assert "feat" in check(config.replace(features=("x1", "x2")).to_string())


def test_the_line_takes_no_features():
    line = PlaygroundConfig(dataset="line")
    assert line.layer_sizes[0] == 1 and "feat=" not in line.to_string()
    assert PlaygroundConfig.from_string(line.to_string()) == line
    with pytest.raises(ValueError, match="features apply to the 2-D data sets.*'line'"):
        PlaygroundConfig(dataset="line", features=("x1", "x1^2"))


def test_the_trainer_feeds_the_features_everywhere():
    config = PlaygroundConfig(dataset="circles", hidden=(4,), features=("x1^2", "x2^2",
                                                                           "x1*x2"))
    trainer = pg.PlaygroundTrainer(config)
    assert config.layer_sizes == [3, 4, 1] and trainer.model.layer_sizes == [3, 4, 1]
    np.testing.assert_array_equal(trainer.F_train,
                                  feat.feature_matrix(trainer.X_train, config.features))
    assert trainer.X_train.shape[1] == 2  # the points themselves stay as they are
    trainer.train_chunk(3)
    y_hat = trainer.model.predict(feat.feature_matrix(trainer.X_test, config.features))
    assert trainer.accuracy() == np.mean((y_hat >= 0.5) == (trainer.y_test >= 0.5))
    x1, x2, values = trainer.grid(7)
    g1, g2 = np.meshgrid(x1, x2)
    by_hand = trainer.model.predict(np.column_stack([g1.ravel() ** 2, g2.ravel() ** 2,
                                                     g1.ravel() * g2.ravel()]))
    np.testing.assert_allclose(values, by_hand.reshape(7, 7))


def test_circles_need_a_hidden_layer_or_the_squares():
    # No hidden layer: a straight boundary on x1, x2; a circle on x1^2, x2^2.
    plain = PlaygroundConfig(dataset="circles", hidden=(), noise=0.1)
    scores = {}
    for features in [("x1", "x2"), ("x1^2", "x2^2")]:
        trainer = pg.PlaygroundTrainer(plain.replace(features=features))
        trainer.train_chunk(100)
        scores[features] = trainer.accuracy()
    assert scores[("x1", "x2")] < 0.7 < 0.95 < scores[("x1^2", "x2^2")]


# ---------------------------------------------------------------- neuron maps

def test_neuron_maps_are_every_layer_over_the_grid():
    config = PlaygroundConfig(dataset="moons", hidden=(5, 3), features=("x1", "x2", "x1*x2"))
    trainer = pg.PlaygroundTrainer(config)
    trainer.train_chunk(2)
    x1, x2, maps = trainer.neuron_maps(resolution=6)
    assert [m.shape for m in maps] == [(3, 6, 6), (5, 6, 6), (3, 6, 6), (1, 6, 6)]
    # By hand, at the grid point (x1[j], x2[i]) = (x1[4], x2[1]):
    (W1, W2, W3), (b1, b2, b3) = trainer.model.weights, trainer.model.biases
    f = np.array([x1[4], x2[1], x1[4] * x2[1]])
    np.testing.assert_allclose(maps[0][:, 1, 4], f)
    a1 = np.tanh(f @ W1 + b1)
    np.testing.assert_allclose(maps[1][:, 1, 4], a1)
    a2 = np.tanh(a1 @ W2 + b2)
    np.testing.assert_allclose(maps[2][:, 1, 4], a2)
    np.testing.assert_allclose(maps[3][0, 1, 4], sigmoid(a2 @ W3 + b3)[0])
    # The output map is the decision grid.
    np.testing.assert_allclose(maps[-1][0], trainer.grid(6)[2])
    # All of the first layer at once: tanh(F W1 + b1), one map per neuron.
    g1, g2 = np.meshgrid(x1, x2)
    F = np.stack([g1, g2, g1 * g2], axis=-1)
    np.testing.assert_allclose(maps[1], np.moveaxis(np.tanh(F @ W1 + b1), -1, 0))


def test_neuron_maps_of_the_line_are_curves():
    trainer = pg.PlaygroundTrainer(PlaygroundConfig(dataset="line", hidden=(4,),
                                                       activation="relu"))
    x, none, maps = trainer.neuron_maps(resolution=9)
    assert none is None and [m.shape for m in maps] == [(1, 9), (4, 9), (1, 9)]
    W1, b1 = trainer.model.weights[0], trainer.model.biases[0]
    np.testing.assert_allclose(maps[1], np.maximum(0, x[:, None] @ W1 + b1).T)
    np.testing.assert_allclose(maps[-1][0], trainer.grid(9)[2])


def test_neuron_maps_need_a_model_for_the_features():
    config = PlaygroundConfig(features=("x1", "x2", "x1^2"))
    with pytest.raises(ValueError, match="model takes 2 inputs.*has 3"):
        pg.neuron_maps(pg.build_model(PlaygroundConfig()), config, np.zeros(3), np.zeros(3))


def test_keras_code_computes_the_features_with_numpy():
    config = PlaygroundConfig(dataset="xor", seed=2, features=("x1", "x2", "x1*x2",
                                                                  "sin(x2)"))
    code = pg.keras_code(config)
    assert "def features(X):" in code and "np.column_stack([x1, x2, x1 * x2, np.sin(x2)])" in code
    assert "keras.Input(shape=(4,))" in code
    data_part = code.split("keras.utils.set_random_seed")[0].replace("import keras\n", "")
    namespace = {}
    exec(compile(data_part, "<keras_code>", "exec"), namespace)  # noqa: S102 - our own code
    trainer = pg.PlaygroundTrainer(config)
    np.testing.assert_allclose(namespace["X_train"], trainer.F_train)
    np.testing.assert_allclose(namespace["X_test"], trainer.F_test)
    assert "def features" not in pg.keras_code(PlaygroundConfig())  # plain x1, x2
