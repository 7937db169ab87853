"""segue's playlist-continuation recommender.

See :mod:`segue.recommend.base` for the contract every model meets, and
:class:`Recommender` for segue's own two-stage model.

Modules
-------
``base``         the :class:`Model` protocol and :class:`Query`, shared with peers
``generators``   candidate generators (ALS, co-occurrence, playlist kNN, artist and
                 album, title, audio features, popularity)
``ranker``       ranker features and the LightGBM lambdarank model
``versions``     version-aware title normalisation and dedupe keys
``diversity``    artist cap and MMR re-ranking
``model_io``     model directories: arrays, ranker text, JSON card
``recommender``  :class:`Recommender`, :class:`Recommendations`, :class:`Explanation`
``peers``        the baselines segue is measured against and studies compare with:
                 popularity, implicit ALS, item-kNN
``errors``       the exception tree, rooted at :class:`RecommendError`
"""

from segue.recommend.base import Model, Query
from segue.recommend.errors import (
    EmptyQuery,
    ModelFileError,
    ModelMismatch,
    NotFitted,
    RecommendError,
    UnknownTracks,
    UnknownTrackWarning,
)
from segue.recommend.recommender import Explanation, Recommendations, Recommender

__all__ = [
    "EmptyQuery",
    "Explanation",
    "Model",
    "ModelFileError",
    "ModelMismatch",
    "NotFitted",
    "Query",
    "RecommendError",
    "Recommendations",
    "Recommender",
    "UnknownTrackWarning",
    "UnknownTracks",
]
