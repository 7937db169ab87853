"""Run every benchmark of segue, one after the other, and say where the results are.

Each benchmark is a script of this folder with a ``main(argv)`` function; it writes its
numbers as JSON into ``benchmarks/results/``. ``python -m benchmarks NAME...`` runs only
the named ones.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = (
    "import_bench",
    "client",
    "recommend_bench",
    "quality",
    "serve_bench",
    "fit_parts",
    "scale_bench",
)


def main(argv: list[str]) -> int:
    """Run the benchmarks named in ``argv`` (all when empty); return an exit code."""
    wanted = argv or [n for n in ORDER if (HERE / f"{n}.py").exists()]
    failed = []
    for name in wanted:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        code = module.main([])
        print(f"== {name}: exit {code} after {time.perf_counter() - started:.0f}s")
        if code:
            failed.append(name)
    print(f"results: {HERE / 'results'}; summary: {HERE / 'README.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
