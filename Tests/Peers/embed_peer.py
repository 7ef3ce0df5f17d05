#!/usr/bin/env python3
"""Peer figures for `adlab bench embed`: sentences per second of sentence-transformers on the same texts.

Usage: embed_peer.py MODEL_FOLDER NAME=TEXTS_FILE...  (one text per line). Loads all-MiniLM-L6-v2 from the same
cached folder AdLab reads, encodes each text set with SentenceTransformer.encode at batch 32 (its default), one
thread (torch.set_num_threads(1)), normalised embeddings, tokenisation included, as AdLab's figure. Prints
"<name> <sentences/s> <source>" per set, best of 2 timed passes after a warm-up; prints nothing (a note on stderr)
when sentence-transformers is missing.
"""
import sys
import time
import warnings


def main():
    try:
        import torch
        from sentence_transformers import SentenceTransformer
        import sentence_transformers
    except ImportError:
        print("embed_peer.py: sentence-transformers (and torch) not installed; no peer figures", file=sys.stderr)
        return
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    model = SentenceTransformer(sys.argv[1], device="cpu")
    source = "sentence-transformers-%s/torch-%s" % (sentence_transformers.__version__, torch.__version__)
    for argument in sys.argv[2:]:
        name, path = argument.split("=", 1)
        with open(path, encoding="utf-8") as handle:
            texts = handle.read().split("\n")
        model.encode(texts[:64], batch_size=32, normalize_embeddings=True)
        best = 0.0
        for _ in range(2):
            start = time.perf_counter()
            model.encode(texts, batch_size=32, normalize_embeddings=True)
            best = max(best, len(texts) / (time.perf_counter() - start))
        print("%s %.1f %s" % (name, best, source), flush=True)


if __name__ == "__main__":
    main()
