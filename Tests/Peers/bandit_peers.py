#!/usr/bin/env python3
"""Peer figures for `adlab bench`: decisions per second of the same bandit problem in Python.

10 Bernoulli ads with CTRs from Beta(1, 19), feedback after every batch, as AdLab's bench runs it.
Peers: a batched numpy loop (Thompson, UCB1, epsilon-greedy, random) and MABWiser (Thompson, UCB1,
epsilon-greedy, and batched LinUCB with d=16 on a linear click model), each when installed. Prints one line per policy: "<policy> <decisions/s> <source>",
choosing the peer the AdLab issue names: numpy for thompson and random, MABWiser (else numpy) for ucb1
and epsilon-greedy. Figures are best of three.
"""
import argparse
import sys
import time


def numpy_loop(policy, horizon, batch, rng, ctrs):
    import numpy as np
    k = len(ctrs)
    pulls = np.zeros(k)
    sums = np.zeros(k)
    t = 0
    while t < horizon:
        n = min(batch, horizon - t)
        if policy == "thompson":
            draws = rng.beta(1 + sums, 1 + pulls - sums, size=(n, k))
            actions = draws.argmax(axis=1)
        elif policy == "ucb1":
            # Batch-frozen scores (numpy cannot do AdLab's per-decision virtual counts without a Python loop).
            with np.errstate(divide="ignore", invalid="ignore"):
                scores = np.where(pulls > 0, sums / np.maximum(pulls, 1) + np.sqrt(2 * np.log(max(t, 1)) / np.maximum(pulls, 1)), np.inf)
            actions = np.full(n, int(scores.argmax()))
        elif policy == "epsilon-greedy":
            means = np.where(pulls > 0, sums / np.maximum(pulls, 1), 0)
            explore = rng.random(n) < 0.1
            actions = np.where(explore, rng.integers(0, k, n), int(means.argmax()))
        else:
            actions = rng.integers(0, k, n)
        clicks = rng.random(n) < ctrs[actions]
        np.add.at(pulls, actions, 1)
        np.add.at(sums, actions, clicks)
        t += n


def mabwiser_loop(policy, horizon, batch, rng, ctrs):
    from mabwiser.mab import MAB, LearningPolicy
    import numpy as np
    arms = list(range(len(ctrs)))
    lp = {
        "thompson": LearningPolicy.ThompsonSampling(),
        "ucb1": LearningPolicy.UCB1(alpha=1.0),
        "epsilon-greedy": LearningPolicy.EpsilonGreedy(epsilon=0.1),
    }[policy]
    mab = MAB(arms, lp, seed=1)
    first = rng.integers(0, len(ctrs), batch)
    mab.fit(first, (rng.random(batch) < ctrs[first]).astype(int))
    t = batch
    while t < horizon:
        n = min(batch, horizon - t)
        actions = np.asarray([mab.predict() for _ in range(n)])
        rewards = (rng.random(n) < ctrs[actions]).astype(int)
        mab.partial_fit(actions, rewards)
        t += n


def mabwiser_linucb_loop(policy, horizon, batch, rng, ctrs):
    """Batched LinUCB (d=16, 10 ads) in MABWiser: predict a whole batch of contexts, then partial_fit it."""
    from mabwiser.mab import MAB, LearningPolicy
    import numpy as np
    d, k = 16, 10
    theta = rng.random((k, d))
    arms = list(range(k))
    mab = MAB(arms, LearningPolicy.LinUCB(alpha=1.0), seed=1)
    x = rng.dirichlet(np.ones(d), batch)
    first = rng.integers(0, k, batch)
    mab.fit(first, (rng.random(batch) < (x * theta[first]).sum(1)).astype(int), contexts=x)
    t = batch
    while t < horizon:
        n = min(batch, horizon - t)
        x = rng.dirichlet(np.ones(d), n)
        actions = np.asarray(mab.predict(contexts=x))
        rewards = (rng.random(n) < (x * theta[actions]).sum(1)).astype(int)
        mab.partial_fit(actions, rewards, contexts=x)
        t += n


def best_rate(loop, policy, horizon, batch):
    import numpy as np
    best = 0.0
    for repeat in range(3):
        rng = np.random.default_rng(repeat)
        ctrs = rng.beta(1, 19, 10)
        start = time.perf_counter()
        loop(policy, horizon, batch, rng, ctrs)
        best = max(best, horizon / (time.perf_counter() - start))
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--horizon", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    try:
        import numpy  # noqa: F401
    except ImportError:
        print("numpy is not installed: no peer figures", file=sys.stderr)
        return
    try:
        import mabwiser  # noqa: F401
        have_mabwiser = True
    except ImportError:
        have_mabwiser = False
        print("mabwiser is not installed: numpy figures only (pip install mabwiser)", file=sys.stderr)
    if have_mabwiser:
        rate = best_rate(mabwiser_linucb_loop, "linucb", min(args.horizon, 100_000), args.batch)
        print(f"linucb {rate:.1f} mabwiser-batched", flush=True)
    for policy in ["random", "epsilon-greedy", "ucb1", "thompson"]:
        if have_mabwiser and policy in ("ucb1", "epsilon-greedy"):
            # MABWiser predicts one decision per call; a smaller horizon keeps the run short, the rate is per decision.
            rate = best_rate(mabwiser_loop, policy, min(args.horizon, 50_000), args.batch)
            source = "mabwiser"
        else:
            rate = best_rate(numpy_loop, policy, args.horizon, args.batch)
            source = "numpy-batched"
        print(f"{policy} {rate:.1f} {source}", flush=True)


if __name__ == "__main__":
    main()
