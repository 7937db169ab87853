"""The versioned schema: creation, migration, refusals."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from segue.catalog import SCHEMA_VERSION, Catalog, SchemaError, _schema
from segue.catalog.records import Artist


def _version(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0])


def test_new_catalog_has_the_current_version(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "catalog.duckdb"
    with Catalog(path) as catalog:
        catalog.upsert([Artist(id="a" * 22, name="A")])
    assert _version(path) == SCHEMA_VERSION
    with Catalog(path, read_only=True) as again:
        assert again.stats()["artists"] == 1


def test_older_catalog_is_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog.duckdb"
    with Catalog(path) as catalog:
        catalog.upsert([Artist(id="a" * 22, name="A")])
    step = "ALTER TABLE artists ADD COLUMN origin VARCHAR DEFAULT 'earth';"
    monkeypatch.setattr(_schema, "MIGRATIONS", (*_schema.MIGRATIONS, step))
    monkeypatch.setattr(_schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(SchemaError, match="open it writable"):
        Catalog(path, read_only=True)
    with Catalog(path) as catalog:
        assert catalog._fetchall("SELECT origin FROM artists") == [("earth",)]
    assert _version(path) == SCHEMA_VERSION + 1


def test_failed_migration_leaves_the_catalog_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog.duckdb"
    Catalog(path).close()
    broken = "ALTER TABLE artists ADD COLUMN x INTEGER; SELECT * FROM no_such_table;"
    monkeypatch.setattr(_schema, "MIGRATIONS", (*_schema.MIGRATIONS, broken))
    monkeypatch.setattr(_schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(duckdb.CatalogException):
        Catalog(path)
    monkeypatch.undo()
    assert _version(path) == SCHEMA_VERSION
    with Catalog(path) as catalog:
        columns = catalog._fetchall(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'artists'"
        )
        assert ("x",) not in columns


def test_newer_catalog_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.duckdb"
    with Catalog(path) as catalog:
        catalog._execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(SchemaError, match="newer than this segue"):
        Catalog(path)


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE things (x INTEGER)")
    con.close()
    with pytest.raises(SchemaError, match="not a segue catalog"):
        Catalog(path)


def test_catalog_without_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.duckdb"
    with Catalog(path) as catalog:
        catalog._execute("DELETE FROM meta")
    with pytest.raises(SchemaError, match="no schema version"):
        Catalog(path)
