"""Model files: a directory of ``.npy`` arrays, a ranker in text and a JSON card.

Layout of a model directory::

    card.json                  what, from which data, with which parameters
    data.<name>.npy            the training matrix and track columns
    gen.<generator>.<name>.npy what each generator learned
    ranker.txt                 the LightGBM booster (``model_to_string``), if any

Nothing is pickled: arrays are read with ``numpy.load(allow_pickle=False)`` and
strings are stored as UTF-8 bytes with offsets (:mod:`.strings`).

Writing is atomic: everything goes to a fresh sibling directory first, which then
replaces the old model by two renames (old aside, new in place), and the old copy is
deleted last. A failure before the renames leaves the old model untouched.

The card records a fingerprint of the catalog's track ids. Loading against a
catalog accepts the same fingerprint, or a catalog that holds every track of the
model (it grew since); anything else is a :class:`ModelMismatch`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from segue import __version__
from segue.catalog import Catalog
from segue.recommend.data import TrainingData
from segue.recommend.errors import ModelFileError, ModelMismatch, NotFitted
from segue.recommend.strings import pack_strings, unpack_strings

if TYPE_CHECKING:
    from segue.recommend.recommender import Recommender

__all__ = ["FORMAT", "load_model", "read_card", "save_model"]

log = logging.getLogger("segue")

FORMAT = 1
"""Version of the directory layout; bumped when it changes incompatibly."""

_STRING_COLUMNS = ("track_ids", "names", "artist_names", "isrcs", "titles")


def tracks_fingerprint(track_ids: npt.NDArray[np.object_]) -> str:
    """SHA-256 hex digest of a model's track ids, in column order."""
    digest = hashlib.sha256()
    for t in track_ids.tolist():
        digest.update(str(t).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _data_arrays(data: TrainingData) -> dict[str, npt.NDArray[Any]]:
    m = data.matrix
    arrays: dict[str, npt.NDArray[Any]] = {
        "indptr": m.indptr.astype(np.int64, copy=False),
        "indices": m.indices.astype(np.int32, copy=False),
        "values": m.data.astype(np.float32, copy=False),
        "artists": data.artists,
        "albums": data.albums,
        "features": data.features,
    }
    for name in _STRING_COLUMNS:
        blob, offsets = pack_strings(list(getattr(data, name)))
        arrays[f"{name}_blob"] = blob
        arrays[f"{name}_offsets"] = offsets
    return arrays


def _data_from(arrays: Mapping[str, npt.NDArray[Any]]) -> TrainingData:
    strings = {
        name: unpack_strings(arrays[f"{name}_blob"], arrays[f"{name}_offsets"])
        for name in _STRING_COLUMNS
    }
    n_tracks = len(strings["track_ids"])
    n_playlists = len(arrays["indptr"]) - 1
    matrix = sp.csr_matrix(
        (arrays["values"], arrays["indices"], arrays["indptr"]),
        shape=(n_playlists, n_tracks),
    )
    return TrainingData(
        matrix=matrix,
        titles=strings["titles"],
        track_ids=strings["track_ids"],
        names=strings["names"],
        artist_names=strings["artist_names"],
        artists=np.asarray(arrays["artists"], dtype=np.int64),
        albums=np.asarray(arrays["albums"], dtype=np.int64),
        isrcs=strings["isrcs"],
        features=np.asarray(arrays["features"], dtype=np.float32),
    )


def save_model(
    model: Recommender, path: Path, *, metrics: Mapping[str, float] | None = None
) -> Path:
    """Write a fitted model to the directory ``path``, replacing it atomically.

    Returns
    -------
    Path
        ``path``.
    """
    fitted = model.fitted_
    if fitted is None:
        raise NotFitted("Recommender")
    start = time.perf_counter()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.new-", dir=path.parent))
    try:
        files: list[str] = []

        def put(name: str, array: npt.NDArray[Any]) -> None:
            np.save(tmp / name, np.ascontiguousarray(array), allow_pickle=False)
            files.append(name)

        for name, array in _data_arrays(fitted.data).items():
            put(f"data.{name}.npy", array)
        put("data.keys.npy", fitted.keys)
        put("data.keys_remix.npy", fitted.keys_remix)
        for gname, gen in fitted.generators.items():
            for name, array in gen.state().items():
                put(f"gen.{gname}.{name}.npy", array)
        if fitted.booster is not None:
            (tmp / "ranker.txt").write_text(fitted.booster.model_to_string())
            files.append("ranker.txt")
        card = {
            "format": FORMAT,
            "kind": "segue.Recommender",
            "segue_version": __version__,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "parameters": model.get_params(),
            "data": {
                **fitted.card,
                "tracks_fingerprint": tracks_fingerprint(fitted.data.track_ids),
            },
            "generators": {
                name: gen.get_params() for name, gen in fitted.generators.items()
            },
            "metrics": dict(metrics or fitted.card.get("metrics", {})),
            "files": sorted(files),
        }
        with open(tmp / "card.json", "w", encoding="utf-8") as fh:
            json.dump(card, fh, indent=2, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        old: Path | None = None
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
            os.rmdir(old)
            os.replace(path, old)
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    log.debug("saved model to %s in %.2fs", path, time.perf_counter() - start)
    return path


def read_card(path: Path) -> dict[str, Any]:
    """The JSON card of a model directory.

    Raises
    ------
    ModelFileError
        No readable card.
    """
    card_path = Path(path) / "card.json"
    if not card_path.is_file():
        raise ModelFileError(f"{path}: not a segue model directory (no card.json)")
    try:
        card: dict[str, Any] = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"{card_path}: unreadable model card: {exc}") from exc
    if card.get("format") != FORMAT or card.get("kind") != "segue.Recommender":
        raise ModelFileError(
            f"{card_path}: model format {card.get('format')!r} of kind "
            f"{card.get('kind')!r}; this segue reads format {FORMAT}"
        )
    return card


def load_model(path: Path, catalog: Catalog | None = None) -> Recommender:
    """Read a model directory written by :func:`save_model`.

    Parameters
    ----------
    path
        The directory.
    catalog
        When given, check that the model belongs to it.

    Raises
    ------
    ModelFileError
        The directory is missing, incomplete or corrupt.
    ModelMismatch
        The model was built from another catalog.
    """
    from segue.recommend.recommender import Recommender

    start = time.perf_counter()
    path = Path(path)
    card = read_card(path)
    arrays: dict[str, npt.NDArray[Any]] = {}
    for name in card.get("files", []):
        if not name.endswith(".npy"):
            continue
        try:
            arrays[name[: -len(".npy")]] = np.load(path / name, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ModelFileError(f"{path / name}: unreadable array: {exc}") from exc
    try:
        data = _data_from(
            {k[5:]: v for k, v in arrays.items() if k.startswith("data.")}
        )
    except KeyError as exc:
        raise ModelFileError(f"{path}: missing array data.{exc.args[0]}") from exc
    info = card.get("data", {})
    if info.get("tracks_fingerprint") != tracks_fingerprint(data.track_ids):
        raise ModelFileError(f"{path}: track ids do not match the card (corrupt)")
    if catalog is not None:
        _check_catalog(path, info, data, catalog)

    params = dict(card.get("parameters", {}))
    model = Recommender(**params)
    generators = model._make_generators()
    for gname, gen in generators.items():
        prefix = f"gen.{gname}."
        state = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
        try:
            gen.restore(data, state)
        except KeyError as exc:
            raise ModelFileError(
                f"{path}: missing array {prefix}{exc.args[0]}"
            ) from exc
    booster = None
    if "ranker.txt" in card.get("files", []):
        import lightgbm

        try:
            text = (path / "ranker.txt").read_text()
            booster = lightgbm.Booster(model_str=text)
        except (OSError, lightgbm.basic.LightGBMError) as exc:
            raise ModelFileError(
                f"{path / 'ranker.txt'}: unreadable ranker: {exc}"
            ) from exc
        from segue.recommend import ranker

        if booster.feature_name() != list(ranker.FEATURES):
            raise ModelFileError(
                f"{path / 'ranker.txt'}: the ranker was trained on other features "
                "than this segue computes (a model of another version); run "
                "`segue train` again"
            )
    try:
        keys = (
            np.asarray(arrays["data.keys"], dtype=np.int64),
            np.asarray(arrays["data.keys_remix"], dtype=np.int64),
        )
    except KeyError as exc:
        raise ModelFileError(f"{path}: missing array {exc.args[0]}") from exc
    fitted = model._assemble(data, generators, booster, keys)
    fitted.card = dict(info)
    fitted.card["metrics"] = card.get("metrics", {})
    model.fitted_ = fitted
    log.debug("loaded model %s in %.2fs", path, time.perf_counter() - start)
    return model


def _check_catalog(
    path: Path, info: Mapping[str, Any], data: TrainingData, catalog: Catalog
) -> None:
    from segue.catalog.recsql import track_fingerprint

    if info.get("catalog_fingerprint") == track_fingerprint(catalog):
        return
    known = catalog.known_tracks(data.track_ids.tolist())
    if len(known) == len(data.track_ids):
        return
    raise ModelMismatch(
        f"the model in {path} was built from another catalog "
        f"({info.get('catalog')}): {len(data.track_ids) - len(known):,} of its "
        f"{len(data.track_ids):,} tracks are not in {catalog.path}; train it again "
        "with `segue train`"
    )
