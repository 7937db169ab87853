"""segue's playlist-continuation recommender.

See :mod:`segue.recommend.base` for the contract every model meets.
"""

from segue.recommend.base import Model, Query

__all__ = ["Model", "Query"]
