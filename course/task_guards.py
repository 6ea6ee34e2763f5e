"""What a build-it task's checker guards against while it runs the student's code.

- ``time_limit``: an endless loop stops after a few seconds instead of hanging the
  notebook (or nbgrader's autograde for ten minutes a cell).
- ``LibraryWatch``: a task's function that calls nnlib's own version of the same thing
  (``return activations.relu(z)``, a subclass of ``callbacks.EarlyStopping``, a wrapper of
  ``nnlib.Adam``) is found out: it would only be compared with itself.
- ``failing_pieces``: a task is judged on its own. Another piece of the student's that it
  calls (backprop calls their ``mse_grad``) and that fails its own check is replaced by
  nnlib's while it is checked and where it is used (``replaced``, ``rebound``).

Both are used by ``course.exercises.Exercise`` around every call of a checker.
"""

from __future__ import annotations

import functools
import inspect
import os
import signal
import sys
import sysconfig
import threading
import types
from contextlib import contextmanager

import nnlib


class TimedOut(BaseException):
    """The student's code ran past its time limit (a BaseException, so a student's
    ``except Exception`` cannot swallow it)."""


@contextmanager
def time_limit(seconds):
    """Raise ``TimedOut`` in the block after ``seconds`` of wall time.

    Uses ``SIGALRM``, so it only limits code in the main thread on a system that has it
    (Linux and macOS, and the main thread is where a notebook cell runs); elsewhere the
    block runs without a limit. Whatever timer and handler were set before come back.
    """
    usable = (seconds and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def stop(signum, frame):
        raise TimedOut

    previous = signal.signal(signal.SIGALRM, stop)
    before, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if before:
            signal.setitimer(signal.ITIMER_REAL, before)


def _library_roots():
    """Folders whose code is not the student's: nnlib, the course and everything installed."""
    course = os.path.dirname(os.path.abspath(__file__))
    library = os.path.dirname(os.path.abspath(nnlib.__file__))
    paths = sysconfig.get_paths()
    roots = {course, library, sys.prefix, sys.base_prefix, sys.exec_prefix, paths["stdlib"],
             paths["purelib"], paths["platlib"]}
    return tuple(sorted(os.path.join(os.path.abspath(r), "") for r in roots if r))


_ROOTS = _library_roots()


def is_students_code(code):
    """Whether a code object was written outside nnlib, the course and the installed packages: in a
    notebook cell, a script, a test."""
    name = code.co_filename
    if name.startswith("<frozen") or name.startswith("<built-in"):
        return False
    return not os.path.abspath(name).startswith(_ROOTS) if os.path.isabs(name) else True


# Libraries that compute gradients or layers for the student: their code is never the answer.
FRAMEWORKS = {"tensorflow": "TensorFlow", "keras": "Keras", "torch": "PyTorch", "jax": "JAX",
              "autograd": "autograd"}


@functools.lru_cache(maxsize=1)
def _framework_folders():
    """``{folder: name}`` of the FRAMEWORKS installed here (found without importing them)."""
    import importlib.util

    folders = {}
    for package, name in FRAMEWORKS.items():
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        for folder in (spec.submodule_search_locations or []) if spec else []:
            folders[os.path.join(os.path.abspath(folder), "")] = name
    return folders


@functools.lru_cache(maxsize=8192)  # the profiler asks for every call: remember each code
def framework_of(code):
    """The name of the framework (TensorFlow, Keras, ...) whose code ``code`` is, or None."""
    path = code.co_filename
    if not os.path.isabs(path):
        return None
    return next((name for folder, name in _framework_folders().items()
                 if path.startswith(folder)), None)


def _is_clean_up(code):
    """Whether ``code`` is a library's ``__del__``, which the garbage collector runs in the
    middle of anyone's code (TensorFlow's free its functions and tensors)."""
    return code.co_name == "__del__" and not is_students_code(code)


ESCAPE = "a way round the watch"
"""What ``examine`` returns for code that hides its calls (a thread, the profiler off) or
rewrites functions in place (the checker's, through ``__code__``)."""
_ESCAPES = {"setprofile", "settrace", "Thread", "ThreadPoolExecutor", "ProcessPoolExecutor",
            "start_new_thread", "Process", "__code__", "__defaults__", "__kwdefaults__",
            "__globals__"}


def _nested(code):
    """A code object and every code object defined inside it."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _nested(const)


def _codes_with_globals(thing):
    """``(code, globals)`` of each function of ``thing`` (as ``_codes``), with the
    namespace its global names are looked up in."""
    if isinstance(thing, functools.partial):
        return _codes_with_globals(thing.func)
    if isinstance(thing, (staticmethod, classmethod)):
        return _codes_with_globals(thing.__func__)
    if isinstance(thing, property):
        return [p for f in (thing.fget, thing.fset) if f for p in _codes_with_globals(f)]
    if inspect.ismethod(thing):
        return _codes_with_globals(thing.__func__)
    if inspect.isclass(thing):
        return [p for value in vars(thing).values() for p in _codes_with_globals(value)]
    code, scope = getattr(thing, "__code__", None), getattr(thing, "__globals__", None)
    return [(code, scope)] if code is not None and scope is not None else []


def _signature(code):
    """What a verbatim copy of a documented function keeps when its source is run again
    (``exec(inspect.getsource(f))``), whatever the bytecode and the line numbers: its name,
    arguments, variables, the names it reads and its constants, the docstring among them.
    None for a function without a docstring of some length: an honest answer may share
    the rest with a short reference."""
    consts = tuple(c for c in code.co_consts if not isinstance(c, types.CodeType))
    if not (consts and isinstance(consts[0], str) and len(consts[0]) >= 20):
        return None
    return code.co_name, code.co_argcount, code.co_varnames, code.co_names, consts


def _codes(thing):
    """The code objects of a function, a method, a class' own functions, a partial."""
    return [code for code, _ in _codes_with_globals(thing)]


class LibraryWatch:
    """Watches a checker's run for calls of ``forbidden`` (nnlib's own versions of what
    the student writes), or of a framework's code (TensorFlow, Keras, ...: see
    ``FRAMEWORKS``), made from the student's code.

    Parameters
    ----------
    forbidden : dict ``{name: function or class}``
        ``name`` is what the message calls it (``"activations.relu"``).

    After the run, ``caught`` is the name of the first forbidden thing the student's
    code used, or None. ``examine(answer)`` looks at the answer itself first: nnlib's
    function under the student's name, a partial of it, a subclass of nnlib's class, and
    the names its code reads (``mlp.embedding_backward``, an alias of a forbidden function):
    a call the watch could not see (from a thread, or with the profiler switched off) is
    found that way. Code that switches the watch off or runs in threads is ``ESCAPE``.
    """

    def __init__(self, forbidden):
        self.forbidden = dict(forbidden)
        self.codes = {code: name for name, thing in self.forbidden.items()
                      for code in _codes(thing)}
        self.copies = {_signature(code): name for code, name in self.codes.items()
                       if _signature(code) is not None}
        self.classes = {thing: name for name, thing in self.forbidden.items()
                        if inspect.isclass(thing)}
        self.caught = None
        self._boundary = None

    def examine(self, answer):
        """The forbidden name ``answer`` is, derives from or names in its code; ``ESCAPE``
        for code that would hide its calls from the watch; else None."""
        if inspect.isclass(answer):
            for base in answer.__mro__:
                if base in self.classes:
                    return self.classes[base]
        for code in _codes(answer):
            if code in self.codes:
                return self.codes[code]
            if _signature(code) in self.copies:  # a verbatim copy: exec(getsource(...))
                return self.copies[_signature(code)]
        return self._named(answer)

    def _named(self, answer):
        """What the answer's code reads by name: a forbidden thing (through its globals and
        the attributes its code names, ``mlp.embedding_backward``), or ``ESCAPE``."""
        wanted = {id(thing): name for name, thing in self.forbidden.items()}
        for code, scope in _codes_with_globals(answer):
            names = set()
            for inner in _nested(code):
                names.update(inner.co_names)
            if names & _ESCAPES:
                return ESCAPE
            reached = [scope[n] for n in names if n in scope]
            for _ in range(4):  # course.n05d_language_model.mlp.embedding_backward
                for thing in reached:
                    if id(thing) in wanted and any(thing is t for t in self.forbidden.values()):
                        return wanted[id(thing)]
                reached = [getattr(thing, n) for thing in reached
                           if isinstance(thing, (types.ModuleType, type))
                           for n in names if hasattr(thing, n)]
        return None

    @contextmanager
    def watching(self):
        """Record, in ``caught``, a forbidden call made by the student's code in the block."""
        if not self.codes:
            yield self
            return
        self._boundary = sys._getframe(2)  # the caller of the ``with``: its frames are ours
        previous = sys.getprofile()
        sys.setprofile(self._profile)
        try:
            yield self
        finally:
            sys.setprofile(previous)

    def _profile(self, frame, event, arg):
        if event != "call" or self.caught is not None:
            return
        name = self.codes.get(frame.f_code) or framework_of(frame.f_code)
        if name is None:
            return
        inner = frame
        while inner is not None and inner is not self._boundary:
            if inner is not frame and is_students_code(inner.f_code):
                self.caught = name
                return
            if name in FRAMEWORKS.values() and _is_clean_up(inner.f_code):
                return  # not called by the student's code, though it may run inside it
            inner = inner.f_back


def _namespace(answer):
    """The globals a student's function (or class' methods) reads its names from."""
    if hasattr(answer, "__globals__"):
        return answer.__globals__
    for value in vars(answer).values() if inspect.isclass(answer) else ():
        value = getattr(value, "__func__", value)
        if hasattr(value, "__globals__"):
            return value.__globals__
    return None


_CHECKING = set()  # the tasks being checked now: a piece that calls itself is not swapped


def failing_pieces(task, answers):
    """``{name: nnlib's version}`` for the other pieces the student's ``answers`` call by
    name that are the student's own and fail their own checks: a task is judged on its
    own, so while it is checked (and where it is used) nnlib's stand in for them."""
    from .student_library import PIECES, _globals_used, _task, pieces_of, stand_in

    own, found = set(pieces_of(task)), {}
    _CHECKING.add(id(task))
    try:
        for answer in answers:
            namespace = _namespace(answer)
            if namespace is None:
                continue
            for name in dict.fromkeys(_globals_used(answer)):
                value = namespace.get(name)
                if (name in own or name not in PIECES or name in found or value is None
                        or not any(is_students_code(c) for c in _codes(value))):
                    continue
                other, _ = _task(name)
                group = [n for n in PIECES if PIECES[n][:2] == PIECES[name][:2]]
                values = tuple(namespace.get(n) for n in group)
                if id(other) in _CHECKING or any(v is None for v in values):
                    continue
                if other._status(values) != "correct":
                    found[name] = stand_in(name)
    finally:
        _CHECKING.discard(id(task))
    return found


@contextmanager
def replaced(answers, swaps):
    """The names in ``swaps`` rebound in the answers' globals for the block, then restored."""
    changed = []
    try:
        for answer in answers:
            namespace = _namespace(answer)
            for name, value in swaps.items():
                if namespace is not None and name in namespace:
                    changed.append((namespace, name, namespace[name]))
                    namespace[name] = value
        yield
    finally:
        for namespace, name, value in reversed(changed):
            namespace[name] = value


def rebound(fn, swaps):
    """``fn`` reading the names of ``swaps`` from them: a copy of its globals, changed."""
    if not swaps or not hasattr(fn, "__globals__"):
        return fn
    copy = types.FunctionType(fn.__code__, {**fn.__globals__, **swaps}, fn.__name__,
                              fn.__defaults__, fn.__closure__)
    copy.__kwdefaults__, copy.__doc__ = fn.__kwdefaults__, fn.__doc__
    return copy
