"""Import speed of the catalog: mpd-dev, and a synthetic world of MPD scale (issue 2).

(a) ``segue import mpd`` of ``../shared/data/mpd-dev`` (903 gzipped slices, 3,536
playlists) into a fresh catalog, ``--runs`` times; the median counts.
(b) A synthetic world of ``--playlists`` playlists (default 1,000,000: the size of the
Million Playlist Dataset) is drawn by ``segue.catalog.synth`` and written as plain
MPD slice files of 1,000 playlists to ``benchmarks/work/`` (git-ignored), then
imported with ``segue import mpd``. Targets: under 10 minutes and 4 GB on 2 cores.

Every step runs in a child process; its wall time and peak resident memory (from
``wait4``) are recorded. Writes ``benchmarks/results/import.json``.

Usage::

    python -m benchmarks import_bench
    python benchmarks/import_bench.py --playlists 100000 --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
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
    parser.add_argument("--playlists", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of the mpd-dev import"
    )
    parser.add_argument("--data", type=Path, default=MPD_DEV, help="mpd-dev folder")
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument(
        "--skip-dev", action="store_true", help="only the synthetic run"
    )
    parser.add_argument("--skip-synth", action="store_true", help="only mpd-dev")
    parser.add_argument("--keep", action="store_true", help="keep the written files")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "import.json")
    parser.add_argument(
        "--world", type=Path, help="import these slices instead of writing a world"
    )
    parser.add_argument("--write-world", type=Path, help=argparse.SUPPRESS)
    return parser


def _child(command: list[str]) -> tuple[float, int, str]:
    """Run ``command``; return wall seconds, peak RSS in bytes and its stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{command} exited with {proc.returncode}")
    return seconds, usage.ru_maxrss * 1024, out


def _segue(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "segue", "--db", str(db), "-q", *args]


def _import(db: Path, folder: Path, source: str) -> dict[str, Any]:
    for leftover in (db, db.with_name(db.name + ".wal")):
        leftover.unlink(missing_ok=True)
    seconds, rss, out = _child(
        _segue(db, "import", "mpd", str(folder), "--source", source, "--json")
    )
    summary = json.loads(out)
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(rss / 2**20),
        "catalog_mb": round(db.stat().st_size / 2**20),
        "playlists": summary["playlists"],
        "items": summary["items"],
        "tracks": summary["tracks"],
        "files": summary["files"],
    }


def _write_world(folder: Path, playlists: int, seed: int) -> int:
    """Child mode: draw a world and write it as MPD slices; print timings."""
    from segue.catalog.synth import SynthConfig, generate

    started = time.perf_counter()
    world = generate(SynthConfig(playlists=playlists, seed=seed))
    drawn = time.perf_counter()
    files = world.write_mpd(folder)
    written = time.perf_counter()
    print(
        json.dumps(
            {
                "generate_seconds": round(drawn - started, 2),
                "write_seconds": round(written - drawn, 2),
                "files": len(files),
                "bytes": sum(f.stat().st_size for f in files),
                "playlists": world.n_playlists,
                "tracks": world.n_tracks,
                "items": len(world.playlist_tracks),
            }
        )
    )
    return 0


def _machine() -> dict[str, Any]:
    memory = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        first = meminfo.read_text().splitlines()[0].split()
        memory = int(first[1]) * 1024
    import duckdb
    import numpy

    return {
        **describe(),
        "processor": platform.processor() or platform.machine(),
        "memory_gb": round(memory / 2**30, 1),
        "duckdb": duckdb.__version__,
        "numpy": numpy.__version__,
    }


def _dev(args: argparse.Namespace) -> dict[str, Any]:
    runs = []
    db = args.work / "mpd-dev.duckdb"
    for k in range(args.runs):
        run = _import(db, args.data, "mpd")
        print(f"mpd-dev run {k + 1}: {run}", flush=True)
        runs.append(run)
    db.unlink(missing_ok=True)
    return {
        "command": "segue import mpd ../shared/data/mpd-dev",
        "runs": runs,
        "median_seconds": statistics.median(r["seconds"] for r in runs),
        "max_peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
    }


def _synthetic(args: argparse.Namespace) -> dict[str, Any]:
    if args.world is not None:
        return _reused(args)
    folder = args.work / f"synth-{args.playlists}"
    shutil.rmtree(folder, ignore_errors=True)
    script = [sys.executable, str(Path(__file__).resolve())]
    seconds, rss, out = _child(
        [
            *script,
            "--write-world",
            str(folder),
            "--playlists",
            str(args.playlists),
            "--seed",
            str(args.seed),
        ]
    )
    world = json.loads(out)
    world.update(wall_seconds=round(seconds, 2), peak_rss_mb=round(rss / 2**20))
    print(f"world written: {world}", flush=True)
    db = args.work / f"synth-{args.playlists}.duckdb"
    imported = _import(db, folder, "synthetic")
    print(f"synthetic import: {imported}", flush=True)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
        db.unlink(missing_ok=True)
    return {
        "command": f"segue import mpd benchmarks/work/synth-{args.playlists}",
        "world": world,
        "import": imported,
        "targets": {"seconds": 600, "peak_rss_mb": 4096},
        "meets_targets": imported["seconds"] < 600 and imported["peak_rss_mb"] < 4096,
        "full_scale": args.playlists >= 1_000_000,
    }


def _reused(args: argparse.Namespace) -> dict[str, Any]:
    """Import slices written earlier (``--world``); the world's numbers are kept."""
    db = args.work / "reused.duckdb"
    imported = _import(db, args.world, "synthetic")
    print(f"synthetic import: {imported}", flush=True)
    db.unlink(missing_ok=True)
    key = "synthetic_mpd_scale" if args.playlists >= 1_000_000 else "synthetic"
    earlier = json.loads(args.out.read_text()).get(key, {}) if args.out.exists() else {}
    return {
        "command": f"segue import mpd {args.world}",
        "world": {**earlier.get("world", {}), "reused_from": str(args.world)},
        "import": imported,
        "targets": {"seconds": 600, "peak_rss_mb": 4096},
        "meets_targets": imported["seconds"] < 600 and imported["peak_rss_mb"] < 4096,
        "full_scale": imported["playlists"] >= 1_000_000,
        "previous_import": earlier.get("import"),
    }


def main(argv: list[str]) -> int:
    """Run the benchmark; write the results file; return an exit code."""
    args = _parser().parse_args(argv)
    if args.write_world is not None:
        return _write_world(args.write_world, args.playlists, args.seed)
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    if args.out.exists():
        results = json.loads(args.out.read_text())
    results["date"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    results["machine"] = _machine()
    if not args.skip_dev:
        if not args.data.is_dir():
            print(f"mpd-dev not found at {args.data}; skipping (a)", file=sys.stderr)
        else:
            results["mpd_dev"] = _dev(args)
    if not args.skip_synth:
        key = "synthetic_mpd_scale" if args.playlists >= 1_000_000 else "synthetic"
        results[key] = _synthetic(args)
        results[key]["playlists_requested"] = args.playlists
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main(sys.argv[1:]))
