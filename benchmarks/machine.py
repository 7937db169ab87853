"""What every benchmark records beside its numbers: the machine and the code measured.

Imported by the benchmark scripts whether they run as ``python benchmarks/NAME.py`` or
as ``python -m benchmarks NAME``.
"""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def describe() -> dict[str, Any]:
    """The machine (Python, platform, cores, load average) and the code measured."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        **git_state(),
    }


def git_state() -> dict[str, Any]:
    """The commit measured, and whether ``src`` had uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "src"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return {}
    return {"commit": commit or None, "src_uncommitted_changes": bool(dirty)}
