"""Shared helpers for the anchor benchmarks: dataset files written by bench/datasets.ts, RSS, recall."""
import gc
import json
import os
import sys
import time

import numpy as np


def load(d, dim, k):
    base = np.fromfile(os.path.join(d, "base.f32"), dtype=np.float32).reshape(-1, dim)
    queries = np.fromfile(os.path.join(d, "queries.f32"), dtype=np.float32).reshape(-1, dim)
    gt = np.fromfile(os.path.join(d, "gt.i32"), dtype=np.int32).reshape(len(queries), -1)[:, :k]
    return base, queries, gt


def rss():
    """Resident set size in bytes."""
    gc.collect()
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def recall(found, gt):
    k = gt.shape[1]
    hit = 0
    for row, want in zip(found, gt):
        hit += len(set(int(x) for x in row[:k]) & set(int(x) for x in want))
    return hit / (gt.shape[0] * k)


def timed_queries(search_one, queries, k):
    """Runs one query at a time; returns (ids nq x k, queries per second)."""
    out = np.empty((len(queries), k), dtype=np.int64)
    t = time.perf_counter()
    for i in range(len(queries)):
        out[i] = search_one(queries[i : i + 1])
    dt = time.perf_counter() - t
    return out, len(queries) / dt


def emit(**row):
    print(json.dumps(row), flush=True)


def parse_args(argv):
    args = {}
    for a in argv[1:]:
        k, _, v = a.lstrip("-").partition("=")
        args[k] = v
    return args


def ints(s):
    return [int(x) for x in s.split(",") if x]


if __name__ == "__main__":
    sys.exit("import this module")
