"""The trivial policy of `adlab bench process`: candidate s in slot s of every page view, propensity 1.

It measures the pipe, not a learner: the reply bytes are built once per batch size.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import adlab_plugin  # noqa: E402


class FirstAd:
    def __init__(self, hello):
        self.cache = {}

    def decide(self, batch):
        key = (batch.n, batch.slots, batch.candidates)
        actions = self.cache.get(key)
        if actions is None:
            row = [s if s < batch.candidates else -1 for s in range(batch.slots)]
            actions = struct.pack("<%di" % (batch.n * batch.slots), *(row * batch.n))
            self.cache[key] = actions
        return actions

    def learn(self, batch):
        pass


if __name__ == "__main__":
    adlab_plugin.run(FirstAd)
