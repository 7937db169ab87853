"""Playlist-title words to tracks: a title alone gets recommendations.

Titles are normalised (accents, case, punctuation; emoji kept as words) and cut into
words and character trigrams of each word, weighted by TF-IDF. A query's title is
compared with every training playlist's title by cosine; the ``neighbours`` most
similar playlists vote for their tracks.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from segue.recommend.data import Candidates, Seeds, TrainingData
from segue.recommend.generators.base import Generator
from segue.recommend.generators.neighbours import keep_top, vote
from segue.recommend.strings import pack_strings, unpack_strings

__all__ = ["Title", "normalise_playlist_title", "title_terms"]

log = logging.getLogger("segue")

_SPACES = re.compile(r"\s+")


def normalise_playlist_title(title: str) -> str:
    """Lower-case words without accents or punctuation; emoji and symbols kept."""
    text = unicodedata.normalize("NFKD", title)
    chars = []
    for c in text:
        cat = unicodedata.category(c)
        if cat.startswith("M") or c in "\ufe0f\u200d":
            continue
        chars.append(" " if cat.startswith(("P", "Z")) else c)
    return _SPACES.sub(" ", "".join(chars).casefold()).strip()


def title_terms(title: str) -> list[str]:
    """Words (``w:``) and word trigrams (``g:``) of a normalised title."""
    text = normalise_playlist_title(title)
    terms: list[str] = []
    for word in text.split():
        terms.append("w:" + word)
        padded = f"#{word}#"
        terms.extend("g:" + padded[i : i + 3] for i in range(len(padded) - 2))
    return terms


class Title(Generator):
    """Vote of the training playlists whose titles are most like the query's.

    Parameters
    ----------
    neighbours
        Playlists that vote.
    power
        Sharpening of the title similarity.
    min_df
        Terms in fewer training titles are ignored.

    Attributes
    ----------
    vocabulary_
        Term to column of the title matrix.
    idf_
        Shape ``(n_terms,)``, float32.
    titles_t_
        CSR of shape ``(n_terms, n_playlists)``: unit-length TF-IDF title vectors.
    """

    name = "title"

    def __init__(self, neighbours: int = 200, power: float = 2.0, min_df: int = 2):
        self.neighbours = neighbours
        self.power = power
        self.min_df = min_df

    def fit(self, data: TrainingData) -> Self:
        """Index the training playlists' titles."""
        start = time.perf_counter()
        # many playlists share a title: each distinct one is cut up once
        distinct, inverse = _distinct(data.titles)
        docs = [title_terms(t) if t else [] for t in distinct]
        uses = np.bincount(inverse, minlength=len(distinct)).tolist()
        df: dict[str, int] = {}
        for terms, n in zip(docs, uses, strict=True):
            for term in set(terms):
                df[term] = df.get(term, 0) + n
        kept = sorted(t for t, n in df.items() if n >= self.min_df)
        self.vocabulary_ = {t: i for i, t in enumerate(kept)}
        n_docs = max(len(inverse), 1)
        self.idf_ = np.asarray(
            [np.log((1 + n_docs) / (1 + df[t])) + 1 for t in kept], dtype=np.float32
        )
        self.data_ = data
        self.titles_t_ = self._index_titles(docs, inverse)
        log.debug(
            "title: %d distinct titles, %d terms in %.2fs",
            len(distinct),
            len(kept),
            time.perf_counter() - start,
        )
        return self

    def _index_titles(
        self, docs: Sequence[Sequence[str]], inverse: npt.NDArray[np.int64]
    ) -> sp.csr_matrix:
        """CSR of shape ``(n_terms, n_playlists)`` from the distinct titles' terms."""
        return sp.csr_matrix(self._vectorise(docs)[inverse].T)

    def _vectorise(self, docs: Sequence[Sequence[str]]) -> sp.csr_matrix:
        rows, cols = [], []
        for r, terms in enumerate(docs):
            for term in terms:
                c = self.vocabulary_.get(term)
                if c is not None:
                    rows.append(r)
                    cols.append(c)
        m = sp.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)),
            shape=(len(docs), len(self.vocabulary_)),
            dtype=np.float32,
        )
        m.sum_duplicates()
        m.data = (1 + np.log(m.data)) * self.idf_[m.indices]
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        return sp.csr_matrix(sp.diags(1 / np.maximum(norms, 1e-12)) @ m)

    def state(self) -> dict[str, npt.NDArray[Any]]:
        """Vocabulary and IDF weights."""
        blob, offsets = pack_strings(list(self.vocabulary_))
        return {"terms": blob, "offsets": offsets, "idf": self.idf_}

    def restore(
        self, data: TrainingData, arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        """Take back the vocabulary and re-index the training titles."""
        terms = unpack_strings(arrays["terms"], arrays["offsets"]).tolist()
        self.vocabulary_ = {t: i for i, t in enumerate(terms)}
        self.idf_ = np.asarray(arrays["idf"], dtype=np.float32)
        self.data_ = data
        distinct, inverse = _distinct(data.titles)
        docs = [title_terms(t) if t else [] for t in distinct]
        self.titles_t_ = self._index_titles(docs, inverse)

    def similarities(self, titles: Sequence[str | None]) -> sp.csr_matrix:
        """CSR of shape ``(n_queries, n_playlists)``: title cosine similarities."""
        self._data()
        docs = [title_terms(t) if t else [] for t in titles]
        return sp.csr_matrix(self._vectorise(docs) @ self.titles_t_)

    def weights(self, queries: Sequence[Seeds]) -> sp.csr_matrix:
        """CSR of shape ``(n_queries, n_playlists)``: the neighbours' votes."""
        sims = self.similarities([q.title for q in queries])
        return keep_top(sims, self.neighbours, self.power)

    def score_matrix(self, queries: Sequence[Seeds]) -> sp.csr_matrix:
        """CSR of shape ``(n_queries, n_tracks)``: the votes for every track."""
        data = self._data()
        if not any(q.title for q in queries):
            return sp.csr_matrix((len(queries), data.n_tracks), dtype=np.float32)
        return sp.csr_matrix(self.weights(queries) @ data.matrix)

    def candidates(self, queries: Sequence[Seeds], k: int) -> list[Candidates]:
        """The tracks of the playlists whose titles are most like the query's."""
        return vote(self.weights(queries), self._data().matrix, queries, k)


def _distinct(
    titles: npt.NDArray[np.object_],
) -> tuple[list[str | None], npt.NDArray[np.int64]]:
    """The distinct titles in first-seen order, and each playlist's among them."""
    where: dict[str | None, int] = {}
    inverse = np.fromiter(
        (where.setdefault(t, len(where)) for t in titles.tolist()),
        dtype=np.int64,
        count=len(titles),
    )
    return list(where), inverse
