"""The public API: ``__all__`` is complete, sorted, and every name is documented."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import segue.spotify as sp

PACKAGE = Path(sp.__file__).parent


def test_all_lists_every_public_name_once_and_sorted_by_ruff_rules() -> None:
    public = {name for name in vars(sp) if not name.startswith("_")}
    modules = {n for n in public if inspect.ismodule(getattr(sp, n))}
    assert set(sp.__all__) == public - modules
    assert len(sp.__all__) == len(set(sp.__all__))


def test_public_objects_have_docstrings_and_module_rewritten() -> None:
    for name in sp.__all__:
        obj = getattr(sp, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), name
            assert obj.__module__ == "segue.spotify", name


def test_client_methods_are_twins_and_documented() -> None:
    sync = {n for n in vars(sp.Spotify) if not n.startswith("_")}
    asyn = {n for n in vars(sp.AsyncSpotify) if not n.startswith("_")}
    assert sync - {"close"} == asyn - {"aclose"}
    for name in sync - {"close"}:
        a, b = getattr(sp.Spotify, name), getattr(sp.AsyncSpotify, name)
        assert inspect.getdoc(a), name
        assert inspect.getdoc(b), name
        if callable(a):
            assert inspect.signature(a).parameters.keys() == (
                inspect.signature(b).parameters.keys()
            ), name
            if name.startswith("iter_") or name in ("stats", "pacer"):
                continue
            assert inspect.iscoroutinefunction(b), name


def test_package_imports_nothing_else_of_segue() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert not (node.module or "").startswith("segue"), path
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("segue"), path
