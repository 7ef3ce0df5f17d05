"""Peer of `adlab bench ope`: pandas.read_csv of a generic-schema logged-bandit CSV plus IPW and SNIPW in numpy, the
same work as AdLab's read + IPW pass (see Sources/AdLabCore/OffPolicy/Benchmark/OPEReadBenchmark.swift): weights of
the epsilon-greedy policy over linear context scores theta[b, j] = ((7b + 3j) mod 11 - 5) / 5, epsilon = 0.2.

Prints "read_ipw <seconds> <source>", "ipw <value>", "snipw <value>", "peak_mb <MB>" (ru_maxrss of this process,
the interpreter and pandas included). Exits quietly with a note on stderr when pandas is missing."""
import resource
import sys
import time

try:
    import numpy as np
    import pandas as pd
except ImportError as error:
    print(f"peer: {error.name} is not installed (pip install pandas numpy)", file=sys.stderr)
    sys.exit(0)

path = sys.argv[1]
K, D, EPSILON = 10, 5, 0.2
theta = np.array([[((7 * b + 3 * j) % 11 - 5) / 5 for j in range(D)] for b in range(K)])

start = time.perf_counter()
frame = pd.read_csv(path)
# AdLab keeps context features as 32-bit floats; round the same way so both pick the same argmax.
x = frame[[f"context_{j}" for j in range(D)]].to_numpy(np.float32).astype(np.float64)
best = (x @ theta.T).argmax(axis=1)
pi = EPSILON / K + (1 - EPSILON) * (best == frame["action"].to_numpy())
w = pi / frame["propensity"].to_numpy()
r = frame["reward"].to_numpy()
ipw = float(np.mean(w * r))
snipw = float(np.sum(w * r) / np.sum(w))
seconds = time.perf_counter() - start

print(f"read_ipw {seconds} pandas-{pd.__version__}+numpy-{np.__version__}")
print(f"ipw {ipw}")
print(f"snipw {snipw}")
print(f"peak_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}")
