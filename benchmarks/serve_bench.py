"""Latency of ``GET /v1/recommendations`` under a fixed offered load (issue 8).

Imports ``../shared/data/mpd-dev`` into a catalog (or uses ``--db``), trains segue's
Recommender on it (or uses ``--model``), starts ``segue serve --workers 2`` in a
subprocess and offers ``--rate`` requests per second for ``--seconds`` seconds, open
loop: request ``i`` is due at ``t0 + i / rate`` whether or not earlier ones have
answered, and its latency counts from that due time, so a slow server is not hidden
by a polite client (no coordinated omission). Seeds are 1-5 tracks of random mpd-dev
playlists, ``limit=20``. Target: p95 under 60 ms at 100 requests per second on two
cores. The load generator runs on the same machine and takes its share of the CPU.
Writes ``benchmarks/results/serve.json``.

Usage::

    python -m benchmarks serve_bench
    python benchmarks/serve_bench.py --seconds 30 --rate 100 --work /tmp/serve-bench
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# the repository root, so that the script can import its sibling module as a package
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MPD_DEV = ROOT.parent / "shared" / "data" / "mpd-dev"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=MPD_DEV, help="MPD slices")
    parser.add_argument("--db", type=Path, help="use this catalog")
    parser.add_argument("--model", help="use this model directory (or 'popularity')")
    parser.add_argument("--work", type=Path, help="keep catalog and model here")
    parser.add_argument(
        "--rate",
        type=float,
        nargs="+",
        default=[100.0, 50.0],
        help="offered requests/s; one measured run per rate",
    )
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds, unmeasured")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "serve.json")
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="import and train into --work, then stop (measure later)",
    )
    return parser


def _prepare(args: argparse.Namespace, work: Path) -> tuple[Path, str, dict[str, Any]]:
    from segue.catalog import Catalog, mpd

    timing: dict[str, Any] = {}
    db = args.db or work / "catalog.duckdb"
    if not db.exists():
        started = time.perf_counter()
        with Catalog(db) as catalog:
            mpd.import_files(catalog, mpd.find_files([args.data]), source="mpd-dev")
        timing["import_s"] = round(time.perf_counter() - started, 1)
    model = args.model or str(work / "model")
    if args.model is None and not (work / "model").exists():
        recommender = importlib.import_module("segue.recommend.recommender")

        started = time.perf_counter()
        with Catalog(db, read_only=True) as catalog:
            recommender.Recommender(random_state=args.seed).fit(catalog).save(
                work / "model"
            )
        timing["train_s"] = round(time.perf_counter() - started, 1)
    return db, model, timing


def _seed_pool(db: Path, seed: int, n: int = 2000) -> list[str]:
    from segue.catalog import Catalog

    rng = random.Random(seed)
    with Catalog(db, read_only=True) as catalog:
        ids = catalog.playlist_ids()
        queries = []
        for pid in rng.sample(ids, min(n, len(ids))):
            tracks = [i.track_id for i in catalog.playlist(pid).items or ()]
            if tracks:
                k = rng.randint(1, min(5, len(tracks)))
                queries.append(",".join(rng.sample(tracks, k)))
    return queries


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def _offer(
    base: str, queries: list[str], rate: float, seconds: float, senders: int = 64
) -> dict[str, Any]:
    """Offer ``rate`` requests per second; ``senders`` connections carry them.

    A scheduler enqueues request ``i`` at its due time; free senders take requests
    from the queue. Requests that wait for a sender still count that wait in their
    latency (open loop), while the HTTP client never holds more than ``senders``
    requests (httpx's pool slows down badly with thousands waiting in it).
    """
    import httpx

    total = int(rate * seconds)
    latencies: list[float] = []
    service: list[float] = []
    statuses: dict[str, int] = {}
    due_queue: asyncio.Queue[tuple[int, float] | None] = asyncio.Queue()
    limits = httpx.Limits(max_connections=senders, max_keepalive_connections=senders)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:
        t0 = time.perf_counter() + 0.2

        async def schedule() -> None:
            for i in range(total):
                due = t0 + i / rate
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                due_queue.put_nowait((i, due))
            for _ in range(senders):
                due_queue.put_nowait(None)

        async def sender() -> None:
            while (job := await due_queue.get()) is not None:
                i, due = job
                sent = time.perf_counter()
                try:
                    r = await http.get(
                        "/v1/recommendations",
                        params={
                            "seed_tracks": queries[i % len(queries)],
                            "limit": "20",
                        },
                    )
                    key = str(r.status_code)
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                done = time.perf_counter()
                statuses[key] = statuses.get(key, 0) + 1
                latencies.append(done - due)
                service.append(done - sent)

        await asyncio.gather(schedule(), *(sender() for _ in range(senders)))
        elapsed = time.perf_counter() - t0
    return {
        "offered": total,
        "elapsed_s": elapsed,
        "statuses": statuses,
        "latencies": latencies,
        "service": service,
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def _summary(
    rate: float,
    run: dict[str, Any],
    before: tuple[float, float, float],
    after: tuple[float, float, float],
) -> dict[str, Any]:
    lat_ms = [x * 1e3 for x in run["latencies"]]
    svc_ms = [x * 1e3 for x in run["service"]]
    ok = run["statuses"].get("200", 0)
    return {
        "offered_rps": rate,
        "requests": run["offered"],
        "statuses": run["statuses"],
        "achieved_rps": round(ok / run["elapsed_s"], 1),
        "latency_ms_from_due_time": {
            "p50": round(_pct(lat_ms, 50), 1),
            "p95": round(_pct(lat_ms, 95), 1),
            "p99": round(_pct(lat_ms, 99), 1),
            "max": round(max(lat_ms), 1),
        },
        "latency_ms_from_send_time": {
            "p50": round(_pct(svc_ms, 50), 1),
            "p95": round(_pct(svc_ms, 95), 1),
        },
        "target_met": rate >= 100 and _pct(lat_ms, 95) < 60.0 and ok == run["offered"],
        "load_avg_before": [round(x, 2) for x in before],
        "load_avg_after": [round(x, 2) for x in after],
    }


def main(argv: list[str]) -> int:
    """Run the benchmark; return an exit code."""
    args = _parser().parse_args(argv)
    if args.db is None and not args.data.exists():
        print(f"skipped: no MPD sample at {args.data}", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        db, model, timing = _prepare(args, work)
        if args.prepare_only:
            print(json.dumps({"prepared": str(work), **timing}))
            return 0
        queries = _seed_pool(db, args.seed)
        port = _free_port()
        env = {**os.environ, "SEGUE_HOME": str(work / "home")}
        started = time.perf_counter()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "segue",
                "-q",
                "serve",
                "--db",
                str(db),
                "--model",
                model,
                "--port",
                str(port),
                "--workers",
                str(args.workers),
                "--data-dir",
                str(work / "serve-data"),
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            import httpx

            deadline = time.monotonic() + 600
            while True:
                if proc.poll() is not None:
                    print("the server exited before answering", file=sys.stderr)
                    return 1
                try:
                    if httpx.get(base + "/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    print("the server did not start in 600 s", file=sys.stderr)
                    return 1
                time.sleep(0.5)
            timing["server_start_s"] = round(time.perf_counter() - started, 1)
            asyncio.run(_offer(base, queries, args.rate[0], args.warmup))
            runs = []
            for k, rate in enumerate(args.rate):
                load_before = os.getloadavg()
                ordered = queries[k:] + queries[:k]
                run = asyncio.run(_offer(base, ordered[::-1], rate, args.seconds))
                runs.append((rate, run, load_before, os.getloadavg()))
                time.sleep(2.0)  # let a backlog drain before the next rate
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    result = {
        "benchmark": "serve",
        "endpoint": "GET /v1/recommendations?seed_tracks=1..5 ids&limit=20",
        "model": "segue Recommender" if args.model is None else args.model,
        "workers": args.workers,
        "seconds_per_run": args.seconds,
        "target": "p95 < 60 ms at 100 rps",
        "runs": [
            _summary(rate, run, before, after) for rate, run, before, after in runs
        ],
        "timing": timing,
        "machine": {
            **describe(),
            "note": "load generator on the same machine; cores shared with other "
            "work (see load_avg in each run)",
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["runs"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
