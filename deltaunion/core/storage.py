"""Static files in production: WhiteNoise's compressed manifest storage (hashed names, served
with far-future caching; a gzip and a Brotli copy beside each file), except that Brotli — at its
best setting, seconds per megabyte — is spent only on what pages load. Source maps (opened by
browser developer tools only) and files over BROTLI_MAX_BYTES (the unminified builds of the
front-end libraries that come with their npm packages; no page loads them) get gzip only."""

from __future__ import annotations

import os
from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

# The largest file a page loads is the charts' bundle, 0.6 MB (vendor/charts/charts.min.js).
BROTLI_MAX_BYTES = 1024 * 1024


class _Compressor(Compressor):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._gzip_only = Compressor(**{**kwargs, "use_brotli": False})

    def compress(self, path: str) -> list[str]:
        if self.use_brotli and (path.endswith(".map") or os.path.getsize(path) > BROTLI_MAX_BYTES):
            return self._gzip_only.compress(path)
        return super().compress(path)


class CompressedManifestStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return _Compressor(**kwargs)
