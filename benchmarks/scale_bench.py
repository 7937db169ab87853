"""Training and answering at Million-Playlist-Dataset scale, on a synthetic world.

Builds a synthetic world of ``--playlists`` playlists
(:func:`segue.catalog.synth.generate`, written with ``World.write_catalog``) into
a DuckDB catalog in ``--work`` (reused when it is already there; the build runs
in a child process so its memory does not count against training), then:

- trains ``Recommender(num_threads=2)`` on every playlist, recording the wall
  time of each stage (the ``segue`` logger's DEBUG lines, with their time since
  the start of training) and the peak resident memory of the process (VmHWM,
  also sampled every half second; the run stops when it passes
  ``--max-rss-gb``);
- saves the model and measures its size on disk, then loads it back;
- times ``recommend(seeds, n=500)`` for 100-track playlists (``--queries``
  calls after one warm-up call): p50 / p95 / max, and where the time goes (each
  generator and the ranker's features, p50 / p95 from the DEBUG lines).

``--reuse-model`` skips training and answers from the model an earlier run saved
in ``--work``, to measure a change of the query path alone.

The issue's targets at 1,000,000 playlists on 2 cores: training under 45 minutes
and 16 GB, one recommendation under 100 ms at the 95th percentile.

Writes ``benchmarks/results/scale.json`` (or ``--out``).

Usage::

    python benchmarks/scale_bench.py [--playlists 1000000] [--work DIR]
        [--reuse-model]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # after the BLAS setting above
import numpy.typing as npt

# the repository root, so that the script can import its sibling module as a package
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe

HERE = Path(__file__).resolve().parent
GB = 1024**3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--playlists", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--work", type=Path, default=Path("/tmp/segue-scale"), help="catalog folder"
    )
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--params", default="{}", help="JSON Recommender params")
    parser.add_argument("--max-rss-gb", type=float, default=18.0)
    parser.add_argument(
        "--reuse-model",
        action="store_true",
        help="answer from the model saved by an earlier run (no training)",
    )
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "scale.json")
    return parser


def _status(field: str) -> int:
    """A ``/proc/self/status`` memory field in bytes (0 where unavailable)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _peak_bytes() -> int:
    return max(
        _status("VmHWM"), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    )


class _Watch:
    """Samples the process's resident memory; ends the run past a limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            rss = _status("VmRSS")
            self.peak = max(self.peak, rss)
            if rss > self.limit:
                print(
                    f"resident memory {rss / GB:.1f} GB passed the limit of "
                    f"{self.limit / GB:.1f} GB: stopping",
                    file=sys.stderr,
                    flush=True,
                )
                os._exit(3)

    def __enter__(self) -> _Watch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


class _Stages(logging.Handler):
    """Keeps the ``segue`` logger's lines with their time since ``start``."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.start = time.perf_counter()
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        at = time.perf_counter() - self.start
        line = {
            "at_s": round(at, 1),
            "rss_gb": round(_status("VmRSS") / GB, 2),
            "message": record.getMessage(),
        }
        self.lines.append(line)
        print(f"{at:8.1f}s {line['rss_gb']:5.1f}GB {line['message']}", file=sys.stderr)


def _catalog_path(args: argparse.Namespace) -> Path:
    return args.work / f"synth-{args.playlists}-seed{args.seed}.duckdb"


def build(args: argparse.Namespace) -> dict[str, Any]:
    """Draw the world and write it into a fresh catalog; return the timings."""
    from segue.catalog import Catalog
    from segue.catalog.synth import SynthConfig, generate

    path = _catalog_path(args)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".partial")
    for stale in (tmp, Path(f"{tmp}.wal")):
        stale.unlink(missing_ok=True)
    start = time.perf_counter()
    world = generate(SynthConfig(playlists=args.playlists, seed=args.seed))
    generate_s = time.perf_counter() - start
    start = time.perf_counter()
    with Catalog(tmp) as catalog:
        world.write_catalog(catalog)
    write_s = time.perf_counter() - start
    tmp.rename(path)
    doc = {
        "playlists": world.n_playlists,
        "tracks": world.n_tracks,
        "items": len(world.playlist_tracks),
        "generate_seconds": round(generate_s, 1),
        "write_catalog_seconds": round(write_s, 1),
        "peak_rss_gb": round(_peak_bytes() / GB, 2),
        "catalog_bytes": path.stat().st_size,
    }
    path.with_suffix(".json").write_text(json.dumps(doc, indent=2) + "\n")
    return doc


def _queries(catalog: Any, count: int, seed: int) -> list[list[str]]:
    """Up to ``count`` random playlists of >= 100 distinct tracks, first 100."""
    from segue.catalog.recsql import ordered_items

    ids = catalog.playlist_ids()
    rng = np.random.default_rng(seed)
    out: list[list[str]] = []
    for _ in range(20):
        pick = [ids[i] for i in rng.choice(len(ids), min(len(ids), 5000), False)]
        for seq in ordered_items(catalog, pick):
            distinct = list(dict.fromkeys(seq))
            if len(distinct) >= 100:
                out.append(distinct[:100])
        if len(out) > count:
            break
    return out[: count + 1]


