"""The course's machinery, one folder per notebook, on top of ``nnlib``.

A notebook imports its own folder: ``04a_optimizers.ipynb`` uses
``from course.n04a_optimizers import plots, surfaces, tasks, widgets``. Each folder holds
what its lesson computes, its figures, its widgets and its task checkers (``tasks.py``).

The parts every lesson shares sit here:

- ``figures``          the colour-blind-safe style (Okabe-Ito), ``use_style`` and the generic
                       ``plot_history``, ``plot_fit``, ``plot_curves``
- ``explorer``         ``FigureView`` and ``Explorer``, what every widget builds on
- ``network_drawing``  a network's diagram (01) and its live weights (08)
- ``descent``          one descent loop and its ``DescentPath`` (03 on a line, 04a on surfaces)
- ``exercises``, ``task_guards``  the build-it tasks: check, hint, hidden grade, ``use``
- ``student_library``  the student's own ``my_network.py``, saved and loaded
- ``keras_twin``       the Keras twin of an ``MLP`` (loads TensorFlow only when called)
- ``envcheck``         ``course_seed`` (the teacher's ``COURSE_SEED``) and ``env_check``
"""

from .envcheck import course_seed, env_check

__all__ = ["course_seed", "env_check"]
