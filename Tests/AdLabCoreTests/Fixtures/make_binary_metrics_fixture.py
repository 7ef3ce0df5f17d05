#!/usr/bin/env python3
"""Generate binary_metrics_fixture.json, the reference values for BinaryMetricsTests.swift.

Run once from this directory (the output is committed; tests never run Python):

    python3 make_binary_metrics_fixture.py > binary_metrics_fixture.json

Reference implementation: scikit-learn's roc_auc_score and log_loss. Cases cover heavy ties
(scores rounded to one decimal), all-tied scores, perfect and inverted rankings, and a larger
random case. Floats are written with Python's repr (shortest round-trip).
"""

import json

import numpy as np
import sklearn
from sklearn.metrics import log_loss, roc_auc_score


def case(name, scores, labels):
    scores = [float(s) for s in scores]
    labels = [int(y) for y in labels]
    probabilities = [min(max(s, 0.0), 1.0) for s in scores]
    return {
        "name": name,
        "scores": scores,
        "labels": labels,
        "auc": float(roc_auc_score(labels, scores)),
        "log_loss": float(log_loss(labels, probabilities, labels=[0, 1])),
    }


rng = np.random.default_rng(20240607)
cases = [
    case("small", [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]),
    case("ties", [0.2, 0.2, 0.5, 0.5, 0.5, 0.9, 0.1, 0.2], [0, 1, 0, 1, 1, 1, 0, 0]),
    case("all-tied", [0.3] * 6, [0, 1, 0, 1, 1, 0]),
    case("perfect", [0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]),
    case("inverted", [0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]),
]
p = rng.uniform(size=400)
y = (rng.uniform(size=400) < p).astype(int)
cases.append(case("rounded-400", np.round(p, 1), y))
cases.append(case("random-400", p, y))

lines = ",\n  ".join(json.dumps(c) for c in cases)
print('{"sklearn_version": "%s", "cases": [\n  %s\n]}' % (sklearn.__version__, lines))
