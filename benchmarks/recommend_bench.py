"""Speed (and, with ``--quality``, a quick quality check) of segue's recommender.

Imports ``../shared/data/mpd-dev`` into a fresh catalog (or uses ``--db``), then:

- trains :class:`segue.recommend.Recommender` on every playlist and saves it,
  timing both;
- times ``recommend(seeds, n=500)`` for playlists cut to their first 100 tracks
  (p50 / p95 / max over ``--queries`` calls, after one warm-up call);
- with ``--quality``: holds out 300 playlists of at least 40 tracks (100 each with
  the first 5, the first 25 and 25 random tracks as seeds; the title is given),
  trains segue and implicit ALS (factors=128, regularization=0.05, alpha=40,
  iterations=15; exact fold-in of the seeds) on the rest plus the seeds, and
  reports R-precision, NDCG over 500 and clicks, track-level (no artist credit).
  The official harness is ``segue evaluate`` / ``benchmarks/quality.py``.

Writes ``benchmarks/results/recommend.json``.

Usage::

    python benchmarks/recommend_bench.py [--db CATALOG] [--quality]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# the repository root, so that the script can import its sibling module as a package
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # after the BLAS setting above

HERE = Path(__file__).resolve().parent
MPD_DEV = HERE.parent.parent / "shared" / "data" / "mpd-dev"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=MPD_DEV, help="MPD slices")
    parser.add_argument("--db", type=Path, help="use this catalog instead")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--quality", action="store_true")
    parser.add_argument("--params", default="{}", help="JSON Recommender params")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "recommend.json")
    return parser


def _catalog(args: argparse.Namespace, folder: Path) -> Path:
    from segue.catalog import Catalog, mpd

    if args.db:
        return Path(args.db)
    path = folder / "catalog.duckdb"
    with Catalog(path) as catalog:
        mpd.import_files(catalog, mpd.find_files([args.data]), source="mpd-dev")
    return path


def _percentiles(times: list[float]) -> dict[str, float]:
    ms = np.asarray(times) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
        "max_ms": round(float(ms.max()), 2),
        "calls": len(times),
    }


def speed(
    path: Path, folder: Path, params: dict[str, Any], queries: int
) -> dict[str, Any]:
    """Train, save, load and time recommendations of 500 for 100-track seeds."""
    from segue.catalog import Catalog
    from segue.catalog.recsql import ordered_items
    from segue.recommend import Recommender

    with Catalog(path) as catalog:
        start = time.perf_counter()
        model = Recommender(**params).fit(catalog)
        train_s = time.perf_counter() - start
        start = time.perf_counter()
        model.save(folder / "model")
        save_s = time.perf_counter() - start
        start = time.perf_counter()
        model = Recommender.load(folder / "model", catalog)
        load_s = time.perf_counter() - start
        ids = catalog.playlist_ids()
        seqs = ordered_items(catalog, ids)
    long = [(i, s) for i, s in zip(ids, seqs, strict=True) if len(set(s)) >= 100]
    rng = np.random.default_rng(0)
    picked = [long[j] for j in rng.choice(len(long), min(queries, len(long)), False)]
    model.recommend(list(dict.fromkeys(picked[0][1]))[:100], n=500)  # warm-up
    times = []
    for _, seq in picked:
        seeds = list(dict.fromkeys(seq))[:100]
        start = time.perf_counter()
        recs = model.recommend(seeds, n=500)
        times.append(time.perf_counter() - start)
        assert len(recs) == 500
    batch = [s for _, s in picked]
    from segue.recommend import Query

    qs = [Query(seeds=tuple(dict.fromkeys(s))[:100]) for s in batch]
    start = time.perf_counter()
    model.recommend_batch(qs, n=500)
    batch_s = time.perf_counter() - start
    return {
        "train_seconds": round(train_s, 2),
        "save_seconds": round(save_s, 2),
        "load_seconds": round(load_s, 2),
        "model_bytes": sum(p.stat().st_size for p in (folder / "model").iterdir()),
        "recommend_500_for_100_seeds": _percentiles(times),
        "recommend_batch_ms_per_query": round(1000 * batch_s / len(qs), 2),
        "card": model.fitted_.card if model.fitted_ else {},
    }


def _metrics(recs: list[str], truth: list[str]) -> tuple[float, float, float]:
    t = set(truth)
    rprec = len(set(recs[: len(t)]) & t) / len(t)
    gains = np.asarray([1.0 if x in t else 0.0 for x in recs[:500]])
    dcg = float((gains / np.log2(np.arange(2, len(gains) + 2))).sum())
    idcg = float((1 / np.log2(np.arange(2, min(len(t), 500) + 2))).sum())
    hits = np.flatnonzero(gains)
    clicks = float(hits[0] // 10) if len(hits) else 51.0
    return rprec, dcg / idcg, clicks


class _ImplicitALS:
    """implicit ALS with the issue's parameters, seeds folded in exactly."""

    name = "als"

    def fit(self, catalog: Any, *, replace_items: Any = None, **_: Any) -> _ImplicitALS:
        from implicit.cpu.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        inter = catalog.interactions(replace_items=replace_items)
        self.track_ids = inter.track_ids
        self.col = {t: i for i, t in enumerate(inter.track_ids)}
        with threadpool_limits(1, "blas"):
            self.model = AlternatingLeastSquares(
                factors=128,
                regularization=0.05,
                alpha=40.0,
                iterations=15,
                random_state=0,
            )
            self.model.fit(inter.matrix, show_progress=False)
        return self

    def recommend_batch(self, queries: Any, n: int = 500) -> list[list[str]]:
        import scipy.sparse as sp

        out = []
        for q in queries:
            cols = sorted({self.col[s] for s in q.seeds if s in self.col})
            row = sp.csr_matrix(
                (np.ones(len(cols), np.float32), ([0] * len(cols), cols)),
                shape=(1, len(self.col)),
            )
            ids, _ = self.model.recommend(
                0, row, N=n, filter_already_liked_items=True, recalculate_user=True
            )
            out.append([str(self.track_ids[i]) for i in ids])
        return out


