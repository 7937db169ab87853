"""The two slowest parts of training at MPD scale, each against its former setting.

- The co-occurrence similarity (:func:`segue.recommend.generators.similarity.
  shrunk_cosine`) on a synthetic playlist x track matrix with Zipf-like track
  popularity: one thread against ``--threads`` threads. The two results must be
  identical; the script fails otherwise.
- The voyager index of the audio-feature generator on clustered 12-dimensional
  vectors: ``ef_construction`` 200 (voyager's default) against 64 (segue's), with
  the share of the exact 300 nearest neighbours each index finds.

Writes ``benchmarks/results/fit-parts.json``.

Usage::

    python benchmarks/fit_parts.py [--playlists 150000] [--vectors 400000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe

HERE = Path(__file__).resolve().parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--playlists", type=int, default=150_000)
    parser.add_argument("--tracks", type=int, default=400_000)
    parser.add_argument("--length", type=int, default=66, help="tracks per playlist")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--vectors", type=int, default=400_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "fit-parts.json")
    return parser


def cooccurrence(args: argparse.Namespace) -> dict[str, Any]:
    """Time ``shrunk_cosine`` with one thread and with ``args.threads``."""
    from segue.recommend.generators.similarity import shrunk_cosine

    rng = np.random.default_rng(0)
    weights = 1.0 / np.arange(1, args.tracks + 1) ** 0.9
    rows = np.repeat(np.arange(args.playlists), args.length)
    cols = rng.choice(args.tracks, len(rows), p=weights / weights.sum())
    presence = sp.csr_matrix(
        (np.ones(len(rows), np.float32), (rows, cols)),
        shape=(args.playlists, args.tracks),
    )
    presence.sum_duplicates()
    seconds = {}
    results = {}
    for threads in (1, args.threads):
        start = time.perf_counter()
        results[threads] = shrunk_cosine(presence, 200, 10.0, threads=threads)
        seconds[threads] = time.perf_counter() - start
    one, many = results[1], results[args.threads]
    if (one != many).nnz:
        raise SystemExit(
            "fit_parts: the threaded similarity differs from the serial one"
        )
    return {
        "playlists": args.playlists,
        "tracks": args.tracks,
        "entries": int(presence.nnz),
        "seconds_1_thread": round(seconds[1], 2),
        f"seconds_{args.threads}_threads": round(seconds[args.threads], 2),
        "speedup": round(seconds[1] / seconds[args.threads], 2),
        "identical": True,
    }


def feature_index(args: argparse.Namespace) -> dict[str, Any]:
    """Build voyager indexes with two ``ef_construction`` values; time and recall."""
    from voyager import Index, Space

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(200, 12))
    vectors = centres[rng.integers(0, 200, args.vectors)]
    vectors = (vectors + 0.6 * rng.normal(size=vectors.shape)).astype(np.float32)
    queries = centres[rng.integers(0, 200, args.queries)]
    queries = (queries + 0.3 * rng.normal(size=queries.shape)).astype(np.float32)
    k = 300
    exact = [
        set(np.argpartition(((vectors - q) ** 2).sum(axis=1), k)[:k].tolist())
        for q in queries
    ]
    out: dict[str, Any] = {"vectors": args.vectors, "queries": args.queries, "k": k}
    for ef in (200, 64):
        start = time.perf_counter()
        index = Index(Space.Euclidean, num_dimensions=12, ef_construction=ef)
        index.add_items(vectors)
        build = time.perf_counter() - start
        ids, _ = index.query(queries, k=k)  # as the generator asks
        recall = np.mean(
            [len(set(r.tolist()) & e) / k for r, e in zip(ids, exact, strict=True)]
        )
        out[f"ef_construction_{ef}"] = {
            "build_s": round(build, 2),
            "recall": round(float(recall), 4),
        }
    out["speedup"] = round(
        out["ef_construction_200"]["build_s"] / out["ef_construction_64"]["build_s"], 2
    )
    return out


def main(argv: list[str]) -> int:
    """Run both measurements; return an exit code."""
    args = _parser().parse_args(argv)
    doc = {
        "benchmark": "fit_parts",
        "machine": describe(),
        "cooccurrence": cooccurrence(args),
        "feature_index": feature_index(args),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n")
    print(json.dumps(doc, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
