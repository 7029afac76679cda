"""hnswlib anchor: M, ef_construction fixed, ef swept; single thread, one query at a time.
Usage: python3 hnswlib_anchor.py --dir=D --dim=784 --k=10 --M=16 --efc=200 --efs=10,20,40"""
import sys
import time

import hnswlib

from common import emit, ints, load, parse_args, recall, rss, timed_queries

a = parse_args(sys.argv)
dim, k, M, efc = int(a["dim"]), int(a["k"]), int(a["M"]), int(a["efc"])
base, queries, gt = load(a["dir"], dim, k)
n = len(base)
r0 = rss()
t = time.perf_counter()
p = hnswlib.Index(space="l2", dim=dim)
p.init_index(max_elements=n, ef_construction=efc, M=M, random_seed=100)
p.set_num_threads(1)
p.add_items(base, list(range(n)), num_threads=1)
build = time.perf_counter() - t
mem = rss() - r0
for ef in ints(a["efs"]):
    p.set_ef(max(ef, k))
    found, qps = timed_queries(lambda q: p.knn_query(q, k=k, num_threads=1)[0][0], queries, k)
    emit(system="hnswlib", index="HNSW", params=f"M={M},efC={efc},ef={ef}", recall=recall(found, gt), qps=qps, build_s=build, memory_bytes=mem)
