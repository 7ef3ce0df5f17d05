"""ε-greedy over per-ad mean rewards, as a process policy: a real learner, seeded from the handshake.

Usage in a spec:
    policy: { plugin: process, params: { command: [python3, python/examples/epsilon_greedy.py, --epsilon, "0.1"] } }

Slot 0 shows a uniformly random candidate with probability ε, else the best mean (lowest index among ties);
later slots take the next best means. Propensities: exact for slot 0, ε/K + (1-ε)·[greedy]; NaN for later slots
(they depend on slot 0's draw). Feedback from every filled slot updates the shown ad's mean.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import adlab_plugin  # noqa: E402


class EpsilonGreedy:
    def __init__(self, hello, epsilon):
        self.epsilon = epsilon
        self.rng = hello.rng()
        arms = max(hello.ad_count, hello.candidates)
        self.pulls = [0] * arms
        self.sums = [0.0] * arms

    def mean(self, ad):
        n = self.pulls[ad]
        return self.sums[ad] / n if n else float("inf")  # unseen ads first

    def decide(self, batch):
        n, slots, k = batch.n, batch.slots, batch.candidates
        filled = min(slots, k)
        actions = [adlab_plugin.NO_AD] * (n * slots)
        propensities = [float("nan")] * (n * slots)
        for i in range(n):
            means = [self.mean(batch.ad_id(i, j)) for j in range(k)]
            ranked = sorted(range(k), key=lambda j: (-means[j], j))
            greedy = ranked[0]
            if self.rng.random() < self.epsilon:
                first = self.rng.randrange(k)
            else:
                first = greedy
            actions[i * slots] = first
            propensities[i * slots] = self.epsilon / k + (1 - self.epsilon) * (first == greedy)
            rest = (j for j in ranked if j != first)
            for s in range(1, filled):
                actions[i * slots + s] = next(rest)
        return actions, propensities

    def learn(self, batch):
        slots = batch.slots
        for entry, action in enumerate(batch.actions):
            if action == adlab_plugin.NO_AD:
                continue
            ad = batch.ad_id(entry // slots, action)
            self.pulls[ad] += 1
            self.sums[ad] += batch.rewards[entry]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epsilon", type=float, default=0.1)
    args = parser.parse_args()
    if not 0 <= args.epsilon <= 1:
        parser.error("--epsilon must be in [0, 1]")
    adlab_plugin.run(lambda hello: EpsilonGreedy(hello, args.epsilon))
