"""The student's own library: ``my_network.py``, where each build-it function lands.

When a task of the student's passes its check (``task.check(fn)``, or ``task.use(fn)``),
its source is written into ``my_network.py``, one section per piece, in course order.
Later notebooks load the pieces from there:

    >>> mine = load("dense_forward", "relu", "relu_grad")   # doctest: +SKIP
    dense_forward: yours, from 01_structure
    relu: nnlib's, until yours passes its check in 02_forward_pass
    ...

so the network of notebook 03 is built from the student's 01 and 02, and 04b trains it
with the student's backprop and loop from 03 and Adam from 04a. A piece not written yet
is nnlib's, and every label says whose code it is. ``trace`` runs code once and says
whose pieces ran.

Where the file lives: ``$NNLIB_MY_NETWORK`` if set, else ``my_network.py`` in the folder
above the notebook's (the course folder: ``notebooks/..`` in a clone, the course folder
on a hub, so every notebook of the course finds the same file).
``NNLIB_STAND_INS=0`` switches nnlib's stand-ins off: a missing piece is then an error
(the tests use it to run a course on nothing but the student's code).
"""

from __future__ import annotations

import ast
import builtins
import dis
import importlib
import inspect
import linecache
import os
import re
import sys
import textwrap
import types
from contextlib import contextmanager
from pathlib import Path

import numpy as np

# Every piece a student writes, in course order: the notebook that asks for it, and the
# task in that notebook's ``tasks`` module (its name, which of its functions) whose
# reference stands in for it.
PIECES = {
    "dense_forward": ("01_structure", "dense_forward", 0),
    "relu": ("02_forward_pass", "relu", 0),
    "relu_grad": ("02_forward_pass", "relu", 1),
    "sigmoid": ("02_forward_pass", "sigmoid", 0),
    "sigmoid_grad": ("02_forward_pass", "sigmoid", 1),
    "mse_grad": ("03_learning_backprop", "mse_grad", 0),
    "softmax_cross_entropy": ("03_learning_backprop", "softmax_cross_entropy", 0),
    "dense_backward": ("03_learning_backprop", "dense_backward", 0),
    "backprop": ("03_learning_backprop", "backprop", 0),
    "train": ("03_learning_backprop", "train", 0),
    "Momentum": ("04a_optimizers", "momentum", 0),
    "Adam": ("04a_optimizers", "adam", 0),
    "l2_penalty_grad": ("04b_regularization", "l2_penalty_grad", 0),
    "dropout_forward": ("04b_regularization", "dropout", 0),
    "dropout_backward": ("04b_regularization", "dropout", 1),
    "layer_norm_backward": ("04c_deep_networks", "layer_norm_backward", 0),
    "conv2d": ("05a_mlp_cnn", "conv2d", 0),
    "conv2d_backward": ("05a_mlp_cnn", "conv2d_backward", 0),
    "max_pool2d_backward": ("05a_mlp_cnn", "max_pool2d_backward", 0),
    "lstm_step": ("05b_rnn_lstm_gru", "lstm_step", 0),
    "rnn_backward": ("05b_rnn_lstm_gru", "rnn_backward", 0),
    "attention": ("05c_transformers", "attention", 0),
    "embedding_backward": ("05d_language_model", "embedding_backward", 0),
    "attention_backward": ("05e_transformer_block", "attention_backward", 0),
    "precision_recall_f1": ("06_training_evaluation", "precision_recall_f1", 0),
    "r2_score": ("06_training_evaluation", "r2_score", 0),
    "EarlyStopping": ("06_training_evaluation", "early_stopping", 0),
    "k_fold_indices": ("06b_digits", "k_fold_indices", 0),
}

_HEADER = '''"""Your network library, written by the course.

Each build-it function (or class) of yours lands here when it passes its check and its
notebook goes on with it; later notebooks load it from here. Change a piece in its
notebook, not here: the next time it passes, its section is written again.
A piece used below but not written yet is nnlib's: course.student_library.load fills it
in, and says so.
"""

import math

import numpy as np

import nnlib
'''
_SECTION = re.compile(r"^# -{8,} (\w+) \((\w+)\)$", re.M)


class LibraryError(Exception):
    """A piece that cannot be saved or loaded, with the reason for the student."""


