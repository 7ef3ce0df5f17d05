#!/usr/bin/env python3
"""Peer figures for `adlab bench models`: training samples per second of the same models in PyTorch (CPU).

Same workload as AdLab's ModelBenchmark: batches of 1024 examples with 39 categorical fields whose ids are
log-uniform over 1e6 values, hashed into 2**18 buckets, clicks at a 25% rate. Models:
  logistic: a sum EmbeddingBag of width 1 (sparse gradients) plus a bias, Adagrad (PyTorch has no FTRL);
  fm:       linear EmbeddingBag + 16-dim factor Embedding (sparse), the O(nk) FM formula, Adagrad;
  deepfm:   the FM plus an MLP 624-200-200-1 over the embeddings; SparseAdam (embeddings) + Adam (MLP);
  mlp:      the tensor core's reference workload (AdLab's MLPBenchmark): MLP 64-256-256-1, ReLU, sigmoid
            cross-entropy, Adam 1e-3, one fixed batch of 1024 standard-normal inputs.
One thread (torch.set_num_threads(1)), as the issue's peer figures. Prints "<model> <samples/s> <source>"
per model, best of several timed blocks; prints nothing (a note on stderr) when torch is missing.
"""
import sys
import time
import warnings


def main():
    try:
        import numpy as np
        import torch
    except ImportError:
        print("model_peers.py: torch (and numpy) not installed; no peer figures", file=sys.stderr)
        return
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    fields, batch, buckets, k = 39, 1024, 1 << 18, 16
    rng = np.random.default_rng(2024)
    data = []
    for _ in range(8):
        ids = np.exp(rng.uniform(size=(batch, fields)) * np.log(1e6)).astype(np.int64)
        salt = np.arange(fields, dtype=np.int64) * 1_000_003
        hashed = torch.from_numpy(((ids * 2_654_435_761 + salt) % buckets).astype(np.int64))
        labels = torch.from_numpy((rng.uniform(size=batch) < 0.25).astype(np.float32))
        data.append((hashed, labels))

    class Logistic(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.EmbeddingBag(buckets, 1, mode="sum", sparse=True)
            torch.nn.init.zeros_(self.w.weight)
            self.b = torch.nn.Parameter(torch.zeros(1))

        def forward(self, x):
            return self.w(x).squeeze(1) + self.b

    class FM(torch.nn.Module):
        def __init__(self, deep=False):
            super().__init__()
            self.w = torch.nn.EmbeddingBag(buckets, 1, mode="sum", sparse=True)
            torch.nn.init.zeros_(self.w.weight)
            self.v = torch.nn.Embedding(buckets, k, sparse=True)
            torch.nn.init.uniform_(self.v.weight, -0.01, 0.01)
            self.b = torch.nn.Parameter(torch.zeros(1))
            self.mlp = torch.nn.Sequential(
                torch.nn.Linear(fields * k, 200), torch.nn.ReLU(), torch.nn.Linear(200, 200), torch.nn.ReLU(),
                torch.nn.Linear(200, 1)) if deep else None

        def forward(self, x):
            e = self.v(x)
            s = e.sum(1)
            out = self.w(x).squeeze(1) + self.b + 0.5 * (s * s - (e * e).sum(1)).sum(1)
            if self.mlp is not None:
                out = out + self.mlp(e.reshape(x.shape[0], -1)).squeeze(1)
            return out

    def optimizers(name, model):
        if name != "deepfm":
            return [torch.optim.Adagrad(model.parameters(), lr=0.05)]
        sparse = [model.w.weight, model.v.weight]
        dense = [p for n, p in model.named_parameters() if not n.startswith(("w.", "v."))]
        return [torch.optim.SparseAdam(sparse, lr=0.01), torch.optim.Adam(dense, lr=0.01)]

    def best_rate(step):
        """Samples/s of the fastest 4-step block after a warm-up step, over at least 3 blocks and 2 seconds."""
        step(0)
        best, i, blocks, deadline = 0.0, 1, 0, time.perf_counter() + 2
        while blocks < 3 or time.perf_counter() < deadline:
            start = time.perf_counter()
            for _ in range(4):
                step(i)
                i += 1
            best = max(best, 4 * batch / (time.perf_counter() - start))
            blocks += 1
        return best

    loss_fn = torch.nn.BCEWithLogitsLoss()
    for name, model in (("logistic", Logistic()), ("fm", FM()), ("deepfm", FM(deep=True))):
        opts = optimizers(name, model)

        def step(i):
            x, y = data[i % len(data)]
            for o in opts:
                o.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            for o in opts:
                o.step()

        print(f"{name} {best_rate(step):.0f} torch-{torch.__version__}-1thread")

    torch.manual_seed(2024)
    mlp = torch.nn.Sequential(
        torch.nn.Linear(64, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 1))
    inputs = torch.randn(batch, 64)
    targets = (torch.rand(batch, 1) < 0.5).float()
    mlp_optimizer = torch.optim.Adam(mlp.parameters(), lr=1e-3)

    def mlp_step(_):
        mlp_optimizer.zero_grad()
        loss_fn(mlp(inputs), targets).backward()
        mlp_optimizer.step()

    print(f"mlp {best_rate(mlp_step):.0f} torch-{torch.__version__}-1thread")


if __name__ == "__main__":
    main()
