"""FAISS anchors, single thread (omp 1), one query at a time.
Usage: python3 faiss_anchor.py --dir=D --dim=784 --k=10 --kind=flat|ivf|hnsw
       [--nlist=N --nprobes=1,2,4 --train=matched|default] [--M=16 --efc=200 --efs=16,32]"""
import sys
import time

import faiss

from common import emit, ints, load, parse_args, recall, rss, timed_queries

faiss.omp_set_num_threads(1)
a = parse_args(sys.argv)
dim, k, kind = int(a["dim"]), int(a["k"]), a["kind"]
base, queries, gt = load(a["dir"], dim, k)
nq = int(a.get("nq", len(queries)))
queries, gt = queries[:nq], gt[:nq]


def search(index):
    return lambda q: index.search(q, k)[1][0]


r0 = rss()
t = time.perf_counter()
if kind == "flat":
    index = faiss.IndexFlatL2(dim)
    index.add(base)
    build, mem = time.perf_counter() - t, rss() - r0
    found, qps = timed_queries(search(index), queries, k)
    emit(system="faiss", index="FLAT", params="IndexFlatL2", recall=recall(found, gt), qps=qps, build_s=build, memory_bytes=mem)
elif kind == "ivf":
    # IndexIVFFlat and IndexIVFScalarQuantizer (8 bit) share one trained coarse quantizer: k-means
    # runs once; the SQ8 build time is that training plus its own SQ training and adds.
    nlist = int(a["nlist"])
    quantizer = faiss.IndexFlatL2(dim)
    flat = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_L2)
    if a.get("train", "matched") == "matched":
        # The k-means budget Elanus's IVF uses (12 iterations, <= 64 points per centroid), so build
        # times compare like for like; --train=default keeps FAISS's (25 iterations, <= 256 points).
        flat.cp.niter = 12
        flat.cp.max_points_per_centroid = 64
    flat.train(base)
    train_s = time.perf_counter() - t
    flat.add(base)
    builds = [("IVF_FLAT", flat, time.perf_counter() - t, rss() - r0)]
    r1 = rss()
    t = time.perf_counter()
    sq = faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_L2)
    sq.train(base)
    sq.add(base)
    builds.append(("IVF_SQ8", sq, train_s + time.perf_counter() - t, rss() - r1))
    for name, index, build, mem in builds:
        for nprobe in ints(a["nprobes"]):
            index.nprobe = nprobe
            found, qps = timed_queries(search(index), queries, k)
            emit(system="faiss", index=name, params=f"nlist={nlist},nprobe={nprobe}", recall=recall(found, gt), qps=qps, build_s=build, memory_bytes=mem)
elif kind == "hnsw":
    M, efc = int(a["M"]), int(a["efc"])
    index = faiss.IndexHNSWFlat(dim, M)
    index.hnsw.efConstruction = efc
    index.add(base)
    build, mem = time.perf_counter() - t, rss() - r0
    for ef in ints(a["efs"]):
        index.hnsw.efSearch = max(ef, k)
        found, qps = timed_queries(search(index), queries, k)
        emit(system="faiss", index="HNSW", params=f"M={M},efC={efc},ef={ef}", recall=recall(found, gt), qps=qps, build_s=build, memory_bytes=mem)
else:
    sys.exit(f"unknown kind {kind}")
