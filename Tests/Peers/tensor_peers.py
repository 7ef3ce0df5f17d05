#!/usr/bin/env python3
"""numpy's GEMM GFLOP/s for the shapes `adlab bench tensor` measures, 1 thread and all cores.

Each thread count runs in a fresh process with OPENBLAS_NUM_THREADS set before numpy loads (the only way
to pin OpenBLAS's pool), and with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed from that process only.
Prints a table in the same layout as AdLab's. Best of 3 batches of at least 40 ms, as AdLab does.
"""
import os
import subprocess
import sys

SHAPES = [(f"{n}³", n, n, n) for n in (64, 128, 256, 512, 1024)] + [("CTR 4096×64·64×256", 4096, 256, 64)]

CHILD = r"""
import sys, time, numpy as np
shapes = eval(sys.argv[1])
out = []
for name, m, n, k in shapes:
    row = []
    for dtype in (np.float32, np.float64):
        a = (np.arange(m * k) % 17 * 0.125 - 1).astype(dtype).reshape(m, k)
        b = (np.arange(k * n) % 13 * 0.25 - 1.5).astype(dtype).reshape(k, n)
        a @ b
        t = time.perf_counter(); a @ b; once = max(time.perf_counter() - t, 1e-9)
        reps = max(1, int(0.04 / once))
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            for _ in range(reps):
                a @ b
            best = min(best, (time.perf_counter() - t) / reps)
        row.append(2 * m * n * k / best / 1e9)
    out.append(row)
print(repr(out))
"""


def measure(threads):
    env = {key: value for key, value in os.environ.items() if key not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    result = subprocess.run([sys.executable, "-c", CHILD, repr(SHAPES)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        return None
    return eval(result.stdout)


def main():
    try:
        import numpy  # noqa: F401
    except ImportError:
        print("numpy is not installed: no peer figures", file=sys.stderr)
        return
    one, all_cores = measure(1), measure(os.cpu_count() or 1)
    if one is None or all_cores is None:
        return
    print("numpy (OpenBLAS) GFLOP/s, same shapes")
    print("shape".ljust(20) + "".join(h.ljust(10) for h in ["sgemm 1T", f"sgemm {os.cpu_count()}T", "dgemm 1T", f"dgemm {os.cpu_count()}T"]))
    for (name, *_), single, multi in zip(SHAPES, one, all_cores):
        print(name.ljust(20) + "".join(f"{v:.1f}".ljust(10) for v in (single[0], multi[0], single[1], multi[1])))


if __name__ == "__main__":
    main()
