#!/usr/bin/env python3
"""Generate tensor_fixture.json, the numpy reference values for TensorFixtureTests.swift.

Run once from this directory (the output is committed; tests never run Python):

    python3 make_tensor_fixture.py > tensor_fixture.json

Made with numpy 2.4.6. Inputs come from numpy's default_rng(20240601) and are stored in the JSON next to the
expected outputs, so the Swift side never needs numpy's generator. Every reference is plain float64 numpy
(np.matmul, np.sum, np.add.at, ...); GELU uses math.erf, as numpy has no erf. Floats are written with Python's
repr (shortest round-trip), so the JSON holds exactly the float64 values numpy produced.
"""

import json
import math
import sys

import numpy as np

rng = np.random.default_rng(20240601)
out = {"numpy_version": np.__version__, "tensors": {}, "indices": {}}


def put(name, array):
    array = np.asarray(array, dtype=np.float64)
    out["tensors"][name] = {"shape": list(array.shape), "data": [float(v) for v in array.ravel()]}


def normal(*shape):
    return rng.standard_normal(shape)


# Broadcasting arithmetic and comparisons: [2, 3, 4] against [3, 1].
a = normal(2, 3, 4)
b = normal(3, 1) + 3.0  # kept away from 0 for division
put("broadcast.a", a)
put("broadcast.b", b)
put("broadcast.add", a + b)
put("broadcast.sub", a - b)
put("broadcast.mul", a * b)
put("broadcast.div", a / b)
put("broadcast.greater", (a > b - 3.0).astype(np.float64))
row = normal(4)
put("broadcast.row", row)
put("broadcast.row_sub", row - a)
put("broadcast.sum_to_3x1", (a * 1.0).sum(axis=(0, 2)).reshape(3, 1))

# Reductions over [3, 4, 5].
x = normal(3, 4, 5)
put("reduce.x", x)
for axis in range(3):
    put(f"reduce.sum{axis}", x.sum(axis=axis))
put("reduce.mean1", x.mean(axis=1))
put("reduce.max2", x.max(axis=2))
out["indices"]["reduce.argmax1"] = [int(v) for v in x.argmax(axis=1).ravel()]
m = x.max(axis=2, keepdims=True)
put("reduce.logsumexp2", (m + np.log(np.exp(x - m).sum(axis=2, keepdims=True)))[..., 0])
put("reduce.sum_all", x.sum())

# Matrix products.
A = normal(3, 4)
B = normal(4, 5)
put("matmul.a", A)
put("matmul.b", B)
put("matmul.ab", A @ B)
put("matmul.ata", A.T @ A)  # Aᵀ·A exercises the transposed operand
BA = normal(2, 3, 4)
BB = normal(2, 4, 5)
put("bmm.a", BA)
put("bmm.b", BB)
put("bmm.ab", np.matmul(BA, BB))
put("bmm.ab_shared", np.matmul(BA, B))

# Softmax and log-softmax, along the last axis and along axis 0; with a large offset to test stability.
s = normal(3, 5) * 3.0
s[1] += 1000.0
put("softmax.x", s)
for axis in (-1, 0):
    e = np.exp(s - s.max(axis=axis, keepdims=True))
    sm = e / e.sum(axis=axis, keepdims=True)
    put(f"softmax.axis{axis}", sm)
    lse = s.max(axis=axis, keepdims=True) + np.log(e.sum(axis=axis, keepdims=True))
    put(f"logsoftmax.axis{axis}", s - lse)

# Layer norm over the last axis, eps 1e-5, biased variance.
ln = normal(4, 6) * 2.0 + 0.5
gamma = normal(6)
beta = normal(6)
mu = ln.mean(axis=-1, keepdims=True)
var = ((ln - mu) ** 2).mean(axis=-1, keepdims=True)
put("layernorm.x", ln)
put("layernorm.gamma", gamma)
put("layernorm.beta", beta)
put("layernorm.y", (ln - mu) / np.sqrt(var + 1e-5) * gamma + beta)

# Activations, including large magnitudes.
v = np.concatenate([normal(14) * 3.0, [-40.0, -8.0, 0.0, 8.0, 40.0, 1e-3]])
put("act.x", v)
put("act.relu", np.maximum(v, 0.0))
put("act.sigmoid", 1.0 / (1.0 + np.exp(-v)))
put("act.tanh", np.tanh(v))
put("act.gelu", np.array([0.5 * t * (1.0 + math.erf(t / math.sqrt(2.0))) for t in v]))

# Gather and scatter-add along axis 0.
table = normal(5, 3)
rows = [1, 3, 1, 0]
updates = normal(4, 3)
scattered = table.copy()
np.add.at(scattered, rows, updates)
put("gather.table", table)
out["indices"]["gather.rows"] = rows
put("gather.result", table[rows])
put("scatter.updates", updates)
put("scatter.result", scattered)

# Concatenation.
c1 = normal(2, 3)
c2 = normal(2, 2)
c3 = normal(1, 3)
put("concat.a", c1)
put("concat.b", c2)
put("concat.c", c3)
put("concat.axis1", np.concatenate([c1, c2], axis=1))
put("concat.axis0", np.concatenate([c1, c3], axis=0))

json.dump(out, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