class _QueryStages(logging.Handler):
    """Collects the seconds of each stage of one query from the DEBUG lines."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.current: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if not isinstance(args, tuple):
            return
        if record.msg == "%s: %d queries in %.3fs":
            self.current[str(args[0])] = float(args[2])  # type: ignore[arg-type]
        elif str(record.msg).startswith("ranker features:"):
            self.current["ranker features"] = float(args[-1])  # type: ignore[arg-type]


def train(path: Path, model_dir: Path, params: dict[str, Any]) -> dict[str, Any]:
    """Train on every playlist of the catalog at ``path`` and save the model."""
    from segue.catalog import Catalog
    from segue.recommend import Recommender

    log = logging.getLogger("segue")
    stages = _Stages()
    log.addHandler(stages)
    log.setLevel(logging.DEBUG)
    out: dict[str, Any] = {}
    try:
        with Catalog(path, read_only=True) as catalog:
            rss0 = _status("VmRSS")
            stages.start = time.perf_counter()
            model = Recommender(**params).fit(catalog)
            out["train_seconds"] = round(time.perf_counter() - stages.start, 1)
            out["train_peak_rss_gb"] = round(_peak_bytes() / GB, 2)
            out["rss_before_train_gb"] = round(rss0 / GB, 2)
            out["stages"] = list(stages.lines)
            start = time.perf_counter()
            model.save(model_dir)
            out["save_seconds"] = round(time.perf_counter() - start, 1)
            out["card"] = model.fitted_.card if model.fitted_ else {}
    finally:
        log.removeHandler(stages)
    out["model_bytes"] = sum(
        p.stat().st_size for p in model_dir.rglob("*") if p.is_file()
    )
    return out


def answer(path: Path, model_dir: Path, queries: int) -> dict[str, Any]:
    """Load the saved model; time recommendations of 500 for 100-track seeds."""
    from segue.catalog import Catalog
    from segue.recommend import Recommender

    out: dict[str, Any] = {}
    with Catalog(path, read_only=True) as catalog:
        start = time.perf_counter()
        model = Recommender.load(model_dir, catalog)
        out["load_seconds"] = round(time.perf_counter() - start, 1)
        seeds = _queries(catalog, queries, 0)
    log = logging.getLogger("segue")
    log.setLevel(logging.DEBUG)
    model.recommend(seeds[0], n=500)  # warm-up
    stages = _QueryStages()
    log.addHandler(stages)
    times = []
    per_stage: dict[str, list[float]] = {}
    try:
        for s in seeds[1:]:
            stages.current = {}
            start = time.perf_counter()
            recs = model.recommend(s, n=500)
            times.append(time.perf_counter() - start)
            assert len(recs) == 500
            for name, seconds in stages.current.items():
                per_stage.setdefault(name, []).append(seconds * 1000)
    finally:
        log.removeHandler(stages)
    out["recommend_500_for_100_seeds"] = _percentiles(np.asarray(times) * 1000)
    out["recommend_stages_ms"] = {
        name: _percentiles(np.asarray(ms)) for name, ms in per_stage.items()
    }
    return out


def _percentiles(ms: npt.NDArray[np.float64]) -> dict[str, Any]:
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
        "max_ms": round(float(ms.max()), 2),
        "calls": len(ms),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the JSON result; return an exit code."""
    args = _parser().parse_args(argv)
    if args.build_only:
        print(json.dumps(build(args)), flush=True)
        return 0
    params = {"num_threads": 2, **json.loads(args.params)}
    doc: dict[str, Any] = {
        "machine": {
            **describe(),
            "memory_gb": round(
                os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / GB, 1
            ),
        },
        "playlists": args.playlists,
        "params": params,
    }
    path = _catalog_path(args)
    model_dir = args.work / f"model-{path.stem}"
    if args.reuse_model and not model_dir.is_dir():
        print(f"no saved model at {model_dir}", file=sys.stderr)
        return 2
    if not path.exists():
        cmd = [sys.executable, str(Path(__file__).resolve()), "--build-only"]
        cmd += ["--playlists", str(args.playlists), "--seed", str(args.seed)]
        cmd += ["--work", str(args.work)]
        subprocess.run(cmd, check=True, cwd=HERE.parent)
    doc["world"] = json.loads(path.with_suffix(".json").read_text())
    with _Watch(int(args.max_rss_gb * GB)) as watch:
        if args.reuse_model:
            doc["speed"] = {"reused_model": str(model_dir)}
        else:
            doc["speed"] = train(path, model_dir, params)
        doc["speed"].update(answer(path, model_dir, args.queries))
    doc["speed"]["peak_rss_gb"] = round(_peak_bytes() / GB, 2)
    doc["speed"]["sampled_peak_rss_gb"] = round(watch.peak / GB, 2)
    doc["machine"]["load_average_at_end"] = os.getloadavg()
    print(json.dumps(doc["speed"]["recommend_500_for_100_seeds"]), file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
