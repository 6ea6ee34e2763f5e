"""The notebooks' exercises and build-it tasks, one module per notebook.

A notebook imports its module (``from nnlib.tasks import backprop as tasks``) and
calls ``tasks.dense_backward.check(dense_backward)``; the expected values and the
reference code stay here, out of the notebook. See ``nnlib.exercises`` for how a
check, a hint, a hidden grade and ``use`` work.

- ``start``         00: counting parameters
- ``structure``     01: a dense layer's forward pass, counting parameters
- ``forward``       02: ReLU and sigmoid with their derivatives, softmax by hand
- ``backprop``      03: MSE gradient, softmax + cross-entropy, ``dense_backward``,
                    backprop through a network, the training loop
- ``optim``         04a: momentum and Adam as optimizer objects
- ``regularize``    04b: the L2 gradient, dropout
- ``cnn``, ``rnn``, ``attention``  05a-c: ``conv2d``, one LSTM step, masked attention
- ``evaluation``    06: precision, recall and F1; R^2; early stopping
- ``keras``, ``playground``  07, 08: practice exercises (numbers)
"""
