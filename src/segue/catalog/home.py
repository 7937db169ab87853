"""Where segue keeps its files: ``$SEGUE_HOME``, else the user data directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["data_dir", "default_catalog_path"]


def data_dir() -> Path:
    """segue's data directory: ``$SEGUE_HOME``, else the user data directory
    (``~/.local/share/segue`` on Linux)."""
    home = os.environ.get("SEGUE_HOME")
    return Path(home) if home else Path(platformdirs.user_data_dir("segue"))


def default_catalog_path() -> Path:
    """The catalog used when none is named: ``catalog.duckdb`` in :func:`data_dir`."""
    return data_dir() / "catalog.duckdb"
