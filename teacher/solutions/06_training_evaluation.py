"""Solutions of notebook 06's build-it tasks (merged into the teacher's notebook by
tools/classroom.py; each function's body replaces the placeholder of the same name), and the
answers of its practice exercises."""

import numpy as np


def precision_recall_f1(cm):
    (tn, fp), (fn, tp) = cm
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    if precision + recall > 0:
        f1 = 2 * precision * recall / (precision + recall)
    else:
        f1 = 0.0
    return precision, recall, f1


def r2_score(y, y_hat):
    ss_res = np.sum((y - y_hat) ** 2)
    ss_tot = np.sum((y - y.mean()) ** 2)
    return 1 - ss_res / ss_tot


class EarlyStopping:
    def __init__(self, patience):
        self.patience = patience
        self.best = np.inf
        self.best_epoch = None
        self.wait = 0

    def __call__(self, epoch, logs):
        value = logs["val_loss"]
        if value < self.best:
            self.best, self.best_epoch, self.wait = value, epoch, 0
            return False
        self.wait += 1
        return self.wait >= self.patience


ANSWERS = {
    "from_counts": [35 / (35 + 10), 35 / (35 + 5)],
    "when_it_stops": [5, 8],
}

WRITTEN = {
    "why_test_set_once": """Each of the 81 test scores is partly luck: 120 test points give a noisy
accuracy. Picking the setting with the highest test score picks, in part, the setting that
happened to be lucky on those particular points. That luck does not carry over to new data,
so the score we would report is too high on average. When the setting is chosen on the
validation set, nothing is selected on the test set: its score is still noisy, sometimes too
high and sometimes too low, but right on average. Section 6 measures both over 300 test
sets.""",
}
