"""Errors raised by :mod:`segue.catalog`.

Every error of the package derives from one root, so callers can catch the family::

    CatalogError
    ├── SchemaError          not a segue catalog, or one newer than this segue
    ├── NotFound             a playlist, track or source named does not exist
    └── ImportFailed         an import stopped; the catalog is as it was before
        ├── MalformedFile    the file cannot be parsed (truncated, wrong layout)
        └── InvalidValue     a value is outside its documented range

``ImportFailed`` carries ``path`` and, where known, ``line`` and ``field`` so that a
command-line front end can name them.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CatalogError",
    "ImportFailed",
    "InvalidValue",
    "MalformedFile",
    "NotFound",
    "SchemaError",
]


class CatalogError(Exception):
    """Root of every error raised by :mod:`segue.catalog`."""


class SchemaError(CatalogError):
    """The database is not a segue catalog or was written by a newer segue."""


class NotFound(CatalogError):
    """A playlist, track or source named by the caller does not exist."""


class ImportFailed(CatalogError):
    """An import stopped and was rolled back.

    Parameters
    ----------
    path
        The file being imported.
    message
        What went wrong, for a person.
    line
        The 1-based line (CSV) or record (JSON) where it went wrong, if known.
    field
        The column or JSON field at fault, if known.
    """

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.reason = message
        where = self.path if line is None else f"{self.path}:{line}"
        if field is not None:
            where = f"{where}: field {field!r}"
        super().__init__(f"{where}: {message}")


class MalformedFile(ImportFailed):
    """The file cannot be parsed: truncated, not JSON or CSV, or an unknown layout."""


class InvalidValue(ImportFailed):
    """A value lies outside its documented range or has the wrong type."""
