"""An interest model as a process plugin: pCTR of each ad = (clicks + 1) / (impressions + 20), a smoothed count.

Usage in a spec:
    model: { plugin: process, params: { command: [python3, python/examples/ctr_counts.py] } }
    policy: { plugin: greedy-model, params: { epsilon: 0.05 } }
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import adlab_plugin  # noqa: E402


class CTRCounts:
    def __init__(self, hello):
        arms = max(hello.ad_count, hello.candidates)
        self.shown = [0.0] * arms
        self.clicked = [0.0] * arms

    def predict(self, batch):
        k = batch.candidates
        out = []
        for i in range(batch.n):
            for j in range(k):
                ad = batch.ad_id(i, j)
                out.append((self.clicked[ad] + 1.0) / (self.shown[ad] + 20.0))
        return out

    def learn(self, batch):
        impressions, clicks = batch.outcomes["impressions"], batch.outcomes["clicks"]
        for entry, action in enumerate(batch.actions):
            if action == adlab_plugin.NO_AD:
                continue
            ad = batch.ad_id(entry // batch.slots, action)
            self.shown[ad] += impressions[entry]
            self.clicked[ad] += clicks[entry]


if __name__ == "__main__":
    adlab_plugin.run(CTRCounts)
