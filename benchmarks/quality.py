"""Quality of segue and its peers on the MPD sample, the RecSys Challenge 2018 way.

Imports ``../shared/data/mpd-dev`` into a fresh catalog (or uses ``--db``), draws
1,000 test playlists over the ``first5``, ``first25`` and ``random25`` categories (by
default), runs every default model of ``segue evaluate`` on that one split and writes
``benchmarks/results/quality.json``: the evaluation document (``models``, ``split``,
``timing``) plus the machine it ran on. ``--report DIR`` also writes the report.

Usage::

    python -m benchmarks quality
    python benchmarks/quality.py --test 1000 --jobs 2 --report /tmp/quality-report
    python benchmarks/quality.py --models segue --params '{"candidates": 400}' \
        --out /tmp/sweep.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# the repository root, so that the script can import its sibling module as a package
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import git_state

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MPD_DEV = ROOT.parent / "shared" / "data" / "mpd-dev"
CATEGORIES = "first5,first25,random25"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=MPD_DEV, help="MPD slices")
    parser.add_argument("--db", type=Path, help="use this catalog instead")
    parser.add_argument("--test", type=int, default=1000)
    parser.add_argument("--categories", default=CATEGORIES)
    parser.add_argument("--models", default="default")
    parser.add_argument(
        "--params",
        type=json.loads,
        help="JSON Recommender parameters for the model named segue (a sweep point)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "quality.json")
    parser.add_argument("--report", type=Path, help="also write the report here")
    parser.add_argument(
        "--table", type=Path, help="only print the Markdown table of this JSON file"
    )
    return parser


def main(argv: list[str]) -> int:
    """Run the comparison; return an exit code."""
    args = _parser().parse_args(argv)
    if args.table is not None:
        print(_table(json.loads(args.table.read_text())))
        return 0
    from segue.catalog import Catalog, mpd
    from segue.evaluate import evaluate, make_split

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "catalog.duckdb"
        started = time.perf_counter()
        if args.db is None:
            if not args.data.exists():
                print(f"skipped: no MPD sample at {args.data}", file=sys.stderr)
                return 0
            with Catalog(path) as catalog:
                mpd.import_files(catalog, mpd.find_files([args.data]), source="mpd-dev")
        imported = time.perf_counter() - started
        with Catalog(path, read_only=True) as catalog:
            split = make_split(
                catalog,
                test=args.test,
                categories=args.categories.split(","),
                seed=args.seed,
            )

            def tell(name: str, stage: str) -> None:
                print(f"  {name}: {stage}", flush=True)

            models: list[Any] = args.models.split(",")
            if args.params is not None:
                from segue.recommend import Recommender

                # one thread per model, as the harness gives its own models
                threads = 0 if args.jobs <= 1 else 1
                tuned = Recommender(
                    **{"num_threads": threads, "random_state": args.seed, **args.params}
                )
                models = [tuned if m == "segue" else m for m in models]
            result = evaluate(
                catalog,
                split,
                models,
                n=args.n,
                jobs=args.jobs,
                seed=args.seed,
                progress=tell,
            )
        doc: dict[str, Any] = result.to_dict()
    doc["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "jobs": args.jobs,
        "import_s": round(imported, 2),
        "total_s": round(time.perf_counter() - started, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        **git_state(),
    }
    targets = _targets(doc)
    if targets:
        doc["targets"] = targets
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2, allow_nan=False) + "\n")
    if args.report is not None:
        from segue.evaluate.report import write_report

        write_report(doc, args.report, title="segue quality on mpd-dev")
    print(_table(doc))
    print(f"wrote {args.out}")
    return 0


def _targets(doc: dict[str, Any]) -> dict[str, Any]:
    """segue against the targets of the recommender issue, when both models ran.

    R-precision and NDCG at least 1.20x those of ``als-tuned``, clicks within 2% of
    its clicks or better, no version of a seed in the first 50, training under
    2 minutes; over every test playlist of the run (``all``).
    """
    models = doc["models"]
    if "segue" not in models or "als-tuned" not in models:
        return {}
    mine, peer = models["segue"]["all"], models["als-tuned"]["all"]
    result: dict[str, Any] = {
        "r_precision_ratio": mine["r_precision"] / peer["r_precision"],
        "ndcg_ratio": mine["ndcg"] / peer["ndcg"],
        "clicks_ratio": mine["clicks"] / peer["clicks"],
        "dup_seeds@50": mine["dup_seeds@50"],
        "fit_s": doc["timing"]["segue"]["fit_s"],
    }
    result["met"] = {
        "r_precision": result["r_precision_ratio"] >= 1.2,
        "ndcg": result["ndcg_ratio"] >= 1.2,
        "clicks": result["clicks_ratio"] <= 1.02,
        "dup_seeds@50": result["dup_seeds@50"] == 0,
        "fit_s": result["fit_s"] < 120,
    }
    return result


def _table(doc: dict[str, Any]) -> str:
    """A Markdown table of the headline numbers, per category."""
    keys = ["r_precision", "r_precision_artist", "ndcg", "ndcg_rules", "clicks"]
    keys += ["recall@50", "recall@500"]
    lines = [
        "| model | category | " + " | ".join(keys) + " | fit s | recommend s |",
        "|" + " --- |" * (len(keys) + 4),
    ]
    for model, by_category in doc["models"].items():
        timing = doc["timing"][model]
        for category, values in by_category.items():
            cells = " | ".join(f"{values[k]:.4f}" for k in keys)
            lines.append(
                f"| {model} | {category} | {cells} | {timing['fit_s']:.1f} | "
                f"{timing['recommend_s']:.1f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
