#!/usr/bin/env python3
"""Peer figures for `adlab bench generate`: llama.cpp (llama-cpp-python) on the same GGUF file and prompt ids.

Usage: generate_peer.py MODEL.gguf STEPS THREADS... PROMPT_ID,PROMPT_ID,...
For each thread count: the prompt is evaluated in one call (prompt tokens/s), then STEPS greedy tokens are decoded
one at a time (decode tokens/s), best of 3 runs after a warm-up, as AdLab measures its own figures. Prints
"prompt-<threads>t <tokens/s> <source>" and "decode-<threads>t <tokens/s> <source>"; prints nothing (a note on
stderr) when llama-cpp-python is missing.
"""
import sys
import time


def main():
    try:
        import llama_cpp
        import numpy as np
    except ImportError:
        print("generate_peer.py: llama-cpp-python not installed; no peer figures", file=sys.stderr)
        return
    path, steps = sys.argv[1], int(sys.argv[2])
    threads = [int(t) for t in sys.argv[3:-1]]
    prompt = [int(t) for t in sys.argv[-1].split(",")]
    source = "llama-cpp-python-%s" % llama_cpp.__version__
    for count in threads:
        llm = llama_cpp.Llama(model_path=path, n_ctx=256, n_batch=256, n_threads=count, n_threads_batch=count,
                              verbose=False)
        best_prompt = best_decode = 0.0
        for run in range(4):
            llm.reset()
            start = time.perf_counter()
            llm.eval(prompt)
            middle = time.perf_counter()
            for _ in range(steps):
                token = int(np.argmax(llm.scores[llm.n_tokens - 1]))
                llm.eval([token])
            end = time.perf_counter()
            if run > 0:  # the first run warms caches and the thread pool
                best_prompt = max(best_prompt, len(prompt) / (middle - start))
                best_decode = max(best_decode, steps / (end - middle))
        print("prompt-%dt %.1f %s" % (count, best_prompt, source), flush=True)
        print("decode-%dt %.1f %s" % (count, best_decode, source), flush=True)
        del llm


if __name__ == "__main__":
    main()
