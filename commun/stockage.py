"""Static files in production: hashed names and compressed copies (WhiteNoise)."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StockageStatique(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, except that a source map a vendored library mentions but does
    not ship (``leaflet.markercluster.js`` points to a ``.map`` the xstatic package leaves
    out) keeps its name instead of failing ``collectstatic``: browsers only fetch source
    maps with the developer tools open, and then get a 404."""

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if name.split("?", 1)[0].split("#", 1)[0].endswith(".map"):
                return name
            raise