def path() -> Path:
    """Where the student's library lives (see the module's docstring)."""
    chosen = os.environ.get("NNLIB_MY_NETWORK")
    return Path(chosen) if chosen else Path.cwd().parent / "my_network.py"


def stand_ins_allowed() -> bool:
    return os.environ.get("NNLIB_STAND_INS", "1") != "0"


def _task(name):
    notebook, task, index = PIECES[name]
    return importlib.import_module(_tasks_module(notebook)).__dict__[task], index


def _tasks_module(notebook):
    return f"course.n{notebook}.tasks"


def pieces_of(task):
    """The names of the pieces a task object checks (none for a task outside PIECES)."""
    return [name for name, (notebook, attribute, _) in PIECES.items()
            if getattr(sys.modules.get(_tasks_module(notebook)), attribute, None) is task]


def stand_in(name):
    """nnlib's version of the piece ``name`` (the reference its task compares with)."""
    task, index = _task(name)
    reference = task._reference
    return reference[index] if isinstance(reference, tuple) else reference


# ---------------------------------------------------------------- reading and writing


def _sections(text):
    """``{name: source}`` of the pieces in the library's text."""
    marks = list(_SECTION.finditer(text))
    return {m.group(1): text[m.end():(marks[i + 1].start() if i + 1 < len(marks)
                                       else len(text))].strip("\n")
            for i, m in enumerate(marks)}


def _text(sections):
    parts = [_HEADER]
    for name in PIECES:
        if name in sections:
            parts.append(f"\n\n# {'-' * 40} {name} ({PIECES[name][0]})\n"
                         f"{sections[name]}\n")
    return "".join(parts)


def _read(where):
    try:
        return _sections(where.read_text())
    except FileNotFoundError:
        return {}


def _class_source(cls):
    """A class defined in a notebook cell: Python 3.11 cannot find it by name, so find the
    cell through one of its methods and take the class out of the cell's source."""
    for value in vars(cls).values():
        code = getattr(getattr(value, "__func__", value), "__code__", None)
        if code is None:
            continue
        lines = linecache.getlines(code.co_filename)
        if not lines:
            continue
        tree = ast.parse("".join(lines))
        for node in ast.walk(tree):
            if (isinstance(node, ast.ClassDef) and node.name == cls.__name__
                    and node.lineno <= code.co_firstlineno <= node.end_lineno):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                return "".join(lines[first - 1:node.end_lineno])
    raise OSError("its source is not available")


def source_of(obj, name):
    """The source that defines ``obj`` under the piece's ``name``."""
    if getattr(obj, "__name__", "") == "<lambda>":
        raise LibraryError(f"{name} is a lambda: write it with `def {name}(...)` to keep it.")
    try:
        source = inspect.getsource(obj)
    except (OSError, TypeError):
        if not inspect.isclass(obj):
            raise LibraryError(f"the source of {name} cannot be found (was it made with "
                               "exec?)") from None
        try:
            source = _class_source(obj)
        except (OSError, SyntaxError):
            raise LibraryError(f"the source of {name} cannot be found") from None
    source = textwrap.dedent(source).rstrip()
    if obj.__name__ != name:
        source += f"\n\n\n{name} = {obj.__name__}"
    return source


