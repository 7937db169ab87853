"""segue.spotify: a careful, fast client for the 2026 Spotify Web API.

:class:`Spotify` (blocking) and :class:`AsyncSpotify` (asyncio) share one I/O-free
protocol core and talk HTTP/2 through httpx. They return msgspec models, page through
every list, pace themselves under Spotify's rolling rate limit, never sleep longer than
``max_wait`` on a 429, and know which endpoints Spotify removed in 2024-2026.
This package imports nothing else of segue.

Examples
--------
>>> from segue.spotify import Spotify
>>> with Spotify(client_id="id", client_secret="secret") as sp:  # doctest: +SKIP
...     for item in sp.iter_search("daft punk", "track", max_items=30):
...         print(item.name)
"""

from ._auth import Auth, Authorization, ClientCredentials, UserAuth
from ._client import AsyncSpotify, Spotify
from ._endpoints import REMOVED, Endpoint
from ._errors import (
    STATUS_ERRORS,
    AuthError,
    BadGateway,
    BadRequest,
    ClientError,
    EndpointUnavailable,
    Forbidden,
    GatewayTimeout,
    HTTPError,
    InternalServerError,
    LoginRequired,
    NotFound,
    QuotaExceeded,
    RateLimited,
    RequestTimeout,
    ServerError,
    ServiceUnavailable,
    SpotifyError,
    TransportError,
    Unauthorized,
    ValidationError,
    error_class,
)
from ._ids import chunked, parse_id, to_uri
from ._login import exchange_code, login
from ._models import (
    Album,
    Artist,
    AudioFeatures,
    Copyright,
    CursorPaging,
    Cursors,
    Episode,
    ExternalIds,
    Followers,
    Image,
    LinkedTrack,
    Paging,
    PlayHistory,
    Playlist,
    PlaylistItem,
    PlaylistItemsRef,
    PrivateUser,
    PublicUser,
    SavedAlbum,
    SavedTrack,
    SearchResult,
    SimplifiedAlbum,
    SimplifiedArtist,
    SimplifiedPlaylist,
    SimplifiedTrack,
    Snapshot,
    Track,
)
from ._pacing import Pacer, RetryPolicy
from ._policy import Stats
from ._tokens import FileTokenStore, MemoryTokenStore, Token, TokenStore

__all__ = [
    "REMOVED",
    "STATUS_ERRORS",
    "Album",
    "Artist",
    "AsyncSpotify",
    "AudioFeatures",
    "Auth",
    "AuthError",
    "Authorization",
    "BadGateway",
    "BadRequest",
    "ClientCredentials",
    "ClientError",
    "Copyright",
    "CursorPaging",
    "Cursors",
    "Endpoint",
    "EndpointUnavailable",
    "Episode",
    "ExternalIds",
    "FileTokenStore",
    "Followers",
    "Forbidden",
    "GatewayTimeout",
    "HTTPError",
    "Image",
    "InternalServerError",
    "LinkedTrack",
    "LoginRequired",
    "MemoryTokenStore",
    "NotFound",
    "Pacer",
    "Paging",
    "PlayHistory",
    "Playlist",
    "PlaylistItem",
    "PlaylistItemsRef",
    "PrivateUser",
    "PublicUser",
    "QuotaExceeded",
    "RateLimited",
    "RequestTimeout",
    "RetryPolicy",
    "SavedAlbum",
    "SavedTrack",
    "SearchResult",
    "ServerError",
    "ServiceUnavailable",
    "SimplifiedAlbum",
    "SimplifiedArtist",
    "SimplifiedPlaylist",
    "SimplifiedTrack",
    "Snapshot",
    "Spotify",
    "SpotifyError",
    "Stats",
    "Token",
    "TokenStore",
    "Track",
    "TransportError",
    "Unauthorized",
    "UserAuth",
    "ValidationError",
    "chunked",
    "error_class",
    "exchange_code",
    "login",
    "parse_id",
    "to_uri",
]

for _name in __all__:
    _obj = globals()[_name]
    if callable(_obj) and _obj.__module__.startswith(__name__ + "._"):
        _obj.__module__ = __name__
del _name, _obj
