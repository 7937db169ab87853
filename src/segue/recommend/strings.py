"""Strings as plain arrays, so that model files need no pickle.

A list of strings (None allowed) becomes one UTF-8 byte array and an offsets array.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["pack_strings", "unpack_strings"]


def pack_strings(
    values: Sequence[str | None],
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    """Encode ``n`` strings.

    Returns
    -------
    blob
        Shape ``(total_bytes,)``, uint8: the UTF-8 bytes one after the other.
    offsets
        Shape ``(n + 1 + n_none + 1,)``, int64: string ``i`` is
        ``blob[offsets[i]:offsets[i + 1]]``; then the positions of the Nones; last,
        ``n``.
    """
    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    lengths = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
    missing = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
    offsets = np.concatenate([offsets, np.flatnonzero(missing).astype(np.int64)])
    offsets = np.concatenate([offsets, np.asarray([len(encoded)], dtype=np.int64)])
    return blob, offsets


def unpack_strings(
    blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64]
) -> npt.NDArray[np.object_]:
    """Decode what :func:`pack_strings` made: shape ``(n,)`` object array."""
    n = int(offsets[-1])
    bounds = offsets[: n + 1]
    missing = offsets[n + 1 : -1]
    raw = blob.tobytes()
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = raw[bounds[i] : bounds[i + 1]].decode("utf-8")
    out[missing] = None
    return out