def quality(path: Path, params: dict[str, Any], per_kind: int = 100) -> dict[str, Any]:
    """The quick held-out comparison described in the module docstring."""
    from segue.catalog import Catalog
    from segue.catalog.recsql import ordered_items
    from segue.recommend import Query, Recommender

    with Catalog(path) as catalog:
        rng = np.random.default_rng(0)
        ids = catalog.playlist_ids()
        seqs = [list(dict.fromkeys(s)) for s in ordered_items(catalog, ids)]
        eligible = [i for i, s in enumerate(seqs) if len(s) >= 40]
        chosen = rng.choice(eligible, 3 * per_kind, replace=False)
        tests = []
        for j, i in enumerate(chosen.tolist()):
            s, kind = seqs[i], ("first5", "first25", "random25")[j // per_kind]
            if kind == "random25":
                pick = set(rng.choice(len(s), 25, replace=False).tolist())
                seeds = [x for k, x in enumerate(s) if k in pick]
                rest = [x for k, x in enumerate(s) if k not in pick]
            else:
                cut = 5 if kind == "first5" else 25
                seeds, rest = s[:cut], s[cut:]
            title = catalog.playlist(ids[i], items=False).name
            tests.append((ids[i], kind, title, seeds, rest))
        replace = {p: s for p, _, _, s, _ in tests}
        queries = [Query(seeds=tuple(s), title=t) for _, _, t, s, _ in tests]
        results: dict[str, Any] = {}
        models: list[Any] = [_ImplicitALS(), Recommender(**params)]
        for model in models:
            start = time.perf_counter()
            model.fit(catalog, replace_items=replace)
            fit_s = time.perf_counter() - start
            start = time.perf_counter()
            lists = model.recommend_batch(queries, n=500)
            rec_s = time.perf_counter() - start
            scores: dict[str, Any] = {
                "fit_seconds": round(fit_s, 1),
                "recommend_seconds": round(rec_s, 1),
            }
            for kind in ("first5", "first25", "random25", "all"):
                m = [
                    _metrics(lst, t[4])
                    for lst, t in zip(lists, tests, strict=True)
                    if kind in ("all", t[1])
                ]
                rp, ndcg, clicks = np.mean(m, axis=0)
                scores[kind] = {
                    "r_precision": round(float(rp), 4),
                    "ndcg": round(float(ndcg), 4),
                    "clicks": round(float(clicks), 3),
                }
            results[model.name] = scores
            print(model.name, json.dumps(scores), file=sys.stderr, flush=True)
    als, seg = results["als"]["all"], results["segue"]["all"]
    results["ratio_vs_als"] = {
        k: round(seg[k] / als[k], 3) for k in ("r_precision", "ndcg")
    }
    results["protocol"] = (
        f"{3 * per_kind} held-out mpd-dev playlists of >= 40 tracks, seed 0; "
        "first5 / first25 / random25 with titles; track-level R-precision, "
        "NDCG@500, clicks"
    )
    return results


def main(argv: list[str]) -> int:
    """Run the benchmark and write the JSON result; return an exit code."""
    args = _parser().parse_args(argv)
    params = {"num_threads": 2, **json.loads(args.params)}
    doc: dict[str, Any] = {
        "machine": describe(),
        "params": params,
    }
    with tempfile.TemporaryDirectory(prefix="segue-rec-bench-") as tmp:
        folder = Path(tmp)
        path = _catalog(args, folder)
        doc["speed"] = speed(path, folder, params, args.queries)
        print(json.dumps(doc["speed"], indent=2), file=sys.stderr, flush=True)
        if args.quality:
            doc["quality"] = quality(path, params)
    doc["machine"]["load_average_at_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