def _globals_used(obj):
    """The global names the code of a function or class reads (with a class' bases)."""
    codes = [obj.__code__] if hasattr(obj, "__code__") else [
        getattr(v, "__func__", v).__code__ for v in vars(obj).values()
        if hasattr(getattr(v, "__func__", v), "__code__")]
    names = [base.__name__ for base in getattr(obj, "__bases__", ()) if base is not object]
    while codes:
        code = codes.pop()
        names += [ins.argval for ins in dis.get_instructions(code)
                  if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME")]
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return names


def save(names, objs, *, where=None):
    """Write the student's ``objs`` into the library under the pieces' ``names``.

    The section is written only if the piece, loaded back from the file alone, passes its
    task's check again (so nothing it needs from the notebook is left behind). Otherwise
    its section becomes a one-line note of why (an older copy is not kept: it is no
    longer the student's code) and ``LibraryError`` says why.
    """
    where = Path(where) if where else path()
    with _locked(where):
        sections = _read(where)
        try:
            new = {**sections, **_checked_sections(names, objs, sections, where)}
        except LibraryError as exc:
            note = " ".join(str(exc).split())  # one comment line
            new = {**sections, **{name: f"{_NOT_SAVED} {note}" for name in names}}
            _write(where, _text(new))
            raise
        _write(where, _text(new))
    return where


_NOT_SAVED = "# not saved:"


def _write(where, text):
    where.parent.mkdir(parents=True, exist_ok=True)
    temporary = where.with_name(f".{where.name}.{os.getpid()}")
    temporary.write_text(text)
    os.replace(temporary, where)


def _checked_sections(names, objs, sections, where):
    """``{name: source}`` of the student's pieces, once each passes its check loaded back
    from the library as it would be written; else ``LibraryError``."""
    sources = {name: source_of(obj, name) for name, obj in zip(names, objs)}
    known = set(sections) | set(PIECES) | set(names) | {"math", "np", "nnlib"}
    for name, obj in zip(names, objs):
        missing = sorted({g for g in _globals_used(obj)
                          if g not in known and not hasattr(builtins, g)})
        if missing:
            raise LibraryError(
                f"your {name} uses {', '.join(f'`{g}`' for g in missing)} from elsewhere "
                f"in the notebook; my_network.py keeps {name} alone, with numpy as np, "
                "math and nnlib: define what it needs inside it.")
    try:
        loaded = _load_text(_text({**sections, **sources}), where)
    except Exception as exc:  # noqa: BLE001 (the student's code may fail in any way)
        raise LibraryError(f"loaded back from my_network.py, your {names[0]} raised "
                           f"{type(exc).__name__}: {exc}") from None
    task, _ = _task(names[0])
    status, reason = task._run(tuple(loaded[n] for n in names), _rng(task.seed))
    if status != "correct":
        raise LibraryError(f"loaded back from my_network.py, your {names[0]} no longer "
                           f"passes its check: {reason}")
    return sources


def _rng(seed):
    return np.random.default_rng(seed)


@contextmanager
def _locked(where):
    """One writer at a time (two notebooks may run side by side, as the tests run them)."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock
        yield
        return
    where.parent.mkdir(parents=True, exist_ok=True)
    with open(where.with_name(f".{where.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _load_text(text, where):
    """The library's namespace: nnlib's stand-ins (if allowed), then the student's code."""
    module = types.ModuleType("my_network")
    module.__file__ = str(where)
    if stand_ins_allowed():
        for name in PIECES:
            setattr(module, name, stand_in(name))
    filename = str(where)
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    exec(compile(text, filename, "exec"), module.__dict__)
    return module.__dict__


# ---------------------------------------------------------------- using it


class Pieces(types.SimpleNamespace):
    """The pieces ``load`` returned, by name; ``whose[name]`` is "yours" or "nnlib's"."""

    def label(self, name):
        """ "your Adam" or "nnlib's Adam", for printed labels."""
        return f"{'your' if self.whose[name] == 'yours' else self.whose[name]} {name}"


def load(*names, where=None, quiet=False):
    """The student's pieces from ``my_network.py``, nnlib's where one is missing.

    Prints one line per piece saying whose it is (unless ``quiet``). Each of the
    student's pieces is checked again as it loads, so a hand-edited file cannot pass off a
    wrong piece; a piece that fails is replaced by nnlib's, and the line says why.
    """
    unknown = [n for n in names if n not in PIECES]
    if unknown:
        raise ValueError(f"no piece called {unknown[0]!r}; the pieces are: "
                         f"{', '.join(PIECES)}")
    where = Path(where) if where else path()
    sections = _read(where)
    lines = []
    try:
        namespace = _load_text(_text(sections), where) if sections else {}
    except Exception as exc:  # noqa: BLE001 (a file edited by hand may fail in any way)
        namespace = {}
        lines.append(f"{where.name} does not run ({type(exc).__name__}: {exc}): none of "
                     "its pieces can be used")
    chosen, whose = {}, {}
    for name in names:
        notebook = PIECES[name][0]
        why = None
        if name in sections and sections[name].startswith(_NOT_SAVED):
            note = sections[name][len(_NOT_SAVED):].strip().rstrip(".")
            why = f"yours passed its check but could not be saved ({note})"
        elif name in sections and name in namespace:
            task, index = _task(name)
            group = [n for n in PIECES if PIECES[n][:2] == PIECES[name][:2]]
            if all(n in namespace for n in group):
                status, reason = task._run(tuple(namespace[n] for n in group),
                                           _rng(task.seed))
                why = None if status == "correct" else f"fails its check: {reason}"
            else:
                why = "is missing part of its task"
            if why is None:
                chosen[name], whose[name] = namespace[name], "yours"
                lines.append(f"{name}: yours, from {notebook}")
                continue
            why = f"yours in {where.name} {why}"
        if why is None:
            why = f"until yours passes its check in {notebook}"
        if not stand_ins_allowed():
            raise LibraryError(f"{name}: no piece of yours can be used ({why}), and nnlib's "
                               "stand-ins are off (NNLIB_STAND_INS=0).")
        owner = _task(name)[0].owner
        chosen[name], whose[name] = stand_in(name), owner
        lines.append(f"{name}: {owner}, {why}")
    if not quiet:
        print("\n".join(lines))
    pieces = Pieces(**chosen)
    pieces.whose = whose
    return pieces


def _owner(code, where):
    """"yours" if the code object comes from the student's library, else None."""
    return "yours" if code.co_filename == str(where) else None


def trace(fn, *args, where=None, **kwargs):
    """Run ``fn(*args, **kwargs)`` once and list whose pieces ran, in the order they first
    ran: ``(result, [(piece, "yours" or its stand-in's owner, "nnlib's"), ...])``."""
    where = Path(where) if where else path()
    stand_in_codes = {}
    for name in PIECES:
        thing = stand_in(name)
        members = (vars(thing).values() if inspect.isclass(thing) else [thing])
        for member in members:
            code = getattr(getattr(member, "__func__", member), "__code__", None)
            if code is not None:
                stand_in_codes.setdefault(code, name)
    ran = {}

    def profile(frame, event, arg):
        if event != "call":
            return
        code = frame.f_code
        if code.co_filename == str(where):
            piece = code.co_qualname.split(".")[0]
            if piece in PIECES:
                ran.setdefault(piece, "yours")
        elif code in stand_in_codes:
            piece = stand_in_codes[code]
            ran.setdefault(piece, _task(piece)[0].owner)

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result = fn(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return result, list(ran.items())


def describe(ran):
    """``trace``'s list as one line: "your backprop, your relu, nnlib's relu_grad"."""
    return ", ".join(f"{'your' if who == 'yours' else who} {name}" for name, who in ran)


def __getattr__(name):
    """``from course.student_library import relu``: the piece, yours or nnlib's (a line says
    which)."""
    if name in PIECES:
        return getattr(load(name), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Network:
    """A network made of the student's pieces: its parameters, and their ``backprop``
    (with an L2 penalty on the kernels through their ``l2_penalty_grad``, if ``l2``).

    It has what ``train`` (the student's loop) needs: ``params`` and
    ``loss_and_grads(X, y)``; ``predict`` runs the forward pass with their
    ``dense_forward`` and ``relu``.
    """

    def __init__(self, params, pieces, *, l2=0.0):
        self.params = [np.array(p, dtype=float) for p in params]  # float64 copies
        self.pieces = pieces
        self.l2 = l2

    def loss_and_grads(self, X, y):
        loss, grads = self.pieces.backprop(self.params, X, y)
        grads = list(grads)
        if self.l2:
            kernels = self.params[0::2]
            loss += self.l2 * sum(float((W * W).sum()) for W in kernels)
            for i, extra in zip(range(0, len(grads), 2),
                                self.pieces.l2_penalty_grad(kernels, self.l2)):
                grads[i] = grads[i] + extra
        return loss, grads

    def predict(self, X):
        A = X
        n_layers = len(self.params) // 2
        for layer in range(n_layers):
            Z = self.pieces.dense_forward(A, self.params[2 * layer], self.params[2 * layer + 1])
            A = self.pieces.relu(Z) if layer < n_layers - 1 else Z
        return A

    def get_weights(self):
        return [p.copy() for p in self.params]

    def copy(self):
        return Network(self.params, self.pieces, l2=self.l2)
